// The GEMM layer: the pure-TypeScript sgemm against a float64 reference (every transpose combination, edge
// sizes around the 4×4 micro-kernel and the 64/256 cache blocks, accumulate), backend selection, and the
// TensorFlow.js WASM SIMD backend from initkit/accel against the TypeScript one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTfjsWasmGemm, type TfjsWasmGemm } from '../../src/accel/index.js';
import { _accelTestHooks } from '../../src/accel/tfjs-wasm.js';
import {
  type GemmBackend,
  Tape,
  buf,
  conv2d,
  getGemmBackend,
  linear,
  param,
  setGemmBackend,
  sgemm,
  transposeInto,
  tsGemm,
} from '../../src/analysis/ops/index.js';
import type { InitError } from '../../src/errors.js';

/** Deterministic values in [-1, 1) (a small LCG; the data only needs to be irregular). */
function fill(n: number, seed: number): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

/** C = op(A)·op(B) (+ C0) in float64. */
function reference(
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c0: Float32Array | null,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = c0 === null ? 0 : c0[i * n + j]!;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

/** max |got − ref| / (Σ_p |a_ip·b_pj|): the error relative to the magnitude float32 accumulation works at. */
function maxScaledError(
  got: Float32Array,
  ref: Float64Array,
  tA: boolean,
  tB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
): number {
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let mag = 0;
      for (let p = 0; p < k; p++) mag += Math.abs((tA ? a[p * m + i]! : a[i * k + p]!) * (tB ? b[j * k + p]! : b[p * n + j]!));
      const e = Math.abs(got[i * n + j]! - ref[i * n + j]!) / Math.max(mag, 1e-30);
      if (e > worst) worst = e;
    }
  }
  return worst;
}

const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [17, 13, 11],
  [65, 67, 260],
  [130, 257, 33],
  [64, 256, 256],
];

describe('sgemm (pure TypeScript)', () => {
  for (const [m, n, k] of SIZES) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        for (const acc of [false, true]) {
          it(`m=${m} n=${n} k=${k} transA=${tA} transB=${tB} accumulate=${acc}`, () => {
            const a = fill(m * k, m * 7 + k);
            const b = fill(k * n, n * 13 + k);
            const c0 = fill(m * n, 99);
            const c = c0.slice();
            sgemm(tA, tB, m, n, k, a, b, c, acc);
            const ref = reference(tA, tB, m, n, k, a, b, acc ? c0 : null);
            // float64 accumulation, one float32 rounding per 256-long block: well under float32 eps.
            expect(maxScaledError(c, ref, tA, tB, m, n, k, a, b)).toBeLessThan(2 ** -22);
          });
        }
      }
    }
  }

  it('k = 0 gives zeros (or leaves C with accumulate); m = 0 or n = 0 is a no-op', () => {
    const c = Float32Array.of(5, 6);
    sgemm(false, false, 1, 2, 0, new Float32Array(0), new Float32Array(0), c, true);
    expect(Array.from(c)).toEqual([5, 6]);
    sgemm(false, false, 1, 2, 0, new Float32Array(0), new Float32Array(0), c, false);
    expect(Array.from(c)).toEqual([0, 0]);
    const d = Float32Array.of(1);
    sgemm(false, false, 0, 1, 3, new Float32Array(0), new Float32Array(3), d);
    expect(d[0]).toBe(1);
  });

  it('property: any shape and transposition matches the float64 reference (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 300 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (m, n, k, tA, tB, seed) => {
          const a = fill(m * k, seed);
          const b = fill(k * n, seed ^ 0x5bd1e995);
          const c = new Float32Array(m * n);
          sgemm(tA, tB, m, n, k, a, b, c);
          return maxScaledError(c, reference(tA, tB, m, n, k, a, b, null), tA, tB, m, n, k, a, b) < 2 ** -22;
        },
      ),
      { numRuns: 60, seed: 20240601 },
    );
  });

  it('rejects sizes that are not non-negative integers, naming the parameter and value', () => {
    const z = new Float32Array(4);
    expect(() => sgemm(false, false, -1, 2, 2, z, z, z)).toThrow(/sgemm: expected m to be a non-negative integer, got -1/);
    expect(() => sgemm(false, false, 2, 1.5, 2, z, z, z)).toThrow(/n to be a non-negative integer, got 1\.5/);
    expect(() => sgemm(false, false, 2, 2, NaN, z, z, z)).toThrow(/k to be a non-negative integer, got NaN/);
  });

  it('rejects arrays shorter than their shape, naming the array and both sizes', () => {
    const z = new Float32Array(4);
    expect(() => sgemm(false, false, 3, 2, 2, z, z, z)).toThrow(
      /sgemm: expected a Float32Array of at least 6 elements for m=3, n=2, k=2, got length 4/,
    );
    const err = (() => {
      try {
        sgemm(false, false, 2, 2, 2, z, new Float64Array(4) as unknown as Float32Array, z);
      } catch (e) {
        return e as InitError;
      }
      return null;
    })();
    expect(err?.param).toBe('b');
    expect(err?.message).toMatch(/got Float64Array\(4\)/);
  });

  it('transposeInto transposes in blocks', () => {
    const src = fill(37 * 45, 3);
    const out = transposeInto(src, 37, 45, new Float32Array(37 * 45));
    for (let i = 0; i < 37; i++) for (let j = 0; j < 45; j++) expect(out[j * 37 + i]).toBe(src[i * 45 + j]);
  });
});

describe('backend selection', () => {
  it('defaults to the TypeScript backend; setGemmBackend swaps it and returns the previous one', () => {
    expect(getGemmBackend()).toBe(tsGemm);
    const calls: number[] = [];
    const spy: GemmBackend = {
      name: 'spy',
      sgemm(tA, tB, m, n, k, a, b, c, acc) {
        calls.push(m * n * k);
        tsGemm.sgemm(tA, tB, m, n, k, a, b, c, acc);
      },
    };
    const prev = setGemmBackend(spy);
    try {
      expect(prev).toBe(tsGemm);
      linear(buf([2, 3]), buf([4, 3]), null);
      expect(calls).toEqual([24]);
      // A per-call backend wins over the process-wide one.
      linear(buf([2, 3]), buf([4, 3]), null, { gemm: tsGemm });
      expect(calls).toEqual([24]);
    } finally {
      expect(setGemmBackend(null)).toBe(spy);
    }
    expect(getGemmBackend()).toBe(tsGemm);
  });

  it('rejects something that is not a GemmBackend, naming the parameter', () => {
    expect(() => setGemmBackend({ name: 'x' } as unknown as GemmBackend)).toThrow(
      /setGemmBackend: expected a GemmBackend .*got \{ name: 'x' \}|setGemmBackend: expected a GemmBackend/,
    );
    expect(() => linear(buf([1, 1]), buf([1, 1]), null, { gemm: 42 as unknown as GemmBackend })).toThrow(
      /linear: expected a GemmBackend.*got 42/,
    );
    expect(() => new Tape({ gemm: 'fast' as unknown as GemmBackend })).toThrow(/Tape: expected a GemmBackend.*got 'fast'|got "fast"/);
  });
});

describe('initkit/accel: TensorFlow.js WASM SIMD backend', () => {
  let gemm: TfjsWasmGemm;
  beforeAll(async () => {
    gemm = await createTfjsWasmGemm({ minMacs: 0 });
  });
  afterAll(async () => {
    await gemm.dispose();
  });

  it('runs XNNPACK single-threaded with SIMD', () => {
    expect(gemm.name).toBe('tfjs-wasm');
    expect(gemm.simd).toBe(true);
    expect(gemm.version).toMatch(/^4\./);
  });

  for (const [m, n, k] of [[3, 5, 7], [65, 67, 260], [256, 96, 128], [40, 300, 64]] as [number, number, number][]) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        it(`matches float64 for m=${m} n=${n} k=${k} transA=${tA} transB=${tB}, plain and accumulating`, () => {
          const a = fill(m * k, 11 + m);
          const b = fill(k * n, 17 + n);
          const c0 = fill(m * n, 5);
          for (const acc of [false, true]) {
            const c = c0.slice();
            gemm.sgemm(tA, tB, m, n, k, a, b, c, acc);
            const ref = reference(tA, tB, m, n, k, a, b, acc ? c0 : null);
            // float32 accumulation in XNNPACK: k·eps-bounded, well inside 1e-5 of the magnitude.
            expect(maxScaledError(c, ref, tA, tB, m, n, k, a, b)).toBeLessThan(1e-5);
          }
        });
      }
    }
  }

  it('drives linear, conv2d and the tape like the TypeScript backend', () => {
    const x = buf([8, 20], fill(160, 1));
    const w = buf([12, 20], fill(240, 2));
    const b = buf([12], fill(12, 3));
    const y1 = linear(x, w, b, { gemm });
    const y0 = linear(x, w, b);
    for (let i = 0; i < y0.data.length; i++) expect(Math.abs(y1.data[i]! - y0.data[i]!)).toBeLessThan(1e-5);
    const img = buf([2, 3, 9, 9], fill(486, 4));
    const kern = buf([5, 3, 3, 3], fill(135, 5));
    const z1 = conv2d(img, kern, null, { padding: 1, gemm });
    const z0 = conv2d(img, kern, null, { padding: 1 });
    for (let i = 0; i < z0.data.length; i++) expect(Math.abs(z1.data[i]! - z0.data[i]!)).toBeLessThan(1e-5);
    const tape = new Tape({ gemm });
    const wp = param('w', w);
    const out = tape.activation(tape.linear(tape.input(x), wp, null, { name: 'fc' }), 'relu');
    tape.backward(out, fill(96, 6));
    expect(wp.grad).not.toBeNull();
  });

  it('gives the same bits through tf.tensor2d and dataSync() when the backend internals are not usable', () => {
    const m = 33;
    const n = 70;
    const k = 90;
    const a = fill(m * k, 7);
    const b = fill(k * n, 8);
    const combos: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];
    const run = (): Float32Array[] =>
      combos.map(([tA, tB]) => {
        const c = fill(m * n, 9);
        gemm.sgemm(tA, tB, m, n, k, a, b, c, tA);
        return c;
      });
    const inPlace = run();
    _accelTestHooks.inPlace = false;
    try {
      const copied = run();
      combos.forEach((_, i) => expect(Array.from(copied[i]!)).toEqual(Array.from(inPlace[i]!)));
    } finally {
      _accelTestHooks.inPlace = true;
    }
  });

  it('falls back to TypeScript after dispose and below minMacs', async () => {
    const small = await createTfjsWasmGemm({ minMacs: 1e9 });
    const a = fill(6, 1);
    const c = new Float32Array(4);
    small.sgemm(false, false, 2, 2, 3, a, a, c, false);
    const c2 = new Float32Array(4);
    tsGemm.sgemm(false, false, 2, 2, 3, a, a, c2, false);
    expect(Array.from(c)).toEqual(Array.from(c2));
    await small.dispose();
    await small.dispose();
  });

  it('rejects a bad minMacs, naming it', async () => {
    await expect(createTfjsWasmGemm({ minMacs: -1 })).rejects.toThrow(/createTfjsWasmGemm: expected a number >= 0, got -1/);
  });
});
