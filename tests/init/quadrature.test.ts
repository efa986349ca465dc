// Gauss–Hermite and Gauss–Legendre rules against their closed forms (small n) and their exactness on polynomials;
// gaussianExpectation on smooth and piecewise integrands.
import { describe, expect, it } from 'vitest';
import { init } from '../../src/index.js';

const SQRT_PI = Math.sqrt(Math.PI);

describe('gaussHermite', () => {
  it('n = 1, 2, 3 match the closed forms', () => {
    const r1 = init.gaussHermite(1);
    expect(Array.from(r1.nodes)).toEqual([0]);
    expect(r1.weights[0]).toBeCloseTo(SQRT_PI, 15);
    const r2 = init.gaussHermite(2);
    expect(r2.nodes[0]).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(r2.nodes[1]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(r2.weights[0]).toBeCloseTo(SQRT_PI / 2, 15);
    const r3 = init.gaussHermite(3);
    expect(r3.nodes[0]).toBeCloseTo(-Math.sqrt(1.5), 15);
    expect(r3.nodes[1]).toBe(0);
    expect(r3.weights[1]).toBeCloseTo((2 * SQRT_PI) / 3, 15);
    expect(r3.weights[2]).toBeCloseTo(SQRT_PI / 6, 15);
  });
  for (const n of [5, 20, 64, 160, 180]) {
    it(`n = ${n}: increasing symmetric nodes, weights sum to √π, exact on E[Z^2k] = (2k-1)!! up to 2k = min(2n - 2, 30)`, () => {
      const { nodes, weights } = init.gaussHermite(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        if (i > 0) expect(nodes[i]!).toBeGreaterThan(nodes[i - 1]!);
        expect(nodes[i]! + nodes[n - 1 - i]!).toBe(0);
        sum += weights[i]!;
      }
      expect(Math.abs(sum / SQRT_PI - 1)).toBeLessThan(1e-14);
      let dfact = 1;
      for (let k = 1; 2 * k <= Math.min(2 * n - 2, 30); k++) {
        dfact *= 2 * k - 1;
        const e = init.gaussianExpectation((z) => z ** (2 * k), { nodes: n });
        expect(Math.abs(e / dfact - 1), `E[Z^${2 * k}]`).toBeLessThan(1e-12);
      }
    });
  }
});

describe('gaussLegendre', () => {
  it('n = 2 and 3 match the closed forms', () => {
    const r2 = init.gaussLegendre(2);
    expect(r2.nodes[1]).toBeCloseTo(1 / Math.sqrt(3), 15);
    expect(r2.weights[0]).toBeCloseTo(1, 15);
    const r3 = init.gaussLegendre(3);
    expect(r3.nodes[1]).toBe(0);
    expect(r3.nodes[2]).toBeCloseTo(Math.sqrt(0.6), 15);
    expect(r3.weights[1]).toBeCloseTo(8 / 9, 15);
  });
  it('n = 24 integrates x^k on [-1, 1] exactly up to k = 47', () => {
    const { nodes, weights } = init.gaussLegendre(24);
    for (let k = 0; k <= 47; k++) {
      let s = 0;
      for (let i = 0; i < 24; i++) s += weights[i]! * nodes[i]! ** k;
      const exact = k % 2 === 1 ? 0 : 2 / (k + 1);
      expect(Math.abs(s - exact), `x^${k}`).toBeLessThan(1e-15);
    }
  });
});

describe('gaussianExpectation', () => {
  it('smooth integrands: Gauss–Hermite and the piecewise rule agree to 1e-14', () => {
    for (const f of [Math.tanh, (z: number) => Math.exp(z / 3), (z: number) => Math.cos(z) ** 2, init.activationFunction('gelu')]) {
      const gh = init.gaussianExpectation((z) => f(z) ** 2);
      const pw = init.gaussianExpectation((z) => f(z) ** 2, { breakpoints: [0] });
      expect(Math.abs(gh / pw - 1)).toBeLessThan(1e-14);
    }
  });
  it('E[e^{tZ}] = e^{t²/2}', () => {
    expect(Math.abs(init.gaussianExpectation((z) => Math.exp(0.7 * z)) / Math.exp(0.245) - 1)).toBeLessThan(1e-14);
  });
  it('kinks need breakpoints: hardtanh² is off by ~1e-3 without them and exact with them', () => {
    const f = (z: number): number => Math.min(1, Math.max(-1, z)) ** 2;
    const exact = 2 * init.normCdf(1) - 1 - 2 * init.normalPdf(1) + 2 * (1 - init.normCdf(1));
    expect(Math.abs(init.gaussianExpectation(f) - exact)).toBeGreaterThan(1e-4);
    expect(Math.abs(init.gaussianExpectation(f, { breakpoints: [-1, 1] }) - exact)).toBeLessThan(1e-15);
  });
  it('indicator of an interval: P(a < Z < b) = Φ(b) - Φ(a)', () => {
    const p = init.gaussianExpectation((z) => (z > -0.3 && z < 1.7 ? 1 : 0), { breakpoints: [-0.3, 1.7] });
    expect(Math.abs(p - (init.normCdf(1.7) - init.normCdf(-0.3)))).toBeLessThan(1e-15);
  });
  it('normalPdf(0) = 1/√(2π)', () => {
    expect(init.normalPdf(0)).toBe(1 / Math.sqrt(2 * Math.PI));
  });
});
