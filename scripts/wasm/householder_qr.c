/*
 * WebAssembly SIMD build of initkit's blocked Householder QR (src/linalg/householder-qr.ts + kernels.ts).
 *
 * This file is a line-for-line port of the TypeScript: every floating-point result is computed with the same
 * operations in the same order (sums run sequentially over the reduction index, products are not fused — wasm has
 * no FMA — and SIMD lanes only ever hold *independent* output elements), so the two builds give bit-identical Q.
 * tests/init/orthogonal-wasm.test.ts checks that.
 *
 * Build: node scripts/build-qr-wasm.mjs   (clang 14: --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib)
 * which writes src/linalg/qr-wasm.generated.ts (the module, base64).
 *
 * Memory: the caller (src/linalg/qr-wasm.ts) grows the memory and passes pointers; see householder_q().
 */
#include <wasm_simd128.h>

#define NB 32
#define UNBLOCKED_BELOW 8

static inline int round_up4(int n) { return (n + 3) & ~3; }

/* See packPanel in kernels.ts. */
static void pack_panel(const double *a, int lda, int i0, int j0, int L, int ib, double *vt, double *vr) {
  const int ibp = round_up4(ib);
  const int Lp = round_up4(L);
  for (int p = 0; p < ibp; p++) {
    double *strip = vt + (p >> 2) * 4 * L + (p & 3);
    if (p >= ib) {
      for (int l = 0; l < L; l++) strip[l * 4] = 0;
      continue;
    }
    const double *col = a + i0 + (j0 + p) * lda;
    const int top = p < L ? p : L;
    for (int l = 0; l < top; l++) strip[l * 4] = 0;
    if (p < L) strip[p * 4] = 1;
    for (int l = p + 1; l < L; l++) strip[l * 4] = col[l];
  }
  for (int l = 0; l < Lp; l++) {
    double *dst = vr + (l >> 2) * 4 * ib + (l & 3);
    if (l >= L) {
      for (int p = 0; p < ib; p++) dst[p * 4] = 0;
      continue;
    }
    for (int p = 0; p < ib; p++) dst[p * 4] = vt[(p >> 2) * 4 * L + l * 4 + (p & 3)];
  }
}

/* See packColumnStrip. */
static void pack_column_strip(const double *c, int ldc, int i0, int j0, int L, int nc, double *cs) {
  for (int j = 0; j < 4; j++) {
    if (j >= nc) {
      for (int l = 0; l < L; l++) cs[l * 4 + j] = 0;
      continue;
    }
    const double *col = c + i0 + (j0 + j) * ldc;
    for (int l = 0; l < L; l++) cs[l * 4 + j] = col[l];
  }
}

#define MADD(acc, x, y) acc = wasm_f64x2_add(acc, wasm_f64x2_mul(x, y))

/* W = Vᵀ·Cs (see gemmTransStrip): lanes hold columns (j, j+1) of one row p. */
static void gemm_trans_strip(const double *vt, int ns, int L, const double *cs, double *w) {
  for (int s = 0; s < ns; s++) {
    v128_t r0a = wasm_f64x2_splat(0), r0b = r0a, r1a = r0a, r1b = r0a, r2a = r0a, r2b = r0a, r3a = r0a, r3b = r0a;
    const double *pa = vt + s * 4 * L;
    const double *pb = cs;
    for (int l = 0; l < L; l++, pa += 4, pb += 4) {
      const v128_t b01 = wasm_v128_load(pb), b23 = wasm_v128_load(pb + 2);
      const v128_t a0 = wasm_v128_load64_splat(pa), a1 = wasm_v128_load64_splat(pa + 1);
      const v128_t a2 = wasm_v128_load64_splat(pa + 2), a3 = wasm_v128_load64_splat(pa + 3);
      MADD(r0a, a0, b01); MADD(r0b, a0, b23);
      MADD(r1a, a1, b01); MADD(r1b, a1, b23);
      MADD(r2a, a2, b01); MADD(r2b, a2, b23);
      MADD(r3a, a3, b01); MADD(r3b, a3, b23);
    }
    double *o = w + s * 16;
    wasm_v128_store(o, r0a); wasm_v128_store(o + 2, r0b);
    wasm_v128_store(o + 4, r1a); wasm_v128_store(o + 6, r1b);
    wasm_v128_store(o + 8, r2a); wasm_v128_store(o + 10, r2b);
    wasm_v128_store(o + 12, r3a); wasm_v128_store(o + 14, r3b);
  }
}

/* W = Vᵀ·C on 4 full columns read in place (see gemmTransCols): lanes hold rows (p, p+1) of one column j. */
static void gemm_trans_cols(const double *vt, int ns, int L, const double *c, int ldc, int i0, int j0, double *w) {
  const double *c0 = c + i0 + j0 * ldc;
  const double *c1 = c0 + ldc;
  const double *c2 = c1 + ldc;
  const double *c3 = c2 + ldc;
  for (int s = 0; s < ns; s++) {
    v128_t j0a = wasm_f64x2_splat(0), j0b = j0a, j1a = j0a, j1b = j0a, j2a = j0a, j2b = j0a, j3a = j0a, j3b = j0a;
    const double *pa = vt + s * 4 * L;
    for (int l = 0; l < L; l++, pa += 4) {
      const v128_t a01 = wasm_v128_load(pa), a23 = wasm_v128_load(pa + 2);
      const v128_t b0 = wasm_v128_load64_splat(c0 + l), b1 = wasm_v128_load64_splat(c1 + l);
      const v128_t b2 = wasm_v128_load64_splat(c2 + l), b3 = wasm_v128_load64_splat(c3 + l);
      MADD(j0a, a01, b0); MADD(j0b, a23, b0);
      MADD(j1a, a01, b1); MADD(j1b, a23, b1);
      MADD(j2a, a01, b2); MADD(j2b, a23, b2);
      MADD(j3a, a01, b3); MADD(j3b, a23, b3);
    }
    double *o = w + s * 16; /* w[(4s + r)*4 + j] */
    o[0] = wasm_f64x2_extract_lane(j0a, 0); o[4] = wasm_f64x2_extract_lane(j0a, 1);
    o[8] = wasm_f64x2_extract_lane(j0b, 0); o[12] = wasm_f64x2_extract_lane(j0b, 1);
    o[1] = wasm_f64x2_extract_lane(j1a, 0); o[5] = wasm_f64x2_extract_lane(j1a, 1);
    o[9] = wasm_f64x2_extract_lane(j1b, 0); o[13] = wasm_f64x2_extract_lane(j1b, 1);
    o[2] = wasm_f64x2_extract_lane(j2a, 0); o[6] = wasm_f64x2_extract_lane(j2a, 1);
    o[10] = wasm_f64x2_extract_lane(j2b, 0); o[14] = wasm_f64x2_extract_lane(j2b, 1);
    o[3] = wasm_f64x2_extract_lane(j3a, 0); o[7] = wasm_f64x2_extract_lane(j3a, 1);
    o[11] = wasm_f64x2_extract_lane(j3b, 0); o[15] = wasm_f64x2_extract_lane(j3b, 1);
  }
}

/* Upper Gram blocks (see gramUpper): lanes hold rows (i, i+1) of one column of g. */
static void gram_upper(const double *vt, int ns, int L, double *g, int ldg) {
  for (int t = 0; t < ns; t++) {
    for (int s = 0; s <= t; s++) {
      v128_t c0a = wasm_f64x2_splat(0), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
      const double *pa = vt + s * 4 * L;
      const double *pb = vt + t * 4 * L;
      for (int l = 0; l < L; l++, pa += 4, pb += 4) {
        const v128_t a01 = wasm_v128_load(pa), a23 = wasm_v128_load(pa + 2);
        const v128_t b0 = wasm_v128_load64_splat(pb), b1 = wasm_v128_load64_splat(pb + 1);
        const v128_t b2 = wasm_v128_load64_splat(pb + 2), b3 = wasm_v128_load64_splat(pb + 3);
        MADD(c0a, a01, b0); MADD(c0b, a23, b0);
        MADD(c1a, a01, b1); MADD(c1b, a23, b1);
        MADD(c2a, a01, b2); MADD(c2b, a23, b2);
        MADD(c3a, a01, b3); MADD(c3b, a23, b3);
      }
      double *o = g + 4 * s + 4 * t * ldg;
      wasm_v128_store(o, c0a); wasm_v128_store(o + 2, c0b); o += ldg;
      wasm_v128_store(o, c1a); wasm_v128_store(o + 2, c1b); o += ldg;
      wasm_v128_store(o, c2a); wasm_v128_store(o + 2, c2b); o += ldg;
      wasm_v128_store(o, c3a); wasm_v128_store(o + 2, c3b);
    }
  }
}

/* C −= V·W on a strip (see gemmSubStrip): lanes hold rows (r+i, r+i+1) of one column. */
static void gemm_sub_strip(const double *vr, int L, int ib, const double *w, double *c, int ldc, int i0, int j0, int nc) {
  const int full = L & ~3;
  double *o0 = c + i0 + j0 * ldc;
  double *o1 = o0 + ldc;
  double *o2 = o1 + ldc;
  double *o3 = o2 + ldc;
  for (int r = 0; r < L; r += 4) {
    v128_t c0a = wasm_f64x2_splat(0), c0b = c0a, c1a = c0a, c1b = c0a, c2a = c0a, c2b = c0a, c3a = c0a, c3b = c0a;
    const double *pa = vr + r * ib;
    const double *pb = w;
    for (int p = 0; p < ib; p++, pa += 4, pb += 4) {
      const v128_t a01 = wasm_v128_load(pa), a23 = wasm_v128_load(pa + 2);
      const v128_t b0 = wasm_v128_load64_splat(pb), b1 = wasm_v128_load64_splat(pb + 1);
      const v128_t b2 = wasm_v128_load64_splat(pb + 2), b3 = wasm_v128_load64_splat(pb + 3);
      MADD(c0a, a01, b0); MADD(c0b, a23, b0);
      MADD(c1a, a01, b1); MADD(c1b, a23, b1);
      MADD(c2a, a01, b2); MADD(c2b, a23, b2);
      MADD(c3a, a01, b3); MADD(c3b, a23, b3);
    }
    if (r < full && nc == 4) {
      wasm_v128_store(o0 + r, wasm_f64x2_sub(wasm_v128_load(o0 + r), c0a));
      wasm_v128_store(o0 + r + 2, wasm_f64x2_sub(wasm_v128_load(o0 + r + 2), c0b));
      wasm_v128_store(o1 + r, wasm_f64x2_sub(wasm_v128_load(o1 + r), c1a));
      wasm_v128_store(o1 + r + 2, wasm_f64x2_sub(wasm_v128_load(o1 + r + 2), c1b));
      wasm_v128_store(o2 + r, wasm_f64x2_sub(wasm_v128_load(o2 + r), c2a));
      wasm_v128_store(o2 + r + 2, wasm_f64x2_sub(wasm_v128_load(o2 + r + 2), c2b));
      wasm_v128_store(o3 + r, wasm_f64x2_sub(wasm_v128_load(o3 + r), c3a));
      wasm_v128_store(o3 + r + 2, wasm_f64x2_sub(wasm_v128_load(o3 + r + 2), c3b));
    } else {
      double acc[16];
      wasm_v128_store(acc, c0a); wasm_v128_store(acc + 2, c0b);
      wasm_v128_store(acc + 4, c1a); wasm_v128_store(acc + 6, c1b);
      wasm_v128_store(acc + 8, c2a); wasm_v128_store(acc + 10, c2b);
      wasm_v128_store(acc + 12, c3a); wasm_v128_store(acc + 14, c3b);
      const int rows = L - r < 4 ? L - r : 4;
      for (int j = 0; j < nc; j++) {
        double *o = o0 + j * ldc + r;
        for (int i = 0; i < rows; i++) o[i] -= acc[j * 4 + i];
      }
    }
  }
}

/* See panelQR in householder-qr.ts. */
static void panel_qr(double *a, int m, int i0, int ib, double *tau) {
  for (int j = 0; j < ib; j++) {
    const int col = i0 + j;
    const int r0 = col;
    double *base = a + col * m;
    const double alpha = base[r0];
    double xnorm2 = 0;
    for (int r = r0 + 1; r < m; r++) {
      const double x = base[r];
      xnorm2 += x * x;
    }
    if (xnorm2 == 0) {
      tau[col] = 0;
      continue;
    }
    const double norm = __builtin_sqrt(alpha * alpha + xnorm2);
    const double beta = alpha >= 0 ? -norm : norm;
    const double t = (beta - alpha) / beta;
    tau[col] = t;
    const double scale = 1 / (alpha - beta);
    for (int r = r0 + 1; r < m; r++) base[r] *= scale;
    base[r0] = beta;
    int c = col + 1;
    const int c_end = i0 + ib;
    for (; c + 1 < c_end; c += 2) {
      double *cb0 = a + c * m;
      double *cb1 = cb0 + m;
      double s0 = cb0[r0];
      double s1 = cb1[r0];
      for (int r = r0 + 1; r < m; r++) {
        const double v = base[r];
        s0 += v * cb0[r];
        s1 += v * cb1[r];
      }
      s0 *= t;
      s1 *= t;
      cb0[r0] -= s0;
      cb1[r0] -= s1;
      for (int r = r0 + 1; r < m; r++) {
        const double v = base[r];
        cb0[r] -= s0 * v;
        cb1[r] -= s1 * v;
      }
    }
    if (c < c_end) {
      double *cb = a + c * m;
      double s = cb[r0];
      for (int r = r0 + 1; r < m; r++) s += base[r] * cb[r];
      s *= t;
      cb[r0] -= s;
      for (int r = r0 + 1; r < m; r++) cb[r] -= s * base[r];
    }
  }
}

/* See formT. */
static void form_t(const double *g, int ldg, const double *tau, int t0, int ib, double *T, int ldt) {
  for (int j = 0; j < ib; j++) {
    const double tj = tau[t0 + j];
    double *colT = T + j * ldt;
    for (int p = 0; p < ib; p++) colT[p] = 0;
    if (tj == 0) continue;
    for (int p = 0; p < j; p++) {
      double s = 0;
      for (int q = p; q < j; q++) s += T[p + q * ldt] * g[q + j * ldg];
      colT[p] = -tj * s;
    }
    colT[j] = tj;
  }
}

typedef struct {
  double *vt, *vr, *cs, *w, *g;
} workspace;

/* See applyBlockReflector. */
static void apply_block_reflector(double *a, int m, int i0, int ib, int c0, int c1, const double *T, int ldt, int trans,
                                  const workspace *ws) {
  const int L = m - i0;
  const int ns = round_up4(ib) >> 2;
  double *w = ws->w;
  for (int j = c0; j < c1; j += 4) {
    const int nc = c1 - j < 4 ? c1 - j : 4;
    if (nc == 4) {
      gemm_trans_cols(ws->vt, ns, L, a, m, i0, j, w);
    } else {
      pack_column_strip(a, m, i0, j, L, nc, ws->cs);
      gemm_trans_strip(ws->vt, ns, L, ws->cs, w);
    }
    if (trans) {
      for (int p = ib - 1; p >= 0; p--) {
        const double *colT = T + p * ldt;
        const v128_t d = wasm_f64x2_splat(colT[p]);
        v128_t s01 = wasm_f64x2_mul(d, wasm_v128_load(w + p * 4));
        v128_t s23 = wasm_f64x2_mul(d, wasm_v128_load(w + p * 4 + 2));
        for (int q = 0; q < p; q++) {
          const v128_t tq = wasm_f64x2_splat(colT[q]);
          MADD(s01, tq, wasm_v128_load(w + q * 4));
          MADD(s23, tq, wasm_v128_load(w + q * 4 + 2));
        }
        wasm_v128_store(w + p * 4, s01);
        wasm_v128_store(w + p * 4 + 2, s23);
      }
    } else {
      for (int p = 0; p < ib; p++) {
        v128_t s01 = wasm_f64x2_splat(0), s23 = s01;
        for (int q = p; q < ib; q++) {
          const v128_t tq = wasm_f64x2_splat(T[p + q * ldt]);
          MADD(s01, tq, wasm_v128_load(w + q * 4));
          MADD(s23, tq, wasm_v128_load(w + q * 4 + 2));
        }
        wasm_v128_store(w + p * 4, s01);
        wasm_v128_store(w + p * 4 + 2, s23);
      }
    }
    gemm_sub_strip(ws->vr, L, ib, w, a, m, i0, j, nc);
  }
}

/* See householderQUnblocked. */
static void householder_q_unblocked(double *a, int m, int n, double *diag, double *tau) {
  panel_qr(a, m, 0, n, tau);
  for (int j = 0; j < n; j++) diag[j] = a[j + j * m];
  for (int j = n - 1; j >= 0; j--) {
    double *base = a + j * m;
    const double t = tau[j];
    for (int c = j + 1; c < n; c++) {
      double *cb = a + c * m;
      double s = cb[j];
      for (int r = j + 1; r < m; r++) s += base[r] * cb[r];
      s *= t;
      cb[j] -= s;
      for (int r = j + 1; r < m; r++) cb[r] -= s * base[r];
    }
    for (int r = j + 1; r < m; r++) base[r] *= -t;
    base[j] = 1 - t;
    for (int r = 0; r < j; r++) base[r] = 0;
  }
}

/* Doubles of scratch householder_q needs after `a` and `diag` (the caller, src/linalg/qr.ts, asks for it). */
int householder_q_scratch(int m, int n) {
  if (n < UNBLOCKED_BELOW) return n;
  const int nbp = round_up4(n < NB ? n : NB);
  const int nblocks = (n + NB - 1) / NB;
  return n + nblocks * NB * NB + nbp * m + round_up4(m) * nbp + 4 * m + 4 * nbp + nbp * nbp;
}

/*
 * Overwrite a (m × n column-major, m >= n >= 1) with Q and write diag(R) to diag. `work` must hold
 * householder_q_scratch(m, n) doubles. See householderQ in householder-qr.ts.
 */
void householder_q(double *a, int m, int n, double *diag, double *work) {
  if (n < UNBLOCKED_BELOW) {
    householder_q_unblocked(a, m, n, diag, work);
    return;
  }
  const int nb = NB;
  const int nbp = round_up4(n < nb ? n : nb);
  const int nblocks = (n + nb - 1) / nb;
  double *tau = work;
  double *T = tau + n;
  workspace ws;
  ws.vt = T + nblocks * nb * nb;
  ws.vr = ws.vt + nbp * m;
  ws.cs = ws.vr + round_up4(m) * nbp;
  ws.w = ws.cs + 4 * m;
  ws.g = ws.w + 4 * nbp;

  for (int b = 0; b < nblocks; b++) {
    const int i0 = b * nb;
    const int ib = n - i0 < nb ? n - i0 : nb;
    const int L = m - i0;
    panel_qr(a, m, i0, ib, tau);
    pack_panel(a, m, i0, i0, L, ib, ws.vt, ws.vr);
    const int ns = round_up4(ib) >> 2;
    gram_upper(ws.vt, ns, L, ws.g, round_up4(ib));
    form_t(ws.g, round_up4(ib), tau, i0, ib, T + b * nb * nb, nb);
    if (i0 + ib < n) apply_block_reflector(a, m, i0, ib, i0 + ib, n, T + b * nb * nb, nb, 1, &ws);
  }
  for (int j = 0; j < n; j++) diag[j] = a[j + j * m];

  for (int b = nblocks - 1; b >= 0; b--) {
    const int i0 = b * nb;
    const int ib = n - i0 < nb ? n - i0 : nb;
    const int L = m - i0;
    pack_panel(a, m, i0, i0, L, ib, ws.vt, ws.vr);
    for (int j = i0; j < i0 + ib; j++) {
      double *cb = a + j * m;
      for (int r = 0; r < m; r++) cb[r] = 0;
      cb[j] = 1;
    }
    apply_block_reflector(a, m, i0, ib, i0, n, T + b * nb * nb, nb, 0, &ws);
  }
}
