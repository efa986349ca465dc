/**
 * Blocked Householder QR in float64: the orthonormal factor Q of a tall or square matrix, as LAPACK's
 * `geqrf` + `orgqr` compute it (same reflector convention, same blocking scheme).
 *
 * Method: Householder (1958), "Unitary triangularization of a nonsymmetric matrix", J. ACM 5(4),
 * https://doi.org/10.1145/320941.320947, with the compact WY representation of Schreiber & Van Loan (1989), "A
 * storage-efficient WY representation for products of Householder transformations", SIAM J. Sci. Stat. Comput.
 * 10(1), https://doi.org/10.1137/0910005: the product of a panel's `ib` reflectors is `H = I − V·T·Vᵀ` with T upper
 * triangular, so applying it to the trailing matrix is two matrix–matrix products (`W = Vᵀ·C`, `C −= V·(T·W)`),
 * done by the packed 4×4 kernels of {@link ./kernels.ts}. T is formed from the Gram matrix `Vᵀ·V` with LAPACK
 * `larft`'s recurrence, `T[0:j, j] = −τ_j · T[0:j, 0:j] · (Vᵀ·V)[0:j, j]` (Joffrain, Low, Quintana-Ortí, van de Geijn
 * & Van Zee 2006, "Accumulating Householder transformations, revisited", ACM TOMS 32(2),
 * https://doi.org/10.1145/1141885.1141886).
 *
 * Reflectors follow LAPACK `larfg`: for a column (α, x), β = −sign(α)·‖(α, x)‖, τ = (β − α)/β, v = (1, x/(α − β));
 * when x = 0, τ = 0 and the diagonal entry keeps α. So diag(R) has LAPACK's signs, and the caller can apply
 * PyTorch's `q *= sign(diag(r))`.
 *
 * Inputs are normal draws (|x| well below 1e150), so the norms are plain sums of squares without LAPACK's
 * overflow rescaling.
 */
import { gemmSubStrip, gemmTransCols, gemmTransStrip, gramUpper, packColumnStrip, packPanel, roundUp4 } from './kernels.js';

/** Panel width (columns per block reflector). */
export const QR_BLOCK = 32;

/** Matrices with fewer columns than this take the unblocked path (`geqr2` + `org2r`), which needs no workspace. */
export const QR_UNBLOCKED_BELOW = 8;

interface Workspace {
  vt: Float64Array;
  vr: Float64Array;
  cs: Float64Array;
  w: Float64Array;
  g: Float64Array;
}

function workspace(m: number, nb: number): Workspace {
  const nbp = roundUp4(nb); // nb = min(QR_BLOCK, n)
  return {
    vt: new Float64Array(nbp * m),
    vr: new Float64Array(roundUp4(m) * nbp),
    cs: new Float64Array(4 * m),
    w: new Float64Array(4 * nbp),
    g: new Float64Array(nbp * nbp),
  };
}

/**
 * Unblocked Householder QR of the panel `a[i0 : m, i0 : i0+ib]` (LAPACK `geqr2`): overwrites the panel with R (on
 * and above the diagonal) and the reflector vectors (below), and writes τ into `tau[i0 : i0+ib]`.
 */
function panelQR(a: Float64Array, m: number, i0: number, ib: number, tau: Float64Array): void {
  for (let j = 0; j < ib; j++) {
    const col = i0 + j;
    const r0 = col; // the diagonal row
    const base = col * m;
    const alpha = a[base + r0]!;
    let xnorm2 = 0;
    for (let r = r0 + 1; r < m; r++) {
      const x = a[base + r]!;
      xnorm2 += x * x;
    }
    if (xnorm2 === 0) {
      tau[col] = 0; // H = I; R keeps alpha
      continue;
    }
    const norm = Math.sqrt(alpha * alpha + xnorm2);
    const beta = alpha >= 0 ? -norm : norm;
    const t = (beta - alpha) / beta;
    tau[col] = t;
    const scale = 1 / (alpha - beta);
    for (let r = r0 + 1; r < m; r++) a[base + r]! *= scale;
    a[base + r0] = beta;
    // Apply H = I − τ·v·vᵀ (v[r0] = 1) to the panel's remaining columns, two at a time.
    let c = col + 1;
    const cEnd = i0 + ib;
    for (; c + 1 < cEnd; c += 2) {
      const cb0 = c * m;
      const cb1 = cb0 + m;
      let s0 = a[cb0 + r0]!;
      let s1 = a[cb1 + r0]!;
      for (let r = r0 + 1; r < m; r++) {
        const v = a[base + r]!;
        s0 += v * a[cb0 + r]!;
        s1 += v * a[cb1 + r]!;
      }
      s0 *= t;
      s1 *= t;
      a[cb0 + r0]! -= s0;
      a[cb1 + r0]! -= s1;
      for (let r = r0 + 1; r < m; r++) {
        const v = a[base + r]!;
        a[cb0 + r]! -= s0 * v;
        a[cb1 + r]! -= s1 * v;
      }
    }
    if (c < cEnd) {
      const cb = c * m;
      let s = a[cb + r0]!;
      for (let r = r0 + 1; r < m; r++) s += a[base + r]! * a[cb + r]!;
      s *= t;
      a[cb + r0]! -= s;
      for (let r = r0 + 1; r < m; r++) a[cb + r]! -= s * a[base + r]!;
    }
  }
}

/**
 * The triangular factor T (ib × ib, column-major, leading dimension `ldt`) of the panel's block reflector
 * `H_0·H_1·…·H_{ib−1} = I − V·T·Vᵀ` (LAPACK `larft`, forward, columnwise), from the Gram matrix `g` of V.
 */
function formT(g: Float64Array, ldg: number, tau: Float64Array, t0: number, ib: number, T: Float64Array, toff: number, ldt: number): void {
  for (let j = 0; j < ib; j++) {
    const tj = tau[t0 + j]!;
    const colT = toff + j * ldt;
    for (let p = 0; p < ib; p++) T[colT + p] = 0;
    if (tj === 0) continue;
    // T[0:j, j] = −τ_j · T[0:j, 0:j] · g[0:j, j]   (T upper triangular: row p sums q = p..j−1)
    for (let p = 0; p < j; p++) {
      let s = 0;
      for (let q = p; q < j; q++) s += T[toff + p + q * ldt]! * g[q + j * ldg]!;
      T[colT + p] = -tj * s;
    }
    T[colT + j] = tj;
  }
}

/**
 * Apply a block reflector to the columns `[c0, c1)` of `a[i0 : m, :]`, 4 at a time:
 * `C −= V·(op(T)·(Vᵀ·C))` with op(T) = Tᵀ (`trans`: applies Hᵀ, as `geqrf` does) or T (applies H, as `orgqr`).
 * The panel must already be packed into `ws.vt`/`ws.vr`.
 */
function applyBlockReflector(
  a: Float64Array,
  m: number,
  i0: number,
  ib: number,
  c0: number,
  c1: number,
  T: Float64Array,
  toff: number,
  ldt: number,
  trans: boolean,
  ws: Workspace,
): void {
  const L = m - i0;
  const ns = roundUp4(ib) >> 2;
  const { vt, vr, cs, w } = ws;
  for (let j = c0; j < c1; j += 4) {
    const nc = Math.min(4, c1 - j);
    // w = Vᵀ·C   (ib × 4, rows past ib are zero); a partial last strip is packed with zero columns.
    if (nc === 4) {
      gemmTransCols(vt, ns, L, a, m, i0, j, w);
    } else {
      packColumnStrip(a, m, i0, j, L, nc, cs);
      gemmTransStrip(vt, ns, L, cs, w);
    }
    if (trans) {
      // w = Tᵀ·w: row p = Σ_{q<=p} T[q, p]·w[q]; bottom-up so rows q < p are still the old ones.
      for (let p = ib - 1; p >= 0; p--) {
        const colT = toff + p * ldt;
        const d = T[colT + p]!;
        let s0 = d * w[p * 4]!, s1 = d * w[p * 4 + 1]!, s2 = d * w[p * 4 + 2]!, s3 = d * w[p * 4 + 3]!;
        for (let q = 0; q < p; q++) {
          const tq = T[colT + q]!;
          s0 += tq * w[q * 4]!;
          s1 += tq * w[q * 4 + 1]!;
          s2 += tq * w[q * 4 + 2]!;
          s3 += tq * w[q * 4 + 3]!;
        }
        w[p * 4] = s0; w[p * 4 + 1] = s1; w[p * 4 + 2] = s2; w[p * 4 + 3] = s3;
      }
    } else {
      // w = T·w: row p = Σ_{q>=p} T[p, q]·w[q]; top-down so rows q > p are still the old ones.
      for (let p = 0; p < ib; p++) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (let q = p; q < ib; q++) {
          const tq = T[toff + p + q * ldt]!;
          s0 += tq * w[q * 4]!;
          s1 += tq * w[q * 4 + 1]!;
          s2 += tq * w[q * 4 + 2]!;
          s3 += tq * w[q * 4 + 3]!;
        }
        w[p * 4] = s0; w[p * 4 + 1] = s1; w[p * 4 + 2] = s2; w[p * 4 + 3] = s3;
      }
    }
    gemmSubStrip(vr, L, ib, w, a, m, i0, j, nc); // C −= V·w
  }
}

/**
 * Overwrite `a` (m × n, column-major, m >= n >= 1) with the orthonormal factor Q of its QR factorization A = Q·R
 * (reduced: m × n), and write diag(R) into `diagR` (length n). Q and R follow LAPACK's sign convention (see the
 * module comment), so `Q·diag(sign(diag R))` is the unique Q whose R has a positive diagonal.
 */
export function householderQ(a: Float64Array, m: number, n: number, diagR: Float64Array): void {
  if (n < QR_UNBLOCKED_BELOW) {
    householderQUnblocked(a, m, n, diagR);
    return;
  }
  const nb = QR_BLOCK;
  const ws = workspace(m, Math.min(nb, n));
  const tau = new Float64Array(n);
  const nblocks = Math.ceil(n / nb);
  const T = new Float64Array(nblocks * nb * nb);

  // geqrf: factor panel by panel, updating the trailing matrix with Hᵀ.
  for (let b = 0; b < nblocks; b++) {
    const i0 = b * nb;
    const ib = Math.min(nb, n - i0);
    const L = m - i0;
    panelQR(a, m, i0, ib, tau);
    packPanel(a, m, i0, i0, L, ib, ws.vt, ws.vr);
    const ns = roundUp4(ib) >> 2;
    gramUpper(ws.vt, ns, L, ws.g, roundUp4(ib));
    formT(ws.g, roundUp4(ib), tau, i0, ib, T, b * nb * nb, nb);
    if (i0 + ib < n) applyBlockReflector(a, m, i0, ib, i0 + ib, n, T, b * nb * nb, nb, true, ws);
  }
  for (let j = 0; j < n; j++) diagR[j] = a[j + j * m]!;

  // orgqr: Q = H_0·H_1·…·[I; 0], accumulated block by block from the last one.
  for (let b = nblocks - 1; b >= 0; b--) {
    const i0 = b * nb;
    const ib = Math.min(nb, n - i0);
    const L = m - i0;
    packPanel(a, m, i0, i0, L, ib, ws.vt, ws.vr);
    // The panel's columns become identity columns; earlier blocks' rows above i0 stay zero for j >= i0.
    for (let j = i0; j < i0 + ib; j++) {
      const cb = j * m;
      a.fill(0, cb, cb + m);
      a[cb + j] = 1;
    }
    applyBlockReflector(a, m, i0, ib, i0, n, T, b * nb * nb, nb, false, ws);
  }
}

/**
 * {@link householderQ} for narrow matrices: `geqr2` on all columns, then LAPACK `org2r` (the reflectors applied
 * backwards to the identity, column by column).
 */
function householderQUnblocked(a: Float64Array, m: number, n: number, diagR: Float64Array): void {
  const tau = new Float64Array(n);
  panelQR(a, m, 0, n, tau);
  for (let j = 0; j < n; j++) diagR[j] = a[j + j * m]!;
  for (let j = n - 1; j >= 0; j--) {
    const base = j * m;
    const t = tau[j]!;
    // H_j = I − τ·v·vᵀ (v = (1, a[j+1:m, j])) applied to the columns already formed, rows j..m−1.
    for (let c = j + 1; c < n; c++) {
      const cb = c * m;
      let s = a[cb + j]!;
      for (let r = j + 1; r < m; r++) s += a[base + r]! * a[cb + r]!;
      s *= t;
      a[cb + j]! -= s;
      for (let r = j + 1; r < m; r++) a[cb + r]! -= s * a[base + r]!;
    }
    // Column j of Q: H_j·e_j.
    for (let r = j + 1; r < m; r++) a[base + r]! *= -t;
    a[base + j] = 1 - t;
    for (let r = 0; r < j; r++) a[base + r] = 0;
  }
}
