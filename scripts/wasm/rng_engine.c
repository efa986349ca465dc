/*
 * The two random engines, vectorized: PyTorch's CPU MT19937 (src/rng/generator.ts) and Philox4x32-10
 * (src/rng/philox.ts). `ik_fill_words` has exactly the semantics of the engines' `fillU32`, including where the
 * position (`left`/`next`, or block counter and lane) ends, so the JavaScript object can resume after the call.
 */
#include "rng.h"

ik_state_t ik_state;
float ik_io[IK_CHUNK + 32] __attribute__((aligned(16)));

/* Addresses for the JavaScript side. */
uint32_t IK_EXPORT(ik_state_ptr)(void) { return (uint32_t)(uintptr_t)&ik_state; }
uint32_t IK_EXPORT(ik_io_ptr)(void) { return (uint32_t)(uintptr_t)ik_io; }
uint32_t IK_EXPORT(ik_chunk)(void) { return IK_CHUNK; }

/* ---- MT19937 ------------------------------------------------------------------------------------------------- */

#define MATRIX_A 0x9908b0dfu
#define UPPER_MASK 0x80000000u
#define LOWER_MASK 0x7fffffffu

/* One step of the twist for word i, with `nxt` = s[i+1] and `far` = s[i+M] (indices mod N). */
IK_INLINE uint32_t twist_word(uint32_t cur, uint32_t nxt, uint32_t far) {
  uint32_t y = (cur & UPPER_MASK) | (nxt & LOWER_MASK);
  return far ^ (y >> 1) ^ ((0u - (nxt & 1u)) & MATRIX_A);
}

IK_INLINE v128_t twist_vec(v128_t cur, v128_t nxt, v128_t far) {
  v128_t y = wasm_v128_or(wasm_v128_and(cur, wasm_u32x4_splat(UPPER_MASK)), wasm_v128_and(nxt, wasm_u32x4_splat(LOWER_MASK)));
  v128_t mag = wasm_v128_and(wasm_i32x4_neg(wasm_v128_and(nxt, wasm_u32x4_splat(1))), wasm_u32x4_splat(MATRIX_A));
  return wasm_v128_xor(wasm_v128_xor(far, wasm_u32x4_shr(y, 1)), mag);
}

/*
 * MT19937RNGEngine.h `twist()`: for i = 0..623 in order and in place, s[i] = s[i+M] ^ (y >> 1) ^ mag(s[i+1]).
 * Four consecutive words can be updated at once because each reads only words that the sequential loop has not
 * yet modified (s[i+1..i+4], and s[i+M..] for i < N-M) or modified at least N-M = 227 positions earlier
 * (s[i+M-N] for i >= N-M). The split points: i < 224 (vectors), 224..226 (scalar, first half), 227..622
 * (99 vectors), 623 (scalar, wraps to s[0]).
 */
void ik_mt_twist(uint32_t *s) {
  int i = 0;
  for (; i < 224; i += 4) {
    v128_t v = twist_vec(wasm_v128_load(s + i), wasm_v128_load(s + i + 1), wasm_v128_load(s + i + MT_M));
    wasm_v128_store(s + i, v);
  }
  for (; i < MT_N - MT_M; i++) s[i] = twist_word(s[i], s[i + 1], s[i + MT_M]);
  for (; i < MT_N - 1; i += 4) {
    v128_t v = twist_vec(wasm_v128_load(s + i), wasm_v128_load(s + i + 1), wasm_v128_load(s + i + MT_M - MT_N));
    wasm_v128_store(s + i, v);
  }
  s[MT_N - 1] = twist_word(s[MT_N - 1], s[0], s[MT_M - 1]);
}

/* Generator.fillU32: `left - 1` tempered words remain at s[next..]; when none remain (left == 1), twist. */
static inline v128_t id_vec(v128_t w, const void *ctx) { (void)ctx; return w; }
static inline uint32_t id_word(uint32_t w, const void *ctx) { (void)ctx; return w; }
static void mt_fill(uint32_t *dst, int n) { ik_mt_draw_map(dst, n, id_vec, id_word, 0); }

/* ---- Philox4x32-10 (Salmon et al. 2011) ---------------------------------------------------------------------- */

#define PH_M0 0xd2511f53u
#define PH_M1 0xcd9e8d57u
#define PH_W0 0x9e3779b9u
#define PH_W1 0xbb67ae85u

/* One block, scalar (philox4x32_10 in src/rng/philox.ts). */
static void philox_block(uint32_t c0, uint32_t c1, uint32_t c2, uint32_t c3, uint32_t k0, uint32_t k1, uint32_t *out) {
  for (int r = 0; r < 10; r++) {
    uint64_t p0 = (uint64_t)PH_M0 * c0;
    uint64_t p1 = (uint64_t)PH_M1 * c2;
    uint32_t n0 = (uint32_t)(p1 >> 32) ^ c1 ^ k0;
    uint32_t n2 = (uint32_t)(p0 >> 32) ^ c3 ^ k1;
    c0 = n0;
    c1 = (uint32_t)p1;
    c2 = n2;
    c3 = (uint32_t)p0;
    k0 += PH_W0;
    k1 += PH_W1;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

/*
 * i64x2.extmul_{low,high}_i32x4_u, written as inline assembly: clang 14 compiles wasm_u64x2_extmul_*_u32x4 to a
 * zero extension and a full i64x2.mul, which V8 builds from three multiplies instead of one pmuludq.
 */
IK_INLINE v128_t extmul_lo_u32(v128_t a, v128_t b) {
  v128_t r;
  __asm__("local.get %1\n\tlocal.get %2\n\ti64x2.extmul_low_i32x4_u\n\tlocal.set %0" : "=r"(r) : "r"(a), "r"(b));
  return r;
}
IK_INLINE v128_t extmul_hi_u32(v128_t a, v128_t b) {
  v128_t r;
  __asm__("local.get %1\n\tlocal.get %2\n\ti64x2.extmul_high_i32x4_u\n\tlocal.set %0" : "=r"(r) : "r"(a), "r"(b));
  return r;
}

/* High 32 bits of the four 32x32-bit products a[i] * b[i]. */
IK_INLINE v128_t mulhi_u32x4(v128_t a, v128_t b) {
  return wasm_i32x4_shuffle(extmul_lo_u32(a, b), extmul_hi_u32(a, b), 1, 3, 5, 7);
}

/* Counter vectors (c0, c1) of the four blocks b + j .. b + j + 3 (64-bit block index b = b1:b0, with carry). */
IK_INLINE void philox_counters(uint32_t b0, uint32_t b1, uint32_t j, v128_t *c0, v128_t *c1) {
  uint32_t x0 = b0 + j, x1 = b0 + j + 1, x2 = b0 + j + 2, x3 = b0 + j + 3;
  *c0 = wasm_u32x4_make(x0, x1, x2, x3);
  *c1 = wasm_u32x4_make(b1 + (x0 < b0), b1 + (x1 < b0), b1 + (x2 < b0), b1 + (x3 < b0));
}

/* Lanes j of c0..c3 are the four words of block j: store the four blocks in stream order. */
IK_INLINE void philox_store4(v128_t c0, v128_t c1, v128_t c2, v128_t c3, uint32_t *out) {
  v128_t t0 = wasm_i32x4_shuffle(c0, c1, 0, 4, 1, 5); /* b0w0 b0w1 b1w0 b1w1 */
  v128_t t1 = wasm_i32x4_shuffle(c2, c3, 0, 4, 1, 5); /* b0w2 b0w3 b1w2 b1w3 */
  v128_t t2 = wasm_i32x4_shuffle(c0, c1, 2, 6, 3, 7);
  v128_t t3 = wasm_i32x4_shuffle(c2, c3, 2, 6, 3, 7);
  wasm_v128_store(out + 0, wasm_i64x2_shuffle(t0, t1, 0, 2));
  wasm_v128_store(out + 4, wasm_i64x2_shuffle(t0, t1, 1, 3));
  wasm_v128_store(out + 8, wasm_i64x2_shuffle(t2, t3, 0, 2));
  wasm_v128_store(out + 12, wasm_i64x2_shuffle(t2, t3, 1, 3));
}

/*
 * Eight consecutive blocks (counters b .. b+7) at once, as two independent groups of four advanced round by round
 * together (a round is a short dependent chain, so two groups keep the multipliers busy): 32 words in stream
 * order. Each round is philox4x32_10's: (c0, c1, c2, c3) <- (hi(M1*c2) ^ c1 ^ k0, lo(M1*c2), hi(M0*c0) ^ c3 ^ k1,
 * lo(M0*c0)), then the key is bumped by the Weyl constants.
 */
static void philox_block8(uint32_t b0, uint32_t b1, uint32_t s0, uint32_t s1, uint32_t k0, uint32_t k1, uint32_t *out) {
  v128_t a0, a1, d0, d1;
  philox_counters(b0, b1, 0, &a0, &a1);
  philox_counters(b0, b1, 4, &d0, &d1);
  v128_t a2 = wasm_u32x4_splat(s0), a3 = wasm_u32x4_splat(s1), d2 = a2, d3 = a3;
  const v128_t m0 = wasm_u32x4_splat(PH_M0), m1 = wasm_u32x4_splat(PH_M1);
  for (int r = 0; r < 10; r++) {
    v128_t ka = wasm_u32x4_splat(k0), kb = wasm_u32x4_splat(k1);
    v128_t ahi0 = mulhi_u32x4(a0, m0), alo0 = wasm_i32x4_mul(a0, m0);
    v128_t dhi0 = mulhi_u32x4(d0, m0), dlo0 = wasm_i32x4_mul(d0, m0);
    v128_t ahi1 = mulhi_u32x4(a2, m1), alo1 = wasm_i32x4_mul(a2, m1);
    v128_t dhi1 = mulhi_u32x4(d2, m1), dlo1 = wasm_i32x4_mul(d2, m1);
    a0 = wasm_v128_xor(wasm_v128_xor(ahi1, a1), ka);
    d0 = wasm_v128_xor(wasm_v128_xor(dhi1, d1), ka);
    a1 = alo1;
    d1 = dlo1;
    a2 = wasm_v128_xor(wasm_v128_xor(ahi0, a3), kb);
    d2 = wasm_v128_xor(wasm_v128_xor(dhi0, d3), kb);
    a3 = alo0;
    d3 = dlo0;
    k0 += PH_W0;
    k1 += PH_W1;
  }
  philox_store4(a0, a1, a2, a3, out);
  philox_store4(d0, d1, d2, d3, out + 16);
}

IK_INLINE void philox_advance(ik_state_t *st, uint32_t blocks) {
  uint32_t b0 = st->b0 + blocks;
  if (b0 < st->b0) st->b1 += 1;
  st->b0 = b0;
}

/* PhiloxGenerator.fillU32: finish the buffered block, whole blocks, then a partially consumed block. */
static void philox_fill(uint32_t *dst, int n) {
  ik_state_t *st = &ik_state;
  int i = 0;
  while (i < n && st->lane < 4) {
    dst[i++] = st->block[st->lane++];
    if (st->lane == 4) philox_advance(st, 1);
  }
  while (n - i >= 32) {
    philox_block8(st->b0, st->b1, st->s0, st->s1, st->k0, st->k1, dst + i);
    philox_advance(st, 8);
    i += 32;
  }
  while (n - i >= 4) {
    philox_block(st->b0, st->b1, st->s0, st->s1, st->k0, st->k1, dst + i);
    philox_advance(st, 1);
    i += 4;
  }
  if (i < n) {
    philox_block(st->b0, st->b1, st->s0, st->s1, st->k0, st->k1, st->block);
    st->lane = 0;
    while (i < n) dst[i++] = st->block[st->lane++];
  }
}

void ik_fill_words(uint32_t *dst, int n) {
  if (ik_state.kind == 0) mt_fill(dst, n);
  else philox_fill(dst, n);
}

/* Fill ik_io with n (<= IK_CHUNK) raw words: the engine's fillU32. */
void IK_EXPORT(ik_fill_u32)(int n) { ik_fill_words((uint32_t *)ik_io, n); }
