/** Statistical test helpers: Kolmogorov–Smirnov against a continuous CDF, moments. */
import { normCdf } from '../../src/init/trunc-normal.js';

/** KS statistic D = sup |F_n(x) - F(x)|. */
export function ksStatistic(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const xs = Float64Array.from(sample as ArrayLike<number>).sort();
  const n = xs.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(xs[i]!);
    d = Math.max(d, f - i / n, (i + 1) / n - f);
  }
  return d;
}

/**
 * Asymptotic critical value of the one-sample KS statistic at significance alpha:
 * c(α)/√n with c(α) = √(-ln(α/2)/2). At α = 1e-3 a correct sampler fails with probability 0.1%.
 */
export function ksCritical(n: number, alpha = 1e-3): number {
  return Math.sqrt(-Math.log(alpha / 2) / 2) / Math.sqrt(n);
}

export function moments(xs: ArrayLike<number>): { mean: number; std: number; min: number; max: number } {
  let s = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    s += xs[i]!;
    min = Math.min(min, xs[i]!);
    max = Math.max(max, xs[i]!);
  }
  const mean = s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i]! - mean) ** 2;
  return { mean, std: Math.sqrt(v / (xs.length - 1)), min, max };
}

export const stdNormalCdf = normCdf;
