// Test vectors from ../shared/reference/torch-cpu-rng.md §1.3 and §11, produced by PyTorch 1.13.1 (avx2).
import { describe, expect, it } from 'vitest';
import { Generator, empty, init, manualSeed, randperm } from '../../src/index.js';
import { f32bits } from '../helpers/bits.js';

describe('published test vectors', () => {
  it('MT19937 first outputs for seeds 0 and 42', () => {
    const g = new Generator().manualSeed(0);
    expect([1, 2, 3, 4, 5].map(() => g.random())).toEqual([2357136044, 2546248239, 3071714933, 3626093760, 2588848963]);
    g.manualSeed(42);
    expect([1, 2, 3, 4, 5].map(() => g.random())).toEqual([1608637542, 3421126067, 4083286876, 787846414, 3143890026]);
  });

  it('torch.rand(5) bits for seed 0', () => {
    manualSeed(0);
    const t = init.uniform_(empty([5]));
    expect(f32bits(t.data)).toEqual(['3efe1558', '3f44aa2f', '3db533a8', '3e073300', '3e9d6686']);
  });

  it('torch.rand(3, float64) for seed 0', () => {
    manualSeed(0);
    const t = init.uniform_(empty([3], { dtype: 'float64' }));
    expect(Array.from(t.data)).toEqual([0.9700530018065531, 0.707819864399788, 0.45938294312745087]);
  });

  it('torch.randn(20) bits (AVX2 path) for seed 0', () => {
    manualSeed(0);
    const t = init.normal_(empty([20]));
    expect(f32bits(t.data).join(' ')).toBe(
      'bf901b85 bf93808a be804bd6 bede255d 3f194d8b bfc70d5b beaec6ca 3fed2f4e 3eefaa55 be217f5f ' +
        '3fb8c9db 3e8837a1 3fb1d6c0 3fcb0d00 3f72409c bf57fb33 3f6e8c30 3fa12737 4000519a 3d5c1b3a',
    );
  });

  it('torch.randn(5) bits (per-element path) for seed 0', () => {
    manualSeed(0);
    const t = init.normal_(empty([5]));
    expect(f32bits(t.data)).toEqual(['3fc53f5c', 'be963c50', 'c00b7149', '3f1184b6', 'bf8ad1a1']);
  });

  it('trunc_normal_(empty(8), std=.02) bits for seed 0', () => {
    manualSeed(0);
    const t = init.truncNormal_(empty([8]), { std: 0.02 });
    expect(f32bits(t.data)).toEqual(['b944c926', '3c7030c6', 'bcdd3719', 'bcb6fbd6', 'bc24e0da', '3be09365', 'ba02348e', '3cceb144']);
  });

  it('randperm(10) for seed 0', () => {
    manualSeed(0);
    expect(randperm(10).tolist()).toEqual([4, 1, 7, 5, 3, 9, 0, 8, 6, 2]);
  });
});

describe('nn.Linear(4, 3) draws (torch-cpu-rng.md §11)', () => {
  it('weight then bias, seed 0', async () => {
    const { kaimingUniform_, uniform_ } = init;
    manualSeed(0);
    const w = kaimingUniform_(empty([3, 4]), { a: Math.sqrt(5) });
    const bound = 1 / Math.sqrt(4);
    const b = uniform_(empty([3]), -bound, bound);
    expect(f32bits(w.data).join(' ')).toBe(
      'bb755400 3e89545e bed2b316 bebc6680 be4532f4 3e094bec bc224f40 3ecaface bd35bf70 3e077b4c be1abbac bdc94870',
    );
    expect(f32bits(b.data)).toEqual(['bef491b8', 'bea98b52', 'be530ee8']);
  });
});
