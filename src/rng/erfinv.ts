/**
 * ATen's `calc_erfinv<float>` and `calc_erfinv<double>` (aten/src/ATen/native/Math.h), the inverse error function
 * `trunc_normal_` uses. float:
 * a rational approximation (Pavlis 1996, a translation of MATLAB's erfinv) followed by two Newton steps.
 * Everything is computed in float32; the multiply-adds are fused (GCC contraction on AVX2/AVX-512 builds) and the
 * Newton steps call glibc's `erff` and `expf`, so bit-exactness needs glibc's exact outputs (./libm.ts).
 * See ../shared/reference/torch-cpu-rng.md §4.2 (0 mismatches / 40,000 against PyTorch 1.13). double: the same
 * template in double, calling glibc's double `log`/`erf`/`exp` (./libm64.ts).
 */
import { fmaf } from './fma.js';
import { erff, expf, logf } from './libm.js';
import { erf, exp, fma, log } from './libm64.js';

const f = Math.fround;
const A0 = f(0.886226899);
const A1 = f(-1.645349621);
const A2 = f(0.914624893);
const A3 = f(-0.140543331);
const B0 = f(-2.118377725);
const B1 = f(1.442710462);
const B2 = f(-0.329097515);
const B3 = f(0.012229801);
const C0 = f(-1.970840454);
const C1 = f(-1.624906493);
const C2 = f(3.429567803);
const C3 = f(1.641345311);
const D0 = f(3.5438892);
const D1 = f(1.6370678);
const CENTRAL_RANGE = f(0.7);
/** (float)2 / (float)sqrt(pi<double>) */
const K = f(2 / f(Math.sqrt(Math.PI)));

/** erfinv of a float32 value `y`, bit-identical to PyTorch's CPU `erfinv_` on float32 tensors. */
export function erfinvF32(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  if (y !== y) return NaN;
  let x: number;
  if (ya <= CENTRAL_RANGE) {
    const z = f(y * y);
    const num = fmaf(fmaf(fmaf(A3, z, A2), z, A1), z, A0);
    const dem = fmaf(fmaf(fmaf(fmaf(B3, z, B2), z, B1), z, B0), z, 1);
    x = f(f(y * num) / dem);
  } else {
    const z = f(Math.sqrt(-logf(f(f(1 - ya) / 2))));
    const num = fmaf(fmaf(fmaf(C3, z, C2), z, C1), z, C0);
    const dem = fmaf(fmaf(D1, z, D0), z, 1);
    x = f((y < 0 ? -num : num) / dem);
  }
  for (let k = 0; k < 2; k++) {
    x = f(x - f(f(erff(x) - y) / f(K * expf(f(-f(x * x))))));
  }
  return x;
}

/** `calc_erfinv<double>` coefficients: the same decimal literals as the float version, as doubles. */
const A0D = 0.886226899;
const A1D = -1.645349621;
const A2D = 0.914624893;
const A3D = -0.140543331;
const B0D = -2.118377725;
const B1D = 1.442710462;
const B2D = -0.329097515;
const B3D = 0.012229801;
const C0D = -1.970840454;
const C1D = -1.624906493;
const C2D = 3.429567803;
const C3D = 1.641345311;
const D0D = 3.5438892;
const D1D = 1.6370678;
/** `static_cast<double>(2.0) / static_cast<double>(std::sqrt(c10::pi<double>))`. */
const KD = 2 / Math.sqrt(Math.PI);

/**
 * erfinv of a float64 value, bit-identical to PyTorch's CPU `erfinv_` on float64 tensors: ATen's `calc_erfinv<double>`
 * (aten/src/ATen/native/Math.h, PyTorch 1.13; the same template as the float version, instantiated in double), i.e.
 * Pavlis' rational first guess (1996, a translation of MATLAB's erfinv) and two Newton steps
 * `x -= (erf(x) - y) / (2/√π · exp(-x²))`:
 * - |y| <= 0.7: z = y², x = y·num(z)/dem(z) with num = ((a3 z + a2) z + a1) z + a0 and
 *   dem = (((b3 z + b2) z + b1) z + b0) z + 1;
 * - otherwise: z = sqrt(-log((1 - |y|)/2)), x = copysign(num(z), y)/dem(z) with num = ((c3 z + c2) z + c1) z + c0
 *   and dem = (d1 z + d0) z + 1;
 * - |y| > 1: NaN; |y| = 1: ±Infinity.
 * The multiply-adds of the polynomials are fused (GCC contraction in the AVX2/AVX-512 kernels, as for float), and
 * `log`, `erf` and `exp` are glibc's double functions, reproduced bit for bit by ./libm64.ts.
 *
 * @param y a float64 value.
 * @returns PyTorch's `torch.erfinv(y)` for a float64 tensor, bit for bit (x86-64, glibc 2.36, AVX2+FMA).
 *
 * @example
 * ```ts
 * erfinvF64(0.5); // 0.4769362762044699
 * ```
 */
export function erfinvF64(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= 0.7) {
    const z = y * y;
    const num = fma(fma(fma(A3D, z, A2D), z, A1D), z, A0D);
    const dem = fma(fma(fma(fma(B3D, z, B2D), z, B1D), z, B0D), z, 1);
    x = (y * num) / dem;
  } else {
    // NaN lands here too (every comparison above is false) and stays NaN.
    const z = Math.sqrt(-log((1 - ya) / 2));
    const num = fma(fma(fma(C3D, z, C2D), z, C1D), z, C0D);
    const dem = fma(fma(D1D, z, D0D), z, 1);
    x = (y < 0 ? -num : num) / dem; // std::copysign(num, y): y is not ±0 here
  }
  x = x - (erf(x) - y) / (KD * exp(-x * x));
  x = x - (erf(x) - y) / (KD * exp(-x * x));
  return x;
}

/**
 * glibc's double `erf`, bit for bit (the function `calc_erfinv<double>` and Python's `math.erf` call): an alias of
 * {@link erf} in ./libm64.ts, kept under this module's historical name.
 *
 * @param x any number.
 * @returns glibc's `erf(x)`.
 *
 * @example
 * ```ts
 * erf64(1); // 0.8427007929497149
 * ```
 */
export function erf64(x: number): number {
  return erf(x);
}
