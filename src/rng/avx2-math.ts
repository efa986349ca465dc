/**
 * An exact float32 emulation of PyTorch's `normal_fill_16_AVX2` (aten/src/ATen/native/cpu/DistributionTemplates.h)
 * with `log256_ps` and `sincos256_ps` from `aten/src/ATen/native/cpu/avx_mathfun.h` (Julien Pommier's SSE/AVX ports
 * of the Cephes single-precision log and sincos, Giovanni Garberoglio's AVX version).
 *
 * Every operation is float32. The `fmaf` calls marked ★ are the contractions GCC makes of `_mm256_mul_ps` followed
 * by `_mm256_add_ps` when PyTorch is built with `-mavx2 -mfma`; the final one is an explicit `_mm256_fmadd_ps`.
 * Without the ★ fusions about 1% of outputs would be off by one ulp. Specification and verification:
 * ../shared/reference/torch-cpu-rng.md §3.3 (0 mismatches over ≈128k values against PyTorch 1.13).
 */
import { fmaf } from './fma.js';

const f = Math.fround;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

const SQRTHF = f(0.707106781186547524);
const P0 = f(7.0376836292e-2);
const P1 = f(-1.1514610310e-1);
const P2 = f(1.1676998740e-1);
const P3 = f(-1.2420140846e-1);
const P4 = f(1.4249322787e-1);
const P5 = f(-1.6668057665e-1);
const P6 = f(2.0000714765e-1);
const P7 = f(-2.4999993993e-1);
const P8 = f(3.3333331174e-1);
const Q1 = f(-2.12194440e-4);
const Q2 = f(0.693359375);

/**
 * `log256_ps` for one lane, for x in [2^-24, 1] (the only inputs `normal_fill` gives it: 1 - u with u a 24-bit
 * uniform). Returns the float32 result.
 */
export function log256(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  let e = f((b >>> 23) - 127 + 1);
  u32[0] = (b & 0x807fffff) | 0x3f000000; // mantissa in [0.5, 1)
  let m = f32[0]!;
  const mask = m < SQRTHF;
  const tmp = mask ? m : 0;
  m = f(m - 1);
  e = f(e - (mask ? 1 : 0));
  m = f(m + tmp);
  const z = f(m * m);
  let y = P0;
  y = fmaf(y, m, P1); // ★
  y = fmaf(y, m, P2); // ★
  y = fmaf(y, m, P3); // ★
  y = fmaf(y, m, P4); // ★
  y = fmaf(y, m, P5); // ★
  y = fmaf(y, m, P6); // ★
  y = fmaf(y, m, P7); // ★
  y = fmaf(y, m, P8); // ★
  y = f(y * m);
  y = fmaf(y, z, f(e * Q1)); // ★
  y = fmaf(-z, 0.5, y); // ★
  return fmaf(e, Q2, f(m + y)); // ★
}

const FOPI = f(1.27323954473516);
const DP1 = f(-0.78515625);
const DP2 = f(-2.4187564849853515625e-4);
const DP3 = f(-3.77489497744594108e-8);
const C0 = f(2.443315711809948e-5);
const C1 = f(-1.388731625493765e-3);
const C2 = f(4.166664568298827e-2);
const S0 = f(-1.9515295891e-4);
const S1 = f(8.3321608736e-3);
const S2 = f(-1.6666654611e-1);

/** Output of {@link sincos256}: written here to avoid allocating. */
export const sincosOut = { sin: 0, cos: 0 };

/** `sincos256_ps` for one lane, for x >= 0 (theta = 2π·u2 in normal_fill). Writes {@link sincosOut}. */
export function sincos256(xIn: number): void {
  let x = xIn;
  let j = Math.trunc(f(x * FOPI));
  j = (j + 1) & ~1;
  const y = j; // exact in float32 (|j| < 2^24)
  x = fmaf(y, DP1, x); // ★
  x = fmaf(y, DP2, x); // ★
  x = fmaf(y, DP3, x); // ★
  const signSin = (j & 4) !== 0;
  const signCos = (~(j - 2) & 4) !== 0;
  const polyMask = (j & 2) === 0;
  const z = f(x * x);
  let yc = fmaf(fmaf(C0, z, C1), z, C2); // ★ ★
  yc = f(yc * z);
  yc = fmaf(yc, z, -f(z * 0.5)); // ★
  yc = f(yc + 1);
  let ys = fmaf(fmaf(S0, z, S1), z, S2); // ★ ★
  ys = f(ys * z);
  ys = fmaf(ys, x, x); // ★
  // Vector blend: the unselected polynomial contributes +0 (and/andnot with the mask).
  const ysin1 = polyMask ? 0 : yc;
  const ysin2 = polyMask ? ys : 0;
  const s = f(ysin1 + ysin2);
  const c = f(f(yc - ysin1) + f(ys - ysin2));
  sincosOut.sin = signSin ? -s : s;
  sincosOut.cos = signCos ? -c : c;
}

const TWO_PI_F = f(2 * Math.PI);

/**
 * `normal_fill_16_AVX2`: transforms the 16 uniforms at `d[i..i+16)` in place into normals. Lane j uses
 * u1 = 1 - d[i+j] and u2 = d[i+j+8]; the cos half goes to slot j, the sin half to slot j + 8.
 * `mean` and `std` must already be float32 values.
 */
export function normalBlock16Avx2(d: Float32Array, i: number, mean: number, std: number): void {
  for (let j = i; j < i + 8; j++) {
    const u1 = f(1 - d[j]!);
    const u2 = d[j + 8]!;
    const radius = f(Math.sqrt(f(-2 * log256(u1))));
    const theta = f(TWO_PI_F * u2);
    sincos256(theta);
    d[j] = fmaf(f(radius * sincosOut.cos), std, mean);
    d[j + 8] = fmaf(f(radius * sincosOut.sin), std, mean);
  }
}
