import { fail } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloatTensor, dtypeMax } from './common.js';

/**
 * Fills `tensor` with `val`, in place; PyTorch's `torch.nn.init.constant_`. No random draws.
 *
 * Formula: every element = `val` rounded to the dtype (round to nearest even). Layout: any shape, including 1-D
 * biases and 0-D scalars; a zero-element tensor is a no-op.
 *
 * @param tensor a floating-point tensor.
 * @param val the value; ±Infinity is allowed, a finite value too large for the dtype is rejected (PyTorch raises
 *   "value cannot be converted to type float without overflow").
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, a value that is not a number or is NaN, or a finite value that overflows the
 *   dtype.
 *
 * @example
 * ```ts
 * init.constant_(linear.bias, 0.01);
 * ```
 */
export function constant_(tensor: Tensor, val: number): Tensor {
  const t = checkFloatTensor('constant_', tensor);
  if (typeof val !== 'number' || Number.isNaN(val)) {
    fail({ code: 'INVALID_ARGUMENT', where: 'constant_', param: 'val', expected: 'val to be a number', received: val });
  }
  if (Number.isFinite(val) && Math.abs(val) > dtypeMax(t.dtype)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where: 'constant_',
      param: 'val',
      expected: `val within the range of ${t.dtype} (|val| <= ${dtypeMax(t.dtype)})`,
      received: val,
      fix: 'Use a float64 tensor, or pass Infinity explicitly if that is what you mean.',
    });
  }
  return t.fill_(val);
}

/**
 * Fills `tensor` with 1, in place; PyTorch's `torch.nn.init.ones_` (normalization weights). No random draws.
 *
 * @param tensor a floating-point tensor of any shape.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor or a non-float tensor.
 *
 * @example
 * ```ts
 * init.ones_(layerNorm.weight);
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  return checkFloatTensor('ones_', tensor).fill_(1);
}

/**
 * Fills `tensor` with 0, in place; PyTorch's `torch.nn.init.zeros_` (biases). No random draws.
 *
 * @param tensor a floating-point tensor of any shape.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor or a non-float tensor.
 *
 * @example
 * ```ts
 * init.zeros_(linear.bias);
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  return checkFloatTensor('zeros_', tensor).fill_(0);
}
