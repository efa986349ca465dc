/**
 * Fused multiply-add, correctly rounded, for float32 and float64.
 *
 * PyTorch's CPU kernels are compiled by GCC with `-mavx2 -mfma` and the default `-ffp-contract=fast`, so
 * `x * (to - from) + from` and several polynomial steps become a single `vfmadd` with one rounding. JavaScript has
 * no fma, so these helpers compute the exact result with error-free transformations. See
 * ../shared/reference/torch-cpu-rng.md §2.3 and §2.4.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer); // little-endian: u32[0] is the low word

/**
 * `fmaf(a, b, c)`: float32 fused multiply-add, `f32(a·b + c)` with a single rounding.
 *
 * a, b, c must be float32 values. `a·b` is exact in double (48 significant bits), so only the addition can round;
 * double rounding (double, then float) is wrong only when the double sum lands exactly on a float32 midpoint, which
 * is detected cheaply and resolved with the exact error of the sum (TwoSum, Knuth 1969).
 */
export function fmaf(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (r === s) return r;
  // If s is not a float32 midpoint, r = fround(s) is the correctly rounded result (rounding is monotonic and
  // midpoints are doubles). s is a midpoint exactly when r + 2(s - r) is the neighbouring float.
  const d = s - r;
  const t = r + 2 * d;
  if (Math.fround(t) !== t) return r;
  return fmafSlow(p, c, s, r, t);
}

function fmafSlow(p: number, c: number, s: number, r: number, nb: number): number {
  // TwoSum: e is the exact error of s = p + c.
  const bb = s - p;
  const e = p - (s - bb) + (c - bb);
  if (e === 0) {
    // s is exact and a true tie: round half to even (choose the float with an even mantissa).
    return isEvenFloat32(r) ? r : nb;
  }
  // The exact value is s + e: on the side of the midpoint given by the sign of e.
  return e > 0 ? Math.max(r, nb) : Math.min(r, nb);
}

const f32a = new Float32Array(1);
const u32a = new Uint32Array(f32a.buffer);
function isEvenFloat32(x: number): boolean {
  f32a[0] = x;
  return (u32a[0]! & 1) === 0;
}

/** Veltkamp splitting constant for binary64: 2^27 + 1. */
const SPLIT = 134217729;
const FMA_TINY = 2 ** -900;
const FMA_HUGE = 2 ** 900;

/**
 * `fma(a, b, c)`: float64 fused multiply-add, correctly rounded (round to nearest even), i.e. what x86
 * `vfmadd*sd` computes. The one double fma of initkit: the kernels and the glibc ports (./libm.ts, ./libm64.ts)
 * all use it.
 *
 * Algorithm: `a·b = p + pe` exactly (Dekker's TwoProduct with Veltkamp splitting), `p + c = s + se` exactly (Knuth's
 * TwoSum), `v = RN(se + pe)` with its exact error `ve`, and `r = RN(s + v)`. As in Boldo & Melquiond (2008),
 * "Emulation of FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE Trans. Computers
 * 57(4), the only hazard is the double rounding of `se + pe`; it can change the result only when `s + v` is exactly
 * halfway between two doubles (|v| is below 2 ulp(s) whenever `ve` is non-zero). That tie is detected exactly
 * (`s + v = r + w` by TwoSum; a tie is `r + 2w` being the neighbour of r) and resolved by the sign of `ve`: a few
 * flops instead of round-to-odd bit manipulation, small enough for V8 to inline. The transformations are exact while
 * 2^-900 < |a|, |b|, |a·b| < 2^900 and |c| < 2^900; anything else (zero factors, tiny or huge operands, non-finite
 * values) takes an exact BigInt path, so the function is correct for all inputs (tests/rng/fma.test.ts,
 * tests/rng/libm64.test.ts and scripts/check-libm64.mjs compare it with the hardware fma).
 */
export function fma64(a: number, b: number, c: number): number {
  const p = a * b;
  const ap = p < 0 ? -p : p;
  const aa = a < 0 ? -a : a;
  const ab = b < 0 ? -b : b;
  const ac = c < 0 ? -c : c;
  if (!(ap > FMA_TINY && ap < FMA_HUGE && aa > FMA_TINY && aa < FMA_HUGE && ab > FMA_TINY && ab < FMA_HUGE && ac < FMA_HUGE)) {
    return fmaOutside(a, b, c);
  }
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  // Exact rounding error of the product: a*b = p + pe.
  const pe = ah * bh - p + ah * bl + al * bh + al * bl;
  if (pe === 0) return p + c; // exact product: a single rounding remains
  // TwoSum(p, c) = s + se; TwoSum(se, pe) = v + ve.
  const s = p + c;
  let z = s - p;
  const se = p - (s - z) + (c - z);
  const v = se + pe;
  z = v - se;
  const ve = se - (v - z) + (pe - z);
  const r = s + v;
  if (ve === 0) return r;
  // TwoSum(s, v) = r + w; s + v is a tie exactly when r + 2w is r's neighbour.
  z = r - s;
  const w = s - (r - z) + (v - z);
  const w2 = w + w;
  if (w === 0 || r + w2 - r !== w2) return r;
  return w > 0 === ve > 0 ? r + w2 : r;
}

/** Operands outside the fast path's exact range: zeros, non-finite values, tiny or huge magnitudes. */
function fmaOutside(a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    // With finite a and b the exact product is finite, so an infinite c decides (a*b alone may overflow).
    if (Number.isFinite(a) && Number.isFinite(b) && !Number.isNaN(c)) return c;
    return a * b + c;
  }
  if (a === 0 || b === 0) return a * b + c;
  if (c === 0) return a * b; // a*b + 0 rounds once; sign of zero as fma (a*b non-zero here)
  return fmaScaled(a, b, c);
}

function fmaScaled(a: number, b: number, c: number): number {
  // Extreme magnitudes (never reached by the init kernels): compute exactly with BigInt and round once.
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  let mp = ma * mb;
  let ep = ea + eb;
  let m2 = mc;
  let e2 = ec;
  // Align to the smaller exponent.
  if (ep > e2) {
    mp <<= BigInt(ep - e2);
    ep = e2;
  } else if (e2 > ep) {
    m2 <<= BigInt(e2 - ep);
    e2 = ep;
  }
  const n = mp + m2;
  if (n === 0n) return a * b + c; // exact zero: IEEE sign rules for the sum of the two terms
  return roundBigToDouble(n, ep);
}

/** x = m * 2^e with m an integer (BigInt), exactly. */
function decompose(x: number): [bigint, number] {
  f64[0] = x;
  const lo = u32[0]!;
  const hi = u32[1]!;
  const sign = hi >>> 31 ? -1n : 1n;
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  return [sign * mant, e];
}

/** Round n * 2^e (n a non-zero BigInt) to the nearest double, ties to even. */
function roundBigToDouble(n: bigint, e: number): number {
  const neg = n < 0n;
  const m = neg ? -n : n;
  const len = m.toString(2).length;
  const lsb = Math.max(e + len - 53, -1074);
  const shift = lsb - e;
  let value: number;
  if (shift <= 0) {
    value = Number(m) * 2 ** e;
  } else {
    const sh = BigInt(shift);
    let q = m >> sh;
    const rem = m - (q << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
    value = lsb > 971 ? Number(q) * 2 ** 971 * 2 ** (lsb - 971) : Number(q) * 2 ** lsb;
  }
  return neg ? -value : value;
}
