/**
 * LeCun init, the one PyTorch never added (pytorch/pytorch#1667, PR #14034 declined for backward compatibility).
 * Defined exactly as Keras 3 and JAX/Flax define it, as presets of {@link varianceScaling_}.
 */
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkOptions } from './common.js';
import { type VarianceScalingFanOptions, varianceScalingImpl } from './variance-scaling.js';

/** The distributions {@link lecunNormal_} offers. */
export const LECUN_NORMAL_DISTRIBUTIONS = ['truncated_normal', 'untruncated_normal'] as const;
export type LecunNormalDistribution = (typeof LECUN_NORMAL_DISTRIBUTIONS)[number];

/** Options of {@link lecunUniform_}: the fan layout and the generator. */
export interface LecunOptions extends RandomOptions, VarianceScalingFanOptions {}

/** Options of {@link lecunNormal_}. */
export interface LecunNormalOptions extends LecunOptions {
  /**
   * `'truncated_normal'` (default, as JAX/Flax `lecun_normal` and Keras `LecunNormal`): truncated to ±2σ and
   * rescaled so the realized std is 1/√fan_in. `'untruncated_normal'`: plain N(0, 1/fan_in), as ConvNetJS and
   * the 1998 paper's Gaussian reading.
   */
  distribution?: LecunNormalDistribution;
}

/**
 * LeCun uniform init, in place: U(-bound, bound) with bound = √(3 / fan_in), i.e. variance 1/fan_in. Equal to
 * Keras 3 `LecunUniform`, JAX `lecun_uniform` and TF.js `leCunUniform` (distribution and formula; the random streams
 * differ), and to `varianceScaling_(t, { scale: 1, mode: 'fan_in', distribution: 'uniform' })`.
 *
 * Paper: LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp", in Neural Networks: Tricks of the Trade, LNCS
 * 1524, https://doi.org/10.1007/3-540-49430-8_2 (§4.6: weights with standard deviation fan_in^{-1/2}).
 *
 * Formula: variance = 1 / fan_in; bound = √(3·variance). In PyTorch the same distribution is
 * `kaiming_uniform_(w, nonlinearity='linear')` (gain 1, bound √3/√fan_in), whose bits can differ from this by the
 * last-place rounding of the bound; PyTorch's `nn.Linear` default is NOT LeCun (its variance is 1/(3·fan_in)).
 *
 * Layout: `'torch'` `(out, in, *k)` by default (fan_in = size(1)·∏k); `layout: 'keras'` or JAX-style axes as in
 * {@link varianceScaling_}.
 *
 * @param tensor a floating-point tensor with at least 2 dimensions; a zero-element tensor is a no-op.
 * @param options `layout` ('torch') or `inAxis`/`outAxis`/`batchAxis`, `groups` (1), `generator`.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, fewer than 2 dimensions, or bad layout options.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.lecunUniform_(empty([64, 128]));   // U(±√(3/128)) = U(±0.1531)
 * ```
 */
export function lecunUniform_(tensor: Tensor, options?: LecunOptions): Tensor {
  const where = 'lecunUniform_';
  const opts = checkOptions<LecunOptions>(where, options) ?? {};
  return varianceScalingImpl(where, tensor, { ...opts, scale: 1, mode: 'fan_in', distribution: 'uniform' }, ['uniform']);
}

/**
 * LeCun normal init, in place: realized std 1/√fan_in. By default a normal truncated to ±2σ and corrected by
 * 0.87962566103423978 (pre-truncation std = √(1/fan_in) / 0.8796…), exactly as JAX/Flax `lecun_normal` (Flax's
 * default kernel init) and Keras 3 `LecunNormal`; `distribution: 'untruncated_normal'` gives N(0, 1/fan_in).
 *
 * Paper: LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp", https://doi.org/10.1007/3-540-49430-8_2.
 *
 * Formula: variance = 1 / fan_in. Truncated: `truncNormal_(t, { std: s, a: -2s, b: 2s })` with
 * s = √variance / 0.87962566103423978 (PyTorch's inverse-CDF sampler on initkit's generator). Untruncated:
 * `normal_(t, 0, √variance)`. Differs from TF.js `leCunNormal`, which truncates WITHOUT the correction (realized
 * std 0.88/√fan_in). In PyTorch the untruncated variant is `kaiming_normal_(w, nonlinearity='linear')`.
 *
 * Layout: `'torch'` `(out, in, *k)` by default; `layout: 'keras'` or JAX-style axes as in {@link varianceScaling_}.
 *
 * @param tensor a float32 or float64 tensor with at least 2 dimensions; a zero-element tensor is a no-op.
 * @param options `distribution` ('truncated_normal'), `layout` ('torch') or `inAxis`/`outAxis`/`batchAxis`,
 *   `groups` (1), `generator`.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, fewer than 2 dimensions, an unknown distribution (lists the valid ones), or
 *   bad layout options.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.lecunNormal_(empty([64, 128]));                                       // Flax Dense default
 * init.lecunNormal_(empty([64, 128]), { distribution: 'untruncated_normal' }); // N(0, 1/128)
 * ```
 */
export function lecunNormal_(tensor: Tensor, options?: LecunNormalOptions): Tensor {
  const where = 'lecunNormal_';
  const opts = checkOptions<LecunNormalOptions>(where, options) ?? {};
  return varianceScalingImpl(
    where,
    tensor,
    { ...opts, scale: 1, mode: 'fan_in', distribution: opts.distribution ?? 'truncated_normal' },
    LECUN_NORMAL_DISTRIBUTIONS,
  );
}
