// computeGain / activationMoments against a reference produced independently: mpmath (40 digits, adaptive
// tanh-sinh quadrature split at the kinks) run by scripts/gen_init_fixtures.py, stored in tests/fixtures/init.json;
// and against the closed forms that exist (relu √2, linear 1, leaky_relu = PyTorch's calculate_gain, selu 1).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, empty, init } from '../../src/index.js';

interface Row {
  activation: init.Activation;
  param: number | null;
  mean: string;
  secondMoment: string;
  gain: string;
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/init.json', import.meta.url), 'utf8')) as {
  activation_moments: { generator: string; rows: Row[] };
};
const ref = fixture.activation_moments;

describe(`activationMoments against mpmath (${ref.generator})`, () => {
  it('the reference covers every activation', () => {
    const names = new Set(ref.rows.map((r) => r.activation));
    for (const a of init.ACTIVATIONS) expect(names.has(a), a).toBe(true);
  });
  for (const row of ref.rows) {
    const label = `${row.activation}${row.param === null ? '' : `(${row.param})`}`;
    it(`${label}: mean, second moment and gain to 1e-13`, () => {
      const m = init.activationMoments(row.activation, row.param === null ? undefined : { param: row.param });
      expect(m.source).toBe('computed');
      expect(m.activation).toBe(row.activation);
      expect(Math.abs(m.secondMoment / Number(row.secondMoment) - 1)).toBeLessThan(1e-13);
      expect(Math.abs(m.gain / Number(row.gain) - 1)).toBeLessThan(1e-13);
      expect(Math.abs(m.mean - Number(row.mean))).toBeLessThan(1e-14);
      expect(Math.abs(m.variance - (Number(row.secondMoment) - Number(row.mean) ** 2))).toBeLessThan(1e-13);
      expect(init.computeGain(row.activation, row.param === null ? undefined : { param: row.param })).toBe(m.gain);
    });
  }
});

describe('closed forms', () => {
  it('relu: √2 to 1e-15 (the kink is handled by splitting at 0)', () => {
    expect(Math.abs(init.computeGain('relu') - Math.SQRT2)).toBeLessThan(1e-15);
    expect(init.activationMoments('relu').method).toBe('piecewise-gauss-legendre');
  });
  it('linear and identity: 1', () => {
    expect(Math.abs(init.computeGain('linear') - 1)).toBeLessThan(1e-15);
    expect(init.computeGain('identity')).toBe(init.computeGain('linear'));
    expect(init.activationMoments('linear').method).toBe('gauss-hermite');
  });
  it("leaky_relu equals PyTorch's calculate_gain √(2/(1 + slope²)) for any slope", () => {
    for (const s of [0, 0.01, 0.1, 0.2, Math.sqrt(5), 1, -0.5, 3]) {
      expect(Math.abs(init.computeGain('leaky_relu', { param: s }) / init.calculateGain('leaky_relu', s) - 1)).toBeLessThan(1e-14);
    }
  });
  it('leaky_relu default slope 0.01, as nn.LeakyReLU', () => {
    expect(init.computeGain('leaky_relu')).toBe(init.computeGain('leaky_relu', { param: 0.01 }));
  });
  it('selu: the self-normalizing fixed point, E[selu(Z)] = 0 and E[selu(Z)²] = 1', () => {
    const m = init.activationMoments('selu');
    expect(Math.abs(m.mean)).toBeLessThan(1e-12);
    expect(Math.abs(m.secondMoment - 1)).toBeLessThan(1e-12);
  });
  it('elu(α): 1/2 + α²·(e²Φ(-2) - 2e^{1/2}Φ(-1) + 1/2)', () => {
    for (const a of [0.5, 1, 2]) {
      const m2 = 0.5 + a * a * (Math.exp(2) * init.normCdf(-2) - 2 * Math.exp(0.5) * init.normCdf(-1) + 0.5);
      expect(Math.abs(init.activationMoments('elu', { param: a }).secondMoment / m2 - 1)).toBeLessThan(1e-13);
    }
  });
  it('hardtanh: (2Φ(1) - 1) - 2φ(1) + 2(1 - Φ(1))', () => {
    const m2 = 2 * init.normCdf(1) - 1 - 2 * init.normalPdf(1) + 2 * (1 - init.normCdf(1));
    expect(Math.abs(init.activationMoments('hardtanh').secondMoment / m2 - 1)).toBeLessThan(1e-14);
  });
  it('aliases resolve: swish = silu, gelu_erf = gelu', () => {
    expect(init.computeGain('swish')).toBe(init.computeGain('silu'));
    expect(init.activationMoments('gelu_erf').activation).toBe('gelu');
  });
});

describe('documented differences from PyTorch\'s table', () => {
  it('tanh, sigmoid and selu are computed, not PyTorch\'s conventions 5/3, 1 and 3/4', () => {
    expect(init.computeGain('tanh')).not.toBeCloseTo(init.calculateGain('tanh'), 2);
    expect(init.computeGain('sigmoid')).not.toBeCloseTo(init.calculateGain('sigmoid'), 2);
    expect(init.computeGain('selu')).not.toBeCloseTo(init.calculateGain('selu'), 2);
    expect(init.computeGain('relu')).toBeCloseTo(init.calculateGain('relu'), 14);
  });
});

describe('Monte Carlo cross-check of the quadrature (fixed seed; 1e-6 false-alarm rate per activation)', () => {
  const n = 1 << 17;
  const z = init.normal_(empty([n], { dtype: 'float64' }), 0, 1, { generator: new Generator().manualSeed(2024) }).data;
  for (const a of init.ACTIVATIONS) {
    it(`${a}: the sample mean of φ(Z)² over 2^17 normals is within 4.89 standard errors`, () => {
      const info = init.activationInfo(a);
      const f = init.activationFunction(a);
      let s = 0;
      for (let i = 0; i < n; i++) s += f(z[i]!) ** 2;
      const m = init.activationMoments(a);
      const m4 = init.gaussianExpectation((x) => f(x) ** 4, { breakpoints: info.breakpoints(info.param?.default ?? 0) });
      const se = Math.sqrt((m4 - m.secondMoment ** 2) / n);
      expect(Math.abs(s / n - m.secondMoment) / se).toBeLessThan(4.891638);
    });
  }
});
