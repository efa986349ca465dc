/**
 * Single-precision matrix products for the probe: the {@link GemmBackend} interface, the pure-TypeScript
 * cache-blocked `sgemm` that is the core's default (zero dependencies, runs anywhere), and the process-wide
 * backend selection ({@link setGemmBackend}).
 *
 * Layout: row-major with contiguous rows, as PyTorch's contiguous tensors. `op(A)` is `[m, k]`, `op(B)` is `[k, n]`,
 * `C` is `[m, n]`: A is stored `[m, k]` (transA false) or `[k, m]` (transA true), B `[k, n]` or `[n, k]`. Offsets are
 * given by passing `subarray`s.
 *
 * Algorithm: the GotoBLAS/BLIS loop nest (Goto & van de Geijn 2008, "Anatomy of High-Performance Matrix
 * Multiplication", ACM TOMS 34(3), https://doi.org/10.1145/1356052.1356053): B is packed in KC×NC blocks into
 * NR-wide column panels, A in MC×KC blocks into MR-tall row panels, both as float64 so the inner loop loads without
 * float32→float64 conversion and transposes cost nothing (they only change the packing's read order); a 4×4
 * register-blocked micro-kernel accumulates each C tile in 16 float64 locals over KC steps.
 *
 * Accuracy: products and sums in float64 within each KC block (KC = 256), rounded to float32 when the tile is added
 * into C. That is more accurate than PyTorch's float32 FMA accumulation; the two differ by about 1e-7 of the
 * output's scale.
 */
import { fail, formatValue } from '../../errors.js';

/**
 * A provider of float32 matrix products: `C = op(A)·op(B)`, or `C += op(A)·op(B)` when `accumulate` is true.
 * The core's default is {@link tsGemm}; `initkit/accel` provides a WebAssembly SIMD one.
 */
export interface GemmBackend {
  /** A short name for reports (`'ts'`, `'tfjs-wasm'`). */
  readonly name: string;
  /**
   * `C[m, n] (+)= op(A)[m, k] · op(B)[k, n]`, row-major, contiguous.
   *
   * @param transA A is stored `[k, m]` (use its transpose).
   * @param transB B is stored `[n, k]` (use its transpose).
   * @param accumulate add into C instead of overwriting it.
   */
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void;
}

// Blocking for a 32 KiB L1d / 1 MiB L2 (measured on AMD EPYC Zen 4 in Node 20, 256×1024·1024×1024: the choices
// from MR,NR ∈ {2..8}, KC ∈ {128, 256, 512}, NC ∈ {64..1024} all land within 10% of each other; this is the best).
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 64;
const NC = 256;
/** Below this many multiply-adds, packing costs more than it saves: use the plain triple loop. */
const SMALL = 4096;

// Packed panels, reused across calls (JavaScript runs one call at a time).
const packedA = new Float64Array(MC * KC);
const packedB = new Float64Array(KC * NC);
const tile = new Float64Array(MR * NR);

/** Pack op(A)[ic : ic+mc, pc : pc+kc] into MR-tall row panels: panel r, step p holds rows r·MR..r·MR+MR-1. */
function packA(
  a: Float32Array,
  transA: boolean,
  m: number,
  k: number,
  ic: number,
  pc: number,
  mc: number,
  kc: number,
): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const base = ir * kc;
    const mr = Math.min(MR, mc - ir);
    if (!transA) {
      // A(i, p) = a[i·k + p]: read each row contiguously.
      for (let i = 0; i < MR; i++) {
        if (i < mr) {
          const src = (ic + ir + i) * k + pc;
          for (let p = 0; p < kc; p++) packedA[base + p * MR + i] = a[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) packedA[base + p * MR + i] = 0;
        }
      }
    } else {
      // A(i, p) = a[p·m + i]: each step's MR values are contiguous.
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * m + ic + ir;
        const dst = base + p * MR;
        let i = 0;
        for (; i < mr; i++) packedA[dst + i] = a[src + i]!;
        for (; i < MR; i++) packedA[dst + i] = 0;
      }
    }
  }
}

/** Pack op(B)[pc : pc+kc, jc : jc+nc] into NR-wide column panels. */
function packB(
  b: Float32Array,
  transB: boolean,
  n: number,
  k: number,
  pc: number,
  jc: number,
  kc: number,
  nc: number,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const base = jr * kc;
    const nr = Math.min(NR, nc - jr);
    if (!transB) {
      // B(p, j) = b[p·n + j]
      for (let p = 0; p < kc; p++) {
        const src = (pc + p) * n + jc + jr;
        const dst = base + p * NR;
        let j = 0;
        for (; j < nr; j++) packedB[dst + j] = b[src + j]!;
        for (; j < NR; j++) packedB[dst + j] = 0;
      }
    } else {
      // B(p, j) = b[j·k + p]
      for (let j = 0; j < NR; j++) {
        if (j < nr) {
          const src = (jc + jr + j) * k + pc;
          for (let p = 0; p < kc; p++) packedB[base + p * NR + j] = b[src + p]!;
        } else {
          for (let p = 0; p < kc; p++) packedB[base + p * NR + j] = 0;
        }
      }
    }
  }
}

/**
 * The 4×4 micro-kernel: C[coff.., ldc] (+)= Apanel(aoff)·Bpanel(boff) over kc steps. Full tiles are stored
 * directly; edge tiles (mr < 4 or nr < 4) go through `tile`.
 */
function kernel4x4(
  aoff: number,
  boff: number,
  kc: number,
  c: Float32Array,
  coff: number,
  ldc: number,
  add: boolean,
  mr: number,
  nr: number,
): void {
  const ap = packedA;
  const bp = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ao = aoff;
  let bo = boff;
  for (let p = 0; p < kc; p++) {
    const a0 = ap[ao]!, a1 = ap[ao + 1]!, a2 = ap[ao + 2]!, a3 = ap[ao + 3]!;
    const b0 = bp[bo]!, b1 = bp[bo + 1]!, b2 = bp[bo + 2]!, b3 = bp[bo + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ao += 4;
    bo += 4;
  }
  if (mr === 4 && nr === 4) {
    const r0 = coff, r1 = coff + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    if (add) {
      c[r0] = c[r0]! + c00; c[r0 + 1] = c[r0 + 1]! + c01; c[r0 + 2] = c[r0 + 2]! + c02; c[r0 + 3] = c[r0 + 3]! + c03;
      c[r1] = c[r1]! + c10; c[r1 + 1] = c[r1 + 1]! + c11; c[r1 + 2] = c[r1 + 2]! + c12; c[r1 + 3] = c[r1 + 3]! + c13;
      c[r2] = c[r2]! + c20; c[r2 + 1] = c[r2 + 1]! + c21; c[r2 + 2] = c[r2 + 2]! + c22; c[r2 + 3] = c[r2 + 3]! + c23;
      c[r3] = c[r3]! + c30; c[r3 + 1] = c[r3 + 1]! + c31; c[r3 + 2] = c[r3 + 2]! + c32; c[r3 + 3] = c[r3 + 3]! + c33;
    } else {
      c[r0] = c00; c[r0 + 1] = c01; c[r0 + 2] = c02; c[r0 + 3] = c03;
      c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
      c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
      c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
    }
    return;
  }
  const t = tile;
  t[0] = c00; t[1] = c01; t[2] = c02; t[3] = c03;
  t[4] = c10; t[5] = c11; t[6] = c12; t[7] = c13;
  t[8] = c20; t[9] = c21; t[10] = c22; t[11] = c23;
  t[12] = c30; t[13] = c31; t[14] = c32; t[15] = c33;
  for (let i = 0; i < mr; i++) {
    for (let j = 0; j < nr; j++) {
      const o = coff + i * ldc + j;
      c[o] = add ? c[o]! + t[i * 4 + j]! : t[i * 4 + j]!;
    }
  }
}

/** Small products: a direct loop with float64 accumulation (no packing). */
function sgemmSmall(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i]! : a[i * k + p]!;
        const bv = transB ? b[j * k + p]! : b[p * n + j]!;
        s += av * bv;
      }
      const o = i * n + j;
      c[o] = accumulate ? c[o]! + s : s;
    }
  }
}

function checkGemmArgs(
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
): void {
  const where = 'sgemm';
  for (const [param, v] of [['m', m], ['n', n], ['k', k]] as const) {
    if (!Number.isInteger(v) || v < 0) {
      fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be a non-negative integer`, received: v });
    }
  }
  const need = [
    ['a', a, m * k],
    ['b', b, k * n],
    ['c', c, m * n],
  ] as const;
  for (const [param, arr, len] of need) {
    if (!(arr instanceof Float32Array) || arr.length < len) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param,
        expected: `a Float32Array of at least ${len} elements for m=${m}, n=${n}, k=${k}`,
        receivedText: arr instanceof Float32Array ? `length ${arr.length}` : formatValue(arr),
      });
    }
  }
}

/**
 * Pure-TypeScript single-precision GEMM: `C = op(A)·op(B)` (or `C += …` with `accumulate`), row-major.
 *
 * Formula: C[i, j] = Σ_p op(A)[i, p]·op(B)[p, j] (+ C[i, j]); op(X) is X or Xᵀ.
 * Layout: A is `[m, k]` or, with `transA`, `[k, m]`; B is `[k, n]` or, with `transB`, `[n, k]`; C is `[m, n]`.
 * Performance: about 4 GFLOP/s on one core of a 2.6 GHz Zen 4 in Node 20 (V8 has no SIMD for JS; see
 * `initkit/accel` for a WebAssembly SIMD backend).
 *
 * @throws InitError when a size is not a non-negative integer or an array is shorter than its shape.
 *
 * @example
 * ```ts
 * const y = new Float32Array(2 * 3);
 * sgemm(false, true, 2, 3, 4, x, w, y, false); // y = x · wᵀ, x [2, 4], w [3, 4]: nn.Linear without bias
 * ```
 */
export function sgemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate = false,
): void {
  checkGemmArgs(m, n, k, a, b, c);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  if (m * n * k <= SMALL) {
    sgemmSmall(transA, transB, m, n, k, a, b, c, accumulate);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const add = accumulate || pc > 0;
      packB(b, transB, n, k, pc, jc, kc, nc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packA(a, transA, m, k, ic, pc, mc, kc);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = Math.min(NR, nc - jr);
          for (let ir = 0; ir < mc; ir += MR) {
            kernel4x4(ir * kc, jr * kc, kc, c, (ic + ir) * n + jc + jr, n, add, Math.min(MR, mc - ir), nr);
          }
        }
      }
    }
  }
}

/** The pure-TypeScript backend ({@link sgemm}): the core's default. */
export const tsGemm: GemmBackend = Object.freeze({
  name: 'ts',
  sgemm(
    transA: boolean,
    transB: boolean,
    m: number,
    n: number,
    k: number,
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    accumulate: boolean,
  ): void {
    sgemm(transA, transB, m, n, k, a, b, c, accumulate);
  },
});

let current: GemmBackend = tsGemm;

function checkBackend(where: string, backend: unknown): GemmBackend {
  if (
    typeof backend !== 'object' ||
    backend === null ||
    typeof (backend as GemmBackend).sgemm !== 'function' ||
    typeof (backend as GemmBackend).name !== 'string'
  ) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'backend',
      expected: 'a GemmBackend ({ name: string, sgemm(transA, transB, m, n, k, a, b, c, accumulate) })',
      received: backend,
      fix: "Pass tsGemm, or a backend from initkit/accel (`await createTfjsWasmGemm()`); pass null to reset.",
    });
  }
  return backend as GemmBackend;
}

/**
 * Select the process-wide GEMM backend used by the ops (linear, conv) when a call does not pass its own `gemm`.
 * `null` restores the pure-TypeScript default. Returns the previous backend.
 *
 * @throws InitError when `backend` is not a GemmBackend or null.
 * @example
 * ```ts
 * import { createTfjsWasmGemm } from 'initkit/accel';
 * const prev = setGemmBackend(await createTfjsWasmGemm());
 * ```
 */
export function setGemmBackend(backend: GemmBackend | null): GemmBackend {
  const prev = current;
  current = backend === null ? tsGemm : checkBackend('setGemmBackend', backend);
  return prev;
}

/** The process-wide GEMM backend (the pure-TypeScript {@link tsGemm} unless {@link setGemmBackend} changed it). */
export function getGemmBackend(): GemmBackend {
  return current;
}

/** The backend for one call: the explicit one (validated) or the process-wide one. @internal */
export function resolveGemm(where: string, gemm: GemmBackend | undefined): GemmBackend {
  return gemm === undefined ? current : checkBackend(where, gemm);
}

/**
 * Transpose a row-major `[rows, cols]` matrix into `out` (`[cols, rows]`). Eight source rows at a time: each
 * step writes eight consecutive outputs and reads eight streams (measured ~6x faster than 32×32 tiles in V8).
 * Used by accelerated backends whose kernels take only one orientation.
 */
export function transposeInto(src: Float32Array, rows: number, cols: number, out: Float32Array): Float32Array {
  let i = 0;
  for (; i + 8 <= rows; i += 8) {
    const s0 = i * cols;
    for (let j = 0; j < cols; j++) {
      const d = j * rows + i;
      const s = s0 + j;
      out[d] = src[s]!;
      out[d + 1] = src[s + cols]!;
      out[d + 2] = src[s + 2 * cols]!;
      out[d + 3] = src[s + 3 * cols]!;
      out[d + 4] = src[s + 4 * cols]!;
      out[d + 5] = src[s + 5 * cols]!;
      out[d + 6] = src[s + 6 * cols]!;
      out[d + 7] = src[s + 7 * cols]!;
    }
  }
  for (; i < rows; i++) {
    const s = i * cols;
    for (let j = 0; j < cols; j++) out[j * rows + i] = src[s + j]!;
  }
  return out;
}
