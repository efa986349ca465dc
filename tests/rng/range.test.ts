// Sub-range fills on a counter-based stream equal the whole-tensor fill, for any split.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Generator, PhiloxGenerator, InitError } from '../../src/index.js';
import { normalF32, normalF64, uniformF32 } from '../../src/rng/kernels.js';
import { normalRange, uniformRange, wordsConsumed } from '../../src/rng/range.js';

function whole(kind: 'uniform' | 'normal', dtype: 'float32' | 'float64', n: number, base: number): Float32Array | Float64Array {
  const g = new PhiloxGenerator(77, 5).seekWords(base);
  const out = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (kind === 'uniform') uniformF32(g, out as Float32Array, -1, 3);
  else if (dtype === 'float64') normalF64(g, out as Float64Array, 0.5, 2);
  else normalF32(g, out as Float32Array, 0.5, 2);
  return out;
}

describe('range fills on Philox', () => {
  it('any split of the tensor into ranges reproduces the whole fill, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'uniform' | 'normal'>('uniform', 'normal'),
        fc.constantFrom<'float32' | 'float64'>('float32', 'float64'),
        fc.integer({ min: 1, max: 300 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (kind, dtype0, n, cuts, base) => {
          const dtype = kind === 'uniform' ? 'float32' : dtype0;
          const ref = whole(kind, dtype, n, base);
          const got = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
          const g = new PhiloxGenerator(77, 5);
          let start = 0;
          let k = 0;
          while (start < n) {
            const len = Math.min(cuts[k++ % cuts.length]!, n - start);
            const out = got.subarray(start, start + len);
            const req = { generator: g, base, numel: n, start, out, dtype } as const;
            if (kind === 'uniform') uniformRange(req, -1, 3);
            else normalRange(req, 0.5, 2);
            start += len;
          }
          expect(Array.from(got)).toEqual(Array.from(ref));
        },
      ),
      { seed: 4242, numRuns: 300 },
    );
  });

  it('wordsConsumed matches what the kernels draw', () => {
    for (const n of [1, 5, 15, 16, 17, 31, 32, 100]) {
      for (const kind of ['uniform', 'normal'] as const) {
        const g = new PhiloxGenerator(1, 1);
        if (kind === 'uniform') uniformF32(g, new Float32Array(n), 0, 1);
        else normalF32(g, new Float32Array(n), 0, 1);
        expect(g.position(), `${kind} ${n}`).toBe(BigInt(wordsConsumed(kind, 'float32', n)));
      }
    }
  });

  it('rejects a sequential generator and bad ranges', () => {
    const out = new Float32Array(4);
    expect(() =>
      uniformRange({ generator: new Generator() as unknown as PhiloxGenerator, base: 0, numel: 4, start: 0, out, dtype: 'float32' }, 0, 1),
    ).toThrow(/PhiloxGenerator/);
    expect(() => normalRange({ generator: new PhiloxGenerator(), base: 0, numel: 4, start: 2, out, dtype: 'float32' }, 0, 1)).toThrow(
      InitError,
    );
  });
});
