/**
 * Summary statistics of an activation or gradient, as the probe reports them: mean, PyTorch's `Tensor.std()`
 * (Bessel-corrected), min, max, the fraction of exact zeros, the mean square, and a histogram (`torch.histc`).
 *
 * Sums are float64, two-pass for the variance (PyTorch reduces float32 tensors in float64 too and rounds the
 * result to float32; these return the float64 value, within half a float32 ulp of PyTorch's).
 */
import { checkInteger, checkFiniteNumber, fail } from '../../errors.js';

/** Everything the probe records about one array. */
export interface Summary {
  numel: number;
  mean: number;
  /** Bessel-corrected standard deviation (`Tensor.std()`); NaN for fewer than 2 elements. */
  std: number;
  min: number;
  max: number;
  /** Fraction of elements exactly equal to 0 (either sign). */
  zeroFraction: number;
  /** Mean of x² (the second moment that signal-propagation theory predicts). */
  meanSquare: number;
}

function checkData(where: string, data: unknown): ArrayLike<number> {
  if (!(data instanceof Float32Array) && !(data instanceof Float64Array) && !Array.isArray(data)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'data',
      expected: 'a Float32Array, Float64Array or number[]',
      received: data,
    });
  }
  return data as ArrayLike<number>;
}

/** Arithmetic mean (float64 sum); NaN for no elements, as `torch.mean` of an empty tensor. */
export function mean(data: ArrayLike<number>): number {
  const d = checkData('mean', data);
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]!;
  return s / d.length;
}

/**
 * Standard deviation with `correction` (default 1, Bessel's, PyTorch's `Tensor.std()`):
 * √(Σ(x − mean)² / (n − correction)); NaN when n − correction ≤ 0 (PyTorch returns nan there too).
 *
 * @throws InitError for a negative or non-integer correction.
 * @example
 * ```ts
 * std(new Float32Array([1, 2, 3, 4])); // 1.2909944487358056, as torch.tensor([1., 2, 3, 4]).std()
 * ```
 */
export function std(data: ArrayLike<number>, options: { correction?: number } = {}): number {
  const d = checkData('std', data);
  const correction = checkInteger('std', 'correction', options.correction ?? 1, 0);
  const n = d.length;
  if (n - correction <= 0) return NaN;
  const m = mean(d);
  let v = 0;
  for (let i = 0; i < n; i++) {
    const x = d[i]! - m;
    v += x * x;
  }
  return Math.sqrt(v / (n - correction));
}

/** Smallest element; NaN if any element is NaN or there are none. */
export function min(data: ArrayLike<number>): number {
  const d = checkData('min', data);
  if (d.length === 0) return NaN;
  let m = Infinity;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (x !== x) return NaN;
    if (x < m) m = x;
  }
  return m;
}

/** Largest element; NaN if any element is NaN or there are none. */
export function max(data: ArrayLike<number>): number {
  const d = checkData('max', data);
  if (d.length === 0) return NaN;
  let m = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (x !== x) return NaN;
    if (x > m) m = x;
  }
  return m;
}

/** Fraction of elements exactly 0 (dead ReLUs); NaN for no elements. */
export function zeroFraction(data: ArrayLike<number>): number {
  const d = checkData('zeroFraction', data);
  let z = 0;
  for (let i = 0; i < d.length; i++) if (d[i] === 0) z++;
  return z / d.length;
}

/** All of {@link Summary} in two passes. */
export function summarize(data: ArrayLike<number>): Summary {
  const d = checkData('summarize', data);
  const n = d.length;
  let s = 0;
  let sq = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let zeros = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const x = d[i]!;
    s += x;
    sq += x * x;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
    if (x === 0) zeros++;
    else if (x !== x) nan = true;
  }
  const m = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const x = d[i]! - m;
    v += x * x;
  }
  return {
    numel: n,
    mean: m,
    std: n > 1 ? Math.sqrt(v / (n - 1)) : NaN,
    min: nan || n === 0 ? NaN : lo,
    max: nan || n === 0 ? NaN : hi,
    zeroFraction: zeros / n,
    meanSquare: sq / n,
  };
}

/** A histogram: `bins + 1` edges (float64) and the count per bin. */
export interface Histogram {
  edges: number[];
  counts: number[];
}

/**
 * Histogram with `bins` equal-width bins over [min, max] (PyTorch's `torch.histc`): elements outside the range
 * and NaNs are ignored, x = max falls in the last bin; when min = max (default both from the data), the range is
 * the data's, widened by 1 on each side if still empty.
 *
 * @param options `bins` (100, as torch.histc), `min`, `max` (default: the data's range).
 * @throws InitError for bins < 1, non-finite bounds, or min > max.
 * @example
 * ```ts
 * histogram(new Float32Array([1, 2, 1]), { bins: 4, min: 0, max: 3 }); // counts [0, 2, 1, 0], as torch.histc
 * ```
 */
export function histogram(
  data: ArrayLike<number>,
  options: { bins?: number; min?: number; max?: number } = {},
): Histogram {
  const where = 'histogram';
  const d = checkData(where, data);
  const bins = checkInteger(where, 'bins', options.bins ?? 100, 1);
  let lo = options.min === undefined ? 0 : checkFiniteNumber(where, 'min', options.min);
  let hi = options.max === undefined ? 0 : checkFiniteNumber(where, 'max', options.max);
  if (lo > hi) fail({ code: 'INVALID_ARGUMENT', where, param: 'max', expected: `max >= min (${lo})`, received: hi });
  if (lo === hi) {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < d.length; i++) {
      const x = d[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (lo > hi) {
      lo = 0;
      hi = 0;
    }
  }
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const counts = new Array<number>(bins).fill(0);
  const width = hi - lo;
  for (let i = 0; i < d.length; i++) {
    const x = d[i]!;
    if (!(x >= lo && x <= hi)) continue;
    let b = Math.floor(((x - lo) * bins) / width);
    if (b === bins) b -= 1;
    counts[b]! += 1;
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + (width * i) / bins);
  return { edges, counts };
}
