// Golden: the random kernels (uniform_, normal_ on both paths with the Box–Muller cache across calls,
// trunc_normal_, randperm; float32, float64, float16, bfloat16) against tests/fixtures/rng.json, bit for bit.
// The fixture was produced by real PyTorch: /usr/bin/python3 scripts/gen_rng_fixtures.py (command and torch version
// are recorded inside it). float64 normal_ is compared within a few ulps (double log/sin/cos differ from glibc's).
import { describe, expect, it } from 'vitest';
import { compatFor, expectCaseMatches, readProgramFixture, runCase } from '../helpers/programs.js';

const fixture = readProgramFixture('rng.json');
const compat = compatFor(fixture.environment.torch);

describe(`golden rng fixtures (PyTorch ${fixture.environment.torch}, ${fixture.environment.cpu_capability}; ${fixture.command})`, () => {
  it('covers seeds 0, 1, 42, 2^32+5, -7 and one above 2^63', () => {
    const seeds = new Set(fixture.cases.map((c) => c.seed));
    for (const s of ['0', '1', '42', String(2 ** 32 + 5), '-7']) expect(seeds.has(s), s).toBe(true);
    expect([...seeds].some((s) => BigInt(s) > 2n ** 63n)).toBe(true);
  });

  const names = [...new Set(fixture.cases.map((c) => c.name))];
  for (const name of names) {
    const cases = fixture.cases.filter((c) => c.name === name);
    it(`${name} (${cases.length} seeds)`, () => {
      let values = 0;
      for (const c of cases) values += expectCaseMatches(`${c.name} (seed ${c.seed})`, c, runCase(c, compat), c.expected);
      expect(values).toBeGreaterThan(0);
    });
  }
});
