/*
 * float32 `uniform_(from, to)`, as PyTorch 1.13's CPU kernel computes it:
 * aten/src/ATen/native/cpu/DistributionTemplates.h `uniform_kernel` -> core/DistributionsHelper.h
 * `uniform_real_distribution<float>` + core/TransformationHelper.h `uniform_real`:
 *     x = (random() & 0xFFFFFF) * 2^-24;   out = x * (to - from) + from
 * which GCC contracts to one fused multiply-add on the AVX2/AVX-512 builds (torch-cpu-rng.md §2.2), so
 *     out = fmaf(x, range, lo)            (lo = f32(from), range = f32(f32(to) - lo))
 * The TypeScript reference is uniformF32 in src/rng/kernels.ts.
 *
 * Vectorized exactly: with k = w & 0xFFFFFF, the product k * (range * 2^-24) is exact in double (24 x 24 bits) and
 * the double sum s = RN(k * range' + lo) rounds once, so f32(s) is the fused result except when s is a float32
 * double-rounding hazard (an exact float32 midpoint, or below the float32 normal range); those lanes are redone
 * with the scalar exact fmaf. When the caller has proven the double sum exact for every k (uniformSumIsExact in
 * kernels.ts: true for symmetric ranges and most others) the hazard test is skipped: an exact s rounds once.
 *
 * Cheapest of all, when lo = j * range * 2^-24 for an integer j in [-2^24, 0] (lo = 0 as in rand(), lo = -range/2 for
 * every symmetric bound [-b, b) as in kaiming/xavier_uniform_, lo = -range): then x*range + lo = range' * (k + j)
 * exactly, with range' = range * 2^-24 a float and k + j an integer of at most 24 bits, so the fused result is the
 * single float32 product f32(range' * (k + j)), one f32x4 multiply per four elements.
 */
#include "rng.h"

typedef struct {
  v128_t rs;  /* range * 2^-24 in both double lanes (exact) */
  v128_t lod; /* lo in both double lanes */
  v128_t rsf; /* range * 2^-24 in four float lanes (scaled mode) */
  v128_t j;   /* the integer offset j in four int lanes (scaled mode) */
  float lo, range;
} uniform_ctx;

/* Modes, chosen by the caller (wasmUniformF32 in src/rng/wasm/kernels.ts). */
enum { UNIFORM_GENERAL = 0, UNIFORM_EXACT_SUM = 1, UNIFORM_SCALED = 2 };

/* One element: x = (w & 0xFFFFFF) * 2^-24 (exact in float), fmaf(x, range, lo). */
IK_INLINE uint32_t uniform_word(uint32_t w, const void *vctx) {
  const uniform_ctx *c = (const uniform_ctx *)vctx;
  float x = (float)(int32_t)(w & 0xFFFFFFu) * 0x1p-24f;
  return f32_bits(ik_fmaf(x, c->range, c->lo));
}

/* The double sums k * range' + lo of four words (two per vector). */
IK_INLINE void uniform_sums(v128_t words, const uniform_ctx *c, v128_t *s0, v128_t *s1) {
  v128_t k = wasm_v128_and(words, wasm_i32x4_const_splat(0xFFFFFF));
  *s0 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(k), c->rs), c->lod);
  *s1 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_convert_low_i32x4(wasm_i32x4_shuffle(k, k, 2, 3, 2, 3)), c->rs), c->lod);
}

/* Four elements when every sum is exact: one rounding each. */
IK_INLINE v128_t uniform_vec_exact(v128_t words, const void *vctx) {
  v128_t s0, s1;
  uniform_sums(words, (const uniform_ctx *)vctx, &s0, &s1);
  return pack_f64_to_f32(s0, s1);
}

/* Four elements in general: lanes whose sum is a double rounding hazard are redone exactly. */
IK_INLINE v128_t uniform_vec_checked(v128_t words, const void *vctx) {
  v128_t s0, s1;
  uniform_sums(words, (const uniform_ctx *)vctx, &s0, &s1);
  if (IK_UNLIKELY(wasm_v128_any_true(wasm_v128_or(vfd_hazard(s0), vfd_hazard(s1))))) {
    uint32_t w[4];
    wasm_v128_store(w, words);
    for (int j = 0; j < 4; j++) w[j] = uniform_word(w[j], vctx);
    return wasm_v128_load(w);
  }
  return pack_f64_to_f32(s0, s1);
}

/* Four elements when lo = j * range * 2^-24: f32(range' * (k + j)), exact integer conversion, one rounding. */
IK_INLINE v128_t uniform_vec_scaled(v128_t words, const void *vctx) {
  const uniform_ctx *c = (const uniform_ctx *)vctx;
  v128_t k = wasm_v128_and(words, wasm_i32x4_const_splat(0xFFFFFF));
  return wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_i32x4_add(k, c->j)), c->rsf);
}

/* Draw n words into dst (as floats): n uniforms, computed as `mode` allows (`j`: the offset of UNIFORM_SCALED). */
void ik_uniform_draw(float *dst, int n, float lo, float range, int mode, int32_t j) {
  uniform_ctx c;
  c.rs = wasm_f64x2_splat((double)range * 0x1p-24);
  c.lod = wasm_f64x2_splat((double)lo);
  c.rsf = wasm_f32x4_splat(range * 0x1p-24f);
  c.j = wasm_i32x4_splat(j);
  c.lo = lo;
  c.range = range;
  if (mode == UNIFORM_SCALED) ik_draw_map((uint32_t *)dst, n, uniform_vec_scaled, uniform_word, &c);
  else if (mode == UNIFORM_EXACT_SUM) ik_draw_map((uint32_t *)dst, n, uniform_vec_exact, uniform_word, &c);
  else ik_draw_map((uint32_t *)dst, n, uniform_vec_checked, uniform_word, &c);
}

/* Draw n (<= IK_CHUNK) words and write n uniforms to ik_io. */
void IK_EXPORT(ik_uniform_f32)(int n, float lo, float range, int mode, int32_t j) { ik_uniform_draw(ik_io, n, lo, range, mode, j); }

/*
 * Test probe (tests/rng/wasm.test.ts): map the n (<= IK_CHUNK) 32-bit words in ik_io to uniforms in place, with the
 * vector code of `mode` (so that constructed words can reach the rare double-rounding branch).
 */
void IK_EXPORT(ik_probe_uniform)(int n, float lo, float range, int mode, int32_t j) {
  uniform_ctx c;
  c.rs = wasm_f64x2_splat((double)range * 0x1p-24);
  c.lod = wasm_f64x2_splat((double)lo);
  c.rsf = wasm_f32x4_splat(range * 0x1p-24f);
  c.j = wasm_i32x4_splat(j);
  c.lo = lo;
  c.range = range;
  uint32_t *w = (uint32_t *)ik_io;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(w + i);
    v = mode == UNIFORM_SCALED ? uniform_vec_scaled(v, &c) : mode == UNIFORM_EXACT_SUM ? uniform_vec_exact(v, &c) : uniform_vec_checked(v, &c);
    wasm_v128_store(w + i, v);
  }
  for (; i < n; i++) w[i] = uniform_word(w[i], &c);
}
