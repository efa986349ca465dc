/*
 * Correctly rounded fused multiply-adds for a target without an fma instruction (WebAssembly), the C versions of
 * src/rng/fma.ts (fmaf) and src/rng/libm.ts (fma64).
 */
#include "rng.h"

/*
 * The rare branch of ik_fmaf: p = a*b (exact), c, s = RN(p + c). If s is a float32 value, or is not a float32
 * midpoint, f32(s) is correct; otherwise the exact error of s (TwoSum, Knuth) says on which side of the midpoint
 * the exact sum lies (zero: a true tie, rounded to even as f32(s) does).
 */
float ik_fmaf_slow(double p, double c, double s) {
  float r = (float)s;
  if ((double)r == s) return r;
  double d = s - (double)r;
  double t = (double)r + 2.0 * d; /* the other float neighbour when s is a midpoint */
  if ((double)(float)t != t) return r;
  double bb = s - p;
  double e = (p - (s - bb)) + (c - bb);
  if (e == 0) return r; /* exact tie: round half to even, which the conversion did */
  float nb = (float)t;
  if (e > 0) return r > nb ? r : nb;
  return r < nb ? r : nb;
}

/*
 * fma(a, b, c) in double, correctly rounded (Boldo & Melquiond 2008, "Emulation of FMA and correctly rounded sums:
 * proved algorithms using rounding to odd", IEEE TC 57(4), Algorithm 5.4): Dekker's exact product, TwoSum with c,
 * the two low parts added with rounding to odd, then one round to nearest. Valid while no partial product
 * overflows or underflows; every caller here has |a|, |b|, |c| < 2^20 and |a*b| 0 or > 2^-300.
 */
double ik_fma64(double a, double b, double c) {
  const double split = 134217729.0; /* 2^27 + 1 */
  double p = a * b;
  double t = split * a;
  double ah = t - (t - a), al = a - ah;
  t = split * b;
  double bh = t - (t - b), bl = b - bh;
  double pe = ah * bh - p + ah * bl + al * bh + al * bl; /* a*b = p + pe exactly */
  if (pe == 0) return p + c;
  double s = p + c;
  double bv = s - p;
  double se = (p - (s - bv)) + (c - bv); /* p + c = s + se exactly */
  double v = se + pe;
  double bw = v - se;
  double ve = (se - (v - bw)) + (pe - bw);
  if (ve != 0) {
    uint64_t bits = f64_bits(v);
    if ((bits & 1) == 0) {
      /* Round to odd: step one ulp towards the exact value (v != 0 here). */
      if ((v > 0) == (ve > 0)) bits += 1;
      else bits -= 1;
      v = f64_from_bits(bits);
    }
  }
  return s + v;
}
