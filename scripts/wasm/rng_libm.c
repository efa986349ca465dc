/*
 * glibc 2.36's x86-64 float `expf`, `logf` and `erff`, bit for bit: the C versions of src/rng/libm.ts, which
 * documents the sources (sysdeps/ieee754/flt-32/e_expf.c, e_logf.c, s_erff.c and their data files), the FMA
 * contractions of the `__expf_fma` / `__logf_fma` builds the ifuncs select on AVX2+FMA CPUs, and its exhaustive
 * verification against the real library. ATen's float `erfinv` (rng_erfinv.c) calls all three.
 *
 * Each of expf and logf comes twice:
 *  - `*_exact`: the glibc algorithm with every contracted multiply-add evaluated by the exact ik_fma64.
 *  - `*_fast`: the same algorithm where each fused multiply-add is either replaced by an exactly equivalent cheap
 *    form (shown at each step) or evaluated unfused, which moves the final double by at most a few ulps; a Ziv
 *    test then accepts the float32 rounding of that double only when it lies far (more than 64 double ulps) from
 *    every float32 rounding boundary, so that the exact double rounds to the same float32. Otherwise, and for the
 *    special-case ranges, the exact version runs. The result is therefore always the glibc result; the exact
 *    branch runs for about one input in 2^22.
 * erff is float code (no contractions): plain C float arithmetic reproduces it, with expf_fast inside.
 */
#include "rng_libm.h"

/* The tables (described in rng_libm.h). */
const uint64_t EXP2F_TAB[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51, 0x3fef72b83c7d517b,
    0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1, 0x3fef06fe0a31b715, 0x3feef1a7373aa9cb,
    0x3feedea64c123422, 0x3feece086061892d, 0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429,
    0x3feea47eb03a5585, 0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d, 0x3feee89f995ad3ad,
    0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069, 0x3fef5818dcfba487, 0x3fef7c97337b9b5f,
    0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};
const double LOGF_INVC[16] = {
    0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0,  0x1.3c995b0b80385p+0,
    0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0,  0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
    0x1.0953f419900a7p+0, 0x1p+0,               0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
    0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
};
const double LOGF_LOGC[16] = {
    -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
    -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3,   -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
    -0x1.252f438e10c1ep-5, 0x0p+0,                0x1.aa5aa5df25984p-5,  0x1.c5e53aa362eb4p-4,
    0x1.526e57720db08p-3,  0x1.bc2860d22477p-3,   0x1.1058bc8a07ee1p-2,  0x1.4043057b6ee09p-2,
};

/* ---- Ziv test ------------------------------------------------------------------------------------------------ */

/*
 * True when the double q rounds to float32 the same way as every double within `tol` ulps of it: its bits below
 * the float32 mantissa are not within tol of the midpoint pattern, and q is in the float32 normal range (with
 * zero excluded by the callers). Rounding boundaries are the midpoints (low 29 bits == 0x10000000); crossing a
 * power of two changes the double ulp by a factor of 2 but moves no midpoint, so a margin in ulps of q suffices.
 */
IK_INLINE int ziv_ok(double q) {
  uint64_t b = f64_bits(q);
  uint32_t low = (uint32_t)b & 0x1FFFFFFFu;
  uint32_t d = low > 0x10000000u ? low - 0x10000000u : 0x10000000u - low;
  uint32_t e = (uint32_t)(b >> 52) & 0x7FFu;
  return d > 64u && e >= 0x381u && e < 0x47Fu; /* 2^-126 <= |q| < 2^128 */
}

/* ---- expf ---------------------------------------------------------------------------------------------------- */

/* s = 2^(k/32) as glibc builds it: t = tab[k % 32] + (k << 47), as a double. */
IK_INLINE double exp2f_scale(int64_t k) { return f64_from_bits(EXP2F_TAB[k & 31] + ((uint64_t)k << 47)); }

/* The special cases of e_expf.c for |x| >= 88 or NaN (abstop >= 0x42b); returns 1 when *out was set. */
IK_INLINE int expf_special(float x, float *out) {
  uint32_t bits = f32_bits(x);
  if (((bits >> 20) & 0x7FF) < 0x42B) return 0;
  if (bits == 0xFF800000u) *out = 0.0f;
  else if (((bits >> 20) & 0x7FF) >= 0x7F8) *out = x + x;
  else if (x > f32_from_bits(0x42b17217)) *out = __builtin_inff(); /* 0x1.62e42ep6f */
  else if (x < f32_from_bits(0xc2cff1b4)) *out = 0.0f;             /* -0x1.9fe368p6f */
  else if (x < f32_from_bits(0xc2ce8ecf)) *out = 0x1p-149f;        /* __math_may_uflowf */
  else return 0;
  return 1;
}

/* e_expf.c in the FMA build, every fma exact (src/rng/libm.ts expf/expfCore). */
float ik_expf_exact(float x) {
  float sp;
  if (expf_special(x, &sp)) return sp;
  double xd = (double)x;
  double kd = ik_fma64(EXP_INVLN2N, xd, EXP_SHIFT); /* z = InvLn2N * xd contracted into kd = z + SHIFT */
  uint64_t ki = f64_bits(kd);
  kd -= EXP_SHIFT;
  double r = ik_fma64(EXP_INVLN2N, xd, -kd); /* r = z - kd */
  double s = f64_from_bits(EXP2F_TAB[ki % 32] + (ki << 47));
  double z = ik_fma64(EXP_C0, r, EXP_C1);
  double r2 = r * r;
  double y = ik_fma64(EXP_C2, r, 1.0);
  y = ik_fma64(z, r2, y);
  return (float)(y * s);
}

/*
 * expf, fast. kd and r: with InvLn2N = HI + LO (HI of 29 bits, LO of 24), p1 = xd*HI and p2 = xd*LO are exact,
 * so P = p1 + p2 is the exact product. kd = RN(P + SHIFT) is the integer nearest P (ties to even); k = RNE(t) with
 * t = RN(p1 + p2) agrees except when t lands exactly on a half-integer (P itself a half-integer or not): that case
 * goes to the exact version. r = RN(P - k) = RN((p1 - k) + p2), where p1 - k is exact (|p1 - k| < 1 and k is a
 * multiple of p1's ulp), so one rounding of an exact sum: glibc's r. The polynomial is evaluated unfused:
 * |y_fast - y| <= 2^-51 (|r| <= 1/2: C0*r, C2*r and z*r2 are far smaller than the terms they are added to, so
 * each unfused step adds at most one ulp), hence q = y*s moves by at most about 5 ulps; the Ziv test allows 64.
 */
float ik_expf_fast(float x) {
  float sp;
  if (IK_UNLIKELY(expf_special(x, &sp))) return sp;
  double xd = (double)x;
  double p1 = xd * EXP_INVLN2N_HI, p2 = xd * EXP_INVLN2N_LO;
  double t = p1 + p2;
  double kd = (t + EXP_SHIFT) - EXP_SHIFT;
  double frac = t - kd;
  if (IK_UNLIKELY(frac == 0.5 || frac == -0.5)) return ik_expf_exact(x);
  double r = (p1 - kd) + p2;
  double s = exp2f_scale((int64_t)kd);
  double z = EXP_C0 * r + EXP_C1;
  double r2 = r * r;
  double y = EXP_C2 * r + 1.0;
  y = z * r2 + y;
  double q = y * s;
  if (IK_UNLIKELY(!ziv_ok(q))) return ik_expf_exact(x);
  return (float)q;
}

/* ---- logf ---------------------------------------------------------------------------------------------------- */

/* e_logf.c in the FMA build, every fma exact (src/rng/libm.ts logf). */
float ik_logf_exact(float x) {
  uint32_t ix = f32_bits(x);
  if (ix == 0x3f800000u) return 0.0f;
  if (ix - 0x00800000u >= 0x7f800000u - 0x00800000u) {
    if ((ix & 0x7fffffffu) == 0) return -__builtin_inff(); /* __math_divzerof(1) */
    if (ix == 0x7f800000u) return x;
    if ((ix & 0x80000000u) || ix >= 0x7f800000u) return __builtin_nanf(""); /* __math_invalidf(x) */
    ix = f32_bits(x * 0x1p23f) - (23u << 23);                                 /* subnormal: normalize */
  }
  uint32_t tmp = ix - LOGF_OFF;
  int i = (tmp >> 19) & 15;
  int k = (int32_t)tmp >> 23;
  uint32_t iz = ix - (tmp & 0xff800000u);
  double z = (double)f32_from_bits(iz);
  double r = ik_fma64(z, LOGF_INVC[i], -1.0);
  double y0 = ik_fma64((double)k, LOGF_LN2, LOGF_LOGC[i]);
  double r2 = r * r;
  double y = ik_fma64(LOGF_A1, r, LOGF_A2);
  y = ik_fma64(LOGF_A0, r2, y);
  y = ik_fma64(y, r2, r + y0);
  return (float)y;
}

/* y0 = fma(k, Ln2, logc[i]) for k in [LOGF_KMIN, 0], computed exactly once (ik_logf_init). */
double ik_logf_y0[(1 - LOGF_KMIN) * 16];
double ik_logf_invc_hi[16], ik_logf_invc_lo[16];
static int logf_ready;

static void logf_init(void) {
  for (int k = LOGF_KMIN; k <= 0; k++)
    for (int i = 0; i < 16; i++) ik_logf_y0[(k - LOGF_KMIN) * 16 + i] = ik_fma64((double)k, LOGF_LN2, LOGF_LOGC[i]);
  for (int i = 0; i < 16; i++) {
    /* invc = hi + lo with hi = invc cut to 29 significant bits: z*hi (24 + 29 bits) and z*lo (24 + 24) exact. */
    ik_logf_invc_hi[i] = f64_from_bits(f64_bits(LOGF_INVC[i]) & ~((1ull << 24) - 1));
    ik_logf_invc_lo[i] = LOGF_INVC[i] - ik_logf_invc_hi[i];
  }
  logf_ready = 1;
}

/*
 * logf, fast, for normal positive x with 2^k-scaling exponent k in [LOGF_KMIN, 0] (x in about [2^-41, 1.4));
 * anything else takes the exact version. r = fma(z, invc, -1) exactly: z*hi lies in [0.5, 2] (z and 1/invc are
 * within 3% of each other), so z*hi - 1 is exact (Sterbenz), z*lo is exact, and their sum rounds once. y0 comes
 * from the exact table. The polynomial is unfused: |r| < 1/32 makes A1*r, A0*r2 and y*r2 small against the terms
 * they join, so y moves by at most about 2 ulps; the Ziv test allows 64. x == 1 (result 0) is not normal for the
 * Ziv test and takes the exact path.
 */
float ik_logf_fast(float x) {
  uint32_t ix = f32_bits(x);
  uint32_t tmp = ix - LOGF_OFF;
  int k = (int32_t)tmp >> 23;
  if (IK_UNLIKELY(ix - 0x00800000u >= 0x7f800000u - 0x00800000u || k < LOGF_KMIN || k > 0 || !logf_ready)) return ik_logf_exact(x);
  int i = (tmp >> 19) & 15;
  double z = (double)f32_from_bits(ix - (tmp & 0xff800000u));
  double r = (z * ik_logf_invc_hi[i] - 1.0) + z * ik_logf_invc_lo[i];
  double y0 = ik_logf_y0[(k - LOGF_KMIN) * 16 + i];
  double r2 = r * r;
  double y = LOGF_A1 * r + LOGF_A2;
  y = LOGF_A0 * r2 + y;
  y = y * r2 + (r + y0);
  if (IK_UNLIKELY(!ziv_ok(y))) return ik_logf_exact(x);
  return (float)y;
}

void ik_libm_init(void) {
  if (!logf_ready) logf_init();
}

/* ---- erff ---------------------------------------------------------------------------------------------------- */

/* s_erff.c (src/rng/libm.ts erff): float arithmetic throughout, expf through expf_fast (exactly glibc's). */
float ik_erff(float x) {
  int32_t hx = (int32_t)f32_bits(x);
  int32_t ix = hx & 0x7fffffff;
  if (ix >= 0x7f800000) { /* erf(nan) = nan, erf(±inf) = ±1 */
    int32_t i = (int32_t)((uint32_t)hx >> 31) << 1;
    return (float)(1 - i) + 1.0f / x;
  }
  if (ix < 0x3f580000) { /* |x| < 0.84375 */
    if (ix < 0x31800000) { /* |x| < 2**-28 */
      if (ix < 0x04000000) return 0.0625f * (16.0f * x + EFX16 * x); /* avoid spurious underflow */
      return x + EFX * x;
    }
    float z = x * x;
    float r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
    float s = 1.0f + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
    float y = r / s;
    return x + x * y;
  }
  if (ix < 0x3fa00000) { /* 0.84375 <= |x| < 1.25 */
    float s = __builtin_fabsf(x) - 1.0f;
    float P = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
    float Q = 1.0f + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
    return hx >= 0 ? ERX + P / Q : -ERX - P / Q;
  }
  if (ix >= 0x40c00000) { /* inf > |x| >= 6 */
    const float tiny = 1e-30f;
    return hx >= 0 ? 1.0f - tiny : tiny - 1.0f;
  }
  float ax = __builtin_fabsf(x);
  float s = 1.0f / (ax * ax);
  float R, S;
  if (ix < 0x4036DB6E) { /* |x| < 1/0.35 */
    R = RA0 + s * (RA1 + s * (RA2 + s * (RA3 + s * (RA4 + s * (RA5 + s * (RA6 + s * RA7))))));
    S = 1.0f + s * (SA1 + s * (SA2 + s * (SA3 + s * (SA4 + s * (SA5 + s * (SA6 + s * (SA7 + s * SA8)))))));
  } else { /* |x| >= 1/0.35 */
    R = RB0 + s * (RB1 + s * (RB2 + s * (RB3 + s * (RB4 + s * (RB5 + s * RB6)))));
    S = 1.0f + s * (SB1 + s * (SB2 + s * (SB3 + s * (SB4 + s * (SB5 + s * (SB6 + s * SB7))))));
  }
  float z = f32_from_bits((uint32_t)ix & 0xfffff000u);
  float r = ik_expf_fast(-z * z - 0.5625f) * ik_expf_fast((z - ax) * (z + ax) + R / S);
  return hx >= 0 ? 1.0f - r / ax : r / ax - 1.0f;
}
