// Property tests (fast-check): for any shape, seed and options, every init function is deterministic, keeps the
// shape, respects its bounds, and a restored generator state gives the same values.
// Replay a failure with INITKIT_PROPERTY_SEED=<printed seed>.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Generator, PhiloxGenerator, type RandomEngine, type Tensor, empty, init } from '../../src/index.js';
import { f32bits } from '../helpers/bits.js';

const SEED = Number(process.env['INITKIT_PROPERTY_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
process.stderr.write(`init property seed ${SEED} (replay with INITKIT_PROPERTY_SEED=${SEED})\n`);
const RUNS = 150;

const shapeArb = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 64 })).map(([a, b]) => [a, b]),
  fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 3, maxLength: 5 }),
);
const seedArb = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }));
const engineArb = fc.tuple(seedArb, fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(
  ([seed, philox, stream]) =>
    (): RandomEngine =>
      philox ? new PhiloxGenerator(typeof seed === 'bigint' ? seed : BigInt(seed), stream) : new Generator().manualSeed(seed),
);

/** An init call and the bound |x| <= bound it guarantees (Infinity when unbounded). */
interface Case {
  name: string;
  run: (t: Tensor, g: RandomEngine) => Tensor;
  bound: (t: Tensor) => number;
}

const f = Math.fround;
const fans = (t: Tensor): [number, number] => init.calculateFanInAndFanOut(t);
const caseArb: fc.Arbitrary<Case> = fc.oneof(
  fc.tuple(fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true })).map(([a, w]): Case => ({
    name: `uniform_(${a}, ${a + w})`,
    run: (t, g) => init.uniform_(t, a, a + w, { generator: g }),
    bound: () => Math.max(Math.abs(f(a)), Math.abs(f(a + w))),
  })),
  fc.tuple(fc.constantFrom('fan_in', 'fan_out') as fc.Arbitrary<'fan_in' | 'fan_out'>, fc.double({ min: 0, max: 3, noNaN: true })).map(([mode, a]): Case => ({
    name: `kaimingUniform_(a=${a}, ${mode})`,
    run: (t, g) => init.kaimingUniform_(t, { a, mode, generator: g }),
    bound: (t) => f(Math.sqrt(3) * (init.calculateGain('leaky_relu', a) / Math.sqrt(fans(t)[mode === 'fan_in' ? 0 : 1]))),
  })),
  fc.double({ min: 0, max: 4, noNaN: true }).map((gain): Case => ({
    name: `xavierUniform_(gain=${gain})`,
    run: (t, g) => init.xavierUniform_(t, { gain, generator: g }),
    bound: (t) => f(Math.sqrt(3) * gain * Math.sqrt(2 / (fans(t)[0] + fans(t)[1]))),
  })),
  fc.constant({
    name: 'lecunUniform_',
    run: (t: Tensor, g: RandomEngine) => init.lecunUniform_(t, { generator: g }),
    bound: (t: Tensor) => f(Math.sqrt(3 / fans(t)[0])),
  }),
  fc
    .tuple(
      fc.double({ min: 0.01, max: 4, noNaN: true }),
      fc.constantFrom(...init.VARIANCE_SCALING_MODES),
      fc.constantFrom(...init.VARIANCE_SCALING_DISTRIBUTIONS),
    )
    .map(([scale, mode, distribution]) => ({
      name: `varianceScaling_(${scale}, ${mode}, ${distribution})`,
      run: (t: Tensor, g: RandomEngine) => init.varianceScaling_(t, { scale, mode, distribution, generator: g }),
      bound: (t: Tensor) => {
        const p = init.varianceScalingParams(t, { scale, mode, distribution });
        return distribution === 'untruncated_normal' ? Infinity : f(p.bound);
      },
    })),
  fc.constant({
    name: 'lecunNormal_',
    run: (t: Tensor, g: RandomEngine) => init.lecunNormal_(t, { generator: g }),
    bound: (t: Tensor) => f((2 * Math.sqrt(1 / fans(t)[0])) / init.TRUNCATED_NORMAL_STD_FACTOR),
  }),
  fc.double({ min: 0.001, max: 2, noNaN: true }).map((std) => ({
    name: `truncNormal_(std=${std}, ±2std)`,
    run: (t: Tensor, g: RandomEngine) => init.truncNormal_(t, { std, a: -2 * std, b: 2 * std, generator: g }),
    bound: () => f(2 * std),
  })),
  fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0, max: 3, noNaN: true })).map(([mean, std]) => ({
    name: `normal_(${mean}, ${std})`,
    run: (t: Tensor, g: RandomEngine) => init.normal_(t, mean, std, { generator: g }),
    bound: () => Infinity,
  })),
  fc.constant({
    name: 'kaimingNormal_',
    run: (t: Tensor, g: RandomEngine) => init.kaimingNormal_(t, { generator: g }),
    bound: () => Infinity,
  }),
  fc.constant({
    name: 'xavierNormal_',
    run: (t: Tensor, g: RandomEngine) => init.xavierNormal_(t, { generator: g }),
    bound: () => Infinity,
  }),
);

describe('init properties (fast-check)', () => {
  it(`any shape, seed, engine and options: deterministic, shape kept, finite, within bounds (seed ${SEED})`, () => {
    fc.assert(
      fc.property(shapeArb, engineArb, caseArb, (shape, engine, c) => {
        const a = c.run(empty(shape), engine());
        const b = c.run(empty(shape), engine());
        expect(a.shape).toEqual(shape);
        expect(f32bits(a.data)).toEqual(f32bits(b.data));
        const bound = c.bound(a);
        for (const v of a.data) {
          expect(Number.isFinite(v)).toBe(true);
          expect(Math.abs(v), c.name).toBeLessThanOrEqual(bound);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`restoring a generator's state replays the same values (seed ${SEED})`, () => {
    fc.assert(
      fc.property(shapeArb, seedArb, caseArb, fc.integer({ min: 0, max: 40 }), (shape, seed, c, warmup) => {
        const g = new Generator().manualSeed(seed);
        init.normal_(empty([warmup % 16]), 0, 1, { generator: g }); // may leave a cached Box–Muller sample
        const state = g.getState();
        const a = f32bits(c.run(empty(shape), g).data);
        const after = g.getState();
        g.setState(state);
        expect(f32bits(c.run(empty(shape), g).data)).toEqual(a);
        expect(g.getState()).toEqual(after);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`sparse_: any shape and sparsity, exactly ⌈sparsity·rows⌉ zeros per column (seed ${SEED})`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), seedArb, (rows, cols, sparsity, seed) => {
        const t = init.sparse_(empty([rows, cols]), sparsity, { std: 1, generator: new Generator().manualSeed(seed) });
        for (let c = 0; c < cols; c++) {
          let zeros = 0;
          for (let r = 0; r < rows; r++) if (t.data[r * cols + c] === 0) zeros++;
          expect(zeros).toBe(Math.ceil(sparsity * rows));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`eye_ and dirac_: any valid shape gives min(out/groups, in) ones per group at the right places (seed ${SEED})`, () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        (groups, outPerGroup, inPerGroup, ks) => {
          const shape = [groups * outPerGroup, inPerGroup, ...ks];
          const t = init.dirac_(empty(shape), groups);
          const taps = ks.reduce((a, b) => a * b, 1);
          const centre = ks.reduce((acc, k) => acc * k + Math.floor(k / 2), 0);
          let ones = 0;
          t.data.forEach((v, i) => {
            const tap = i % taps;
            const ic = Math.floor(i / taps) % inPerGroup;
            const oc = Math.floor(i / (taps * inPerGroup));
            const expected = tap === centre && oc % outPerGroup === ic ? 1 : 0;
            expect(v).toBe(expected);
            ones += v;
          });
          expect(ones).toBe(groups * Math.min(outPerGroup, inPerGroup));
          const e = init.eye_(empty([outPerGroup, inPerGroup]));
          e.data.forEach((v, i) => expect(v).toBe(Math.floor(i / inPerGroup) === i % inPerGroup ? 1 : 0));
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
