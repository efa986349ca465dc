import { fail } from '../errors.js';
import { erfinvF32, erfinvF64 } from '../rng/erfinv.js';
import { uniformF32, uniformF64, uniformSumIsExact } from '../rng/kernels.js';
import { normCdf } from '../math/erf.js';
import { wasmTruncNormalF32 } from '../rng/wasm/kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkNumberArg, checkOptions, resolveGenerator } from './common.js';

export interface TruncNormalOptions extends RandomOptions {
  /** Mean of the underlying normal (default 0). */
  mean?: number;
  /** Standard deviation of the underlying normal, before truncation (default 1). */
  std?: number;
  /** Lower cut-off, an absolute value, not a multiple of std (default -2). */
  a?: number;
  /** Upper cut-off, an absolute value (default 2). */
  b?: number;
}

/** Probability mass below which the truncation interval is rejected: the samples would all sit at a bound. */
export const TRUNC_NORMAL_MIN_MASS = 1e-6;

/** Φ(x), the standard normal CDF, as PyTorch's `trunc_normal_` computes it (see ../math/erf.ts). */
export { normCdf };

/**
 * Fills `tensor` with values from a normal distribution N(mean, std²) truncated to [a, b], in place; PyTorch's
 * `torch.nn.init.trunc_normal_` (the inverse-CDF version of releases 1.7 to 2.x), bit-identical on CPU for float32
 * and float64 (x86-64 glibc with AVX2+FMA: glibc's erf/erff, exp, log through src/rng/libm.ts and libm64.ts).
 *
 * Method (inverse transform sampling): with l = Φ((a - mean)/std) and u = Φ((b - mean)/std),
 * draw v ~ U(2l - 1, 2u - 1), then x = clamp(mean + std·√2·erfinv(v), a, b). The realized standard deviation is
 * smaller than `std`: 0.8796·std for the default ±2σ interval when mean = 0 and std = 1.
 *
 * Trap: `a` and `b` are absolute. `truncNormal_(w, { std: 0.02 })` keeps the bounds at ±2, i.e. ±100σ, and truncates
 * nothing; pass `a: -2 * std, b: 2 * std` for the ±2σ truncation of Keras, JAX and TF.js.
 *
 * @param tensor a float32 or float64 tensor.
 * @param options `mean` (0), `std` (1), `a` (-2), `b` (2), `generator`.
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, non-finite arguments, `std <= 0`, `a >= b`, or an interval holding less than
 *   1e-6 of the distribution's mass (every sample would be clamped to a bound).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.truncNormal_(empty([768, 768]), { std: 0.02, a: -0.04, b: 0.04 });
 * ```
 */
export function truncNormal_(tensor: Tensor, options?: TruncNormalOptions): Tensor {
  const where = 'truncNormal_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<TruncNormalOptions>(where, options) ?? {};
  const mean = checkNumberArg(where, 'mean', opts.mean ?? 0);
  const std = checkNumberArg(where, 'std', opts.std ?? 1);
  const a = checkNumberArg(where, 'a', opts.a ?? -2);
  const b = checkNumberArg(where, 'b', opts.b ?? 2);
  if (std <= 0) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'std', expected: 'std > 0', received: std });
  }
  if (!(a < b)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'a', expected: 'a < b', receivedText: `a=${a}, b=${b}`, fix: 'Swap the bounds.' });
  }
  const l = normCdf((a - mean) / std);
  const u = normCdf((b - mean) / std);
  if (u - l < TRUNC_NORMAL_MIN_MASS) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'a, b',
      expected: `an interval [a, b] holding at least ${TRUNC_NORMAL_MIN_MASS} of N(mean=${mean}, std=${std})'s mass`,
      receivedText: `[${a}, ${b}], which holds ${(u - l).toExponential(3)} (it lies ${describeDistance(a, b, mean, std)})`,
      fix: 'Move the interval to cover the mean (a < mean < b), or widen it.',
    });
  }
  const gen = resolveGenerator(where, opts);
  if (t.isMeta || t.numel === 0) return t;
  const scale = std * Math.SQRT2;
  if (t.dtype === 'float32') {
    const d = t.data as Float32Array;
    // Fused erfinv_, mul_(std·√2), add_(mean), clamp_(a, b): each step rounds to float32 as PyTorch's ops do.
    const s = Math.fround(scale);
    const m = Math.fround(mean);
    const lo = Math.fround(a);
    const hi = Math.fround(b);
    // The WebAssembly kernel (scripts/wasm/rng_erfinv.c) computes the same bits; below is the reference and fallback.
    const ulo = Math.fround(2 * l - 1);
    const urange = Math.fround(Math.fround(2 * u - 1) - ulo);
    if (wasmTruncNormalF32(gen, d, ulo, urange, uniformSumIsExact(ulo, urange), s, m, lo, hi)) return t;
    uniformF32(gen, d, 2 * l - 1, 2 * u - 1);
    for (let i = 0; i < d.length; i++) {
      let x = Math.fround(Math.fround(erfinvF32(d[i]!) * s) + m);
      x = x !== x ? x : x < lo ? lo : x > hi ? hi : x;
      d[i] = x;
    }
  } else if (t.dtype === 'float64') {
    const d = t.data as Float64Array;
    uniformF64(gen, d, 2 * l - 1, 2 * u - 1);
    for (let i = 0; i < d.length; i++) {
      let x = erfinvF64(d[i]!) * scale + mean;
      x = x !== x ? x : x < a ? a : x > b ? b : x;
      d[i] = x;
    }
  } else {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'tensor',
      expected: 'a float32 or float64 tensor',
      receivedText: `dtype ${t.dtype}`,
      fix: "Initialize in float32, then convert with tensor.to('float16').",
    });
  }
  return t;
}

function describeDistance(a: number, b: number, mean: number, std: number): string {
  const d = mean < a ? (a - mean) / std : (mean - b) / std;
  return `${d.toFixed(1)} std from the mean ${mean}`;
}
