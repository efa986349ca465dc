// fmaf and fma64 against an exact BigInt reference (one rounding of the exact a·b + c).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fma64, fmaf } from '../../src/index.js';

function decompose(x: number): [bigint, number] {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  const bits = v.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const e = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (e === 0) return [sign * m, -1074];
  m |= 1n << 52n;
  return [sign * m, e - 1075];
}

/** Exact a*b + c rounded to `mant` bits (53 double, 24 float) with minimum exponent emin, ties to even. */
function exactFma(a: number, b: number, c: number, mant: number, emin: number): number {
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  let p = ma * mb;
  let ep = ea + eb;
  let q = mc;
  let eq = ec;
  if (ep > eq) {
    p <<= BigInt(ep - eq);
    ep = eq;
  } else {
    q <<= BigInt(eq - ep);
    eq = ep;
  }
  const n = p + q;
  if (n === 0n) return a * b + c;
  const neg = n < 0n;
  const m = neg ? -n : n;
  const len = m.toString(2).length;
  const lsb = Math.max(ep + len - mant, emin);
  const shift = lsb - ep;
  let r: number;
  if (shift <= 0) r = Number(m) * 2 ** ep;
  else {
    const sh = BigInt(shift);
    let qq = m >> sh;
    const rem = m - (qq << sh);
    const half = 1n << (sh - 1n);
    if (rem > half || (rem === half && (qq & 1n) === 1n)) qq += 1n;
    r = Number(qq) * 2 ** lsb;
  }
  return neg ? -r : r;
}

const f32 = fc.float({ noNaN: true, noDefaultInfinity: true, min: Math.fround(-1e30), max: Math.fround(1e30) }).map(Math.fround);

describe('fmaf', () => {
  it('equals the exact single rounding on random float32 triples', () => {
    fc.assert(
      fc.property(f32, f32, f32, (a, b, c) => {
        const want = Math.fround(exactFma(a, b, c, 24, -149));
        return Object.is(fmaf(a, b, c), want) || (fmaf(a, b, c) === 0 && want === 0);
      }),
      { seed: 1, numRuns: 20000 },
    );
  });

  it('handles constructed float32 midpoints (where double rounding would be wrong)', () => {
    // a*b + c lands exactly half-way between two floats after rounding to double, but the exact value is not.
    let checked = 0;
    for (let k = 0; k < 2000; k++) {
      const a = Math.fround(1 + k * 2 ** -23);
      const b = Math.fround(1 + 2 ** -12);
      const c = Math.fround(-(2 ** -30) * (k % 7));
      const want = Math.fround(exactFma(a, b, c, 24, -149));
      expect(fmaf(a, b, c)).toBe(want);
      checked++;
    }
    expect(checked).toBe(2000);
    // A true tie (exact value exactly between two floats) rounds to even.
    const one = 1;
    const tie = Math.fround(2 ** -24);
    expect(fmaf(one, tie, 1)).toBe(1);
    expect(fmaf(one, tie, Math.fround(1 + 2 ** -23))).toBe(Math.fround(1 + 2 ** -22));
  });
});

describe('fma64', () => {
  const d = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e100, max: 1e100 });
  it('equals the exact single rounding on random doubles', () => {
    fc.assert(
      fc.property(d, d, d, (a, b, c) => {
        const got = fma64(a, b, c);
        const want = exactFma(a, b, c, 53, -1074);
        return got === want || (Number.isNaN(got) && Number.isNaN(want));
      }),
      { seed: 2, numRuns: 20000 },
    );
  });

  it('is exact on the uniform_ float64 pattern x·(b - a) + a', () => {
    for (let k = 0; k < 5000; k++) {
      const x = (Math.floor(Math.random() * 2 ** 53) * 2 ** -53);
      const a = -3.7 + k * 1e-3;
      const r = 11.3 - a;
      expect(fma64(x, r, a)).toBe(exactFma(x, r, a, 53, -1074));
    }
  });

  it('handles extreme magnitudes through the exact path', () => {
    const cases: [number, number, number][] = [
      [1e200, 1e200, -Infinity],
      [1e-200, 1e-200, 1e-300],
      [1e300, 10, -1e301],
      [5e-324, 0.5, 0],
      [3e-170, 2e-170, 1e-320],
    ];
    // finite a, b: the exact product is finite, so an infinite c wins even where a*b overflows in double
    expect(fma64(1e300, 1e10, -Infinity)).toBe(-Infinity);
    expect(fma64(1e300, -1e10, Infinity)).toBe(Infinity);
    expect(Number.isNaN(fma64(Infinity, 0, 1))).toBe(true);
    for (const [a, b, c] of cases) {
      const want = Number.isFinite(c) ? exactFma(a, b, c, 53, -1074) : c;
      expect(fma64(a, b, c)).toBe(want);
    }
  });
});
