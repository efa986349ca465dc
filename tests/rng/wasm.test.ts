// The WebAssembly SIMD kernels against the TypeScript kernels (the reference): identical bits and identical engine
// state afterwards, for MT19937 and Philox engines at arbitrary stream positions, for sizes around every boundary
// (< 16, non-multiples of 16, the 624-word twist, the 8192-element chunk) and for ranges that exercise both the
// exact-sum and the fused-multiply-add-emulation paths. Property tests print their fast-check seed for replay.
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Generator, PhiloxGenerator, empty, init } from '../../src/index.js';
import type { RandomEngine } from '../../src/rng/engine.js';
import { activeKernels, engineIn, engineOut, getKernelBackend, kernelBackendInfo, setKernelBackend } from '../../src/rng/wasm/backend.js';
import { uniformMode } from '../../src/rng/wasm/kernels.js';
import { uniformSumIsExact } from '../../src/rng/kernels.js';
import { fmaf } from '../../src/rng/fma.js';
import { diffBits, f32bits } from '../helpers/bits.js';

type Engine = Generator | PhiloxGenerator;

interface EngineSpec {
  kind: 'mt19937' | 'philox';
  seed: number;
  stream: number;
  /** Words drawn one at a time before the call, to start at an arbitrary position (within a twist, a block). */
  skip: number;
}

function makeEngine(s: EngineSpec): Engine {
  const g = s.kind === 'mt19937' ? new Generator().manualSeed(s.seed) : new PhiloxGenerator(s.seed, s.stream);
  for (let i = 0; i < s.skip; i++) g.random();
  return g;
}

/** Run `fn` on a fresh engine with each backend; return the output bits and the engine state after. */
function both(spec: EngineSpec, fn: (g: RandomEngine) => Float32Array): { js: string[]; wasm: string[]; jsAfter: unknown; wasmAfter: unknown } {
  const results = (['js', 'wasm'] as const).map((backend) => {
    setKernelBackend(backend);
    const g = makeEngine(spec);
    const out = f32bits(fn(g));
    // The state after the call (position and normal cache), and the next words, must match too.
    const after = { state: g.getState(), next: [g.random(), g.random(), g.random()] };
    return { out, after };
  });
  setKernelBackend('auto');
  return { js: results[0]!.out, wasm: results[1]!.out, jsAfter: results[0]!.after, wasmAfter: results[1]!.after };
}

function expectSame(r: ReturnType<typeof both>, what: string): void {
  const d = diffBits(r.wasm, r.js);
  expect(d.count, `${what}: ${d.count} differing values, first: ${d.first.join('; ')}`).toBe(0);
  expect(r.wasmAfter, `${what}: engine state after the call`).toEqual(r.jsAfter);
}

const SIZES = [1, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 623, 624, 625, 1000, 1249, 4099, 8191, 8192, 8193, 8208, 16400, 20011];

const RANGES: [number, number][] = [
  [0, 1],
  [-0.1, 0.1],
  [-0.0883883461356163, 0.0883883461356163],
  [-3.7, 11.3],
  [1000, 1000.001],
  [1000, 1000.003],
  [-1e-3, 5],
  [2.5, 2.5],
  [0, 1e-40],
  [1e-39, 3e-39],
  [-1e-30, 7e-31],
  [-1e30, 1e30],
  [12345.678, 99999.5],
  [-7, -6.999],
];

const NORMAL_PARAMS: [number, number][] = [
  [0, 1],
  [0, 0.02],
  [-0, 0.5],
  [3.5, 2.25],
  [-1, 1],
  [1e-3, 1e-7],
  [0, 0],
  [5, 0],
  [0, 1e-40],
  [1e-39, 1e-39],
  [1e6, 1],
  [-2.75, 1e-3],
];

const SEED = Number(process.env.INITKIT_FC_SEED ?? Math.floor(Math.random() * 2 ** 31));

afterAll(() => setKernelBackend('auto'));

describe('kernel backend selection', () => {
  it('loads the WebAssembly kernels in Node and reports the active backend', () => {
    expect(setKernelBackend('wasm')).toBe('wasm');
    expect(getKernelBackend()).toBe('wasm');
    expect(setKernelBackend('js')).toBe('js');
    expect(getKernelBackend()).toBe('js');
    expect(setKernelBackend('auto')).toBe('wasm');
    const info = kernelBackendInfo();
    expect(info).toMatchObject({ mode: 'auto', active: 'wasm', status: 'ready', reason: null });
    expect(info.compiler).toMatch(/clang/);
    expect(info.moduleSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('INITKIT_KERNELS=js|wasm|auto sets the starting mode (fresh module instance)', async () => {
    const saved = process.env.INITKIT_KERNELS;
    try {
      for (const mode of ['js', 'wasm', 'auto', 'bogus'] as const) {
        process.env.INITKIT_KERNELS = mode;
        vi.resetModules();
        const fresh = await import('../../src/rng/wasm/backend.js');
        expect(fresh.kernelBackendInfo().mode).toBe(mode === 'bogus' ? 'auto' : mode);
        expect(fresh.getKernelBackend()).toBe(mode === 'js' ? 'js' : 'wasm');
      }
    } finally {
      if (saved === undefined) delete process.env.INITKIT_KERNELS;
      else process.env.INITKIT_KERNELS = saved;
      vi.resetModules();
    }
  });

  it('falls back to the TypeScript kernels while a browser-style asynchronous compile is pending', async () => {
    // Some browsers refuse synchronous compilation of modules over 4 KB on the main thread (RangeError).
    const real = (globalThis as unknown as { WebAssembly: Record<string, unknown> }).WebAssembly;
    class RefusingModule {
      constructor() {
        throw new RangeError('WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB');
      }
    }
    vi.stubGlobal('WebAssembly', { ...real, compile: real.compile, instantiate: real.instantiate, Module: RefusingModule, Instance: real.Instance });
    try {
      vi.resetModules();
      const fresh = await import('../../src/rng/wasm/backend.js');
      expect(fresh.getKernelBackend()).toBe('js');
      expect(fresh.kernelBackendInfo().status).toBe('pending');
      expect(() => fresh.setKernelBackend('wasm')).toThrow(/setKernelBackend: expected WebAssembly SIMD kernels.*'wasm' \(asynchronous compilation still pending\).*loadKernels/);
      expect(await fresh.loadKernels()).toBe('wasm');
      expect(fresh.setKernelBackend('wasm')).toBe('wasm');
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('reports why WebAssembly is unavailable and keeps the TypeScript kernels', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    try {
      vi.resetModules();
      const fresh = await import('../../src/rng/wasm/backend.js');
      expect(fresh.getKernelBackend()).toBe('js');
      expect(fresh.kernelBackendInfo()).toMatchObject({ status: 'failed', reason: 'WebAssembly is not available on this platform' });
      expect(await fresh.loadKernels()).toBe('js');
      expect(() => fresh.setKernelBackend('wasm')).toThrow(/setKernelBackend: .*WebAssembly is not available on this platform/);
    } finally {
      vi.unstubAllGlobals();
      vi.resetModules();
    }
  });

  it('rejects an unknown backend, naming the parameter and echoing the value', () => {
    expect(() => setKernelBackend('gpu' as never)).toThrow(/setKernelBackend: expected backend to be one of 'auto', 'wasm', 'js', got "?gpu"?/);
  });
});

describe('uniform_ float32: WebAssembly = TypeScript', () => {
  it('the test ranges exercise every evaluation mode of the module', () => {
    const modes = new Set<number>();
    for (const [a, b] of RANGES) {
      const lo = Math.fround(a);
      const range = Math.fround(Math.fround(b) - lo);
      modes.add(uniformMode(lo, range, uniformSumIsExact(lo, range)).mode);
    }
    expect([...modes].sort()).toEqual([0, 1, 2]); // general (midpoint test), exact double sum, scaled integer
    expect(uniformMode(Math.fround(-0.1), Math.fround(0.2), true)).toEqual({ mode: 2, j: -(2 ** 23) });
    expect(uniformMode(0, 1, true)).toEqual({ mode: 2, j: 0 });
  });

  for (const kind of ['mt19937', 'philox'] as const) {
    it(`${kind}: every size x range, bits and state`, () => {
      let k = 0;
      for (const n of SIZES) {
        for (const [a, b] of RANGES) {
          const spec: EngineSpec = { kind, seed: 1000 + k, stream: k, skip: (k * 37) % 700 };
          k++;
          const r = both(spec, (g) => init.uniform_(empty([n]), a, b, { generator: g as Generator }).data as Float32Array);
          expectSame(r, `${kind} n=${n} [${a}, ${b})`);
        }
      }
    });
  }

  it(`random cases (fast-check seed ${SEED})`, () => {
    console.log(`tests/rng/wasm.test.ts uniform: fast-check seed ${SEED} (replay with INITKIT_FC_SEED=${SEED})`);
    const bound = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.constantFrom('mt19937' as const, 'philox' as const),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 1300 }),
        fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 20000 })),
        bound,
        fc.oneof(bound, fc.double({ min: 0, max: 1e-3, noNaN: true })),
        (kind, seed, skip, n, a, w) => {
          const lo = Math.min(a, a + w);
          const hi = Math.max(a, a + w);
          const r = both({ kind, seed, stream: (seed ^ 0x5bd1e995) >>> 0, skip }, (g) => init.uniform_(empty([n]), lo, hi, { generator: g as Generator }).data as Float32Array);
          expectSame(r, `${kind} seed=${seed} skip=${skip} n=${n} [${lo}, ${hi})`);
        },
      ),
      { seed: SEED, numRuns: 150 },
    );
  });
});

describe('normal_ float32: WebAssembly = TypeScript', () => {
  for (const kind of ['mt19937', 'philox'] as const) {
    it(`${kind}: every size x (mean, std), bits and state`, () => {
      let k = 0;
      for (const n of SIZES) {
        for (const [mean, std] of NORMAL_PARAMS) {
          const spec: EngineSpec = { kind, seed: 77 + k, stream: 3 * k, skip: (k * 53) % 900 };
          k++;
          const r = both(spec, (g) => init.normal_(empty([n]), mean, std, { generator: g as Generator }).data as Float32Array);
          expectSame(r, `${kind} n=${n} mean=${mean} std=${std}`);
        }
      }
    });
  }

  it(`random cases (fast-check seed ${SEED})`, () => {
    console.log(`tests/rng/wasm.test.ts normal: fast-check seed ${SEED} (replay with INITKIT_FC_SEED=${SEED})`);
    fc.assert(
      fc.property(
        fc.constantFrom('mt19937' as const, 'philox' as const),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 1300 }),
        fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 20000 })),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (kind, seed, skip, n, mean, std) => {
          const r = both({ kind, seed, stream: seed >>> 3, skip }, (g) => init.normal_(empty([n]), mean, std, { generator: g as Generator }).data as Float32Array);
          expectSame(r, `${kind} seed=${seed} skip=${skip} n=${n} mean=${mean} std=${std}`);
        },
      ),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('keeps the per-element path (numel < 16) and its Box–Muller cache identical', () => {
    const r = both({ kind: 'mt19937', seed: 5, stream: 0, skip: 0 }, (g) => {
      const a = init.normal_(empty([3]), 0, 1, { generator: g as Generator }).data as Float32Array;
      const b = init.normal_(empty([40]), 1, 2, { generator: g as Generator }).data as Float32Array;
      const c = init.normal_(empty([1]), 0, 1, { generator: g as Generator }).data as Float32Array;
      return Float32Array.from([...a, ...b, ...c]);
    });
    expectSame(r, 'normal_(3), normal_(40), normal_(1)');
  });
});

/**
 * Constructed fmaf(x, r, 1) cases whose double sum lands exactly on a float32 midpoint without being exact, so that
 * rounding it to float32 (double rounding) can be wrong: x = k·2^-24 and r = q·2^-40 with k·q = (2m+1)·2^40 + ρ,
 * 0 < |ρ| < 2^11, i.e. x·r + 1 = 1 + (2m+1)·2^-24 + ρ·2^-64, which is within half a double ulp (2^-53) of the
 * midpoint 1 + (2m+1)·2^-24. Found by search with BigInt modular inverses; returns [k, q] pairs.
 */
function midpointCases(count: number): [number, number][] {
  const out: [number, number][] = [];
  const M40 = 1n << 40n;
  const inv = (q: bigint): bigint => {
    // q^-1 mod 2^40 for odd q (Newton iteration on the 2-adic inverse)
    let x = q;
    for (let i = 0; i < 6; i++) x = (x * (2n - q * x)) % M40;
    return ((x % M40) + M40) % M40;
  };
  const g = new Generator().manualSeed(12345);
  while (out.length < count) {
    const q = BigInt((g.random() & 0x7fffff) | 0x800001); // odd, 24 bits
    const qi = inv(q);
    for (let rho = -2047n; rho <= 2047n && out.length < count; rho++) {
      if (rho === 0n) continue;
      const k = (((rho % M40) + M40) * qi) % M40;
      if (k <= 0n || k >= 1n << 24n) continue;
      if (((k * q + (1n << 39n)) >> 40n) % 2n !== 1n) continue; // the nearest multiple of 2^40 is an odd one
      out.push([Number(k), Number(q)]);
    }
  }
  return out;
}

describe('the double-rounding branch (constructed midpoints)', () => {
  const cases = midpointCases(64);

  it('the constructed sums are float32 midpoints that plain double rounding gets wrong', () => {
    let wrong = 0;
    for (const [k, q] of cases) {
      const x = k * 2 ** -24;
      const r = q * 2 ** -40;
      const s = x * r + 1; // double sum
      const lo = Math.fround(s);
      expect(lo).not.toBe(s);
      expect(Math.fround(2 * s - lo)).toBe(2 * s - lo); // s is exactly half-way between two floats
      if (Math.fround(s) !== fmaf(x, r, 1)) wrong++;
    }
    expect(wrong).toBeGreaterThan(10);
  });

  it('uniform_ (general mode) settles them exactly', () => {
    setKernelBackend('wasm');
    const k = activeKernels()!;
    setKernelBackend('auto');
    for (const [kk, q] of cases) {
      const range = q * 2 ** -40;
      // four lanes: the hazard word in each position in turn, with ordinary words around it
      for (let lane = 0; lane < 4; lane++) {
        const words = [12345, 999999, 7, 0xabcdef];
        words[lane] = kk | 0x5a000000; // the high byte is ignored
        k.ioU32.set(words);
        k.exports.ik_probe_uniform(4, 1, range, 0, 0);
        const want = words.map((w) => fmaf((w & 0xffffff) * 2 ** -24, range, 1));
        expect(f32bits(k.io.subarray(0, 4))).toEqual(f32bits(want));
      }
    }
  });

  it('normal_ (general mean and std) settles them exactly in its final fmaf', () => {
    setKernelBackend('wasm');
    const k = activeKernels()!;
    setKernelBackend('auto');
    for (const [kk, q] of cases) {
      const std = q * 2 ** -40;
      const rs = [0.25, kk * 2 ** -24, -1.5, 3];
      k.io.set(rs);
      k.exports.ik_probe_normal_out(4, 1, std);
      expect(f32bits(k.io.subarray(0, 4))).toEqual(f32bits(rs.map((r) => fmaf(Math.fround(r), Math.fround(std), 1))));
    }
  });
});

describe('the engines inside the module: fillU32', () => {
  it(`MT19937 and Philox words equal the TypeScript engines' at any position (fast-check seed ${SEED})`, () => {
    setKernelBackend('wasm');
    const k = activeKernels()!;
    setKernelBackend('auto');
    fc.assert(
      fc.property(
        fc.constantFrom('mt19937' as const, 'philox' as const),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.integer({ min: 1, max: k.chunk }),
        (kind, seed, skip, n) => {
          const a = makeEngine({ kind, seed, stream: seed >>> 5, skip });
          const b = makeEngine({ kind, seed, stream: seed >>> 5, skip });
          const want = new Uint32Array(n);
          a.fillU32(want, n);
          expect(engineIn(k, b)).toBe(true);
          k.exports.ik_fill_u32(n);
          engineOut(k, b);
          expect(Array.from(k.ioU32.subarray(0, n))).toEqual(Array.from(want));
          expect(b.getState()).toEqual(a.getState());
        },
      ),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('hands user-defined engines and unreachable MT19937 positions back to the TypeScript kernels', () => {
    setKernelBackend('wasm');
    const k = activeKernels()!;
    setKernelBackend('auto');
    // A user-defined RandomEngine (here a wrapper around a Generator): the module cannot read its state.
    const wrap = (g: Generator): RandomEngine => ({
      kind: 'mt19937',
      random: () => g.random(),
      fillU32: (o: Uint32Array, n: number) => g.fillU32(o, n),
      nextDoubleNormal: null,
      compat: '2.x',
    });
    expect(engineIn(k, wrap(new Generator()))).toBe(false);
    const r = both({ kind: 'mt19937', seed: 1, stream: 0, skip: 0 }, (g) => {
      return init.uniform_(empty([100]), -1, 1, { generator: wrap(g as Generator) as Generator }).data as Float32Array;
    });
    expectSame(r, 'user-defined engine');
    const odd = new Generator().manualSeed(2);
    odd.setState({ ...odd.getState(), left: 600, next: 300 }); // next + left - 1 > 624: no stream gets here
    expect(engineIn(k, odd)).toBe(false);
  });
});

describe('engines with unusual positions', () => {
  it('an MT19937 state restored from getState() mid-stream continues identically', () => {
    const g0 = new Generator().manualSeed(9);
    g0.discard(1000);
    const state = g0.getState();
    const r = both({ kind: 'mt19937', seed: 0, stream: 0, skip: 0 }, (g) => {
      (g as Generator).setState(state);
      return init.uniform_(empty([5000]), -2, 3, { generator: g as Generator }).data as Float32Array;
    });
    expectSame(r, 'setState mid-stream');
  });

  it('a Philox stream seeked to a non-block-aligned offset near 2^32 blocks carries into the high counter word', () => {
    const r = both({ kind: 'philox', seed: 3, stream: 11, skip: 0 }, (g) => {
      (g as PhiloxGenerator).seek(4n * (2n ** 32n - 3n) + 2n);
      return init.normal_(empty([1000]), 0, 1, { generator: g as Generator }).data as Float32Array;
    });
    expectSame(r, 'philox carry');
  });
});
