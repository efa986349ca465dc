// Statistical tests of each kernel, fixed seeds. KS tests at alpha = 1e-3: a correct kernel fails with probability
// 0.1% for a given seed; the seeds are fixed, so the outcome is deterministic and was checked to pass.
import { describe, expect, it } from 'vitest';
import { Generator, PhiloxGenerator, empty, init, randperm } from '../../src/index.js';
import { ksCritical, ksStatistic, moments, stdNormalCdf } from '../helpers/stats.js';

const engines = () => [
  ['mt19937', new Generator().manualSeed(20261130)],
  ['philox', new PhiloxGenerator(20261130, 1)],
] as const;

describe.each(engines())('kernels on %s', (_name, g) => {
  it('uniform_ float32 is U(a, b) (KS) and stays in [a, b]', () => {
    const n = 200_000;
    const t = init.uniform_(empty([n]), -0.3, 0.7, { generator: g });
    const m = moments(t.data);
    expect(m.min).toBeGreaterThanOrEqual(Math.fround(-0.3));
    expect(m.max).toBeLessThanOrEqual(Math.fround(0.7));
    expect(ksStatistic(t.data, (x) => Math.min(1, Math.max(0, (x + 0.3) / 1)))).toBeLessThan(ksCritical(n));
  });

  it('uniform_ float64 is U(a, b) (KS)', () => {
    const n = 100_000;
    const t = init.uniform_(empty([n], { dtype: 'float64' }), 2, 5, { generator: g });
    expect(ksStatistic(t.data, (x) => (x - 2) / 3)).toBeLessThan(ksCritical(n));
  });

  it('normal_ float32 block path is N(mean, std²) (KS, and moments)', () => {
    const n = 200_003; // not a multiple of 16: exercises the tail re-draw
    const t = init.normal_(empty([n]), 1.5, 0.25, { generator: g });
    expect(ksStatistic(t.data, (x) => stdNormalCdf((x - 1.5) / 0.25))).toBeLessThan(ksCritical(n));
    const m = moments(t.data);
    expect(Math.abs(m.mean - 1.5)).toBeLessThan(5 * (0.25 / Math.sqrt(n)));
  });

  it('normal_ per-element path (numel < 16) is N(0, 1) over many calls (KS)', () => {
    const xs: number[] = [];
    for (let k = 0; k < 20_000; k++) xs.push(...init.normal_(empty([7]), 0, 1, { generator: g }).data);
    expect(ksStatistic(xs, stdNormalCdf)).toBeLessThan(ksCritical(xs.length));
  });

  it('normal_ float64 block path is N(0, 1) (KS)', () => {
    const n = 100_000;
    const t = init.normal_(empty([n], { dtype: 'float64' }), 0, 1, { generator: g });
    expect(ksStatistic(t.data, stdNormalCdf)).toBeLessThan(ksCritical(n));
  });

  it('truncNormal_ follows the truncated normal CDF and never leaves [a, b]', () => {
    const n = 100_000;
    const [mean, std, a, b] = [0.1, 0.5, -0.4, 0.9];
    const t = init.truncNormal_(empty([n]), { mean, std, a, b, generator: g });
    const m = moments(t.data);
    expect(m.min).toBeGreaterThanOrEqual(Math.fround(a));
    expect(m.max).toBeLessThanOrEqual(Math.fround(b));
    const lo = stdNormalCdf((a - mean) / std);
    const hi = stdNormalCdf((b - mean) / std);
    const cdf = (x: number) => (stdNormalCdf((x - mean) / std) - lo) / (hi - lo);
    expect(ksStatistic(t.data, cdf)).toBeLessThan(ksCritical(n));
  });

  it('randperm is a permutation and positions are uniform (chi-square on first element)', () => {
    const counts = new Array(10).fill(0);
    for (let k = 0; k < 20_000; k++) {
      const p = randperm(10, { generator: g }).tolist() as number[];
      if (k < 50) expect([...p].sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      counts[p[0]!]++;
    }
    const e = 2000;
    const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(27.88); // chi-square(9) at alpha = 1e-3
  });
});
