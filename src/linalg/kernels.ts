/**
 * Packed float64 matrix-multiply micro-kernels for the blocked Householder QR ({@link ./householder-qr.ts}).
 *
 * Layout (GotoBLAS; Goto & van de Geijn 2008, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3),
 * https://doi.org/10.1145/1356052.1356053): an operand is copied into *strips* of 4 rows or 4 columns, interleaved
 * along the reduction index k, `strip[k*4 + j]`, so that the inner loop reads 4 + 4 consecutive doubles and keeps a
 * 4×4 block of the product in 16 local variables. Strips past the end of a matrix are zero-padded, so the kernels
 * never branch inside the k loop.
 *
 * All matrices are column-major Float64Arrays addressed as `(data, offset, ld)`: element (i, j) at `off + i + j*ld`.
 *
 * Audited numeric kernel: non-null assertions on typed-array reads are safe because every index is bounded by the
 * sizes the callers allocate (documented on each function).
 */

/** Round `n` up to a multiple of 4. */
export function roundUp4(n: number): number {
  return (n + 3) & ~3;
}

/**
 * Pack the unit lower-trapezoidal Householder vectors stored below the diagonal of the panel
 * `a[i0 : i0+L, j0 : j0+ib]` (column-major, leading dimension `lda`; row `p` of column `p` is the implicit 1, rows
 * above it are zero) twice:
 *
 * - `vt`: column strips, `vt[(p>>2)*4L + l*4 + (p&3)] = V[l, p]` for p < roundUp4(ib) (zero columns past ib): the
 *   left operand of `Vᵀ·C` and of the Gram matrix `Vᵀ·V`;
 * - `vr`: row strips, `vr[(l>>2)*4ib + p*4 + (l&3)] = V[l, p]` for l < roundUp4(L) (zero rows past L): the left
 *   operand of `V·W`.
 *
 * Sizes: `vt.length >= roundUp4(ib)*L`, `vr.length >= roundUp4(L)*ib`.
 */
export function packPanel(
  a: Float64Array,
  lda: number,
  i0: number,
  j0: number,
  L: number,
  ib: number,
  vt: Float64Array,
  vr: Float64Array,
): void {
  const ibp = roundUp4(ib);
  const Lp = roundUp4(L);
  for (let p = 0; p < ibp; p++) {
    const strip = (p >> 2) * 4 * L + (p & 3);
    if (p >= ib) {
      for (let l = 0; l < L; l++) vt[strip + l * 4] = 0;
      continue;
    }
    const col = i0 + (j0 + p) * lda;
    const top = p < L ? p : L;
    for (let l = 0; l < top; l++) vt[strip + l * 4] = 0;
    if (p < L) vt[strip + p * 4] = 1;
    for (let l = p + 1; l < L; l++) vt[strip + l * 4] = a[col + l]!;
  }
  // Row strips, from the column strips (both are small: L × ib).
  for (let l = 0; l < Lp; l++) {
    const dst = (l >> 2) * 4 * ib + (l & 3);
    if (l >= L) {
      for (let p = 0; p < ib; p++) vr[dst + p * 4] = 0;
      continue;
    }
    for (let p = 0; p < ib; p++) vr[dst + p * 4] = vt[(p >> 2) * 4 * L + l * 4 + (p & 3)]!;
  }
}

/**
 * Pack columns `[j0, j0 + nc)` (nc <= 4) of the column-major block `c[i0 : i0+L, :]` into one strip,
 * `cs[l*4 + j] = C[l, j]`, zero for j >= nc. `cs.length >= 4L`.
 */
export function packColumnStrip(c: Float64Array, ldc: number, i0: number, j0: number, L: number, nc: number, cs: Float64Array): void {
  for (let j = 0; j < 4; j++) {
    if (j >= nc) {
      for (let l = 0; l < L; l++) cs[l * 4 + j] = 0;
      continue;
    }
    const col = i0 + (j0 + j) * ldc;
    for (let l = 0; l < L; l++) cs[l * 4 + j] = c[col + l]!;
  }
}

/**
 * `W = Vᵀ·Cs`: `vt` holds `ns` column strips of length L (V is L × 4ns), `cs` one column strip (Cs is L × 4).
 * Writes `w[p*4 + j] = Σ_l V[l, p]·Cs[l, j]` for p < 4ns, j < 4. `w.length >= 16ns`.
 */
export function gemmTransStrip(vt: Float64Array, ns: number, L: number, cs: Float64Array, w: Float64Array): void {
  const L4 = 4 * L;
  for (let s = 0; s < ns; s++) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    let pa = s * L4;
    const end = pa + L4;
    for (let pb = 0; pa < end; pa += 4, pb += 4) {
      const a0 = vt[pa]!, a1 = vt[pa + 1]!, a2 = vt[pa + 2]!, a3 = vt[pa + 3]!;
      const b0 = cs[pb]!, b1 = cs[pb + 1]!, b2 = cs[pb + 2]!, b3 = cs[pb + 3]!;
      c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
      c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
      c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
      c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
    }
    const o = s * 16;
    w[o] = c00; w[o + 1] = c01; w[o + 2] = c02; w[o + 3] = c03;
    w[o + 4] = c10; w[o + 5] = c11; w[o + 6] = c12; w[o + 7] = c13;
    w[o + 8] = c20; w[o + 9] = c21; w[o + 10] = c22; w[o + 11] = c23;
    w[o + 12] = c30; w[o + 13] = c31; w[o + 14] = c32; w[o + 15] = c33;
  }
}

/**
 * `W = Vᵀ·C` for 4 full columns read in place: as {@link gemmTransStrip} on the strip that
 * {@link packColumnStrip}`(c, ldc, i0, j0, L, 4, ·)` would pack (same sums in the same order), without the copy.
 */
export function gemmTransCols(vt: Float64Array, ns: number, L: number, c: Float64Array, ldc: number, i0: number, j0: number, w: Float64Array): void {
  const L4 = 4 * L;
  const o0 = i0 + j0 * ldc;
  const o1 = o0 + ldc;
  const o2 = o1 + ldc;
  const o3 = o2 + ldc;
  for (let s = 0; s < ns; s++) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    let pa = s * L4;
    for (let l = 0; l < L; l++, pa += 4) {
      const a0 = vt[pa]!, a1 = vt[pa + 1]!, a2 = vt[pa + 2]!, a3 = vt[pa + 3]!;
      const b0 = c[o0 + l]!, b1 = c[o1 + l]!, b2 = c[o2 + l]!, b3 = c[o3 + l]!;
      c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
      c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
      c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
      c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
    }
    const o = s * 16;
    w[o] = c00; w[o + 1] = c01; w[o + 2] = c02; w[o + 3] = c03;
    w[o + 4] = c10; w[o + 5] = c11; w[o + 6] = c12; w[o + 7] = c13;
    w[o + 8] = c20; w[o + 9] = c21; w[o + 10] = c22; w[o + 11] = c23;
    w[o + 12] = c30; w[o + 13] = c31; w[o + 14] = c32; w[o + 15] = c33;
  }
}

/**
 * Gram matrix of the packed vectors: `g[p + q*ldg] = Σ_l V[l, p]·V[l, q]` for p <= q (upper triangle, 4×4 blocks
 * on and above the diagonal; entries below the diagonal inside a diagonal block are also written).
 * `vt` as in {@link packPanel} with `ns` strips.
 */
export function gramUpper(vt: Float64Array, ns: number, L: number, g: Float64Array, ldg: number): void {
  const L4 = 4 * L;
  for (let t = 0; t < ns; t++) {
    for (let s = 0; s <= t; s++) {
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let pa = s * L4;
      const end = pa + L4;
      for (let pb = t * L4; pa < end; pa += 4, pb += 4) {
        const a0 = vt[pa]!, a1 = vt[pa + 1]!, a2 = vt[pa + 2]!, a3 = vt[pa + 3]!;
        const b0 = vt[pb]!, b1 = vt[pb + 1]!, b2 = vt[pb + 2]!, b3 = vt[pb + 3]!;
        c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
        c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
        c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
        c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
      }
      let o = 4 * s + 4 * t * ldg;
      g[o] = c00; g[o + 1] = c10; g[o + 2] = c20; g[o + 3] = c30; o += ldg;
      g[o] = c01; g[o + 1] = c11; g[o + 2] = c21; g[o + 3] = c31; o += ldg;
      g[o] = c02; g[o + 1] = c12; g[o + 2] = c22; g[o + 3] = c32; o += ldg;
      g[o] = c03; g[o + 1] = c13; g[o + 2] = c23; g[o + 3] = c33;
    }
  }
}

/**
 * `C -= V·W` on a strip of at most 4 columns: `vr` holds V (L × ib) as row strips ({@link packPanel}), `w` the
 * ib × 4 strip `w[p*4 + j]`. Updates `c[i0 + l + (j0 + j)*ldc]` for l < L, j < nc.
 */
export function gemmSubStrip(
  vr: Float64Array,
  L: number,
  ib: number,
  w: Float64Array,
  c: Float64Array,
  ldc: number,
  i0: number,
  j0: number,
  nc: number,
): void {
  const K4 = 4 * ib;
  const full = L & ~3;
  const o0 = i0 + j0 * ldc;
  const o1 = o0 + ldc;
  const o2 = o1 + ldc;
  const o3 = o2 + ldc;
  for (let r = 0; r < L; r += 4) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    let pa = r * ib;
    const end = pa + K4;
    for (let pb = 0; pa < end; pa += 4, pb += 4) {
      const a0 = vr[pa]!, a1 = vr[pa + 1]!, a2 = vr[pa + 2]!, a3 = vr[pa + 3]!;
      const b0 = w[pb]!, b1 = w[pb + 1]!, b2 = w[pb + 2]!, b3 = w[pb + 3]!;
      c00 += a0 * b0; c10 += a1 * b0; c20 += a2 * b0; c30 += a3 * b0;
      c01 += a0 * b1; c11 += a1 * b1; c21 += a2 * b1; c31 += a3 * b1;
      c02 += a0 * b2; c12 += a1 * b2; c22 += a2 * b2; c32 += a3 * b2;
      c03 += a0 * b3; c13 += a1 * b3; c23 += a2 * b3; c33 += a3 * b3;
    }
    if (r < full && nc === 4) {
      c[o0 + r]! -= c00; c[o0 + r + 1]! -= c10; c[o0 + r + 2]! -= c20; c[o0 + r + 3]! -= c30;
      c[o1 + r]! -= c01; c[o1 + r + 1]! -= c11; c[o1 + r + 2]! -= c21; c[o1 + r + 3]! -= c31;
      c[o2 + r]! -= c02; c[o2 + r + 1]! -= c12; c[o2 + r + 2]! -= c22; c[o2 + r + 3]! -= c32;
      c[o3 + r]! -= c03; c[o3 + r + 1]! -= c13; c[o3 + r + 2]! -= c23; c[o3 + r + 3]! -= c33;
    } else {
      const rows = Math.min(4, L - r);
      const acc = [c00, c10, c20, c30, c01, c11, c21, c31, c02, c12, c22, c32, c03, c13, c23, c33];
      for (let j = 0; j < nc; j++) {
        const o = o0 + j * ldc + r;
        for (let i = 0; i < rows; i++) c[o + i]! -= acc[j * 4 + i]!;
      }
    }
  }
}
