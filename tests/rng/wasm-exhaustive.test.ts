// Exhaustive checks of the WebAssembly normal_ block math against the TypeScript model (src/rng/avx2-math.ts).
//
// In normal_fill_16_AVX2 each lane's radius sqrt(-2 log(1 - u1)) depends only on the 24-bit uniform u1, and its
// (sin, cos) only on the 24-bit uniform u2, so each takes exactly 2^24 values. The WebAssembly kernel evaluates the
// fused multiply-adds of log256/sincos256 in double and rounds to float32 without a midpoint test (a double
// rounding could only go wrong on an exact float32 midpoint); comparing all 2^24 inputs of both functions proves
// that no input reaches such a case, so the vector code is exact for every input PyTorch's kernel can see.
import { describe, expect, it } from 'vitest';
import { log256, sincos256, sincosOut } from '../../src/rng/avx2-math.js';
import { kernels } from '../helpers/wasm.js';

const f = Math.fround;
const TWO_PI_F = f(2 * Math.PI);
const N = 2 ** 24;

describe('normal_ block math, all 2^24 uniforms', () => {
  it('radius = sqrt(-2 log(1 - u)) matches avx2-math.ts for every u = k * 2^-24', () => {
    const k = kernels();
    const m = k.chunk / 2;
    const want = new Float32Array(1);
    let mismatches = 0;
    const first: string[] = [];
    for (let base = 0; base < N; base += m) {
      for (let i = 0; i < m; i++) k.io[i] = (base + i) * 2 ** -24;
      k.exports.ik_probe_radius(m);
      for (let i = 0; i < m; i++) {
        const u = (base + i) * 2 ** -24;
        want[0] = f(Math.sqrt(f(-2 * log256(f(1 - u)))));
        if (!Object.is(k.io[i], want[0])) {
          mismatches++;
          if (first.length < 5) first.push(`u=${base + i}*2^-24: wasm ${k.io[i]} ts ${want[0]}`);
        }
      }
    }
    expect(mismatches, first.join('; ')).toBe(0);
  });

  it('(sin, cos) of theta = f(2π u) matches avx2-math.ts for every u = k * 2^-24', () => {
    const k = kernels();
    const m = k.chunk / 2;
    let mismatches = 0;
    const first: string[] = [];
    for (let base = 0; base < N; base += m) {
      for (let i = 0; i < m; i++) k.io[i] = (base + i) * 2 ** -24;
      k.exports.ik_probe_sincos(m);
      for (let i = 0; i < m; i++) {
        const u = (base + i) * 2 ** -24;
        sincos256(f(TWO_PI_F * u));
        if (!Object.is(k.io[i], f(sincosOut.cos)) || !Object.is(k.io[m + i], f(sincosOut.sin))) {
          mismatches++;
          if (first.length < 5) first.push(`u=${base + i}*2^-24: wasm (${k.io[m + i]}, ${k.io[i]}) ts (${sincosOut.sin}, ${sincosOut.cos})`);
        }
      }
    }
    expect(mismatches, first.join('; ')).toBe(0);
  });
});
