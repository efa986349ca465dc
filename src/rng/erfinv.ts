/**
 * ATen's `calc_erfinv<float>` (aten/src/ATen/native/Math.h), the inverse error function `trunc_normal_` uses:
 * a rational approximation (Pavlis 1996, a translation of MATLAB's erfinv) followed by two Newton steps.
 * Everything is computed in float32; the multiply-adds are fused (GCC contraction on AVX2/AVX-512 builds) and the
 * Newton steps call glibc's `erff` and `expf`, so bit-exactness needs glibc's exact outputs (./libm.ts).
 * See ../shared/reference/torch-cpu-rng.md §4.2 (0 mismatches / 40,000 against PyTorch 1.13).
 */
import { fmaf } from './fma.js';
import { erff, expf, logf } from './libm.js';

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

/**
 * erfinv in float64 (the same algorithm in double with the platform's erf, as `calc_erfinv<double>`). PyTorch's
 * double version calls glibc's double `erf`/`exp`, which JavaScript lacks, so float64 `truncNormal_` matches
 * PyTorch to within a few ulp, not bit for bit.
 */
export function erfinvF64(y: number): number {
  const ya = Math.abs(y);
  if (ya > 1 || y !== y) return NaN;
  if (ya === 1) return y > 0 ? Infinity : -Infinity;
  let x: number;
  if (ya <= 0.7) {
    const z = y * y;
    const num = ((-0.140543331 * z + 0.914624893) * z - 1.645349621) * z + 0.886226899;
    const dem = (((0.012229801 * z - 0.329097515) * z + 1.442710462) * z - 2.118377725) * z + 1;
    x = (y * num) / dem;
  } else {
    const z = Math.sqrt(-Math.log((1 - ya) / 2));
    const num = ((1.641345311 * z + 3.429567803) * z - 1.624906493) * z - 1.970840454;
    const dem = (1.6370678 * z + 3.5438892) * z + 1;
    x = (y < 0 ? -num : num) / dem;
  }
  const k = 2 / Math.sqrt(Math.PI);
  for (let i = 0; i < 2; i++) x = x - (erf64(x) - y) / (k * Math.exp(-x * x));
  return x;
}

/** erf in double (W. J. Cody's rational Chebyshev approximations, 1969), accurate to a few ulp. */
export function erf64(x: number): number {
  const ax = Math.abs(x);
  if (ax < 0.5) {
    const t = x * x;
    const top = (((0.185777706184603153 * t + 3.16112374387056560) * t + 113.864154151050156) * t + 377.485237685302021) * t + 3209.37758913846947;
    const bot = (((t + 23.6012909523441209) * t + 244.024637934444173) * t + 1282.61652607737228) * t + 2844.23683343917062;
    return (x * top) / bot;
  }
  if (ax < 4) {
    const top =
      (((((((2.05607913502032434e-8 * ax + 0.564188496988670089) * ax + 8.88314979438837594) * ax + 66.1191906371416295) * ax +
        298.635138197400131) *
        ax +
        881.952221241769090) *
        ax +
        1712.04761263407058) *
        ax +
        2051.07837782607147) *
        ax +
      1230.33935479799725;
    const bot =
      (((((((ax + 15.7449261107098347) * ax + 117.693950891312499) * ax + 537.181101862009858) * ax + 1621.38957456669019) * ax +
        3290.79923573345963) *
        ax +
        4362.61909014324716) *
        ax +
        3439.36767414372164) *
        ax +
      1230.33935480374942;
    const erfc = (Math.exp(-ax * ax) * top) / bot;
    return x < 0 ? erfc - 1 : 1 - erfc;
  }
  if (ax >= 6) return x < 0 ? -1 : 1;
  const z = 1 / (ax * ax);
  const top = (((0.0163153871373020978 * z + 0.305326634961232344) * z + 0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766;
  const bot = (((z + 2.56852019228982242) * z + 1.87295284992346725) * z + 0.527905102951428412) * z + 0.0605183413124413191;
  const r = (z * top) / bot;
  const erfc = (Math.exp(-ax * ax) / ax) * (0.564189583547756287 - r);
  return x < 0 ? erfc - 1 : 1 - erfc;
}
