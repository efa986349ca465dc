/**
 * Parameter: a Tensor that a Module owns as a learnable weight, with PyTorch's `requires_grad` flag.
 */
import { Tensor, checkTensor } from '../tensor/tensor.js';

/**
 * A learnable tensor registered on a module. It shares storage with the tensor it wraps (like
 * `torch.nn.Parameter(t)`), so `new Parameter(t)` does not copy.
 *
 * PyTorch equivalent: `torch.nn.Parameter(data, requires_grad=True)`.
 *
 * @example
 * ```ts
 * const w = new nn.Parameter(zeros([4, 3]));
 * w.requiresGrad; // true
 * ```
 */
export class Parameter extends Tensor {
  /** Whether an optimizer should update it (PyTorch's `requires_grad`). */
  requiresGrad: boolean;

  constructor(data: Tensor, requiresGrad = true) {
    const t = checkTensor('Parameter', data, 'data');
    super(t.shape, t.dtype, t.data, t.device);
    this.requiresGrad = requiresGrad;
  }

  /** PyTorch's `requires_grad_(flag)`: sets the flag, returns this. */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** `Parameter containing:\ntensor(...)`, as PyTorch prints it. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }

  /** A copy with its own storage that is still a Parameter (what `copy.deepcopy` makes). */
  override clone(): Parameter {
    return new Parameter(super.clone(), this.requiresGrad);
  }
}
