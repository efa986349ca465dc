/*
 * float32 `normal_(mean, std)` for numel >= 16: PyTorch 1.13's `normal_fill` driver with `normal_fill_16_AVX2`
 * (aten/src/ATen/native/cpu/DistributionTemplates.h), whose log and sincos are `log256_ps` / `sincos256_ps` from
 * aten/src/ATen/native/cpu/avx_mathfun.h (Pommier/Garberoglio Cephes ports) with the multiply-adds GCC contracts
 * into FMAs. The exact scalar model is src/rng/avx2-math.ts (torch-cpu-rng.md §3.3); every step below names the
 * line it mirrors. Float operations that are not fused run natively on f32x4 (IEEE single, exactly PyTorch's
 * `_mm256_*_ps`); each fused one (★) is evaluated on two doubles per vector: the product of two floats is exact in
 * double, the sum rounds once, and the result is rounded to float32.
 *
 * Exactness of the ★ steps: rounding the double sum to float32 is a double rounding, wrong only when the double
 * sum lands exactly on a float32 midpoint without being exact. Inside log256 and sincos256 the inputs are a
 * function of one 24-bit uniform each (u1 = 1 - k*2^-24, u2 = k*2^-24), so the radius and the (sin, cos) pair
 * take 2^24 values each, and tests/rng/wasm-exhaustive.test.ts compares all 2^24 of both with the TypeScript
 * model: equal, so no hazard exists there and no run-time test is needed. The final fmaf(r*cos, std, mean) depends
 * on the caller's std and mean, so it is checked lane by lane (vfd_hazard) and redone exactly when needed.
 *
 * Speed notes: the eight lanes of a block run as four independent f64x2 chains advanced in lockstep (SYNC). The
 * float32 -> double -> float32 round trips run on the same two x86 ports as the additions, which bounds the
 * throughput (about 3 such operations per rounded step).
 */
#include "rng.h"

/* ---- constants ------------------------------------------------------------------------------------------------ */

/* The float32 constants of avx_mathfun.h, rounded from their double literals (as the TypeScript model does). */
#define SQRTHF ((float)0.707106781186547524)
#define LP0 ((float)7.0376836292e-2)
#define LP1 ((float)-1.1514610310e-1)
#define LP2 ((float)1.1676998740e-1)
#define LP3 ((float)-1.2420140846e-1)
#define LP4 ((float)1.4249322787e-1)
#define LP5 ((float)-1.6668057665e-1)
#define LP6 ((float)2.0000714765e-1)
#define LP7 ((float)-2.4999993993e-1)
#define LP8 ((float)3.3333331174e-1)
#define LQ1 ((float)-2.12194440e-4)
#define LQ2 ((float)0.693359375)
#define TWO_PI_F ((float)(2.0 * 3.14159265358979323846)) /* _mm256_set1_ps(2.0f * c10::pi<double>) */
#define FOPI ((float)1.27323954473516)
#define DP1 ((float)-0.78515625)
#define DP2 ((float)-2.4187564849853515625e-4)
#define DP3 ((float)-3.77489497744594108e-8)
#define SC0 ((float)2.443315711809948e-5)
#define SC1 ((float)-1.388731625493765e-3)
#define SC2 ((float)4.166664568298827e-2)
#define SS0 ((float)-1.9515295891e-4)
#define SS1 ((float)8.3321608736e-3)
#define SS2 ((float)-1.6666654611e-1)

/* Every vector constant the block uses, by name. */
typedef struct {
  /* log256 prologue (f32x4 / i32x4) */
  v128_t one_f, mant_mask, half_exp, bias, sqrthf, lq1_f, minus2_f;
  /* log256 polynomial (f64x2) */
  v128_t lp[9], lq2, minus_half;
  /* sincos256 prologue (f32x4 / i32x4) */
  v128_t two_pi, fopi, one_i, not_one_i, two_i, four_i, dp1, dp2;
  /* sincos256 polynomials (f64x2) */
  v128_t dp3, sc0, sc1, sc2, ss0, ss1, ss2, one_d;
  /* uniforms and output */
  v128_t mask24, unit24, zero_f;
} bm_consts;

#define DSPLAT(x) wasm_f64x2_splat((double)(x))
#define FSPLAT(x) wasm_f32x4_splat(x)
#define ISPLAT(x) wasm_i32x4_splat(x)

IK_INLINE void bm_consts_init(bm_consts *k) {
  k->one_f = FSPLAT(1.0f);
  k->mant_mask = ISPLAT(0x807FFFFF);
  k->half_exp = ISPLAT(0x3F000000);
  k->bias = ISPLAT(126);
  k->sqrthf = FSPLAT(SQRTHF);
  k->lq1_f = FSPLAT(LQ1);
  k->minus2_f = FSPLAT(-2.0f);
  const float lp[9] = {LP0, LP1, LP2, LP3, LP4, LP5, LP6, LP7, LP8};
  for (int i = 0; i < 9; i++) k->lp[i] = DSPLAT(lp[i]);
  k->lq2 = DSPLAT(LQ2);
  k->minus_half = DSPLAT(-0.5);
  k->two_pi = FSPLAT(TWO_PI_F);
  k->fopi = FSPLAT(FOPI);
  k->one_i = ISPLAT(1);
  k->not_one_i = ISPLAT(~1);
  k->two_i = ISPLAT(2);
  k->four_i = ISPLAT(4);
  k->dp1 = FSPLAT(DP1);
  k->dp2 = FSPLAT(DP2);
  k->dp3 = DSPLAT(DP3);
  k->sc0 = DSPLAT(SC0);
  k->sc1 = DSPLAT(SC1);
  k->sc2 = DSPLAT(SC2);
  k->ss0 = DSPLAT(SS0);
  k->ss1 = DSPLAT(SS1);
  k->ss2 = DSPLAT(SS2);
  k->one_d = DSPLAT(1.0);
  k->mask24 = ISPLAT(0xFFFFFF);
  k->unit24 = FSPLAT(0x1p-24f);
  k->zero_f = FSPLAT(0.0f);
}

/* ---- float-in-double helpers for the fused steps ------------------------------------------------------------- */

/* ★ fmaf(a, b, c) for float values held in double lanes (see the file comment for why this is exact here). */
IK_INLINE v128_t ffma(v128_t a, v128_t b, v128_t c) { return vfd_round(wasm_f64x2_add(wasm_f64x2_mul(a, b), c)); }
/* Float multiply / add of float values held in double lanes: exact product or sum, one rounding. */
IK_INLINE v128_t fmul(v128_t a, v128_t b) { return vfd_round(wasm_f64x2_mul(a, b)); }
IK_INLINE v128_t fadd(v128_t a, v128_t b) { return vfd_round(wasm_f64x2_add(a, b)); }

/*
 * The eight Box–Muller lanes of one 16-block are processed together, held as two f32x4 vectors for the non-fused
 * steps and as four f64x2 chains for the fused ones. Each fused chain is a long dependent sequence (multiply, add,
 * round to float32), so the four chains advance in lockstep: four independent operations per step instead of one.
 */
#define NCH 4
#define EACH(c) for (int c = 0; c < NCH; c++)
/* Keep the four chains in lockstep in the emitted code (LLVM would otherwise finish one chain before the next). */
#define SYNC(v) __asm__("" : "+r"((v)[0]), "+r"((v)[1]), "+r"((v)[2]), "+r"((v)[3]))

/* f32x4 pair -> four f64x2 chains (lanes 0-1, 2-3, 4-5, 6-7) and back (the demote rounds to float32 once). */
IK_INLINE void split4(const v128_t v[2], v128_t d[NCH]) {
  d[0] = lo_f32_to_f64(v[0]);
  d[1] = hi_f32_to_f64(v[0]);
  d[2] = lo_f32_to_f64(v[1]);
  d[3] = hi_f32_to_f64(v[1]);
}
IK_INLINE void join4(const v128_t d[NCH], v128_t v[2]) {
  v[0] = pack_f64_to_f32(d[0], d[1]);
  v[1] = pack_f64_to_f32(d[2], d[3]);
}

/* ---- log256_ps: radius = sqrt(-2 log(1 - u)) ------------------------------------------------------------------ */

/* radius = f(sqrt(f(-2 * log256(f(1 - u))))) for the eight uniforms u in [0, 1) of u[0..1]. */
IK_INLINE void bm_radius8(const bm_consts *k, const v128_t u[2], v128_t radius[2]) {
  v128_t m32[2], z32[2], e32[2], eq32[2];
  for (int g = 0; g < 2; g++) {
    v128_t x = wasm_f32x4_sub(k->one_f, u[g]); /* u1 = f(1 - d[j]), exact */
    /* e = f((bits >>> 23) - 127 + 1); m = mantissa in [0.5, 1) */
    v128_t e = wasm_f32x4_convert_i32x4(wasm_i32x4_sub(wasm_u32x4_shr(x, 23), k->bias));
    v128_t m = wasm_v128_or(wasm_v128_and(x, k->mant_mask), k->half_exp);
    v128_t mask = wasm_f32x4_lt(m, k->sqrthf); /* m < SQRTHF */
    v128_t tmp = wasm_v128_and(m, mask);
    m = wasm_f32x4_sub(m, k->one_f);
    e = wasm_f32x4_sub(e, wasm_v128_and(k->one_f, mask));
    m = wasm_f32x4_add(m, tmp);
    m32[g] = m;
    e32[g] = e;
    z32[g] = wasm_f32x4_mul(m, m);        /* z = f(m*m) */
    eq32[g] = wasm_f32x4_mul(e, k->lq1_f); /* f(e*Q1) */
  }
  v128_t m[NCH], z[NCH], e[NCH], eq1[NCH], y[NCH];
  split4(m32, m);
  split4(z32, z);
  split4(e32, e);
  split4(eq32, eq1);
  EACH(c) y[c] = ffma(k->lp[0], m[c], k->lp[1]); /* ★ y = fmaf(y, m, P1) .. P8 */
  SYNC(y);
  for (int p = 2; p <= 8; p++) {
    EACH(c) y[c] = ffma(y[c], m[c], k->lp[p]);
    SYNC(y);
  }
  EACH(c) y[c] = fmul(y[c], m[c]); /* y = f(y*m) */
  SYNC(y);
  EACH(c) y[c] = ffma(y[c], z[c], eq1[c]); /* ★ y = fmaf(y, z, f(e*Q1)) */
  SYNC(y);
  EACH(c) y[c] = ffma(z[c], k->minus_half, y[c]); /* ★ fmaf(-z, 0.5, y) */
  SYNC(y);
  EACH(c) y[c] = fadd(m[c], y[c]); /* f(m + y) */
  SYNC(y);
  /* ★ fmaf(e, Q2, f(m + y)): the rounding to float32 happens in join4 */
  EACH(c) y[c] = wasm_f64x2_add(wasm_f64x2_mul(e[c], k->lq2), y[c]);
  SYNC(y);
  v128_t lg[2];
  join4(y, lg);
  for (int g = 0; g < 2; g++) radius[g] = wasm_f32x4_sqrt(wasm_f32x4_mul(lg[g], k->minus2_f));
}

/* ---- sincos256_ps of theta = f(2π u2) ------------------------------------------------------------------------- */

/* sin and cos of theta = f(TWO_PI * u2) for the eight uniforms of u2[0..1]. */
IK_INLINE void bm_sincos8(const bm_consts *k, const v128_t u2[2], v128_t sin_out[2], v128_t cos_out[2]) {
  v128_t x32[2], y32[2], sign_sin[2], sign_cos[2], poly32[2];
  for (int g = 0; g < 2; g++) {
    v128_t x = wasm_f32x4_mul(u2[g], k->two_pi); /* theta >= 0 */
    /* j = trunc(f(x * FOPI)); j = (j + 1) & ~1; y = j */
    v128_t j = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_mul(x, k->fopi));
    j = wasm_v128_and(wasm_i32x4_add(j, k->one_i), k->not_one_i);
    v128_t y = wasm_f32x4_convert_i32x4(j);
    sign_sin[g] = wasm_i32x4_shl(wasm_v128_and(j, k->four_i), 29);                             /* (j & 4) != 0 */
    sign_cos[g] = wasm_i32x4_shl(wasm_v128_andnot(k->four_i, wasm_i32x4_sub(j, k->two_i)), 29); /* (~(j-2) & 4) != 0 */
    poly32[g] = wasm_i32x4_eq(wasm_v128_and(j, k->two_i), k->zero_f);                          /* (j & 2) == 0 */
    /*
     * ★ x = fmaf(y, DP1, x); fmaf(y, DP2, x); then DP3 below. The first two are exact, so plain float operations
     * give the same result: j <= 8 and DP1 = -201 * 2^-8, DP2 = -0x1.fb4p-13 have few bits, so y*DP is exact;
     * j = 0 leaves x unchanged, and for j >= 2, x >= π/4 is a multiple of 2^-24 and so are both sums, which stay
     * below 1 in magnitude.
     */
    x = wasm_f32x4_add(wasm_f32x4_mul(y, k->dp1), x);
    x = wasm_f32x4_add(wasm_f32x4_mul(y, k->dp2), x);
    x32[g] = x;
    y32[g] = y;
  }
  v128_t x[NCH], y[NCH], z[NCH], yc[NCH], ys[NCH];
  split4(x32, x);
  split4(y32, y);
  EACH(c) x[c] = ffma(y[c], k->dp3, x[c]); /* ★ x = fmaf(y, DP3, x) */
  SYNC(x);
  EACH(c) z[c] = fmul(x[c], x[c]); /* z = f(x*x) */
  SYNC(z);
  EACH(c) yc[c] = ffma(k->sc0, z[c], k->sc1); /* ★ ★ yc = fmaf(fmaf(C0, z, C1), z, C2) */
  SYNC(yc);
  EACH(c) ys[c] = ffma(k->ss0, z[c], k->ss1); /* ★ ★ ys = fmaf(fmaf(S0, z, S1), z, S2) */
  SYNC(ys);
  EACH(c) yc[c] = ffma(yc[c], z[c], k->sc2);
  SYNC(yc);
  EACH(c) ys[c] = ffma(ys[c], z[c], k->ss2);
  SYNC(ys);
  EACH(c) yc[c] = fmul(yc[c], z[c]); /* yc = f(yc*z) */
  SYNC(yc);
  EACH(c) ys[c] = fmul(ys[c], z[c]); /* ys = f(ys*z) */
  SYNC(ys);
  /* ★ yc = fmaf(yc, z, -f(z*0.5)): z*0.5 is exact (z is 0 or a normal float) */
  EACH(c) yc[c] = ffma(yc[c], z[c], wasm_f64x2_mul(z[c], k->minus_half));
  SYNC(yc);
  /* ★ ys = fmaf(ys, x, x); yc = f(yc + 1): both rounded to float32 by the demote in join4 */
  EACH(c) ys[c] = wasm_f64x2_add(wasm_f64x2_mul(ys[c], x[c]), x[c]);
  SYNC(ys);
  EACH(c) yc[c] = wasm_f64x2_add(yc[c], k->one_d);
  SYNC(yc);
  /*
   * The blend: ysin1 = poly ? +0 : yc, ysin2 = poly ? ys : +0, s = f(ysin1 + ysin2), c = f(f(yc - ysin1) +
   * f(ys - ysin2)). Each sum adds +0 to one polynomial and each difference is v - 0 or v - v, all exact, and
   * neither polynomial is ever -0 (yc is near 1; ys = fmaf(ys, x, x) is +0 only for x = +0), so the results are
   * s = poly ? ys : yc and c = poly ? yc : ys: a select. (The exhaustive test confirms it for every input.)
   */
  v128_t ycf[2], ysf[2];
  join4(yc, ycf);
  join4(ys, ysf);
  for (int g = 0; g < 2; g++) {
    sin_out[g] = wasm_v128_xor(wasm_v128_bitselect(ysf[g], ycf[g], poly32[g]), sign_sin[g]);
    cos_out[g] = wasm_v128_xor(wasm_v128_bitselect(ycf[g], ysf[g], poly32[g]), sign_cos[g]);
  }
}

/* ---- the 16-element block and the driver ---------------------------------------------------------------------- */

/* How the final explicit _mm256_fmadd_ps(r*cos, std, mean) is evaluated (chosen once per call). */
enum { OUT_MEAN0 = 0, OUT_STD1 = 1, OUT_GENERAL = 2 };

typedef struct {
  int mode;
  float meanf, stdf;
  v128_t stdv, meanv, stdd, meand;
} bm_out_params;

IK_INLINE bm_out_params bm_out_init(float meanf, float stdf) {
  bm_out_params o;
  o.mode = meanf == 0.0f && stdf != 0.0f ? OUT_MEAN0 : stdf == 1.0f ? OUT_STD1 : OUT_GENERAL;
  o.meanf = meanf;
  o.stdf = stdf;
  o.stdv = wasm_f32x4_splat(stdf);
  o.meanv = wasm_f32x4_splat(meanf);
  o.stdd = wasm_f64x2_splat(stdf);
  o.meand = wasm_f64x2_splat(meanf);
  return o;
}

/*
 * out = fmaf(r, std, mean) on four lanes. mean == ±0 and std != 0: one rounding of the exact product, except that
 * an exactly zero product (r == ±0) takes the sign of zero from the addition product + mean, while a non-zero
 * product that rounds to ±0 keeps its own sign. std == 1: a float add. Otherwise the double emulation with the
 * hazard test; lanes that fail it are redone with the exact scalar fmaf.
 */
IK_INLINE v128_t bm_out(const bm_consts *k, const bm_out_params *o, v128_t r) {
  if (o->mode == OUT_MEAN0) {
    v128_t p = wasm_f32x4_mul(r, o->stdv);
    return wasm_v128_bitselect(wasm_f32x4_add(p, o->meanv), p, wasm_f32x4_eq(r, k->zero_f));
  }
  if (o->mode == OUT_STD1) return wasm_f32x4_add(r, o->meanv);
  v128_t s0 = wasm_f64x2_add(wasm_f64x2_mul(lo_f32_to_f64(r), o->stdd), o->meand);
  v128_t s1 = wasm_f64x2_add(wasm_f64x2_mul(hi_f32_to_f64(r), o->stdd), o->meand);
  if (IK_UNLIKELY(wasm_v128_any_true(wasm_v128_or(vfd_hazard(s0), vfd_hazard(s1))))) {
    float t[4];
    wasm_v128_store(t, r);
    for (int l = 0; l < 4; l++) t[l] = ik_fmaf(t[l], o->stdf, o->meanf);
    return wasm_v128_load(t);
  }
  return pack_f64_to_f32(s0, s1);
}

/* normal_fill_16_AVX2: transform the 16 uniforms at d in place (lane j: u1 = 1 - d[j], u2 = d[j + 8]). */
IK_INLINE void bm_block16(const bm_consts *k, const bm_out_params *o, float *d) {
  v128_t u1[2] = {wasm_v128_load(d), wasm_v128_load(d + 4)};
  v128_t u2[2] = {wasm_v128_load(d + 8), wasm_v128_load(d + 12)};
  v128_t radius[2], s[2], c[2];
  bm_radius8(k, u1, radius);
  bm_sincos8(k, u2, s, c);
  for (int g = 0; g < 2; g++) {
    v128_t rc = wasm_f32x4_mul(radius[g], c[g]); /* f(radius * cos) */
    v128_t rs = wasm_f32x4_mul(radius[g], s[g]); /* f(radius * sin) */
    wasm_v128_store(d + 4 * g, bm_out(k, o, rc));
    wasm_v128_store(d + 8 + 4 * g, bm_out(k, o, rs));
  }
}

/* (w & 0xFFFFFF) * 2^-24: the float uniforms of normal_fill (exact). */
IK_INLINE v128_t unit_vec(v128_t w, const void *ctx) {
  const bm_consts *k = (const bm_consts *)ctx;
  return wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_v128_and(w, k->mask24)), k->unit24);
}
IK_INLINE uint32_t unit_word(uint32_t w, const void *ctx) {
  (void)ctx;
  return f32_bits((float)(int32_t)(w & 0xFFFFFFu) * 0x1p-24f);
}

/* normal_fill_16_AVX2 on the n / 16 blocks at d (n a multiple of 16). Shared by the kernel and the tail. */
static __attribute__((noinline)) void bm_blocks(float *d, int n, float meanf, float stdf) {
  bm_consts k;
  bm_consts_init(&k);
  bm_out_params o = bm_out_init(meanf, stdf);
  for (int i = 0; i + 16 <= n; i += 16) bm_block16(&k, &o, d + i);
}

/* Full blocks: draw n (a multiple of 16, <= IK_CHUNK) uniforms into ik_io and transform every 16-block. */
void IK_EXPORT(ik_normal_f32)(int n, float meanf, float stdf) {
  bm_consts k;
  bm_consts_init(&k);
  ik_draw_map((uint32_t *)ik_io, n, unit_vec, unit_word, &k);
  bm_blocks(ik_io, n, meanf, stdf);
}

/*
 * The tail of normal_fill when numel % 16 != 0: the `rem` uniforms of the last partial block are drawn (and
 * never used, their slots being overwritten), then 16 fresh uniforms fill the last 16 slots and are transformed.
 * Writes those 16 outputs to ik_io[0..16).
 */
void IK_EXPORT(ik_normal_f32_tail)(int rem, float meanf, float stdf) {
  bm_consts k;
  bm_consts_init(&k);
  uint32_t skip[16];
  ik_fill_words(skip, rem);
  ik_draw_map((uint32_t *)ik_io, 16, unit_vec, unit_word, &k);
  bm_blocks(ik_io, 16, meanf, stdf);
}

/*
 * Test probes (tests/rng/wasm-exhaustive.test.ts): for n (<= IK_CHUNK / 2, a multiple of 8) uniforms in ik_io,
 * `ik_probe_radius` replaces each u by radius(u), and `ik_probe_sincos` writes cos(theta(u)) in place and
 * sin(theta(u)) at ik_io[n + i], through exactly the vector code the kernel runs.
 */
void IK_EXPORT(ik_probe_radius)(int n) {
  bm_consts k;
  bm_consts_init(&k);
  for (int i = 0; i < n; i += 8) {
    v128_t u[2] = {wasm_v128_load(ik_io + i), wasm_v128_load(ik_io + i + 4)}, r[2];
    bm_radius8(&k, u, r);
    wasm_v128_store(ik_io + i, r[0]);
    wasm_v128_store(ik_io + i + 4, r[1]);
  }
}

void IK_EXPORT(ik_probe_sincos)(int n) {
  bm_consts k;
  bm_consts_init(&k);
  for (int i = 0; i < n; i += 8) {
    v128_t u[2] = {wasm_v128_load(ik_io + i), wasm_v128_load(ik_io + i + 4)}, s[2], c[2];
    bm_sincos8(&k, u, s, c);
    for (int g = 0; g < 2; g++) {
      wasm_v128_store(ik_io + i + 4 * g, c[g]);
      wasm_v128_store(ik_io + n + i + 4 * g, s[g]);
    }
  }
}

/*
 * Test probe (tests/rng/wasm.test.ts): out = fmaf(r, std, mean) on the n (<= IK_CHUNK, a multiple of 4) floats r in
 * ik_io, in place, through bm_out (so that constructed values can reach the rare double-rounding branch).
 */
void IK_EXPORT(ik_probe_normal_out)(int n, float meanf, float stdf) {
  bm_consts k;
  bm_consts_init(&k);
  bm_out_params o = bm_out_init(meanf, stdf);
  for (int i = 0; i + 4 <= n; i += 4) wasm_v128_store(ik_io + i, bm_out(&k, &o, wasm_v128_load(ik_io + i)));
}
