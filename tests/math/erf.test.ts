// erf / erfc / erfinv in double precision against Python's math.erf / math.erfc (glibc), whose values
// scripts/gen_init_fixtures.py stores in tests/fixtures/init.json.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erf, erfc, erfinv, normCdf } from '../../src/math/erf.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/init.json', import.meta.url), 'utf8')) as {
  erf: { generator: string; rows: [string, string, string][] };
};
const f64 = (h: string): number => new Float64Array(new BigUint64Array([BigInt(`0x${h}`)]).buffer)[0]!;
const ulps = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / (Math.max(Math.abs(a), Math.abs(b)) * 2 ** -52));

describe(`erf and erfc against ${fixture.erf.generator}`, () => {
  const rows = fixture.erf.rows.map(([x, e, c]) => [f64(x), f64(e), f64(c)] as const);
  it(`erf: every value within 1 ulp, at least 99% bit-identical (${rows.length} points)`, () => {
    let exact = 0;
    for (const [x, e] of rows) {
      const got = erf(x);
      expect(ulps(got, e), `erf(${x}) = ${got}, glibc ${e}`).toBeLessThanOrEqual(1);
      if (Object.is(got, e)) exact++;
    }
    expect(exact / rows.length).toBeGreaterThan(0.99);
  });
  it('erfc: every value within 2 ulps (the tail uses Math.exp, glibc its own exp)', () => {
    let exact = 0;
    for (const [x, , c] of rows) {
      const got = erfc(x);
      expect(ulps(got, c), `erfc(${x}) = ${got}, glibc ${c}`).toBeLessThanOrEqual(2);
      if (Object.is(got, c)) exact++;
    }
    expect(exact / rows.length).toBeGreaterThan(0.9);
  });
  it('special values', () => {
    expect(erf(0)).toBe(0);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erf(Number.NaN)).toBeNaN();
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erfc(30)).toBe(0);
    expect(erfc(-30)).toBe(2);
  });
  it("normCdf(±2) equals Python's (1 + math.erf(±2/√2)) / 2, the bounds of trunc_normal_", () => {
    expect(normCdf(-2)).toBe(0.02275013194817921);
    expect(normCdf(2)).toBe(0.9772498680518208);
  });
});

describe('erfinv (ATen calc_erfinv<double> with the accurate erf)', () => {
  it('erf(erfinv(y)) = y to a few ulp over (-1, 1)', () => {
    for (let i = -999; i <= 999; i++) {
      const y = i / 1000;
      expect(Math.abs(erf(erfinv(y)) - y)).toBeLessThanOrEqual(4 * 2 ** -52);
    }
  });
  it('edges', () => {
    expect(erfinv(1)).toBe(Infinity);
    expect(erfinv(-1)).toBe(-Infinity);
    expect(erfinv(1.5)).toBeNaN();
    expect(erfinv(0)).toBe(0);
  });
});
