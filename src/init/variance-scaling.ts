/**
 * Variance scaling, JAX's `jax.nn.initializers.variance_scaling`: the one core that Glorot, He and LeCun are
 * presets of (Keras and TF.js build them the same way).
 */
import { fail, formatValue } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkOptions, drawOptions } from './common.js';
import { type FanAxes, type FanLayout, type FanOptions, fanOrFail } from './fan.js';
import { normal_ } from './normal.js';
import { truncNormal_ } from './trunc-normal.js';
import { uniform_ } from './uniform.js';

/** Which fan the variance is divided by. */
export const VARIANCE_SCALING_MODES = ['fan_in', 'fan_out', 'fan_avg'] as const;
export type VarianceScalingMode = (typeof VARIANCE_SCALING_MODES)[number];

/** The distribution sampled (Keras 3 spelling; JAX calls `untruncated_normal` `'normal'`). */
export const VARIANCE_SCALING_DISTRIBUTIONS = ['truncated_normal', 'untruncated_normal', 'uniform'] as const;
export type VarianceScalingDistribution = (typeof VARIANCE_SCALING_DISTRIBUTIONS)[number];

/**
 * Standard deviation of N(0, 1) truncated to (-2, 2): √(1 - 4φ(2)/(2Φ(2) - 1)) = 0.87962566103423978. JAX and
 * Keras divide the requested std by it so that the truncated samples have the requested std (the constant as
 * written in `jax/_src/nn/initializers.py`).
 */
export const TRUNCATED_NORMAL_STD_FACTOR = 0.87962566103423978;

/** Where the fans come from: a named layout, or JAX-style axes (any of them switches to axes mode). */
export interface VarianceScalingFanOptions extends FanAxes {
  /**
   * `'torch'` `(out, in, *k)` (the default, initkit tensors' layout), `'keras'` `(*k, in, out)`, or explicit axes.
   * Giving `inAxis`, `outAxis` or `batchAxis` instead selects axes mode with JAX's defaults for the others
   * (inAxis -2, outAxis -1, batchAxis none); giving both `layout` and an axis is an error.
   */
  layout?: FanLayout;
  /** Groups of a grouped/depthwise convolution: fan_out = (out / groups)·∏k (see calculateFanInAndFanOut). */
  groups?: number;
}

/** Options of {@link varianceScaling_}. */
export interface VarianceScalingOptions extends RandomOptions, VarianceScalingFanOptions {
  /** Variance multiplier, > 0 (default 1; He uses 2). */
  scale?: number;
  /** `'fan_in'` (default), `'fan_out'` or `'fan_avg'` = (fan_in + fan_out) / 2. */
  mode?: VarianceScalingMode;
  /** `'truncated_normal'` (default), `'untruncated_normal'` or `'uniform'`. */
  distribution?: VarianceScalingDistribution;
}

/** The numbers behind a variance-scaling init (what {@link varianceScaling_} samples with). */
export interface VarianceScalingParams {
  readonly fanIn: number;
  readonly fanOut: number;
  /** fan_in, fan_out or (fan_in + fan_out) / 2. */
  readonly denominator: number;
  /** scale / denominator: the variance of the result. */
  readonly variance: number;
  readonly distribution: VarianceScalingDistribution;
  /**
   * The parameters of the sampler: for `'uniform'` the bound √(3·variance) of U(-bound, bound); for
   * `'untruncated_normal'` the std √variance; for `'truncated_normal'` the pre-truncation std
   * √variance / 0.8796…, truncated to ±2 of it (`bound`).
   */
  readonly samplerStd: number;
  readonly bound: number;
}

/**
 * Resolve the fan options of a variance-scaling call: axes mode when any of inAxis/outAxis/batchAxis is given (JAX
 * defaults for the rest), else the named `layout` (default `'torch'`). Exported for the LeCun presets.
 *
 * @param where the public function to name in errors.
 * @param opts the caller's options.
 * @returns options for {@link calculateFanInAndFanOut}.
 * @throws InitError when both `layout` and an axis are given.
 *
 * @example
 * ```ts
 * resolveFanOptions('varianceScaling_', { inAxis: 1 }); // { layout: { inAxis: 1 } }
 * ```
 */
export function resolveFanOptions(where: string, opts: VarianceScalingFanOptions): FanOptions {
  const hasAxes = opts.inAxis !== undefined || opts.outAxis !== undefined || opts.batchAxis !== undefined;
  if (hasAxes && opts.layout !== undefined) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'layout',
      expected: 'either layout or inAxis/outAxis/batchAxis, not both',
      receivedText: `layout ${formatValue(opts.layout)} with inAxis ${formatValue(opts.inAxis)}, outAxis ${formatValue(opts.outAxis)}`,
      fix: 'Drop layout, or put the axes inside it: { layout: { inAxis, outAxis, batchAxis } }.',
    });
  }
  const out: FanOptions = {};
  if (hasAxes) {
    const axes: FanAxes = {};
    if (opts.inAxis !== undefined) axes.inAxis = opts.inAxis;
    if (opts.outAxis !== undefined) axes.outAxis = opts.outAxis;
    if (opts.batchAxis !== undefined) axes.batchAxis = opts.batchAxis;
    out.layout = axes;
  } else if (opts.layout !== undefined) {
    out.layout = opts.layout;
  }
  if (opts.groups !== undefined) out.groups = opts.groups;
  return out;
}

/** Checks `v` against an `as const` list, with a special message for the ambiguous `'normal'`. */
function checkDistribution(where: string, v: unknown, valid: readonly string[]): VarianceScalingDistribution {
  if (typeof v === 'string' && valid.includes(v)) return v as VarianceScalingDistribution;
  return fail({
    code: 'UNKNOWN_NAME',
    where,
    param: 'distribution',
    expected: `distribution to be one of ${valid.map((x) => `'${x}'`).join(', ')}`,
    received: v,
    fix:
      v === 'normal'
        ? "'normal' is ambiguous: JAX's 'normal' is 'untruncated_normal', Keras's 'normal' is 'truncated_normal'. Name the one you mean."
        : v === 'truncatedNormal' || v === 'untruncatedNormal'
          ? `initkit uses the Keras/JAX snake_case spelling: '${v === 'truncatedNormal' ? 'truncated_normal' : 'untruncated_normal'}'.`
          : v === 'uniform'
            ? 'For the uniform variant use lecunUniform_.'
            : '',
  });
}

/**
 * The fans, variance and sampler parameters {@link varianceScaling_} would use for a tensor or shape, without
 * drawing anything (for explanations and reports).
 *
 * @param tensor a tensor or a shape with at least 2 dimensions.
 * @param options as {@link varianceScaling_} (the generator is ignored).
 * @throws InitError as {@link varianceScaling_}.
 *
 * @example
 * ```ts
 * varianceScalingParams([256, 128], { scale: 2 }).samplerStd; // √(2/128) / 0.8796…
 * ```
 */
export function varianceScalingParams(tensor: Tensor | readonly number[], options?: VarianceScalingOptions): VarianceScalingParams {
  const where = 'varianceScalingParams';
  const opts = checkOptions<VarianceScalingOptions>(where, options) ?? {};
  return paramsImpl(where, tensor, opts, VARIANCE_SCALING_DISTRIBUTIONS);
}

function paramsImpl(
  where: string,
  tensor: Tensor | readonly number[],
  opts: VarianceScalingOptions,
  validDistributions: readonly string[],
): VarianceScalingParams {
  const scale = opts.scale ?? 1;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'scale',
      expected: 'scale to be a finite number > 0 (it multiplies the variance)',
      receivedText: formatValue(scale),
    });
  }
  const modeRaw: unknown = opts.mode ?? 'fan_in';
  if (typeof modeRaw !== 'string' || !(VARIANCE_SCALING_MODES as readonly string[]).includes(modeRaw)) {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'mode',
      expected: `mode to be one of ${VARIANCE_SCALING_MODES.map((m) => `'${m}'`).join(', ')}`,
      received: modeRaw,
      fix: modeRaw === 'fanIn' || modeRaw === 'fanOut' || modeRaw === 'fanAvg' ? 'initkit uses the snake_case spelling of PyTorch, Keras and JAX.' : '',
    });
  }
  const mode = modeRaw as VarianceScalingMode;
  const distribution = checkDistribution(where, opts.distribution ?? 'truncated_normal', validDistributions);
  const [fanIn, fanOut] = fanOrFail(where, tensor, resolveFanOptions(where, opts));
  const denominator = mode === 'fan_in' ? fanIn : mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
  const variance = scale / denominator;
  let samplerStd: number;
  let bound: number;
  if (distribution === 'uniform') {
    bound = Math.sqrt(3 * variance);
    samplerStd = bound;
  } else if (distribution === 'untruncated_normal') {
    samplerStd = Math.sqrt(variance);
    bound = Infinity;
  } else {
    samplerStd = Math.sqrt(variance) / TRUNCATED_NORMAL_STD_FACTOR;
    bound = 2 * samplerStd;
  }
  return { fanIn, fanOut, denominator, variance, distribution, samplerStd, bound };
}

/**
 * The body of {@link varianceScaling_}, shared with the LeCun presets; errors are attributed to `where` and the
 * distribution is checked against `validDistributions`.
 *
 * @param where the public function to name in errors.
 * @param tensor the tensor to fill.
 * @param opts the resolved options.
 * @param validDistributions the distributions the caller accepts.
 * @returns `tensor`.
 * @throws InitError as {@link varianceScaling_}.
 *
 * @example
 * ```ts
 * varianceScalingImpl('lecunUniform_', w, { scale: 1, mode: 'fan_in', distribution: 'uniform' }, ['uniform']);
 * ```
 */
export function varianceScalingImpl(
  where: string,
  tensor: Tensor,
  opts: VarianceScalingOptions,
  validDistributions: readonly string[] = VARIANCE_SCALING_DISTRIBUTIONS,
): Tensor {
  const t = checkFloatTensor(where, tensor);
  const p = paramsImpl(where, t, opts, validDistributions);
  if (t.numel === 0) return t; // fans of an empty tensor can be 0: nothing to draw, as in PyTorch's kaiming_*
  const gen = drawOptions(opts);
  if (p.distribution === 'uniform') return uniform_(t, -p.bound, p.bound, gen);
  if (p.distribution === 'untruncated_normal') return normal_(t, 0, p.samplerStd, gen);
  return truncNormal_(t, { mean: 0, std: p.samplerStd, a: -p.bound, b: p.bound, ...gen });
}

/**
 * Variance-scaling init, in place, with the semantics of JAX's `jax.nn.initializers.variance_scaling` (and Keras 3's
 * `VarianceScaling`): samples with variance `scale / n`, n = fan_in, fan_out or (fan_in + fan_out) / 2.
 *
 * Paper: the family unifies Glorot & Bengio (2010, https://proceedings.mlr.press/v9/glorot10a.html; scale 1,
 * fan_avg), He et al. (2015, https://arxiv.org/abs/1502.01852; scale 2, fan_in) and LeCun et al. (1998, "Efficient
 * BackProp", https://doi.org/10.1007/3-540-49430-8_2; scale 1, fan_in).
 *
 * Formulas, with variance = scale / n:
 * - `'truncated_normal'` (default): std = √variance / 0.87962566103423978, truncated to [-2·std, 2·std], so the
 *   realized std is √variance. Sampled with {@link truncNormal_} (PyTorch's inverse-CDF algorithm, the same
 *   generator stream): exactly `trunc_normal_(t, 0, std, -2·std, 2·std)`.
 * - `'untruncated_normal'`: N(0, variance), exactly `normal_(t, 0, √variance)`.
 * - `'uniform'`: U(-√(3·variance), √(3·variance)), exactly `uniform_(t, -bound, bound)`.
 *
 * Layout: initkit tensors are PyTorch-layout, so the fans default to the `'torch'` layout `(out, in, *k)`:
 * fan_in = size(1)·∏k. This differs from JAX, whose defaults in_axis = -2, out_axis = -1 describe the Keras layout
 * `(*k, in, out)`. Pass `layout: 'keras'`, or `inAxis`/`outAxis`/`batchAxis` (JAX semantics: the receptive field is
 * every other axis, and any axis given switches to axes mode with JAX's defaults for the rest).
 *
 * Differences from JAX: the random stream is initkit's (PyTorch's MT19937 or Philox), not threefry, so values
 * differ while distributions agree; the truncated normal clamps to ±2·std as PyTorch does; `scale` must be > 0
 * (JAX accepts any); distribution names follow Keras (`'untruncated_normal'` for JAX's `'normal'`, which is rejected
 * as ambiguous).
 *
 * @param tensor a float32 or float64 tensor with at least 2 dimensions (float16/bfloat16 only with `'uniform'`).
 *   A zero-element tensor is a no-op (no draws).
 * @param options `scale` (1), `mode` ('fan_in'), `distribution` ('truncated_normal'), `layout` ('torch') or
 *   `inAxis`/`outAxis`/`batchAxis`, `groups` (1), `generator`.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, fewer than 2 dimensions, a non-positive or non-finite scale, an unknown mode or
 *   distribution (lists the valid ones), bad axes, or both `layout` and axes.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.varianceScaling_(empty([256, 128]), { scale: 2, mode: 'fan_in' });          // He, truncated, std √(2/128)
 * init.varianceScaling_(empty([3, 3, 64, 128]), { layout: 'keras', mode: 'fan_avg', distribution: 'uniform' });
 * ```
 */
export function varianceScaling_(tensor: Tensor, options?: VarianceScalingOptions): Tensor {
  const where = 'varianceScaling_';
  const opts = checkOptions<VarianceScalingOptions>(where, options) ?? {};
  return varianceScalingImpl(where, tensor, opts);
}

