// trunc_normal_ on the WebAssembly kernels against the TypeScript reference: erfinv (with its glibc erff/expf/logf)
// bit for bit on many float32 inputs, and whole truncNormal_ calls (bits and engine state) for random parameters.
// Property tests print their fast-check seed for replay.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, PhiloxGenerator, empty, init } from '../../src/index.js';
import { erfinvF32 } from '../../src/rng/erfinv.js';
import { erff, expf, logf } from '../../src/rng/libm.js';
import { setKernelBackend } from '../../src/rng/wasm/backend.js';
import { diffBits, f32bits } from '../helpers/bits.js';
import { kernels } from '../helpers/wasm.js';

const SEED = Number(process.env.INITKIT_FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

afterAll(() => setKernelBackend('auto'));

/** erfinv of `ys` through the module's probe (the kernel's own vector code, or its scalar fallback), in chunks. */
function wasmErfinv(ys: Float32Array, scalar = false): Float32Array {
  const k = kernels();
  const out = new Float32Array(ys.length);
  for (let base = 0; base < ys.length; base += k.chunk) {
    const m = Math.min(k.chunk, ys.length - base);
    k.io.set(ys.subarray(base, base + m));
    if (scalar) k.exports.ik_probe_erfinv_scalar(m);
    else k.exports.ik_probe_erfinv(m);
    out.set(k.io.subarray(0, m), base);
  }
  return out;
}

function expectErfinvMatches(ys: Float32Array, what: string): void {
  expectErfinvMatchesWith(ys, what, wasmErfinv(ys));
  expectErfinvMatchesWith(ys, `${what} (scalar code)`, wasmErfinv(ys, true));
}

function expectErfinvMatchesWith(ys: Float32Array, what: string, got: Float32Array): void {
  const want = Float32Array.from(ys, (y) => erfinvF32(y));
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < ys.length; i++) {
    if (Object.is(got[i], want[i])) continue;
    count++;
    if (bad.length < 5) bad.push(`erfinv(${ys[i]} = 0x${f32bits([ys[i]!])[0]}): wasm ${got[i]} ts ${want[i]}`);
  }
  expect(count, `${what}: ${count} mismatches: ${bad.join('; ')}`).toBe(0);
}

/** A deterministic stream of 32-bit words for the inputs (independent of the code under test). */
function words(seed: number, n: number): Uint32Array {
  const g = new Generator().manualSeed(seed);
  const w = new Uint32Array(n);
  g.fillU32(w, n);
  return w;
}

/** Apply probe function `fn` of ik_probe_libm to `xs`, in chunks. */
function wasmLibm(xs: Float32Array, fn: number): Float32Array {
  const k = kernels();
  const out = new Float32Array(xs.length);
  for (let base = 0; base < xs.length; base += k.chunk) {
    const m = Math.min(k.chunk, xs.length - base);
    k.io.set(xs.subarray(base, base + m));
    k.exports.ik_probe_libm(m, fn);
    out.set(k.io.subarray(0, m), base);
  }
  return out;
}

describe('glibc expf / logf / erff ports: WebAssembly = src/rng/libm.ts', () => {
  // Inputs: every special value, then random float32 bit patterns over the whole line and over the ranges the
  // erfinv kernel uses (expf: [-40, 0]; logf: (0, 0.15]; erff: |x| < 6).
  const n = 200_000;
  const w = words(SEED ^ 0x1234, 4 * n);
  const all = new Float32Array(4 * n + 8);
  const bits = new Uint32Array(all.buffer);
  for (let i = 0; i < n; i++) {
    bits[i] = w[i]!; // any bit pattern
    all[n + i] = -40 * (w[n + i]! / 2 ** 32); // expf's range in erff / erfinv
    all[2 * n + i] = 0.15 * (w[2 * n + i]! / 2 ** 32); // logf's range in erfinv
    all[3 * n + i] = 12 * (w[3 * n + i]! / 2 ** 32) - 6; // erff's range
  }
  all.set([0, -0, 1, -1, Infinity, -Infinity, NaN, 88.72], 4 * n);
  const cases: [string, number[], (x: number) => number][] = [
    ['expf exact', [0], expf],
    ['expf fast', [1], expf],
    ['expf vector', [5], expf],
    ['logf exact', [2], logf],
    ['logf fast', [3], logf],
    ['logf vector', [6], logf],
    ['erff scalar', [4], erff],
    ['erff vector', [7], erff],
  ];
  for (const [name, [fn], ref] of cases) {
    it(`${name} (input seed ${SEED})`, () => {
      const got = wasmLibm(all, fn!);
      const bad: string[] = [];
      let count = 0;
      for (let i = 0; i < all.length; i++) {
        const want = Math.fround(ref(all[i]!));
        if (Object.is(got[i], want) || (Number.isNaN(got[i]) && Number.isNaN(want))) continue;
        count++;
        if (bad.length < 5) bad.push(`x=${all[i]} (0x${f32bits([all[i]!])[0]}): wasm ${got[i]} ts ${want}`);
      }
      expect(count, `${name}: ${count} mismatches: ${bad.join('; ')}`).toBe(0);
    });
  }
});

describe('erfinv float32: WebAssembly = TypeScript', () => {
  it('special and boundary values', () => {
    const f = Math.fround;
    const vals: number[] = [0, -0, 1, -1, 1.5, -1.5, NaN, Infinity, -Infinity, 2 ** -149, -(2 ** -149), 2 ** -126, 1e-30, -1e-20];
    for (let k = -40; k <= 40; k++) vals.push(f(0.7) + k * 2 ** -24, -(f(0.7) + k * 2 ** -24));
    for (let k = 1; k <= 4096; k++) vals.push(1 - k * 2 ** -24, -(1 - k * 2 ** -24));
    for (let e = -149; e < 0; e++) vals.push(2 ** e, -(2 ** e), f(1.5 * 2 ** e));
    expectErfinvMatches(Float32Array.from(vals), 'special values');
  });

  it(`random values and bit patterns in (-1, 1) (seed ${SEED})`, () => {
    console.log(`tests/rng/wasm-erfinv.test.ts: input seed ${SEED} (replay with INITKIT_FC_SEED=${SEED})`);
    const n = 300_000;
    const w = words(SEED, 2 * n);
    const ys = new Float32Array(2 * n);
    const bits = new Uint32Array(ys.buffer);
    for (let i = 0; i < n; i++) {
      ys[i] = (w[i]! / 2 ** 32) * 2 - 1; // uniform by value
      bits[n + i] = w[n + i]! % 0x3f800000 | (w[i]! & 0x80000000); // uniform over the bit patterns with |y| < 1
    }
    expectErfinvMatches(ys, 'random');
  });
});

describe('truncNormal_ float32: WebAssembly = TypeScript', () => {
  function both(kind: 'mt19937' | 'philox', seed: number, skip: number, n: number, opts: { mean: number; std: number; a: number; b: number }) {
    return (['js', 'wasm'] as const).map((backend) => {
      setKernelBackend(backend);
      const g = kind === 'mt19937' ? new Generator().manualSeed(seed) : new PhiloxGenerator(seed, 5);
      for (let i = 0; i < skip; i++) g.random();
      const out = f32bits(init.truncNormal_(empty([n]), { ...opts, generator: g as Generator }).data);
      const after = { state: g.getState(), next: [g.random(), g.random()] };
      setKernelBackend('auto');
      return { out, after };
    });
  }

  const CASES = [
    { mean: 0, std: 1, a: -2, b: 2 },
    { mean: 0, std: 0.02, a: -0.04, b: 0.04 },
    { mean: 0, std: 0.02, a: -2, b: 2 },
    { mean: 1.5, std: 0.3, a: 1, b: 3 },
    { mean: 0, std: 1, a: -100, b: 100 },
    { mean: 0, std: 1, a: 0, b: 0.001 },
    { mean: -3, std: 2, a: -3.5, b: 10 },
    { mean: 0, std: 1, a: 3, b: 6 },
  ];

  for (const kind of ['mt19937', 'philox'] as const) {
    it(`${kind}: fixed cases and sizes`, () => {
      let k = 0;
      for (const n of [1, 5, 16, 17, 100, 4095, 4097, 9000]) {
        for (const c of CASES) {
          const [js, wasm] = both(kind, 11 + k, (k * 31) % 700, n, c);
          k++;
          const d = diffBits(wasm!.out, js!.out);
          expect(d.count, `${kind} n=${n} ${JSON.stringify(c)}: ${d.first.join('; ')}`).toBe(0);
          expect(wasm!.after).toEqual(js!.after);
        }
      }
    });
  }

  it(`random parameters (fast-check seed ${SEED})`, () => {
    console.log(`tests/rng/wasm-erfinv.test.ts truncNormal_: fast-check seed ${SEED} (replay with INITKIT_FC_SEED=${SEED})`);
    fc.assert(
      fc.property(
        fc.constantFrom('mt19937' as const, 'philox' as const),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 6000 }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.double({ min: -4, max: 4, noNaN: true }),
        fc.double({ min: 0.05, max: 6, noNaN: true }),
        (kind, seed, skip, n, mean, std, za, width) => {
          const a = mean + za * std;
          const b = a + width * std;
          const [js, wasm] = both(kind, seed, skip, n, { mean, std, a, b });
          const d = diffBits(wasm!.out, js!.out);
          expect(d.count, `${kind} seed=${seed} n=${n} mean=${mean} std=${std} a=${a} b=${b}: ${d.first.join('; ')}`).toBe(0);
          expect(wasm!.after).toEqual(js!.after);
        },
      ),
      { seed: SEED, numRuns: 40 },
    );
  });
});
