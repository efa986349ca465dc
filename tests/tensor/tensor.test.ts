import { describe, expect, it } from 'vitest';
import { thrown } from '../helpers/errors.js';
import { Tensor, empty, fromArray, full, ones, zeros, bfloat16Bits, float16Bits, float16FromBits, bfloat16FromBits } from '../../src/index.js';

describe('Tensor basics', () => {
  it('factories, shape, numel, dim, size', () => {
    const t = empty([2, 3, 4]);
    expect(t.shape).toEqual([2, 3, 4]);
    expect(t.numel).toBe(24);
    expect(t.dim()).toBe(3);
    expect(t.size(-1)).toBe(4);
    expect(t.size()).toEqual([2, 3, 4]);
    expect(t.dtype).toBe('float32');
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(zeros([2], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(Array.from(ones([3]).data)).toEqual([1, 1, 1]);
    expect(Array.from(full([2], 0.1).data)).toEqual([Math.fround(0.1), Math.fround(0.1)]);
    expect(empty([]).numel).toBe(1);
    expect(empty([0, 5]).numel).toBe(0);
  });

  it('in-place ops round to float32 like PyTorch (scalar rounded to float32 first)', () => {
    const t = fromArray([1, 2, 3]);
    t.mul_(0.1);
    expect(Array.from(t.data)).toEqual([1, 2, 3].map((x) => Math.fround(x * Math.fround(0.1))));
    t.add_(1e-8).clamp_(0.15, 0.25);
    expect(t.data[0]).toBe(Math.fround(0.15));
    expect(t.data[2]).toBe(Math.fround(0.25));
    const nan = fromArray([NaN]).clamp_(0, 1);
    expect(Number.isNaN(nan.data[0])).toBe(true);
    const a = fromArray([1, 2]);
    a.add_(fromArray([10, 20])).mul_(fromArray([2, 3]));
    expect(Array.from(a.data)).toEqual([22, 66]);
  });

  it('select and narrow along dim 0 share memory (embedding padding row)', () => {
    const w = ones([4, 3]);
    w.select(0, 2).zero_();
    expect(w.tolist()).toEqual([[1, 1, 1], [1, 1, 1], [0, 0, 0], [1, 1, 1]]);
    w.select(0, -1).fill_(5);
    expect(w.get(3, 0)).toBe(5);
    const n = w.narrow(0, 1, 2);
    expect(n.shape).toEqual([2, 3]);
    n.fill_(7);
    expect(w.get(1, 2)).toBe(7);
    expect(w.get(2, 0)).toBe(7);
    expect(w.view([-1]).shape).toEqual([12]);
    expect(w.reshape([3, 4]).data).toBe(w.data);
  });

  it('copy_, clone, to(dtype) rounding', () => {
    const a = fromArray([1.1, 2.2], { dtype: 'float64' });
    const b = a.to('float32');
    expect(b.data[0]).toBe(Math.fround(1.1));
    const c = a.clone();
    c.fill_(0);
    expect(a.data[0]).toBe(1.1);
    expect(Array.from(empty([2]).copy_([3, 4]).data)).toEqual([3, 4]);
    const h = fromArray([1 + 2 ** -11]).to('float16');
    expect(h.data[0]).toBe(1); // tie to even
    expect(fromArray([1.5], { dtype: 'int64' }).data[0]).toBe(1);
  });

  it('toString in PyTorch style', () => {
    expect(fromArray([[0.5, -1.25], [3, 4]]).toString()).toBe('tensor([[ 0.5000, -1.2500],\n        [ 3.0000,  4.0000]])');
    expect(fromArray([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
    expect(fromArray([1, 2], { dtype: 'float64' }).toString()).toBe('tensor([1., 2.], dtype=torch.float64)');
    expect(fromArray([3], { dtype: 'int64' }).toString()).toBe('tensor([3], dtype=torch.int64)');
    expect(empty([2, 3], { device: 'meta' }).toString()).toBe("tensor(..., device='meta', size=(2, 3))");
    expect(fromArray([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(empty([2000]).toString()).toContain('...');
  });

  it('meta tensors have a shape and no storage; in-place ops are no-ops', () => {
    const m = empty([100000, 100000], { device: 'meta' });
    expect(m.numel).toBe(1e10);
    expect(m.data.length).toBe(0);
    expect(m.isMeta).toBe(true);
    expect(m.fill_(1).nbytes).toBe(4e10);
    expect(() => m.get(0, 0)).toThrow(/meta tensor/);
  });

  it('16-bit conversions round to nearest even', () => {
    expect(float16Bits(1)).toBe(0x3c00);
    expect(float16Bits(65504)).toBe(0x7bff);
    expect(float16Bits(65520)).toBe(0x7c00);
    expect(float16Bits(-0)).toBe(0x8000);
    expect(float16Bits(2 ** -24)).toBe(1);
    expect(float16Bits(2 ** -25)).toBe(0); // tie to even
    expect(float16Bits(3 * 2 ** -25)).toBe(2);
    expect(float16FromBits(0x7c00)).toBe(Infinity);
    expect(bfloat16Bits(1)).toBe(0x3f80);
    expect(bfloat16Bits(1 + 2 ** -8)).toBe(0x3f80); // tie to even
    expect(bfloat16Bits(1 + 3 * 2 ** -8)).toBe(0x3f82);
    expect(bfloat16FromBits(0x3f80)).toBe(1);
  });
});

describe('Tensor errors', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['negative dim', () => empty([2, -1]), /dimension 1 is -1/],
    ['fraction', () => empty([2.5]), /dimension 0 is 2\.5/],
    ['NaN', () => zeros([NaN]), /dimension 0 is NaN/],
    ['not an array', () => empty(5 as unknown as number[]), /shape to be an array.*got 5/],
    ['bad dtype', () => empty([2], { dtype: 'float8' as never }), /dtype to be one of .*got "float8"/],
    ['bad device', () => empty([2], { device: 'cuda' as never }), /device to be 'cpu' or 'meta', got "cuda"/],
    ['select index', () => empty([3, 2]).select(0, 3), /index to be an integer in \[-3, 3\).*got 3/],
    ['select dim', () => empty([3, 2]).select(1 as 0, 0), /dim 0.*got 1/],
    ['narrow length', () => empty([3, 2]).narrow(0, 1, 5), /length to be an integer in \[0, 2\].*got 5/],
    ['view', () => empty([3, 2]).view([4, 2]), /shape with 6 elements.*got \[4, 2\]/],
    ['copy_ size', () => empty([3]).copy_([1, 2]), /3 elements.*got 2 values/],
    ['ragged', () => fromArray([[1, 2], [3]]), /rectangular/],
    ['size dim', () => empty([3]).size(2), /dim to be an integer in \[-1, 0\].*got 2/],
    ['mul_ shape', () => empty([3]).mul_(empty([2])), /shape \[3\].*got shape \[2\]/],
  ];
  it.each(cases)('%s', (_name, fn, re) => {
    expect(thrown(fn).message).toMatch(re);
  });

  it('Tensor is a class with describe() for messages', () => {
    expect(empty([2, 3]).describe()).toBe('Tensor(shape [2, 3], float32)');
    expect(new Tensor([2], 'float64', new Float64Array(2)).numel).toBe(2);
  });
});
