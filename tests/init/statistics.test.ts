// Statistical tests for the functions PyTorch lacks (varianceScaling_, lecunUniform_, lecunNormal_), against their
// formulas: realized std = √(scale / n) for every distribution and mode, mean 0, support bounds, and the shape of
// the distribution (one-sample Kolmogorov–Smirnov). Fixed seeds, so the outcome is deterministic; the thresholds are
// set so that a correct sampler with a fresh seed would fail each check with probability 1e-6 (about 2e-4 for the
// whole file).
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, empty, init } from '../../src/index.js';
import { normCdf } from '../../src/init/trunc-normal.js';
import { ksCritical, ksStatistic, moments } from '../helpers/stats.js';

const ALPHA = 1e-6;
/** Two-sided normal quantile for ALPHA: P(|Z| > 4.8916) = 1e-6. */
const Z = 4.891638;

/** Kurtosis E[x⁴]/E[x²]² of the standard normal truncated to ±2 (by quadrature on its pieces). */
const TN_MASS = init.gaussianExpectation((z) => (Math.abs(z) < 2 ? 1 : 0), { breakpoints: [-2, 2] });
const TN_M2 = init.gaussianExpectation((z) => (Math.abs(z) < 2 ? z * z : 0), { breakpoints: [-2, 2] }) / TN_MASS;
const TN_M4 = init.gaussianExpectation((z) => (Math.abs(z) < 2 ? z ** 4 : 0), { breakpoints: [-2, 2] }) / TN_MASS;
const KURTOSIS = { truncated_normal: TN_M4 / (TN_M2 * TN_M2), untruncated_normal: 3, uniform: 9 / 5 } as const;

type Dist = init.VarianceScalingDistribution;

/** The CDF of the target distribution with realized std `sigma`. */
function cdfOf(dist: Dist, sigma: number): (x: number) => number {
  if (dist === 'uniform') {
    const b = Math.sqrt(3) * sigma;
    return (x) => Math.min(1, Math.max(0, (x + b) / (2 * b)));
  }
  if (dist === 'untruncated_normal') return (x) => normCdf(x / sigma);
  const s = sigma / init.TRUNCATED_NORMAL_STD_FACTOR;
  const lo = normCdf(-2);
  const mass = normCdf(2) - lo;
  return (x) => Math.min(1, Math.max(0, (normCdf(x / s) - lo) / mass));
}

function checkDistribution(t: Tensor, dist: Dist, sigma: number, label: string): void {
  const n = t.numel;
  const m = moments(t.data);
  // Realized std: se(s/σ) ≈ √((κ - 1) / (4n)).
  const se = Math.sqrt((KURTOSIS[dist] - 1) / (4 * n));
  expect(Math.abs(m.std / sigma - 1), `${label}: realized std ${m.std} vs ${sigma}`).toBeLessThan(Z * se);
  expect(Math.abs(m.mean) / (sigma / Math.sqrt(n)), `${label}: mean ${m.mean}`).toBeLessThan(Z);
  if (dist === 'uniform') {
    const b = Math.fround(Math.sqrt(3) * sigma);
    expect(m.max, `${label}: upper bound`).toBeLessThanOrEqual(b);
    expect(m.min, `${label}: lower bound`).toBeGreaterThanOrEqual(-b);
  } else if (dist === 'truncated_normal') {
    const b = Math.fround((2 * sigma) / init.TRUNCATED_NORMAL_STD_FACTOR);
    expect(m.max, `${label}: truncation at +2 std`).toBeLessThanOrEqual(b);
    expect(m.min, `${label}: truncation at -2 std`).toBeGreaterThanOrEqual(-b);
  }
  expect(ksStatistic(t.data, cdfOf(dist, sigma)), `${label}: KS against the ${dist} CDF`).toBeLessThan(ksCritical(n, ALPHA));
}

describe('varianceScaling_: every distribution and mode (JAX semantics)', () => {
  const shape = [384, 256]; // torch layout: fan_in 256, fan_out 384, fan_avg 320
  const fans = { fan_in: 256, fan_out: 384, fan_avg: 320 } as const;
  let seed = 1000;
  for (const dist of init.VARIANCE_SCALING_DISTRIBUTIONS) {
    for (const mode of init.VARIANCE_SCALING_MODES) {
      const s = seed++;
      it(`${dist}, ${mode}, scale 2: realized std √(2/${fans[mode]}) (seed ${s})`, () => {
        const t = init.varianceScaling_(empty(shape), { scale: 2, mode, distribution: dist, generator: new Generator().manualSeed(s) });
        checkDistribution(t, dist, Math.sqrt(2 / fans[mode]), `${dist}/${mode}`);
      });
    }
  }
  it("keras layout [3, 3, 32, 64]: fan_in = 3·3·32, 'truncated_normal' (seed 77)", () => {
    const t = init.varianceScaling_(empty([3, 3, 32, 64]), { layout: 'keras', generator: new Generator().manualSeed(77) });
    checkDistribution(t, 'truncated_normal', Math.sqrt(1 / 288), 'keras');
  });
  it('explicit axes with a batch axis [8, 64, 96] (inAxis -2, outAxis -1, batchAxis 0), fan_avg uniform (seed 78)', () => {
    const t = init.varianceScaling_(empty([8, 64, 96]), {
      inAxis: -2,
      outAxis: -1,
      batchAxis: 0,
      mode: 'fan_avg',
      distribution: 'uniform',
      generator: new Generator().manualSeed(78),
    });
    checkDistribution(t, 'uniform', Math.sqrt(1 / 80), 'axes');
  });
  it('the 0.8796 correction is what makes the truncated std right (TF.js omits it)', () => {
    const t = init.varianceScaling_(empty([512, 512]), { generator: new Generator().manualSeed(79) });
    const std = moments(t.data).std;
    const target = Math.sqrt(1 / 512);
    expect(Math.abs(std / target - 1)).toBeLessThan(0.01);
    expect(Math.abs(std / (target * init.TRUNCATED_NORMAL_STD_FACTOR) - 1)).toBeGreaterThan(0.1);
  });
});

describe('lecunUniform_ and lecunNormal_', () => {
  it('lecunUniform_: U(±√(3/fan_in)), realized std 1/√fan_in (seed 90)', () => {
    const t = init.lecunUniform_(empty([256, 512]), { generator: new Generator().manualSeed(90) });
    checkDistribution(t, 'uniform', 1 / Math.sqrt(512), 'lecunUniform_');
  });
  it('lecunNormal_ default: truncated, realized std 1/√fan_in (seed 91)', () => {
    const t = init.lecunNormal_(empty([256, 512]), { generator: new Generator().manualSeed(91) });
    checkDistribution(t, 'truncated_normal', 1 / Math.sqrt(512), 'lecunNormal_');
  });
  it("lecunNormal_ 'untruncated_normal': N(0, 1/fan_in) (seed 92)", () => {
    const t = init.lecunNormal_(empty([256, 512]), { distribution: 'untruncated_normal', generator: new Generator().manualSeed(92) });
    checkDistribution(t, 'untruncated_normal', 1 / Math.sqrt(512), 'lecunNormal_ untruncated');
  });
  it('conv kernel [64, 32, 3, 3]: fan_in = 32·9 (seed 93)', () => {
    const t = init.lecunNormal_(empty([64, 32, 3, 3]), { generator: new Generator().manualSeed(93) });
    checkDistribution(t, 'truncated_normal', 1 / Math.sqrt(288), 'lecunNormal_ conv');
  });
  it('lecunUniform_ equals varianceScaling_(scale 1, fan_in, uniform) bit for bit, lecunNormal_ the truncated one', () => {
    const a = init.lecunUniform_(empty([20, 30]), { generator: new Generator().manualSeed(5) });
    const b = init.varianceScaling_(empty([20, 30]), { distribution: 'uniform', generator: new Generator().manualSeed(5) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const c = init.lecunNormal_(empty([20, 30]), { generator: new Generator().manualSeed(6) });
    const d = init.varianceScaling_(empty([20, 30]), { generator: new Generator().manualSeed(6) });
    expect(Array.from(c.data)).toEqual(Array.from(d.data));
  });
});

describe('varianceScalingParams', () => {
  it('reports fans, variance and sampler parameters without drawing', () => {
    const p = init.varianceScalingParams([64, 32, 3, 3], { scale: 2, mode: 'fan_avg', distribution: 'truncated_normal' });
    expect(p.fanIn).toBe(288);
    expect(p.fanOut).toBe(576);
    expect(p.denominator).toBe(432);
    expect(p.variance).toBe(2 / 432);
    expect(p.samplerStd).toBe(Math.sqrt(2 / 432) / 0.87962566103423978);
    expect(p.bound).toBe(2 * p.samplerStd);
    const u = init.varianceScalingParams([10, 30], { distribution: 'uniform' });
    expect(u.bound).toBe(Math.sqrt(3 * (1 / 30)));
    expect(init.varianceScalingParams([10, 30], { distribution: 'untruncated_normal' }).bound).toBe(Infinity);
  });
  it('groups divide fan_out (depthwise [32, 1, 3, 3]: fan_out 9, not 288)', () => {
    expect(init.varianceScalingParams([32, 1, 3, 3], { groups: 32, mode: 'fan_out' }).denominator).toBe(9);
    expect(init.varianceScalingParams([32, 1, 3, 3], { mode: 'fan_out' }).denominator).toBe(288);
  });
  it('the default layout is torch: [out, in] gives fan_in = in; keras and JAX axes read [in, out]', () => {
    expect(init.varianceScalingParams([10, 30]).fanIn).toBe(30);
    expect(init.varianceScalingParams([10, 30], { layout: 'keras' }).fanIn).toBe(10);
    expect(init.varianceScalingParams([10, 30], { inAxis: -2, outAxis: -1 }).fanIn).toBe(10);
    // Any axis given switches to JAX's defaults for the others (outAxis -1).
    expect(init.varianceScalingParams([5, 10, 30], { inAxis: 0 })).toMatchObject({ fanIn: 50, fanOut: 300 });
  });
  it('the truncated-normal constant is the std of N(0, 1) truncated to ±2', () => {
    expect(Math.abs(Math.sqrt(TN_M2) - init.TRUNCATED_NORMAL_STD_FACTOR)).toBeLessThan(1e-15);
  });
});

describe('zero-element tensors are a no-op', () => {
  it('varianceScaling_ and lecun* on [0, 4] and [3, 0] draw nothing', () => {
    const g = new Generator().manualSeed(3);
    const before = g.getState();
    init.varianceScaling_(empty([0, 4]), { generator: g });
    init.lecunUniform_(empty([3, 0]), { generator: g });
    init.lecunNormal_(empty([0, 0]), { generator: g });
    expect(g.getState()).toEqual(before);
  });
});
