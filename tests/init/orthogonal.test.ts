// orthogonal_ and deltaOrthogonal_: golden values from PyTorch (tests/fixtures/orthogonal.json, written by
// scripts/gen_orthogonal_fixtures.py with the command and torch version recorded inside), structural checks
// (QᵀQ = gain²·I), property tests and one test per error branch.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, empty, init } from '../../src/index.js';
import { f32bits } from '../helpers/bits.js';
import { thrown } from '../helpers/errors.js';

interface FixtureCase {
  op: 'orthogonal' | 'delta';
  seed: string;
  shape: number[];
  gain: number;
  dtype: 'float32' | 'float64';
  bits: string[];
  index?: number[];
  maxAbs: number;
  nextUniform: string[];
  nextNormal: string[];
  cond?: number;
}

interface Fixture {
  command: string;
  torch: string;
  packages: string[];
  lapack: string[];
  cases: FixtureCase[];
}

const fixture = JSON.parse(readFileSync(new URL('../fixtures/orthogonal.json', import.meta.url), 'utf8')) as Fixture;

function fromHex(hex: string, dtype: 'float32' | 'float64'): number {
  if (dtype === 'float64') return new Float64Array(new BigUint64Array([BigInt(`0x${hex}`)]).buffer)[0]!;
  return new Float32Array(new Uint32Array([parseInt(hex, 16)]).buffer)[0]!;
}

function run(c: FixtureCase): { t: Tensor; g: Generator } {
  const g = new Generator().manualSeed(BigInt(c.seed));
  const t = empty(c.shape, { dtype: c.dtype });
  if (c.op === 'delta') init.deltaOrthogonal_(t, { gain: c.gain, generator: g });
  else init.orthogonal_(t, { gain: c.gain, generator: g });
  return { t, g };
}

/** Max |ours − PyTorch| over the stored positions. */
function maxDiff(t: Tensor, c: FixtureCase): number {
  let md = 0;
  for (let j = 0; j < c.bits.length; j++) {
    const k = c.index ? c.index[j]! : j;
    const d = Math.abs(t.data[k]! - fromHex(c.bits[j]!, c.dtype));
    if (!(d <= md)) md = d; // NaN propagates
  }
  return md;
}

/** Largest |WᵀW − gain²·I| (rows >= cols) or |WWᵀ − gain²·I| (rows < cols) of the (rows, numel/rows) flattening. */
function orthogonalityError(t: Tensor, gain: number): number {
  const rows = t.shape[0]!;
  const cols = t.numel / rows;
  const d = t.data;
  const tall = rows >= cols;
  const k = tall ? cols : rows; // Gram size
  const len = tall ? rows : cols; // vector length
  const at = (v: number, i: number): number => (tall ? d[i * cols + v]! : d[v * cols + i]!);
  let err = 0;
  for (let p = 0; p < k; p++) {
    for (let q = p; q < k; q++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(p, i) * at(q, i);
      err = Math.max(err, Math.abs(s - (p === q ? gain * gain : 0)));
    }
  }
  return err;
}

describe(`orthogonal_ golden (PyTorch ${fixture.torch}, ${fixture.packages.join(', ')}; ${fixture.command})`, () => {
  it('the fixture covers tall, wide, square, 1×n, n×1, conv, large, float64, several seeds and gains', () => {
    const shapes = new Set(fixture.cases.map((c) => c.shape.join('x')));
    for (const s of ['1x1', '1x50', '50x1', '64x32', '32x64', '33x33', '8x4x3x3', '16x8x3', '4x2x3x3x3', '1024x1024', '2048x512', '512x2048', '64x32x3x3']) {
      expect(shapes.has(s), s).toBe(true);
    }
    expect(new Set(fixture.cases.map((c) => c.seed)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(fixture.cases.map((c) => c.gain)).size).toBeGreaterThanOrEqual(4);
    expect(fixture.cases.some((c) => c.dtype === 'float64')).toBe(true);
    expect(fixture.lapack.some((l) => l.includes('openblas'))).toBe(true);
  });

  // Agreement with PyTorch is limited by LAPACK's float32 rounding (see orthogonal_'s TSDoc): every case in this
  // fixture is within 1e-5 absolute (the largest measured difference is printed). float64 cases: 1e-12.
  for (const op of ['orthogonal', 'delta'] as const) {
    it(`${op === 'delta' ? 'deltaOrthogonal_' : 'orthogonal_'}: every case within 1e-5 of PyTorch, generator state identical after`, () => {
      const cases = fixture.cases.filter((c) => c.op === op);
      let worst = 0;
      let worstAt = '';
      for (const c of cases) {
        const { t, g } = run(c);
        const md = maxDiff(t, c);
        const tol = c.dtype === 'float64' ? 1e-12 : 1e-5;
        const label = `${op} seed ${c.seed} shape [${c.shape.join(', ')}] gain ${c.gain} ${c.dtype} (kappa ${c.cond?.toFixed(1)})`;
        expect(md, label).toBeLessThanOrEqual(tol);
        if (c.dtype === 'float32' && md > worst) {
          worst = md;
          worstAt = label;
        }
        // The stream position (and the Box–Muller cache) after the call: bit for bit.
        expect(f32bits(init.uniform_(empty([4]), 0, 1, { generator: g }).data), `${label}: next uniform`).toEqual(c.nextUniform);
        expect(f32bits(init.normal_(empty([3]), 0, 1, { generator: g }).data), `${label}: next normal`).toEqual(c.nextNormal);
      }
      process.stderr.write(`${op}: ${cases.length} golden cases, max |ours - PyTorch| = ${worst.toExponential(3)} at ${worstAt}\n`);
    });
  }

  it('the same seed reproduces the reference-LAPACK vector of torch-cpu-rng.md §11 to 1e-6 (3 × 5, seed 0)', () => {
    // From the spec (PyTorch 1.13 + reference LAPACK, bit-exact there): orthogonal_(empty(3,5)) after manual_seed(0).
    const ref = ['3f05b0ea', 'bdcba784', 'bf3d060c', '3e454288', 'bebc2da0', 'bf0956b8', '3e579dae', 'be1252dc',
      'beb7b083', 'bf386077', 'bee1bfcd', '3d87b39e', 'bd3b00d4', '3f63c6d7', 'bdb0dc6b'];
    const t = init.orthogonal_(empty([3, 5]), { generator: new Generator().manualSeed(0) });
    for (let i = 0; i < 15; i++) expect(Math.abs(t.data[i]! - fromHex(ref[i]!, 'float32'))).toBeLessThan(1e-6);
  });
});

describe('orthogonal_ structure', () => {
  // Q is exactly orthogonal in float64; rounding it to float32 perturbs each Gram entry by at most about
  // 2·2^-24·gain² (unit columns), so 1e-6·gain² leaves a wide margin while still catching any real defect.
  const shapes: number[][] = [[300, 40], [40, 300], [128, 128], [1, 10], [10, 1], [64, 32, 3, 3], [8, 16, 3, 3], [5, 3, 2, 2, 2]];
  for (const shape of shapes) {
    for (const gain of [1, Math.sqrt(2)]) {
      it(`shape [${shape.join(', ')}], gain ${gain.toFixed(4)}: ${shape[0]! >= shape.slice(1).reduce((a, b) => a * b, 1) ? 'WᵀW' : 'WWᵀ'} = gain²·I within 1e-6·gain²`, () => {
        const t = init.orthogonal_(empty(shape), { gain, generator: new Generator().manualSeed(7) });
        expect(t.shape).toEqual(shape);
        expect(orthogonalityError(t, gain)).toBeLessThan(1e-6 * gain * gain);
      });
    }
  }

  it('float64: WᵀW = I within 1e-13', () => {
    const t = init.orthogonal_(empty([200, 150], { dtype: 'float64' }), { generator: new Generator().manualSeed(3) });
    expect(orthogonalityError(t, 1)).toBeLessThan(1e-13);
  });

  it('R has a positive diagonal: the first column of a tall Q points along the first column of the draw', () => {
    // Q·R = A with diag(R) > 0 means Q[:, 0] = A[:, 0] / ‖A[:, 0]‖ (Mezzadri's sign fix).
    const g1 = new Generator().manualSeed(11);
    const g2 = new Generator().manualSeed(11);
    const q = init.orthogonal_(empty([50, 20]), { generator: g1 });
    const a = init.normal_(empty([50, 20]), 0, 1, { generator: g2 });
    let norm = 0;
    for (let i = 0; i < 50; i++) norm += a.data[i * 20]! ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < 50; i++) expect(Math.abs(q.data[i * 20]! - a.data[i * 20]! / norm)).toBeLessThan(1e-6);
  });

  it('gain 0 gives zeros (PyTorch: tensor.mul_(0))', () => {
    const t = init.orthogonal_(empty([6, 4]), { gain: 0, generator: new Generator().manualSeed(1) });
    expect(Array.from(t.data).every((v) => v === 0)).toBe(true);
  });

  it('consumes exactly the draws of one normal_ on rows × cols elements (both normal paths)', () => {
    for (const shape of [[3, 5], [2, 7], [16, 16], [20, 7], [4, 3, 3]]) {
      const g1 = new Generator().manualSeed(5);
      const g2 = new Generator().manualSeed(5);
      init.orthogonal_(empty(shape), { generator: g1 });
      init.normal_(empty(shape), 0, 1, { generator: g2 });
      expect(g1.getState(), `shape [${shape.join(', ')}]`).toEqual(g2.getState());
    }
  });

  it('zero-element tensors are a no-op without draws, as in PyTorch; so are meta tensors', () => {
    for (const shape of [[0, 5], [5, 0], [3, 0, 2]]) {
      const g = new Generator().manualSeed(9);
      const before = g.getState();
      const t = empty(shape);
      expect(init.orthogonal_(t, { generator: g })).toBe(t);
      expect(g.getState()).toEqual(before);
    }
    const g = new Generator().manualSeed(9);
    const before = g.getState();
    const m = empty([64, 64], { device: 'meta' });
    expect(init.orthogonal_(m, { generator: g })).toBe(m);
    expect(g.getState()).toEqual(before);
  });

  it('writes through views (a row block of a bigger tensor) and leaves the rest untouched', () => {
    const big = empty([6, 4]).fill_(7);
    const view = big.narrow(0, 2, 3);
    init.orthogonal_(view, { generator: new Generator().manualSeed(2) });
    const ref = init.orthogonal_(empty([3, 4]), { generator: new Generator().manualSeed(2) });
    expect(Array.from(big.data.subarray(8, 20))).toEqual(Array.from(ref.data));
    expect(Array.from(big.data.subarray(0, 8)).every((v) => v === 7)).toBe(true);
    expect(Array.from(big.data.subarray(20)).every((v) => v === 7)).toBe(true);
  });

  it('uses the default generator when none is given', () => {
    const t = empty([4, 4]);
    expect(() => init.orthogonal_(t)).not.toThrow();
    expect(orthogonalityError(t, 1)).toBeLessThan(1e-6);
  });
});

describe('deltaOrthogonal_ structure', () => {
  for (const shape of [[8, 4, 3], [8, 4, 3, 3], [6, 6, 3, 5, 3], [5, 3, 4, 4], [4, 4, 1, 1]]) {
    it(`shape [${shape.join(', ')}]: zero except the centre tap ⌊(k−1)/2⌋, which is orthogonal_ of [out, in] bit for bit`, () => {
      const gain = 1.5;
      const t = init.deltaOrthogonal_(empty(shape), { gain, generator: new Generator().manualSeed(4) });
      const q = init.orthogonal_(empty([shape[0]!, shape[1]!]), { gain, generator: new Generator().manualSeed(4) });
      const ks = shape.slice(2);
      const taps = ks.reduce((a, b) => a * b, 1);
      let centre = 0;
      for (const k of ks) centre = centre * k + ((k - 1) >> 1);
      for (let oi = 0; oi < shape[0]! * shape[1]!; oi++) {
        for (let p = 0; p < taps; p++) {
          const v = t.data[oi * taps + p]!;
          if (p === centre) expect(v).toBe(q.data[oi]!);
          else expect(v).toBe(0);
        }
      }
      expect(orthogonalityError(q, gain)).toBeLessThan(1e-6 * gain * gain);
    });
  }

  it('consumes the draws of orthogonal_ on [out, in]; zero-element kernels draw nothing', () => {
    const g1 = new Generator().manualSeed(8);
    const g2 = new Generator().manualSeed(8);
    init.deltaOrthogonal_(empty([16, 8, 3, 3]), { generator: g1 });
    init.normal_(empty([16, 8]), 0, 1, { generator: g2 });
    expect(g1.getState()).toEqual(g2.getState());
    const before = g1.getState();
    init.deltaOrthogonal_(empty([4, 2, 0]), { generator: g1 });
    init.deltaOrthogonal_(empty([0, 0, 3, 3]), { generator: g1 });
    expect(g1.getState()).toEqual(before);
  });
});

describe('orthogonal_ properties (fast-check)', () => {
  const SEED = Number(process.env['INITKIT_PROPERTY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  process.stderr.write(`orthogonal_ property seed ${SEED} (replay with INITKIT_PROPERTY_SEED=${SEED})\n`);
  const shapeArb = fc.oneof(
    fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 })).map(([a, b]) => [a, b]),
    fc.tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(
      ([a, b, c, d]) => [a, b, c, d],
    ),
  );

  it(`any shape, seed and gain: deterministic, shape kept, orthogonal, finite (seed ${SEED})`, () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.double({ min: 0, max: 4, noNaN: true }), (shape, seed, gain) => {
        const a = init.orthogonal_(empty(shape), { gain, generator: new Generator().manualSeed(seed) });
        const b = init.orthogonal_(empty(shape), { gain, generator: new Generator().manualSeed(seed) });
        expect(a.shape).toEqual(shape);
        expect(f32bits(a.data)).toEqual(f32bits(b.data));
        expect(Array.from(a.data).every(Number.isFinite)).toBe(true);
        expect(orthogonalityError(a, gain)).toBeLessThanOrEqual(1e-6 * Math.max(gain * gain, 1e-30));
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it(`deltaOrthogonal_: any conv shape with out >= in is zero off-centre and orthogonal at the centre (seed ${SEED})`, () => {
    const conv = fc
      .tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 16 }), fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }))
      .map(([inC, extra, ks]) => [inC + extra, inC, ...ks]);
    fc.assert(
      fc.property(conv, fc.integer({ min: 0, max: 2 ** 31 - 1 }), (shape, seed) => {
        const t = init.deltaOrthogonal_(empty(shape), { generator: new Generator().manualSeed(seed) });
        expect(t.shape).toEqual(shape);
        const taps = shape.slice(2).reduce((a, b) => a * b, 1);
        const centre = shape.slice(2).reduce((c, k) => c * k + ((k - 1) >> 1), 0);
        const q = empty([shape[0]!, shape[1]!]);
        for (let oi = 0; oi < shape[0]! * shape[1]!; oi++) {
          for (let p = 0; p < taps; p++) if (p !== centre) expect(t.data[oi * taps + p]).toBe(0);
          q.data[oi] = t.data[oi * taps + centre]!;
        }
        expect(orthogonalityError(q, 1)).toBeLessThan(1e-6);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });
});

describe('orthogonal_ / deltaOrthogonal_ errors', () => {
  function expectInitError(fn: () => unknown, code: string, param: string, ...mentions: string[]): void {
    const e = thrown(fn);
    expect(e.code).toBe(code);
    expect(e.param).toBe(param);
    expect(e.message).toContain(param === 'options' ? 'options' : param);
    for (const m of mentions) expect(e.message).toContain(m);
  }

  for (const fn of [init.orthogonal_, init.deltaOrthogonal_]) {
    const name = fn.name;
    const ok = name === 'deltaOrthogonal_' ? [4, 2, 3, 3] : [4, 2];
    it(`${name}: a non-Tensor (the JS twin of module.apply(init) on the wrong object)`, () => {
      expectInitError(() => fn({ weight: 1 } as unknown as Tensor), 'NOT_A_TENSOR', 'tensor', name, '{weight: 1}');
      expectInitError(() => fn([1, 2, 3] as unknown as Tensor), 'NOT_A_TENSOR', 'tensor', '[1, 2, 3]');
    });
    it(`${name}: an integer tensor`, () => {
      expectInitError(() => fn(empty(ok, { dtype: 'int64' })), 'INVALID_DTYPE', 'tensor', 'int64');
    });
    it(`${name}: float16 / bfloat16 (PyTorch has no 16-bit QR)`, () => {
      expectInitError(() => fn(empty(ok, { dtype: 'float16' })), 'UNSUPPORTED', 'tensor', 'float16', 'geqrf_cpu');
      expectInitError(() => fn(empty(ok, { dtype: 'bfloat16' })), 'UNSUPPORTED', 'tensor', 'bfloat16');
    });
    it(`${name}: a negative, non-finite or non-number gain`, () => {
      expectInitError(() => fn(empty(ok), { gain: -2 }), 'INVALID_ARGUMENT', 'gain', '-2', 'gain: 2');
      expectInitError(() => fn(empty(ok), { gain: Number.NaN }), 'INVALID_ARGUMENT', 'gain', 'NaN');
      expectInitError(() => fn(empty(ok), { gain: Infinity }), 'INVALID_ARGUMENT', 'gain', 'Infinity');
      expectInitError(() => fn(empty(ok), { gain: '1' as unknown as number }), 'INVALID_ARGUMENT', 'gain', '"1"');
    });
    it(`${name}: options that are not an object`, () => {
      expectInitError(() => fn(empty(ok), 2 as unknown as object), 'INVALID_ARGUMENT', 'options', '2');
    });
    it(`${name}: a generator that is not one`, () => {
      expectInitError(() => fn(empty(ok), { generator: 42 as unknown as Generator }), 'INVALID_ARGUMENT', 'generator', '42');
    });
  }

  it('orthogonal_: fewer than 2 dimensions (PyTorch: "Only tensors with 2 or more dimensions are supported")', () => {
    expectInitError(() => init.orthogonal_(empty([128])), 'INVALID_SHAPE', 'tensor', 'shape [128]', 'at least 2 dimensions', 'zeros_');
    expectInitError(() => init.orthogonal_(empty([])), 'INVALID_SHAPE', 'tensor', 'shape []');
  });

  it('deltaOrthogonal_: fewer than 3 or more than 5 dimensions', () => {
    expectInitError(() => init.deltaOrthogonal_(empty([8, 4])), 'INVALID_SHAPE', 'tensor', 'shape [8, 4]', '3, 4 or 5', 'orthogonal_');
    expectInitError(() => init.deltaOrthogonal_(empty([8])), 'INVALID_SHAPE', 'tensor', 'shape [8]');
    expectInitError(() => init.deltaOrthogonal_(empty([4, 2, 1, 1, 1, 1])), 'INVALID_SHAPE', 'tensor', 'shape [4, 2, 1, 1, 1, 1]', '6-D');
  });

  it('deltaOrthogonal_: out_channels < in_channels (JAX: "`fan_in` must be less or equal than `fan_out`")', () => {
    expectInitError(() => init.deltaOrthogonal_(empty([4, 8, 3, 3])), 'INVALID_SHAPE', 'tensor', 'shape [4, 8, 3, 3]', '4 < 8');
    expectInitError(() => init.deltaOrthogonal_(empty([0, 3, 3])), 'INVALID_SHAPE', 'tensor', '0 < 3');
  });
});
