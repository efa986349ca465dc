// Structural tests for eye_ and dirac_: a Linear layer with an eye_ weight and a convolution with a dirac_ kernel
// pass their input through (bit-exact values are in golden.test.ts).
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, empty, init } from '../../src/index.js';

/** y = W·x for W [out, in], x [in]. */
function matvec(w: Tensor, x: Float64Array): Float64Array {
  const [out, inp] = w.shape as [number, number];
  const y = new Float64Array(out);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) y[o]! += w.data[o * inp + i]! * x[i]!;
  return y;
}

/**
 * A direct N-d convolution (cross-correlation, as torch.nn.functional.convNd), stride 1, zero padding k//2 on each
 * side (so odd kernels keep the spatial size), with groups. x: [inChannels, ...spatial], w: [out, in/groups, ...k].
 */
function conv(x: Float64Array, inChannels: number, spatial: number[], w: Tensor, groups: number): Float64Array {
  const [outChannels, inPerGroup, ...k] = w.shape as number[];
  const outPerGroup = outChannels! / groups;
  const nd = spatial.length;
  const sp = spatial.reduce((a, b) => a * b, 1);
  const kn = k.reduce((a, b) => a * b, 1);
  const y = new Float64Array(outChannels! * sp);
  const idx = (flat: number, dims: number[]): number[] => {
    const out = new Array<number>(dims.length);
    for (let d = dims.length - 1; d >= 0; d--) {
      out[d] = flat % dims[d]!;
      flat = Math.floor(flat / dims[d]!);
    }
    return out;
  };
  for (let o = 0; o < outChannels!; o++) {
    const g = Math.floor(o / outPerGroup);
    for (let p = 0; p < sp; p++) {
      const pos = idx(p, spatial);
      let acc = 0;
      for (let c = 0; c < inPerGroup!; c++) {
        const ic = g * inPerGroup! + c;
        for (let t = 0; t < kn; t++) {
          const tap = idx(t, k as number[]);
          let inside = true;
          let off = 0;
          for (let d = 0; d < nd; d++) {
            const q = pos[d]! + tap[d]! - Math.floor(k[d]! / 2);
            if (q < 0 || q >= spatial[d]!) inside = false;
            off = off * spatial[d]! + q;
          }
          if (inside) acc += w.data[(o * inPerGroup! + c) * kn + t]! * x[ic * sp + off]!;
        }
      }
      y[o * sp + p] = acc;
    }
  }
  expect(inChannels).toBe(groups * inPerGroup!);
  return y;
}

function randomInput(n: number, seed: number): Float64Array {
  const g = new Generator().manualSeed(seed);
  return Float64Array.from(init.normal_(empty([n], { dtype: 'float64' }), 0, 1, { generator: g }).data);
}

describe('eye_', () => {
  for (const [out, inp] of [
    [4, 4],
    [3, 5],
    [5, 3],
    [1, 7],
  ] as const) {
    it(`a Linear(${inp}, ${out}) with an eye_ weight passes the first min(in, out) inputs through`, () => {
      const w = init.eye_(empty([out, inp]));
      const x = randomInput(inp, out * 10 + inp);
      const y = matvec(w, x);
      for (let i = 0; i < out; i++) expect(y[i]).toBe(i < inp ? x[i] : 0);
    });
  }
  it('overwrites previous contents and returns the same tensor', () => {
    const t = init.constant_(empty([3, 3]), 7);
    expect(init.eye_(t)).toBe(t);
    expect(t.tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });
  it('works for integer and 16-bit tensors, and is a no-op on zero-element and meta tensors', () => {
    expect(init.eye_(empty([2, 2], { dtype: 'int64' })).tolist()).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(init.eye_(empty([2, 3], { dtype: 'bfloat16' })).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(init.eye_(empty([0, 3])).numel).toBe(0);
    expect(init.eye_(empty([3, 3], { device: 'meta' })).isMeta).toBe(true);
  });
});

describe('dirac_: a convolution with a dirac kernel copies its input', () => {
  const cases: { w: number[]; groups: number; spatial: number[] }[] = [
    { w: [4, 4, 3], groups: 1, spatial: [9] },
    { w: [6, 6, 5], groups: 1, spatial: [7] },
    { w: [5, 5, 3, 3], groups: 1, spatial: [6, 5] },
    { w: [8, 4, 3, 3], groups: 2, spatial: [5, 4] },
    { w: [12, 3, 1, 5], groups: 4, spatial: [3, 6] },
    { w: [6, 1, 3, 3], groups: 6, spatial: [4, 4] }, // depthwise
    { w: [3, 3, 3, 3, 3], groups: 1, spatial: [4, 3, 5] },
    { w: [4, 2, 3, 1, 3], groups: 2, spatial: [3, 2, 4] },
  ];
  for (const { w: shape, groups, spatial } of cases) {
    it(`conv${spatial.length}d, weight [${shape.join(', ')}], groups ${groups}: output == input`, () => {
      const w = init.dirac_(empty(shape), groups);
      const inChannels = groups * shape[1]!;
      const sp = spatial.reduce((a, b) => a * b, 1);
      const x = randomInput(inChannels * sp, shape.length * 100 + groups);
      const y = conv(x, inChannels, spatial, w, groups);
      expect(shape[0]).toBe(inChannels);
      expect(Array.from(y)).toEqual(Array.from(x));
    });
  }
  it('more outputs than inputs per group: the extra output channels are zero', () => {
    const groups = 2;
    const w = init.dirac_(empty([8, 2, 3]), groups); // 4 outputs per group, 2 inputs per group
    const x = randomInput(4 * 5, 1);
    const y = conv(x, 4, [5], w, groups);
    for (let o = 0; o < 8; o++) {
      const g = Math.floor(o / 4);
      const d = o % 4;
      for (let p = 0; p < 5; p++) expect(y[o * 5 + p]).toBe(d < 2 ? x[(g * 2 + d) * 5 + p] : 0);
    }
  });
  it('fewer outputs than inputs: the first out channels pass, the rest are dropped', () => {
    const w = init.dirac_(empty([2, 5, 3]));
    const x = randomInput(5 * 4, 2);
    const y = conv(x, 5, [4], w, 1);
    expect(Array.from(y)).toEqual(Array.from(x.subarray(0, 8)));
  });
  it('the centre tap is k // 2 (the later middle tap for even kernels), as PyTorch', () => {
    const w = init.dirac_(empty([1, 1, 4, 2]));
    expect(w.tolist()).toEqual([[[[0, 0], [0, 0], [0, 1], [0, 0]]]]);
  });
  it('exactly min(out / groups, in) ones per group, everything else zero', () => {
    const w = init.dirac_(init.constant_(empty([12, 5, 3, 3]), 9), 3);
    let ones = 0;
    for (const v of w.data) {
      expect(v === 0 || v === 1).toBe(true);
      ones += v;
    }
    expect(ones).toBe(3 * Math.min(4, 5));
  });
  it('is a no-op on zero-element and meta tensors', () => {
    expect(init.dirac_(empty([0, 3, 3])).numel).toBe(0);
    expect(init.dirac_(empty([3, 0, 3])).numel).toBe(0);
    expect(init.dirac_(empty([4, 4, 3], { device: 'meta' }), 2).isMeta).toBe(true);
  });
});
