// Activations beyond the PyTorch fixtures: the branch-free ReLU against its definition on every kind of float32
// (±0, NaN of either sign, ±∞, subnormals), and properties of all activations (shape kept, finite in → finite out,
// backward of identity is the gradient).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activation, activationBackward, buf } from '../../src/analysis/ops/index.js';

function fromBits(bits: number[]): Float32Array {
  return new Float32Array(Uint32Array.from(bits).buffer);
}

describe('relu', () => {
  const special = fromBits([
    0x00000000, 0x80000000, 0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000, 0x00000001, 0x80000001, 0x3f800000,
    0xbf800000, 0x7f7fffff, 0xff7fffff,
  ]);

  it('forward is max(x, 0) with NaN passed through (PyTorch clamp_min), -0 → +0', () => {
    const y = activation('relu', buf([special.length], special)).data;
    special.forEach((v, i) => {
      if (Number.isNaN(v)) expect(Number.isNaN(y[i]!)).toBe(true);
      else expect(Object.is(y[i], v > 0 ? v : 0)).toBe(true);
    });
  });

  it("backward is y <= 0 ? 0 : g (PyTorch threshold_backward on the output), NaN outputs pass g", () => {
    const y = special;
    const g = Float32Array.from(special, (_, i) => i + 1);
    const gx = activationBackward('relu', buf([y.length]), buf([y.length], y), buf([y.length], g)).data;
    y.forEach((v, i) => expect(gx[i]).toBe(v <= 0 ? 0 : g[i]));
  });

  it('property: matches the compare-and-branch definition on random float32 bit patterns (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 64 }), (bits) => {
        const x = fromBits(bits);
        const y = activation('relu', buf([x.length], x)).data;
        const g = Float32Array.from(x, (_, i) => i - 7.5);
        const gx = activationBackward('relu', buf([x.length], x), buf([x.length], y), buf([x.length], g)).data;
        return Array.from(x).every((v, i) => {
          const fwd = Number.isNaN(v) ? Number.isNaN(y[i]!) : Object.is(y[i], v > 0 ? v : 0);
          const bwd = gx[i] === (y[i]! <= 0 ? 0 : g[i]);
          return fwd && bwd;
        });
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('all activations', () => {
  it('property: shapes kept, finite inputs give finite outputs and gradients; identity passes g (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ACTIVATIONS),
        fc.array(fc.float({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (kind, xs) => {
          const x = buf([xs.length], Float32Array.from(xs));
          const y = activation(kind, x);
          const g = buf([xs.length], Float32Array.from(xs, (_, i) => (i % 3) - 1));
          const gx = activationBackward(kind, x, y, g);
          const finite = (a: Float32Array): boolean => a.every((v) => Number.isFinite(v));
          const ok = y.shape[0] === xs.length && finite(y.data) && finite(gx.data);
          return kind === 'identity' ? ok && gx.data.every((v, i) => v === g.data[i]) : ok;
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
