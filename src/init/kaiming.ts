import { fail } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkOptions, drawOptions } from './common.js';
import { type FanMode, calculateCorrectFan } from './fan.js';
import { type Nonlinearity, calculateGain } from './gain.js';
import { normal_ } from './normal.js';
import { uniform_ } from './uniform.js';

export interface KaimingOptions extends RandomOptions {
  /** Negative slope of the rectifier after this layer (only used with `'leaky_relu'`); default 0. */
  a?: number;
  /** `'fan_in'` (default) preserves the forward pass's variance, `'fan_out'` the backward pass's. */
  mode?: FanMode;
  /** The nonlinearity after this layer, for {@link calculateGain}; default `'leaky_relu'` (with a = 0: ReLU's √2). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(where: string, tensor: Tensor, opts: KaimingOptions): number {
  const mode = opts.mode ?? 'fan_in';
  const fan = calculateCorrectFan(where, tensor, mode);
  const gain = calculateGain(opts.nonlinearity ?? 'leaky_relu', opts.a ?? 0);
  if (fan === 0) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: `a non-zero ${mode}`,
      receivedText: `${mode} = 0`,
      fix: 'A layer with no inputs (or outputs) has no variance to preserve; use zeros_ or constant_.',
    });
  }
  return gain / Math.sqrt(fan);
}

/**
 * He (Kaiming) uniform init, in place: U(-bound, bound) with bound = gain·√(3 / fan), gain from
 * {@link calculateGain}(nonlinearity, a). PyTorch's `torch.nn.init.kaiming_uniform_`, bit-identical on CPU.
 *
 * Paper: He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet
 * Classification", ICCV, https://arxiv.org/abs/1502.01852.
 *
 * Formula: std = gain / √fan, bound = √3·std (computed in that order, as PyTorch does).
 * Layout: PyTorch's `(out, in, *k)`: fan_in = in·∏k, fan_out = out·∏k.
 * PyTorch's `nn.Linear` and `nn.Conv*d` call this with a = √5, giving bound 1/√fan_in and std 1/√(3·fan_in).
 *
 * @param tensor a floating-point tensor with at least 2 dimensions. A zero-element tensor is a no-op (no draws).
 * @param options `a` (0), `mode` ('fan_in'), `nonlinearity` ('leaky_relu'), `generator`.
 * @throws InitError for < 2 dimensions, an unknown mode or nonlinearity, a non-finite `a`, or a zero fan.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.kaimingUniform_(empty([3, 4]), { a: Math.sqrt(5) }); // nn.Linear(4, 3).weight
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options?: KaimingOptions): Tensor {
  const where = 'kaimingUniform_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<KaimingOptions>(where, options) ?? {};
  if (t.numel === 0) return t; // PyTorch: `if 0 in tensor.shape`: "Initializing zero-element tensors is a no-op"
  const std = kaimingStd(where, t, opts);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(t, -bound, bound, drawOptions(opts));
}

/**
 * He (Kaiming) normal init, in place: N(0, std²) with std = gain / √fan. PyTorch's
 * `torch.nn.init.kaiming_normal_`, bit-identical on CPU.
 *
 * Paper: He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", https://arxiv.org/abs/1502.01852.
 * Layout: `(out, in, *k)`. torchvision's ResNet uses `{ mode: 'fan_out', nonlinearity: 'relu' }`.
 *
 * @param tensor a float32 or float64 tensor with at least 2 dimensions; a zero-element tensor is a no-op.
 * @param options `a` (0), `mode` ('fan_in'), `nonlinearity` ('leaky_relu'), `generator`.
 * @throws InitError as {@link kaimingUniform_}.
 *
 * @example
 * ```ts
 * init.kaimingNormal_(conv.weight, { mode: 'fan_out', nonlinearity: 'relu' });
 * ```
 */
export function kaimingNormal_(tensor: Tensor, options?: KaimingOptions): Tensor {
  const where = 'kaimingNormal_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<KaimingOptions>(where, options) ?? {};
  if (t.numel === 0) return t;
  const std = kaimingStd(where, t, opts);
  return normal_(t, 0, std, drawOptions(opts));
}
