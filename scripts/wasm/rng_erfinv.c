/*
 * float32 `trunc_normal_` (torch/nn/init.py `_no_grad_trunc_normal_`, torch-cpu-rng.md §4): uniform_(2l-1, 2u-1),
 * erfinv_, mul_(std*sqrt(2)), add_(mean), clamp_(a, b), as src/init/trunc-normal.ts computes it. The erfinv is
 * ATen's `calc_erfinv<float>` (aten/src/ATen/native/Math.h): a rational approximation in float with GCC's fused
 * multiply-adds, then two Newton steps through glibc's erff and expf (rng_libm.c). The TypeScript model is
 * erfinvF32 in src/rng/erfinv.ts.
 *
 * The kernel runs VLANES (eight) elements at a time (rng_vf.h). Lanes the vector code cannot settle exactly (|y| >= 1,
 * an fmaf whose double sum is a float32 midpoint, an expf/logf Ziv failure or special range, erff's tiny range)
 * are recomputed by the scalar ik_erfinvf, itself exact: about one element in several thousand.
 */
#include "rng_libm.h"
#include "rng_vf.h"

void ik_uniform_draw(float *dst, int n, float lo, float range, int mode, int32_t j);

/* Coefficients, rounded to float from their double literals as erfinv.ts does. */
#define EA0 ((float)0.886226899)
#define EA1 ((float)-1.645349621)
#define EA2 ((float)0.914624893)
#define EA3 ((float)-0.140543331)
#define EB0 ((float)-2.118377725)
#define EB1 ((float)1.442710462)
#define EB2 ((float)-0.329097515)
#define EB3 ((float)0.012229801)
#define EC0 ((float)-1.970840454)
#define EC1 ((float)-1.624906493)
#define EC2 ((float)3.429567803)
#define EC3 ((float)1.641345311)
#define ED0 ((float)3.5438892)
#define ED1 ((float)1.6370678)
#define CENTRAL_RANGE ((float)0.7)
/* (float)2 / (float)sqrt(pi<double>), 0x3f906eba */
#define ERFINV_K f32_from_bits(0x3f906ebau)

/* calc_erfinv<float>: every `ma` is fmaf (exact, ik_fmaf), every other operation a float operation. */
float ik_erfinvf(float y) {
  float ya = __builtin_fabsf(y);
  if (!(ya < 1.0f)) {
    if (ya == 1.0f) return y > 0 ? __builtin_inff() : -__builtin_inff();
    return __builtin_nanf(""); /* |y| > 1 or NaN */
  }
  float x;
  if (ya <= CENTRAL_RANGE) {
    float z = y * y;
    float num = ik_fmaf(ik_fmaf(ik_fmaf(EA3, z, EA2), z, EA1), z, EA0);
    float dem = ik_fmaf(ik_fmaf(ik_fmaf(ik_fmaf(EB3, z, EB2), z, EB1), z, EB0), z, 1.0f);
    x = (y * num) / dem;
  } else {
    float z = __builtin_sqrtf(-ik_logf_fast((1.0f - ya) / 2.0f));
    float num = ik_fmaf(ik_fmaf(ik_fmaf(EC3, z, EC2), z, EC1), z, EC0);
    float dem = ik_fmaf(ik_fmaf(ED1, z, ED0), z, 1.0f);
    x = (y < 0 ? -num : num) / dem;
  }
  /* Two steps of Newton-Raphson: x = x - (erf(x) - y) / ((2/sqrt(pi)) * exp(-x^2)) */
  for (int step = 0; step < 2; step++) x = x - (ik_erff(x) - y) / (ERFINV_K * ik_expf_fast(-(x * x)));
  return x;
}

/* ---- vectors: expf, logf, erff ------------------------------------------------------------------------ */

/* Lanes of q (doubles) failing the Ziv test of rng_libm.c (exponent range: the callers' business). */
IK_INLINE vd ziv_fail(vd q) {
  vd r;
  for (int i = 0; i < NV; i++) {
    v128_t low = wasm_v128_and(q.v[i], wasm_i64x2_const_splat(0x1FFFFFFF));
    v128_t d = wasm_i64x2_abs(wasm_i64x2_sub(low, wasm_i64x2_const_splat(0x10000000)));
    r.v[i] = wasm_i64x2_le(d, wasm_i64x2_const_splat(64));
  }
  return r;
}

/* ik_expf_fast on the double lanes holding floats in [-87, 88]; returns the double q (rounded by the caller). */
IK_INLINE vd expf_d(vd xd, vd *bad) {
  vd p1 = vd_mul(xd, vd_splat(EXP_INVLN2N_HI));
  vd p2 = vd_mul(xd, vd_splat(EXP_INVLN2N_LO));
  vd t = vd_add(p1, p2);
  vd sh = vd_add(t, vd_splat(EXP_SHIFT)); /* bits: asuint64(SHIFT) + k */
  vd kd = vd_sub(sh, vd_splat(EXP_SHIFT));
  vd tie = vd_eq(vd_abs(vd_sub(t, kd)), vd_splat(0.5));
  vd r = vd_add(vd_sub(p1, kd), p2);
  vd s; /* asdouble(tab[ki % 32] + (ki << 47)) */
  for (int i = 0; i < NV; i++) {
    uint32_t i0 = (uint32_t)wasm_i64x2_extract_lane(sh.v[i], 0) & 31, i1 = (uint32_t)wasm_i64x2_extract_lane(sh.v[i], 1) & 31;
    s.v[i] = wasm_i64x2_add(wasm_i64x2_make((int64_t)EXP2F_TAB[i0], (int64_t)EXP2F_TAB[i1]), wasm_i64x2_shl(sh.v[i], 47));
  }
  vd z = vd_add(vd_mul(vd_splat(EXP_C0), r), vd_splat(EXP_C1));
  vd r2 = vd_mul(r, r);
  vd y = vd_add(vd_mul(vd_splat(EXP_C2), r), vd_splat(1.0));
  y = vd_add(vd_mul(z, r2), y);
  vd q = vd_mul(y, s);
  *bad = vd_or(*bad, vd_or(tie, ziv_fail(q)));
  return q;
}

/* expf on VLANES float lanes; lanes it cannot settle are set in *bad. */
IK_INLINE vf expf_v(vf x, vf *bad) {
  vf in = vf_and(vf_ge(x, vf_splat(-87.0f)), vf_le(x, vf_splat(88.0f)));
  vd b0 = vl_splat(0), b1 = b0;
  vd q0 = expf_d(vf_lo(x), &b0);
  vd q1 = expf_d(vf_hi(x), &b1);
  *bad = vf_or(*bad, vf_or(vf_not(in), vd_mask_join(b0, b1)));
  return vf_join(q0, q1);
}

/* The logf polynomial of ik_logf_fast on the double lanes. */
IK_INLINE vd logf_d(vd z, vd hi, vd lo, vd y0, vd *bad) {
  vd r = vd_add(vd_sub(vd_mul(z, hi), vd_splat(1.0)), vd_mul(z, lo));
  vd r2 = vd_mul(r, r);
  vd y = vd_add(vd_mul(vd_splat(LOGF_A1), r), vd_splat(LOGF_A2));
  y = vd_add(vd_mul(vd_splat(LOGF_A0), r2), y);
  y = vd_add(vd_mul(y, r2), vd_add(r, y0));
  *bad = vd_or(*bad, ziv_fail(y));
  return y;
}

#define VLANES (4 * NV)

IK_INLINE vf vf_load(const float *p) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_v128_load(p + 4 * i);
  return r;
}
IK_INLINE void vf_store(float *p, vf x) {
  for (int i = 0; i < NV; i++) wasm_v128_store(p + 4 * i, x.v[i]);
}


/* Per-lane table loads for logf: the lanes of idx (VLANES int32) in half h (the order of vf_lo / vf_hi). */
IK_INLINE vd gather(const double *tab, const uint32_t *idx, int h, uint32_t mask) {
  vd r;
  const uint32_t *p = idx + h * (VLANES / 2);
  for (int i = 0; i < NV; i++) r.v[i] = wasm_f64x2_make(tab[p[2 * i] & mask], tab[p[2 * i + 1] & mask]);
  return r;
}

/* logf on VLANES float lanes in [2^-40, 0.7), where the results (below -0.35) suit the Ziv test. */
IK_INLINE vf logf_v(vf x, vf *bad) {
  vf tmp = vi_sub(x, vi_splat((int32_t)LOGF_OFF));
  vf k = vi_shr(tmp, 23);
  vf ok = vf_and(vf_and(vi_ge(k, vi_splat(LOGF_KMIN)), vi_le(k, vi_splat(-1))), vi_ge(x, vi_splat(0x00800000)));
  /* table index (k - KMIN) * 16 + i; 0 in lanes that are not ok, so the loads stay in bounds */
  vf idx = vf_and(vi_add(vi_shl(vi_sub(k, vi_splat(LOGF_KMIN)), 4), vf_and(vi_shru(tmp, 19), vi_splat(15))), ok);
  vf z = vi_sub(x, vf_and(tmp, vi_splat((int32_t)0xff800000u)));
  uint32_t id[VLANES];
  for (int i = 0; i < NV; i++) wasm_v128_store(id + 4 * i, idx.v[i]);
  vd b0 = vl_splat(0), b1 = b0;
  vd q0 = logf_d(vf_lo(z), gather(ik_logf_invc_hi, id, 0, 15), gather(ik_logf_invc_lo, id, 0, 15), gather(ik_logf_y0, id, 0, ~0u), &b0);
  vd q1 = logf_d(vf_hi(z), gather(ik_logf_invc_hi, id, 1, 15), gather(ik_logf_invc_lo, id, 1, 15), gather(ik_logf_y0, id, 1, ~0u), &b1);
  *bad = vf_or(*bad, vf_or(vf_not(ok), vd_mask_join(b0, b1)));
  return vf_join(q0, q1);
}

/* c[0] + s*(c[1] + s*(... + s*c[n-1])), evaluated from the inside out in float, as s_erff.c writes it. */
IK_INLINE vf horner(vf s, const float *c, int n) {
  vf t = vf_splat(c[n - 1]);
  for (int i = n - 2; i >= 0; i--) t = vf_add(vf_splat(c[i]), vf_mul(s, t));
  return t;
}

/* erff on VLANES float lanes (s_erff.c; each range is computed only when some lane needs it). */
IK_INLINE vf erff_v(vf x, vf *bad) {
  vf ix = vf_and(x, vi_splat(0x7fffffff));
  vf neg = vi_lt(x, vi_splat(0)); /* hx < 0 */
  /* |x| < 2^-28 (tiny, zero) and NaN/inf: scalar */
  *bad = vf_or(*bad, vf_or(vi_lt(ix, vi_splat(0x31800000)), vi_ge(ix, vi_splat(0x7f800000))));
  vf res = vf_splat(0.0f);
  vf mA = vi_lt(ix, vi_splat(0x3f580000));
  vf mB = vf_andnot(vi_lt(ix, vi_splat(0x3fa00000)), mA);
  vf mD = vi_ge(ix, vi_splat(0x40c00000));
  vf mC = vf_not(vf_or(vf_or(mA, mB), mD));
  if (vf_any(mA)) { /* |x| < 0.84375: x + x * (P(x^2) / Q(x^2)) */
    const float pp[] = {PP0, PP1, PP2, PP3, PP4}, qq[] = {1.0f, QQ1, QQ2, QQ3, QQ4, QQ5};
    vf z = vf_mul(x, x);
    vf y = vf_div(horner(z, pp, 5), horner(z, qq, 6));
    res = vf_select(mA, vf_add(x, vf_mul(x, y)), res);
  }
  if (vf_any(mB)) { /* 0.84375 <= |x| < 1.25: ±(erx + P(s) / Q(s)), s = |x| - 1 */
    const float pa[] = {PA0, PA1, PA2, PA3, PA4, PA5, PA6}, qa[] = {1.0f, QA1, QA2, QA3, QA4, QA5, QA6};
    vf s = vf_sub(vf_abs(x), vf_splat(1.0f));
    vf pq = vf_div(horner(s, pa, 7), horner(s, qa, 7));
    res = vf_select(mB, vf_select(neg, vf_sub(vf_splat(-ERX), pq), vf_add(vf_splat(ERX), pq)), res);
  }
  if (vf_any(mD)) { /* |x| >= 6: ±(1 - tiny), which rounds to ±1 */
    const float tiny = 1e-30f;
    res = vf_select(mD, vf_select(neg, vf_splat(tiny - 1.0f), vf_splat(1.0f - tiny)), res);
  }
  if (vf_any(mC)) {
    /*
     * 1.25 <= |x| < 6: ±(1 - r / |x|) with r = expf(-z*z - 0.5625) * expf((z - |x|)(z + |x|) + R/S). Few lanes
     * land here (|x| >= 1.25 is erfinv(y) for |y| >= 0.92), and the vector form would cost two expf and two long
     * polynomials for all lanes, so these lanes run the scalar ik_erff.
     */
    float xs[VLANES], rs[VLANES];
    uint32_t m[VLANES];
    vf_store(xs, x);
    vf_store(rs, res);
    vf_store((float *)m, mC);
    for (int l = 0; l < VLANES; l++)
      if (m[l]) rs[l] = ik_erff(xs[l]);
    res = vf_load(rs);
  }
  return res;
}

/* ---- vectors: erfinv ------------------------------------------------------------------------------------ */

/*
 * fmaf on float values held in double lanes: the double sum rounds once, and its float32 rounding is exact unless
 * the sum is exactly a float32 midpoint, which is flagged in *haz (the lane is then redone by the scalar code). The
 * polynomials below stay far from zero (their values and partial sums are O(1) on the ranges used), so the
 * float32 subnormal range, where the midpoint test would not apply, is never reached.
 */
IK_INLINE vd dfma(vd a, vd b, vd c, vd *haz) {
  vd s = vd_add(vd_mul(a, b), c);
  vd r;
  for (int i = 0; i < NV; i++) {
    haz->v[i] = wasm_v128_or(haz->v[i], vfd_midpoint(s.v[i]));
    r.v[i] = vfd_round(s.v[i]);
  }
  VSYNC(r);
  return r;
}

/* ma(...(ma(c[0], z, c[1]), z, ...), z, c[n-1]): a fused Horner chain in float on the double lanes. */
IK_INLINE vd fused_horner(vd z, const float *c, int n, vd *haz) {
  vd t = dfma(vd_splat(c[0]), z, vd_splat(c[1]), haz);
  for (int i = 2; i < n; i++) t = dfma(t, z, vd_splat(c[i]), haz);
  return t;
}

/* ik_erfinvf on VLANES lanes; lanes it cannot settle exactly are set in *bad. */
IK_INLINE vf erfinv_v(vf y, vf *bad) {
  vf ya = vf_abs(y);
  *bad = vf_or(*bad, vf_not(vf_lt(ya, vf_splat(1.0f)))); /* |y| >= 1, NaN */
  vf central = vf_le(ya, vf_splat(CENTRAL_RANGE));
  vf x = vf_splat(0.0f);
  if (vf_any(central)) { /* x = (y * num) / dem, num and dem in z = y*y */
    const float a[] = {EA3, EA2, EA1, EA0}, b[] = {EB3, EB2, EB1, EB0, 1.0f};
    vf z = vf_mul(y, y);
    vd zl = vf_lo(z), zh = vf_hi(z);
    vd h0 = vl_splat(0), h1 = h0;
    vf num = vf_join(fused_horner(zl, a, 4, &h0), fused_horner(zh, a, 4, &h1));
    vf dem = vf_join(fused_horner(zl, b, 5, &h0), fused_horner(zh, b, 5, &h1));
    *bad = vf_or(*bad, vf_and(vd_mask_join(h0, h1), central));
    x = vf_select(central, vf_div(vf_mul(y, num), dem), x);
  }
  if (!vf_all(central)) { /* z = sqrt(-log((1 - |y|) / 2)); x = copysign(num, y) / dem */
    const float c[] = {EC3, EC2, EC1, EC0}, d[] = {ED1, ED0, 1.0f};
    vf tbad = vi_splat(0);
    vf z = vf_sqrt(vf_neg(logf_v(vf_mul(vf_sub(vf_splat(1.0f), ya), vf_splat(0.5f)), &tbad))); /* (1 - |y|) / 2, exact */
    vd zl = vf_lo(z), zh = vf_hi(z);
    vd h0 = vl_splat(0), h1 = h0;
    vf num = vf_join(fused_horner(zl, c, 4, &h0), fused_horner(zh, c, 4, &h1));
    vf dem = vf_join(fused_horner(zl, d, 3, &h0), fused_horner(zh, d, 3, &h1));
    num = vf_select(vf_lt(y, vf_splat(0.0f)), vf_neg(num), num);
    *bad = vf_or(*bad, vf_andnot(vf_or(tbad, vd_mask_join(h0, h1)), central));
    x = vf_select(central, x, vf_div(num, dem));
  }
  /* Two steps of Newton-Raphson: x = x - (erf(x) - y) / ((2/sqrt(pi)) * exp(-x^2)) */
  for (int step = 0; step < 2; step++) {
    vf e = erff_v(x, bad);
    vf t = expf_v(vf_neg(vf_mul(x, x)), bad);
    x = vf_sub(x, vf_div(vf_sub(e, y), vf_mul(vf_splat(ERFINV_K), t)));
  }
  return x;
}

/* ---- the kernel --------------------------------------------------------------------------------------------- */

/* erfinv_, then mul_(scale), add_(mean), clamp_(a, b) on one float (NaN passes the clamp unchanged). */
IK_INLINE float trunc_tail(float u, float scale, float mean, float a, float b) {
  float x = ik_erfinvf(u) * scale + mean;
  return x < a ? a : x > b ? b : x;
}

/* Redo the lanes of p[0..VLANES) flagged in bad with the scalar expression of the input u (saved in `in`). */
#define FIX_BAD_LANES(p, in, bad, expr_of_u)                  \
  do {                                                        \
    uint32_t m_[VLANES];                                      \
    float u_[VLANES];                                         \
    vf_store((float *)m_, bad);                               \
    vf_store(u_, in);                                         \
    for (int l_ = 0; l_ < VLANES; l_++) {                     \
      if (m_[l_]) {                                           \
        float u = u_[l_];                                     \
        (p)[l_] = (expr_of_u);                                \
      }                                                       \
    }                                                         \
  } while (0)

/*
 * erfinv of the n floats at d, in place, then (when `tail`) mul_(scale), add_(mean), clamp_(a, b): the vector code
 * with its scalar fallback. Shared by the kernel and the erfinv test probe.
 */
static __attribute__((noinline)) void erfinv_lanes(float *d, int n, int tail, float scale, float mean, float a, float b) {
  ik_libm_init();
  const vf sv = vf_splat(scale), mv = vf_splat(mean), av = vf_splat(a), bv = vf_splat(b);
  int i = 0;
  for (; i + VLANES <= n; i += VLANES) {
    vf u = vf_load(d + i);
    vf bad = vi_splat(0);
    vf x = erfinv_v(u, &bad);
    if (tail) {
      x = vf_add(vf_mul(x, sv), mv);
      x = vf_select(vf_lt(x, av), av, vf_select(vf_gt(x, bv), bv, x));
    }
    vf_store(d + i, x);
    if (IK_UNLIKELY(vf_any(bad))) FIX_BAD_LANES(d + i, u, bad, tail ? trunc_tail(u, scale, mean, a, b) : ik_erfinvf(u));
  }
  for (; i < n; i++) d[i] = tail ? trunc_tail(d[i], scale, mean, a, b) : ik_erfinvf(d[i]);
}

/*
 * Draw n (<= IK_CHUNK) words and write n truncated normals to ik_io: uniforms over [lo, lo + range) computed as
 * ik_uniform_f32 does (mode, j), then the erfinv tail. scale = f32(std * sqrt(2)), mean, a, b are float32 values.
 */
void IK_EXPORT(ik_trunc_normal_f32)(int n, float lo, float range, int mode, int32_t j, float scale, float mean, float a, float b) {
  ik_uniform_draw(ik_io, n, lo, range, mode, j);
  erfinv_lanes(ik_io, n, 1, scale, mean, a, b);
}

/*
 * Test probes: erfinv of the n (<= IK_CHUNK) floats in ik_io, in place, through the vector code with its scalar
 * fallback (exactly what the kernel runs), or through the scalar code alone.
 */
void IK_EXPORT(ik_probe_erfinv)(int n) { erfinv_lanes(ik_io, n, 0, 1.0f, 0.0f, 0.0f, 0.0f); }

void IK_EXPORT(ik_probe_erfinv_scalar)(int n) {
  ik_libm_init();
  for (int i = 0; i < n; i++) ik_io[i] = ik_erfinvf(ik_io[i]);
}

/*
 * Test probe for the glibc ports (tests/rng/wasm-erfinv.test.ts compares them with src/rng/libm.ts): applies
 * `fn` to the n (<= IK_CHUNK) floats in ik_io, in place. 0: expf (exact), 1: expf (fast), 2: logf (exact),
 * 3: logf (fast), 4: erff (scalar), 5: expf (vector), 6: logf (vector), 7: erff (vector); the vector ones fall
 * back to the scalar fast functions in the lanes they flag, as the kernel does.
 */
void IK_EXPORT(ik_probe_libm)(int n, int fn) {
  ik_libm_init();
  int i = 0;
  if (fn >= 5) {
    for (; i + VLANES <= n; i += VLANES) {
      vf u = vf_load(ik_io + i);
      vf bad = vi_splat(0);
      vf_store(ik_io + i, fn == 5 ? expf_v(u, &bad) : fn == 6 ? logf_v(u, &bad) : erff_v(u, &bad));
      if (vf_any(bad)) FIX_BAD_LANES(ik_io + i, u, bad, fn == 5 ? ik_expf_fast(u) : fn == 6 ? ik_logf_fast(u) : ik_erff(u));
    }
  }
  fn = fn == 5 ? 1 : fn == 6 ? 3 : fn == 7 ? 4 : fn; /* the tail of a vector probe: the scalar fast function */
  for (; i < n; i++) {
    float x = ik_io[i];
    ik_io[i] = fn == 0 ? ik_expf_exact(x) : fn == 1 ? ik_expf_fast(x) : fn == 2 ? ik_logf_exact(x) : fn == 3 ? ik_logf_fast(x) : ik_erff(x);
  }
}
