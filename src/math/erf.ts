/**
 * erf, erfc, Φ and erfinv in double precision, for analysis code (activation functions, moment integrals).
 *
 * These are the bit-exact ports of glibc 2.36's `erf`/`erfc` (fdlibm's `s_erf.c`, the functions Python's
 * `math.erf` and PyTorch's float64 kernels call; see ../rng/libm64.ts) and ATen's `calc_erfinv<double>`
 * (../rng/erfinv.ts): one implementation, re-exported here under the names the analysis code uses.
 */
import { erfinvF64 } from '../rng/erfinv.js';
import { erf as glibcErf, erfc as glibcErfc } from '../rng/libm64.js';

/**
 * The error function erf(x) = 2/√π ∫₀ˣ e^(-t²) dt, bit-identical to glibc's (and so to Python's `math.erf`).
 * @example erf(1); // 0.8427007929497149
 */
export const erf: (x: number) => number = glibcErf;

/**
 * The complementary error function erfc(x) = 1 - erf(x), without cancellation for large x, bit-identical to glibc's.
 * @example erfc(5); // 1.5374597944280351e-12
 */
export const erfc: (x: number) => number = glibcErfc;

/**
 * Φ(x), the standard normal CDF, as PyTorch's `trunc_normal_` computes it in Python doubles: (1 + erf(x/√2)) / 2,
 * with glibc's `erf` bit for bit (Python's `math.erf` calls it), so the uniform bounds of truncNormal_ match
 * PyTorch's exactly.
 *
 * @example
 * ```ts
 * normCdf(2); // 0.9772498680518208
 * ```
 */
export function normCdf(x: number): number {
  return (1 + glibcErf(x / Math.SQRT2)) / 2;
}

/**
 * erfinv in double precision: ATen's `calc_erfinv<double>` (a rational first guess, two Newton steps on glibc's
 * erf), bit-identical to PyTorch's float64 `erfinv_`.
 * @example erfinv(0.5); // 0.4769362762044699
 */
export const erfinv: (y: number) => number = erfinvF64;
