/*
 * Wide float arithmetic for the erfinv kernel: `vf` holds NV f32x4 vectors (4 * NV float lanes), `vd` NV f64x2
 * vectors (half of a vf's lanes as doubles, see vf_lo / vf_hi). Every operation acts on the NV parts and then
 * passes them through an empty asm barrier (VSYNC), which keeps the NV independent dependency chains in lockstep
 * in the emitted code (LLVM would otherwise emit one chain after the other), so that the long chains of dependent
 * float operations run NV independent operations per step. NV = 2 (eight lanes) measured best: NV = 1 leaves the
 * chains latency-bound, NV = 4 computes more rarely needed branches (erff ranges, erfinv's tail) per group.
 */
#ifndef IK_RNG_VF_H
#define IK_RNG_VF_H

#include "rng.h"

#ifndef NV
#define NV 2 /* 1, 2 or 4 */
#endif
typedef struct {
  v128_t v[NV];
} vf; /* 4 * NV floats (or int32 lanes, or lane masks) */
typedef struct {
  v128_t v[NV];
} vd; /* 2 * NV doubles (or int64 lanes, or lane masks) */

#if NV == 4
#define VSYNC(x) __asm__("" : "+r"((x).v[0]), "+r"((x).v[1]), "+r"((x).v[2]), "+r"((x).v[3]))
#elif NV == 2
#define VSYNC(x) __asm__("" : "+r"((x).v[0]), "+r"((x).v[1]))
#else
#define VSYNC(x) ((void)0)
#endif

#define VF_UNARY(name, expr)          \
  IK_INLINE vf name(vf a) {           \
    vf r;                             \
    for (int i = 0; i < NV; i++) {    \
      v128_t x = a.v[i];              \
      r.v[i] = (expr);                \
    }                                 \
    VSYNC(r);                         \
    return r;                         \
  }
#define VF_BINARY(name, expr)         \
  IK_INLINE vf name(vf a, vf b) {     \
    vf r;                             \
    for (int i = 0; i < NV; i++) {    \
      v128_t x = a.v[i], y = b.v[i];  \
      r.v[i] = (expr);                \
    }                                 \
    VSYNC(r);                         \
    return r;                         \
  }
#define VD_BINARY(name, expr)         \
  IK_INLINE vd name(vd a, vd b) {     \
    vd r;                             \
    for (int i = 0; i < NV; i++) {    \
      v128_t x = a.v[i], y = b.v[i];  \
      r.v[i] = (expr);                \
    }                                 \
    VSYNC(r);                         \
    return r;                         \
  }

IK_INLINE vf vf_splat(float c) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_f32x4_splat(c);
  return r;
}
IK_INLINE vf vi_splat(int32_t c) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_i32x4_splat(c);
  return r;
}
IK_INLINE vd vd_splat(double c) {
  vd r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_f64x2_splat(c);
  return r;
}
IK_INLINE vd vl_splat(int64_t c) {
  vd r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_i64x2_splat(c);
  return r;
}

VF_BINARY(vf_add, wasm_f32x4_add(x, y))
VF_BINARY(vf_sub, wasm_f32x4_sub(x, y))
VF_BINARY(vf_mul, wasm_f32x4_mul(x, y))
VF_BINARY(vf_div, wasm_f32x4_div(x, y))
VF_BINARY(vf_lt, wasm_f32x4_lt(x, y))
VF_BINARY(vf_le, wasm_f32x4_le(x, y))
VF_BINARY(vf_gt, wasm_f32x4_gt(x, y))
VF_BINARY(vf_ge, wasm_f32x4_ge(x, y))
VF_BINARY(vf_and, wasm_v128_and(x, y))
VF_BINARY(vf_andnot, wasm_v128_andnot(x, y)) /* a & ~b */
VF_BINARY(vf_or, wasm_v128_or(x, y))
VF_BINARY(vi_add, wasm_i32x4_add(x, y))
VF_BINARY(vi_sub, wasm_i32x4_sub(x, y))
VF_BINARY(vi_lt, wasm_i32x4_lt(x, y))
VF_BINARY(vi_le, wasm_i32x4_le(x, y))
VF_BINARY(vi_ge, wasm_i32x4_ge(x, y))
VF_UNARY(vf_abs, wasm_f32x4_abs(x))
VF_UNARY(vf_neg, wasm_f32x4_neg(x))
VF_UNARY(vf_sqrt, wasm_f32x4_sqrt(x))
VF_UNARY(vf_not, wasm_v128_not(x))

/* m ? a : b, lane by lane (m is a mask). */
IK_INLINE vf vf_select(vf m, vf a, vf b) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_v128_bitselect(a.v[i], b.v[i], m.v[i]);
  VSYNC(r);
  return r;
}
IK_INLINE vf vi_shr(vf a, int n) { /* arithmetic */
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_i32x4_shr(a.v[i], n);
  return r;
}
IK_INLINE vf vi_shru(vf a, int n) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_u32x4_shr(a.v[i], n);
  return r;
}
IK_INLINE vf vi_shl(vf a, int n) {
  vf r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_i32x4_shl(a.v[i], n);
  return r;
}
IK_INLINE int vf_any(vf m) {
  v128_t o = m.v[0];
  for (int i = 1; i < NV; i++) o = wasm_v128_or(o, m.v[i]);
  return wasm_v128_any_true(o);
}
IK_INLINE int vf_all(vf m) {
  v128_t a = m.v[0];
  for (int i = 1; i < NV; i++) a = wasm_v128_and(a, m.v[i]);
  return wasm_i32x4_all_true(a);
}

VD_BINARY(vd_add, wasm_f64x2_add(x, y))
VD_BINARY(vd_sub, wasm_f64x2_sub(x, y))
VD_BINARY(vd_mul, wasm_f64x2_mul(x, y))
VD_BINARY(vd_eq, wasm_f64x2_eq(x, y))
VD_BINARY(vd_or, wasm_v128_or(x, y))
IK_INLINE vd vd_abs(vd a) {
  vd r;
  for (int i = 0; i < NV; i++) r.v[i] = wasm_f64x2_abs(a.v[i]);
  VSYNC(r);
  return r;
}

/*
 * The first half of the float lanes of a as doubles (parts 0 .. NV/2-1, each giving two f64x2), and the second
 * half; vf_join is the inverse (each double rounded to float32 once); vd_mask_join turns the two halves' 64-bit
 * lane masks back into 32-bit lane masks. With NV == 1 the "halves" are the low and high pairs of the one vector.
 */
IK_INLINE vd vf_lo(vf a) {
  vd r;
#if NV == 1
  r.v[0] = lo_f32_to_f64(a.v[0]);
#else
  for (int i = 0; i < NV / 2; i++) {
    r.v[2 * i] = lo_f32_to_f64(a.v[i]);
    r.v[2 * i + 1] = hi_f32_to_f64(a.v[i]);
  }
#endif
  VSYNC(r);
  return r;
}
IK_INLINE vd vf_hi(vf a) {
  vd r;
#if NV == 1
  r.v[0] = hi_f32_to_f64(a.v[0]);
#else
  for (int i = 0; i < NV / 2; i++) {
    r.v[2 * i] = lo_f32_to_f64(a.v[NV / 2 + i]);
    r.v[2 * i + 1] = hi_f32_to_f64(a.v[NV / 2 + i]);
  }
#endif
  VSYNC(r);
  return r;
}
IK_INLINE vf vf_join(vd lo, vd hi) {
  vf r;
#if NV == 1
  r.v[0] = pack_f64_to_f32(lo.v[0], hi.v[0]);
#else
  for (int i = 0; i < NV / 2; i++) {
    r.v[i] = pack_f64_to_f32(lo.v[2 * i], lo.v[2 * i + 1]);
    r.v[NV / 2 + i] = pack_f64_to_f32(hi.v[2 * i], hi.v[2 * i + 1]);
  }
#endif
  VSYNC(r);
  return r;
}
IK_INLINE vf vd_mask_join(vd lo, vd hi) {
  vf r;
#if NV == 1
  r.v[0] = wasm_i32x4_shuffle(lo.v[0], hi.v[0], 0, 2, 4, 6);
#else
  for (int i = 0; i < NV / 2; i++) {
    r.v[i] = wasm_i32x4_shuffle(lo.v[2 * i], lo.v[2 * i + 1], 0, 2, 4, 6);
    r.v[NV / 2 + i] = wasm_i32x4_shuffle(hi.v[2 * i], hi.v[2 * i + 1], 0, 2, 4, 6);
  }
#endif
  return r;
}

#endif
