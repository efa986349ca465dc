// sparse_: structure (exactly ⌈sparsity·rows⌉ zeros per column), the draw order (normal_, then one randperm per
// column from the same generator), and the non-zero values' scale. Bit-exact PyTorch values are in golden.test.ts.
import { describe, expect, it } from 'vitest';
import { Generator, PhiloxGenerator, empty, init, randperm } from '../../src/index.js';
import { moments } from '../helpers/stats.js';

function zerosPerColumn(data: ArrayLike<number>, rows: number, cols: number): number[] {
  const out = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (data[r * cols + c] === 0) out[c]!++;
  return out;
}

describe('sparse_', () => {
  for (const [rows, cols, sparsity] of [
    [10, 5, 0.1],
    [100, 20, 0.9],
    [7, 3, 0.5],
    [33, 4, 1 / 3],
    [1, 6, 0.5],
  ] as const) {
    it(`[${rows}, ${cols}] sparsity ${sparsity}: exactly ⌈${sparsity}·${rows}⌉ zeros in every column`, () => {
      const t = init.sparse_(empty([rows, cols]), sparsity, { generator: new Generator().manualSeed(rows * cols) });
      expect(zerosPerColumn(t.data, rows, cols)).toEqual(new Array(cols).fill(Math.ceil(sparsity * rows)));
    });
  }
  it('draws normal_ on the whole tensor, then randperm(rows) per column, from the same generator', () => {
    const [rows, cols] = [9, 4];
    const t = init.sparse_(empty([rows, cols]), 0.4, { std: 0.5, generator: new Generator().manualSeed(11) });
    const g = new Generator().manualSeed(11);
    const ref = init.normal_(empty([rows, cols]), 0, 0.5, { generator: g });
    for (let c = 0; c < cols; c++) {
      const perm = randperm(rows, { generator: g }).data;
      for (let k = 0; k < Math.ceil(0.4 * rows); k++) ref.data[perm[k]! * cols + c] = 0;
    }
    expect(Array.from(t.data)).toEqual(Array.from(ref.data));
  });
  it('sparsity 0 equals normal_(0, std); sparsity 1 zeroes everything (the draws still happen)', () => {
    const a = init.sparse_(empty([20, 8]), 0, { std: 0.3, generator: new Generator().manualSeed(4) });
    const b = init.normal_(empty([20, 8]), 0, 0.3, { generator: new Generator().manualSeed(4) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    const g = new Generator().manualSeed(4);
    const z = init.sparse_(empty([20, 8]), 1, { generator: g });
    expect(z.data.every((v) => v === 0)).toBe(true);
    const h = new Generator().manualSeed(4);
    init.normal_(empty([20, 8]), 0, 1, { generator: h });
    for (let c = 0; c < 8; c++) randperm(20, { generator: h });
    expect(g.random()).toBe(h.random());
  });
  it('non-zero entries have the requested std (fixed seed; 1e-6 false-alarm rate)', () => {
    const std = 0.01;
    const t = init.sparse_(empty([512, 256]), 0.5, { generator: new Generator().manualSeed(99) });
    const nz = Array.from(t.data).filter((v) => v !== 0);
    expect(nz.length).toBe(256 * 256);
    const m = moments(nz);
    expect(Math.abs(m.std / std - 1)).toBeLessThan(4.891638 * Math.sqrt(2 / (4 * nz.length)));
  });
  it('the default std is 0.01 (Martens 2010)', () => {
    const a = init.sparse_(empty([6, 6]), 0.5, { generator: new Generator().manualSeed(1) });
    const b = init.sparse_(empty([6, 6]), 0.5, { std: 0.01, generator: new Generator().manualSeed(1) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });
  it('a Philox stream reproduces itself after seek(0), permutations included', () => {
    const g = new PhiloxGenerator(42, 3);
    const a = Array.from(init.sparse_(empty([16, 5]), 0.25, { generator: g }).data);
    g.seek(0);
    const b = Array.from(init.sparse_(empty([16, 5]), 0.25, { generator: g }).data);
    expect(b).toEqual(a);
  });
  it('zero-element and meta tensors draw nothing', () => {
    const g = new Generator().manualSeed(8);
    const before = g.getState();
    init.sparse_(empty([0, 4]), 0.5, { generator: g });
    init.sparse_(empty([4, 0]), 0.5, { generator: g });
    init.sparse_(empty([4, 4], { device: 'meta' }), 0.5, { generator: g });
    expect(g.getState()).toEqual(before);
  });
});
