// Summary statistics as the probe reports them. PyTorch agreement of mean/std/histc on a float32 tensor is in the
// golden suite (the 'add' case records torch's values); here: PyTorch's published semantics, edge cases and
// properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogram, max, mean, min, std, summarize, zeroFraction } from '../../src/analysis/ops/index.js';

describe('stats', () => {
  it("std is Tensor.std(): Bessel-corrected, nan below 2 elements (torch.tensor([1., 2, 3, 4]).std() = 1.2910)", () => {
    // /usr/bin/python3 -c "import torch; print(torch.tensor([1.,2,3,4]).std().item())" → 1.29099440574646 (float32)
    expect(Math.fround(std(Float32Array.of(1, 2, 3, 4)))).toBe(1.29099440574646);
    expect(std([5])).toBeNaN();
    expect(std([1, 3], { correction: 0 })).toBe(1);
    expect(std([1, 3], { correction: 2 })).toBeNaN();
  });

  it('min, max propagate NaN; empty arrays give NaN; zero fraction counts ±0', () => {
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
    expect(min([1, NaN, 0])).toBeNaN();
    expect(max([1, NaN, 0])).toBeNaN();
    expect(min([])).toBeNaN();
    expect(mean([])).toBeNaN();
    expect(zeroFraction([0, -0, 1, 2])).toBe(0.5);
  });

  it('summarize agrees with the separate functions, including NaN propagation', () => {
    const d = Float32Array.of(0, 1.5, -2, 0, 3.25, 7);
    const s = summarize(d);
    expect(s).toEqual({
      numel: 6,
      mean: mean(d),
      std: std(d),
      min: -2,
      max: 7,
      zeroFraction: 2 / 6,
      meanSquare: (1.5 ** 2 + 4 + 3.25 ** 2 + 49) / 6,
    });
    const n = summarize([1, NaN]);
    expect(n.min).toBeNaN();
    expect(n.max).toBeNaN();
    expect(n.std).toBeNaN();
    expect(summarize([4]).std).toBeNaN();
  });

  it('histogram follows torch.histc', () => {
    // torch.histc(torch.tensor([1., 2, 1]), bins=4, min=0, max=3) → [0, 2, 1, 0]
    expect(histogram([1, 2, 1], { bins: 4, min: 0, max: 3 }).counts).toEqual([0, 2, 1, 0]);
    // out-of-range values are dropped, x = max goes to the last bin: [1, 2, 1, 3, -1, 5] → [0, 2, 1, 1]
    expect(histogram([1, 2, 1, 3, -1, 5], { bins: 4, min: 0, max: 3 }).counts).toEqual([0, 2, 1, 1]);
    // min = max = 0 (the default) takes the data's range, widened by 1 when it is a single value: → [0, 0, 3, 0]
    const h = histogram([2, 2, 2], { bins: 4 });
    expect(h.counts).toEqual([0, 0, 3, 0]);
    expect(h.edges).toEqual([1, 1.5, 2, 2.5, 3]);
    expect(histogram([NaN, 1], { bins: 2, min: 0, max: 2 }).counts).toEqual([0, 1]);
    expect(histogram([]).counts.every((c) => c === 0)).toBe(true);
  });

  it('properties: std(c·x + b) = |c|·std(x); histogram counts every finite in-range value (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 200 }),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (xs, c, b) => {
          const s = std(xs);
          const t = std(xs.map((x) => c * x + b));
          const scale = Math.max(...xs.map((x) => Math.abs(x)), 1) * Math.max(Math.abs(c), 1);
          const h = histogram(xs, { bins: 7 });
          return Math.abs(t - Math.abs(c) * s) <= 1e-9 * scale * xs.length && h.counts.reduce((p, q) => p + q, 0) === xs.length;
        },
      ),
      { numRuns: 200, seed: 424242 },
    );
  });
});
