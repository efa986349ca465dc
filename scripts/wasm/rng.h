/*
 * initkit WebAssembly kernels: shared declarations.
 *
 * Built by scripts/build-wasm.mjs with clang for wasm32 + simd128 (no libc); the module is embedded in
 * src/rng/wasm/module.ts and driven by src/rng/wasm/backend.ts. Every kernel reproduces the pure-TypeScript
 * reference in src/rng/ bit for bit (which in turn reproduces PyTorch 1.13's CPU kernels, see
 * ../shared/reference/torch-cpu-rng.md); tests/rng/wasm*.test.ts compare the two.
 *
 * Memory model: the module owns a fixed memory (no growth, no malloc). The JavaScript side writes the random
 * engine's state into `ik_state` before a kernel call and reads it back afterwards, and copies each chunk of
 * output out of `ik_io` (at most IK_CHUNK elements per call).
 *
 * Floating point: WebAssembly float arithmetic is IEEE-754 binary32/binary64 with round-to-nearest-even and no
 * excess precision, and there is no fused multiply-add instruction, so clang cannot contract anything: every
 * `a * b + c` below is two roundings unless it is explicitly emulated as a fused operation.
 */
#ifndef IK_RNG_H
#define IK_RNG_H

#include <stdint.h>
#include <wasm_simd128.h>

#define IK_EXPORT(name) __attribute__((export_name(#name))) name
#define IK_INLINE static inline __attribute__((always_inline))
#define IK_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Largest number of elements one kernel call produces into ik_io. A multiple of 16 (the normal_ block). */
#define IK_CHUNK 8192

/* MT19937 parameters (aten/src/ATen/core/MT19937RNGEngine.h). */
#define MT_N 624
#define MT_M 397

/*
 * The random engine's state, mirrored from the JavaScript object for the duration of one call.
 * Field offsets are part of the interface with src/rng/wasm/backend.ts (all fields are 32-bit words):
 *   word 0      kind: 0 = MT19937 (Generator), 1 = Philox4x32-10 (PhiloxGenerator)
 *   word 1, 2   MT19937 `left`, `next` (Generator's fields of the same names)
 *   word 3..8   Philox key k0, k1, stream s0, s1, block counter b0 (low), b1 (high)
 *   word 9      Philox lane (0..3: next word is block[lane] of the computed block; 4: block not computed)
 *   word 10..13 Philox buffered block (valid when lane < 4)
 *   word 16..   the 624 MT19937 words
 */
typedef struct {
  uint32_t kind;
  int32_t mt_left;
  int32_t mt_next;
  uint32_t k0, k1, s0, s1, b0, b1;
  uint32_t lane;
  uint32_t block[4];
  uint32_t pad[2];
  uint32_t mt[MT_N];
} ik_state_t;

extern ik_state_t ik_state;
/* The I/O buffer: IK_CHUNK elements (and 32 spare). */
extern float ik_io[IK_CHUNK + 32];

/* Writes the next n 32-bit outputs of the engine in ik_state into dst, exactly as n `random()` calls would. */
void ik_fill_words(uint32_t *dst, int n);

/* MT19937 `twist()` of the 624 words at s (rng_engine.c). */
void ik_mt_twist(uint32_t *s);

/* MT19937 tempering of one word, and of four (MT19937RNGEngine.h `operator()`). */
static inline uint32_t ik_temper(uint32_t y) {
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  y ^= y >> 18;
  return y;
}
static inline v128_t ik_temper_vec(v128_t y) {
  y = wasm_v128_xor(y, wasm_u32x4_shr(y, 11));
  y = wasm_v128_xor(y, wasm_v128_and(wasm_i32x4_shl(y, 7), wasm_u32x4_splat(0x9d2c5680u)));
  y = wasm_v128_xor(y, wasm_v128_and(wasm_i32x4_shl(y, 15), wasm_u32x4_splat(0xefc60000u)));
  return wasm_v128_xor(y, wasm_u32x4_shr(y, 18));
}

/* Maps for ik_draw_map: `vmap` maps four words to four 32-bit results, `smap` one word (for the ends). */
typedef v128_t (*ik_vec_map)(v128_t words, const void *ctx);
typedef uint32_t (*ik_word_map)(uint32_t word, const void *ctx);

/*
 * ik_draw_map for MT19937: the words are tempered straight from the state into the map (no intermediate buffer),
 * in Generator.fillU32's order (when no tempered word is left, twist). With identity maps it is the engine's fill.
 */
static inline __attribute__((always_inline)) void ik_mt_draw_map(uint32_t *dst, int n, ik_vec_map vmap, ik_word_map smap, const void *ctx) {
  ik_state_t *st = &ik_state;
  int i = 0;
  while (i < n) {
    if (st->mt_left == 1) {
      ik_mt_twist(st->mt);
      st->mt_left = MT_N + 1; /* k draws then leave left = 625 - k, as k single draws after a twist would */
      st->mt_next = 0;
    }
    int k = st->mt_left - 1;
    if (k > n - i) k = n - i;
    const uint32_t *src = st->mt + st->mt_next;
    uint32_t *out = dst + i;
    int j = 0;
    for (; j + 4 <= k; j += 4) wasm_v128_store(out + j, vmap(ik_temper_vec(wasm_v128_load(src + j)), ctx));
    for (; j < k; j++) out[j] = smap(ik_temper(src[j]), ctx);
    st->mt_next += k;
    st->mt_left -= k;
    i += k;
  }
}

/*
 * Draw n words and store map(word) for each into dst (4 bytes per element), in stream order: MT19937 through
 * ik_mt_draw_map; Philox fills dst with words first and maps them in place. Always inlined with constant maps, so
 * the maps are inlined too.
 */
static inline __attribute__((always_inline)) void ik_draw_map(uint32_t *dst, int n, ik_vec_map vmap, ik_word_map smap, const void *ctx) {
  if (ik_state.kind != 0) {
    ik_fill_words(dst, n);
    int j = 0;
    for (; j + 4 <= n; j += 4) wasm_v128_store(dst + j, vmap(wasm_v128_load(dst + j), ctx));
    for (; j < n; j++) dst[j] = smap(dst[j], ctx);
    return;
  }
  ik_mt_draw_map(dst, n, vmap, smap, ctx);
}

/* ---- small helpers ------------------------------------------------------------------------------------------- */

IK_INLINE uint32_t f32_bits(float x) { return __builtin_bit_cast(uint32_t, x); }
IK_INLINE float f32_from_bits(uint32_t b) { return __builtin_bit_cast(float, b); }
IK_INLINE uint64_t f64_bits(double x) { return __builtin_bit_cast(uint64_t, x); }
IK_INLINE double f64_from_bits(uint64_t b) { return __builtin_bit_cast(double, b); }

/*
 * fmaf(a, b, c) for float a, b, c, correctly rounded (src/rng/fma.ts): a*b is exact in double (48 bits), so only
 * the double sum s rounds; rounding s again to float is wrong only when s lands exactly on a float32 midpoint
 * without being the exact sum. That case is detected from the bits of s and resolved with the sum's exact error.
 * Valid for results in the float32 normal range and for subnormal results (handled by the generic branch).
 */
float ik_fmaf_slow(double p, double c, double s);
IK_INLINE float ik_fmaf(float a, float b, float c) {
  double p = (double)a * (double)b;
  double s = p + (double)c;
  uint64_t bits = f64_bits(s);
  /* Low 29 bits of a double = the bits below a float32 mantissa; 0x10000000 = exactly half a float ulp. */
  if (IK_UNLIKELY((bits & 0x1FFFFFFFu) == 0x10000000u || (bits & 0x7FF0000000000000ull) < 0x3810000000000000ull))
    return ik_fmaf_slow(p, (double)c, s);
  return (float)s;
}

/* Correctly rounded double fma (Boldo & Melquiond 2008, as src/rng/fma.ts and src/rng/libm.ts). */
double ik_fma64(double a, double b, double c);

/* ---- SIMD helpers -------------------------------------------------------------------------------------------- */

/* A pair of float32 values held exactly in the two double lanes of a v128 ("float in double" form). */
typedef v128_t vfd;

/*
 * An optimization barrier that emits no code: LLVM otherwise folds a demote followed by a promote into a <2 x float>
 * round trip that it scalarizes into lane extracts (about 10x slower).
 */
IK_INLINE v128_t opaque(v128_t x) {
  __asm__("" : "+r"(x));
  return x;
}

/* Round both double lanes to float32 and back: one float32 rounding of each lane. */
IK_INLINE vfd vfd_round(v128_t x) { return wasm_f64x2_promote_low_f32x4(opaque(wasm_f32x4_demote_f64x2_zero(x))); }

/*
 * Lanes of a double vector s whose rounding to float32 is a double rounding hazard: s is exactly a float32
 * midpoint (low 29 bits == 0x10000000), or s lies below the float32 normal range (where the float grid is coarser
 * and the bit test does not apply). Zero is not a hazard. Returns an all-ones 64-bit lane mask.
 */
IK_INLINE v128_t vfd_hazard(v128_t s) {
  const v128_t low29 = wasm_i64x2_const_splat(0x1FFFFFFF);
  const v128_t half = wasm_i64x2_const_splat(0x10000000);
  v128_t mid = wasm_i64x2_eq(wasm_v128_and(s, low29), half);
  v128_t a = wasm_f64x2_abs(s);
  v128_t tiny = wasm_v128_and(wasm_f64x2_lt(a, wasm_f64x2_const_splat(0x1p-126)), wasm_f64x2_gt(a, wasm_f64x2_const_splat(0.0)));
  return wasm_v128_or(mid, tiny);
}

/* Midpoint-only hazard test, for sums proven (or exhaustively verified) to stay in the float32 normal range. */
IK_INLINE v128_t vfd_midpoint(v128_t s) {
  return wasm_i64x2_eq(wasm_v128_and(s, wasm_i64x2_const_splat(0x1FFFFFFF)), wasm_i64x2_const_splat(0x10000000));
}

/* The two low float lanes of v as doubles, and the two high ones. */
IK_INLINE v128_t lo_f32_to_f64(v128_t v) { return wasm_f64x2_promote_low_f32x4(v); }
IK_INLINE v128_t hi_f32_to_f64(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
/* Two double vectors rounded to float32 and packed into one float vector (lanes a0, a1, b0, b1). */
IK_INLINE v128_t pack_f64_to_f32(v128_t a, v128_t b) {
  return wasm_i32x4_shuffle(wasm_f32x4_demote_f64x2_zero(a), wasm_f32x4_demote_f64x2_zero(b), 0, 1, 4, 5);
}

#endif
