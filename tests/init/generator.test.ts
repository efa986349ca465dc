// The path-addressable stream: every random init function accepts a PhiloxGenerator (and PyTorch's Generator) via
// { generator }; the same (seed, stream, position) gives the same values, seek(0) replays them, other streams
// differ, and the default generator is not touched.
import { describe, expect, it } from 'vitest';
import { Generator, PhiloxGenerator, type RandomEngine, type Tensor, defaultGenerator, empty, init, manualSeed } from '../../src/index.js';

type Fn = (t: Tensor, generator: RandomEngine) => Tensor;
const FUNCTIONS: [string, number[], Fn][] = [
  ['uniform_', [17, 5], (t, generator) => init.uniform_(t, -0.5, 0.5, { generator })],
  ['normal_', [17, 5], (t, generator) => init.normal_(t, 0, 0.02, { generator })],
  ['normal_ (per-element path)', [3, 3], (t, generator) => init.normal_(t, 1, 2, { generator })],
  ['truncNormal_', [17, 5], (t, generator) => init.truncNormal_(t, { std: 0.02, a: -0.04, b: 0.04, generator })],
  ['kaimingUniform_', [16, 8, 3, 3], (t, generator) => init.kaimingUniform_(t, { a: Math.sqrt(5), generator })],
  ['kaimingNormal_', [16, 8, 3, 3], (t, generator) => init.kaimingNormal_(t, { mode: 'fan_out', nonlinearity: 'relu', generator })],
  ['xavierUniform_', [30, 20], (t, generator) => init.xavierUniform_(t, { gain: 2, generator })],
  ['xavierNormal_', [30, 20], (t, generator) => init.xavierNormal_(t, { generator })],
  ['lecunUniform_', [30, 20], (t, generator) => init.lecunUniform_(t, { generator })],
  ['lecunNormal_', [30, 20], (t, generator) => init.lecunNormal_(t, { generator })],
  ['varianceScaling_', [3, 3, 8, 16], (t, generator) => init.varianceScaling_(t, { layout: 'keras', mode: 'fan_avg', distribution: 'uniform', generator })],
  ['sparse_', [24, 6], (t, generator) => init.sparse_(t, 0.5, { generator })],
];

const values = (shape: number[], fn: Fn, g: RandomEngine): number[] => Array.from(fn(empty(shape), g).data);

describe('every random init function takes { generator }', () => {
  for (const [name, shape, fn] of FUNCTIONS) {
    describe(name, () => {
      it('PhiloxGenerator: same (seed, stream) → same values; seek(0) replays them', () => {
        const a = values(shape, fn, new PhiloxGenerator(7, 11));
        const b = values(shape, fn, new PhiloxGenerator(7, 11));
        expect(b).toEqual(a);
        const g = new PhiloxGenerator(7, 11);
        const first = values(shape, fn, g);
        const second = values(shape, fn, g);
        expect(second).not.toEqual(first); // the stream advanced
        g.seek(0);
        expect(values(shape, fn, g)).toEqual(first);
        expect(values(shape, fn, g)).toEqual(second);
      });
      it('PhiloxGenerator: another stream or seed gives other values', () => {
        const a = values(shape, fn, new PhiloxGenerator(7, 11));
        expect(values(shape, fn, new PhiloxGenerator(7, 12))).not.toEqual(a);
        expect(values(shape, fn, new PhiloxGenerator(8, 11))).not.toEqual(a);
      });
      it('Generator: getState/setState (and clone of a Philox) restore the exact values', () => {
        const g = new Generator().manualSeed(2024);
        values([5], (t, e) => init.normal_(t, 0, 1, { generator: e }), g); // leaves a cached Box–Muller sample
        const state = g.getState();
        const a = values(shape, fn, g);
        g.setState(state);
        expect(values(shape, fn, g)).toEqual(a);
        const p = new PhiloxGenerator(1, 2);
        values([3], (t, e) => init.normal_(t, 0, 1, { generator: e }), p);
        const q = p.clone();
        expect(values(shape, fn, q)).toEqual(values(shape, fn, p));
      });
      it('an explicit generator leaves the default generator untouched', () => {
        manualSeed(5);
        const before = defaultGenerator().getState();
        values(shape, fn, new PhiloxGenerator(1));
        values(shape, fn, new Generator().manualSeed(1));
        expect(defaultGenerator().getState()).toEqual(before);
      });
    });
  }
});

describe('per-parameter streams from (seed, path)', () => {
  it('a parameter keeps its values when other parameters are added, removed or reordered', () => {
    const init1 = (path: string): number[] => values([8, 4], (t, g) => init.kaimingUniform_(t, { generator: g }), PhiloxGenerator.forPath(42, path));
    const a = init1('encoder.layers.0.linear1.weight');
    init1('encoder.layers.0.linear2.weight'); // unrelated parameter drawn in between
    expect(init1('encoder.layers.0.linear1.weight')).toEqual(a);
    expect(init1('encoder.layers.1.linear1.weight')).not.toEqual(a);
  });
  it('the Philox stream is position-addressable: drawing a tensor in two halves equals drawing it whole', () => {
    const whole = init.uniform_(empty([64]), -1, 1, { generator: new PhiloxGenerator(3, 4) }).data;
    const g = new PhiloxGenerator(3, 4);
    const h1 = init.uniform_(empty([32]), -1, 1, { generator: g }).data;
    const h2 = init.uniform_(empty([32]), -1, 1, { generator: new PhiloxGenerator(3, 4).seek(32) }).data;
    expect([...h1, ...h2]).toEqual(Array.from(whole));
  });
});
