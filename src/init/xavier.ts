import { fail } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkOptions, drawOptions } from './common.js';
import { fanOrFail } from './fan.js';
import { normal_ } from './normal.js';
import { uniform_ } from './uniform.js';

export interface XavierOptions extends RandomOptions {
  /** Scaling factor (default 1); see {@link calculateGain}. Must be >= 0. */
  gain?: number;
}

function xavierStd(where: string, tensor: Tensor, opts: XavierOptions): number {
  const gain = opts.gain ?? 1;
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'gain', expected: 'gain to be a finite number >= 0', received: gain });
  }
  const [fanIn, fanOut] = fanOrFail(where, tensor);
  if (fanIn + fanOut === 0) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'fan_in + fan_out > 0',
      receivedText: `shape [${tensor.shape.join(', ')}] with fan_in = fan_out = 0`,
    });
  }
  return gain * Math.sqrt(2.0 / (fanIn + fanOut));
}

/**
 * Xavier (Glorot) uniform init, in place: U(-a, a) with a = gain·√(6 / (fan_in + fan_out)). PyTorch's
 * `torch.nn.init.xavier_uniform_`, bit-identical on CPU.
 *
 * Paper: Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward neural networks",
 * AISTATS, https://proceedings.mlr.press/v9/glorot10a.html.
 *
 * Formula: std = gain·√(2 / (fan_in + fan_out)), a = √3·std (in that order, as PyTorch).
 * Layout: `(out, in, *k)`. Trap: on a stacked projection such as MultiheadAttention's `in_proj_weight` [3E, E],
 * fan_out counts all three of Q, K, V (3E), so each gets a smaller std than a separate [E, E] would.
 *
 * @param tensor a floating-point tensor with at least 2 dimensions.
 * @param options `gain` (1), `generator`.
 * @throws InitError for < 2 dimensions, a negative or non-finite gain, or zero fans.
 *
 * @example
 * ```ts
 * init.xavierUniform_(w, { gain: calculateGain('tanh') });
 * ```
 */
export function xavierUniform_(tensor: Tensor, options?: XavierOptions): Tensor {
  const where = 'xavierUniform_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<XavierOptions>(where, options) ?? {};
  const std = xavierStd(where, t, opts);
  const a = Math.sqrt(3.0) * std;
  return uniform_(t, -a, a, drawOptions(opts));
}

/**
 * Xavier (Glorot) normal init, in place: N(0, std²) with std = gain·√(2 / (fan_in + fan_out)). PyTorch's
 * `torch.nn.init.xavier_normal_`, bit-identical on CPU.
 *
 * Paper: Glorot & Bengio (2010), https://proceedings.mlr.press/v9/glorot10a.html. Layout `(out, in, *k)`.
 *
 * @param tensor a float32 or float64 tensor with at least 2 dimensions.
 * @param options `gain` (1), `generator`.
 * @throws InitError as {@link xavierUniform_}.
 *
 * @example
 * ```ts
 * init.xavierNormal_(linear.weight); init.constant_(linear.bias, 0.01);
 * ```
 */
export function xavierNormal_(tensor: Tensor, options?: XavierOptions): Tensor {
  const where = 'xavierNormal_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<XavierOptions>(where, options) ?? {};
  const std = xavierStd(where, t, opts);
  return normal_(t, 0, std, drawOptions(opts));
}
