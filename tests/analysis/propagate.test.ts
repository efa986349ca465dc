// Propagation predictions against closed forms.
import { describe, expect, it } from 'vitest';
import { fromSpec } from '../../src/index.js';
import { propagate } from '../../src/analysis/propagate.js';

const mlp = (depth: number, width: number, act = 'ReLU', bias = false) =>
  fromSpec(
    {
      type: 'Sequential',
      children: Array.from({ length: depth }, () => [{ type: 'Linear', args: [width, width], kwargs: { bias } }, { type: act }]).flat(),
    },
    { device: 'meta' },
  );

describe('propagate: closed forms', () => {
  it('ReLU with He init keeps the second moment (E[relu(x)²] = q/2, times 2 from the weights)', () => {
    const p = propagate(mlp(10, 256), { preset: 'he', inputShape: [256] });
    const relus = p.layers.filter((l) => l.module === 'ReLU');
    for (const l of relus) expect(l.secondMoment!).toBeCloseTo(1, 10);
    // Pre-activations: q = fan_in · (2/fan_in) · q_prev = 2 at every depth
    for (const l of p.layers.filter((x) => x.module === 'Linear')) expect(l.secondMoment!).toBeCloseTo(2, 10);
  });

  it("PyTorch's default without bias shrinks the second moment ×1/6 per Linear+ReLU", () => {
    const p = propagate(mlp(6, 128), { inputShape: [128] });
    const relus = p.layers.filter((l) => l.module === 'ReLU');
    for (let i = 1; i < relus.length; i++) expect(relus[i]!.secondMoment! / relus[i - 1]!.secondMoment!).toBeCloseTo(1 / 6, 10);
    // after one Linear: q = fan_in · 1/(3 fan_in) · 1 = 1/3
    expect(p.layers[0]!.secondMoment!).toBeCloseTo(1 / 3, 12);
  });

  it('tanh with LeCun keeps a fixed point below 1; gradients are predicted backwards from 1 at the output', () => {
    const p = propagate(mlp(30, 64, 'Tanh'), { preset: 'lecun', inputShape: [64] });
    const last = p.layers[p.layers.length - 1]!;
    expect(last.predictedGradStd).toBe(1);
    expect(p.layers[0]!.predictedGradStd!).toBeGreaterThan(0);
    const q = p.layers.filter((l) => l.module === 'Tanh').map((l) => l.secondMoment!);
    expect(q[q.length - 1]!).toBeLessThan(q[0]!); // tanh contracts toward its fixed point
  });

  it('LayerNorm resets the scale; a residual sum adds the branches', () => {
    const m = fromSpec(
      { type: 'Sequential', children: [{ type: 'Linear', args: [32, 32] }, { type: 'LayerNorm', args: [32] }, { type: 'Linear', args: [32, 32], kwargs: { bias: false } }] },
      { device: 'meta' },
    );
    const p = propagate(m, { inputStd: 10, inputShape: [32] });
    expect(p.layers[1]!.secondMoment).toBeCloseTo(1, 12);
    expect(p.layers[2]!.secondMoment).toBeCloseTo(1 / 3, 12);
  });

  it('shape mismatch names both shapes', () => {
    expect(() => propagate(mlp(2, 16), { inputShape: [17] })).toThrow(/0 \(Linear\): expected a last dimension of 16 \(in_features\), got input of shape \[17\]/);
    const conv = fromSpec({ type: 'Conv2d', args: [3, 8, 3] }, { device: 'meta' });
    expect(() => propagate(conv, { inputShape: [1, 28, 28] })).toThrow(/expected \[3, L, L\] \(in_channels=3\), got input of shape \[1, 28, 28\]/);
  });

  it("pooling output shapes follow PyTorch's pooling_output_shape, ceil_mode's last-window rule included", () => {
    // PyTorch 1.13: nn.MaxPool1d(3, stride=3, padding=1, ceil_mode=True)(torch.zeros(1, 1, 5)).shape == (1, 1, 2);
    // a plain ceil((5 + 2 - 2 - 1) / 3 + 1) would say 3, a window starting past the input and its left padding.
    const pool = (ceil: boolean) =>
      fromSpec({ type: 'MaxPool1d', args: [3], kwargs: { stride: 3, padding: 1, ceil_mode: ceil } }, { device: 'meta' });
    expect(propagate(pool(true), { inputShape: [1, 5] }).layers[0]!.shape).toEqual([1, 2]);
    expect(propagate(pool(false), { inputShape: [1, 5] }).layers[0]!.shape).toEqual([1, 2]);
    // nn.MaxPool1d(2, ceil_mode=True)(torch.zeros(1, 1, 5)).shape == (1, 1, 3): the partial last window counts.
    const half = fromSpec({ type: 'MaxPool1d', args: [2], kwargs: { ceil_mode: true } }, { device: 'meta' });
    expect(propagate(half, { inputShape: [1, 5] }).layers[0]!.shape).toEqual([1, 3]);
  });

  it('layers that are not modelled stop the prediction with a note', () => {
    const m = fromSpec({ type: 'Sequential', children: [{ type: 'Linear', args: [8, 8] }, { type: 'Bilinear', args: [8, 8, 8] }, { type: 'ReLU' }] }, { device: 'meta' });
    const p = propagate(m, { inputShape: [8] });
    expect(p.layers[1]!.predictedStd).toBeNull();
    expect(p.layers[1]!.note).toMatch(/Bilinear is not modelled/);
    expect(p.layers[2]!.note).toMatch(/after a layer/);
    expect(p.gain).toBeNull();
  });
});
