// Unit tests of the probe (src/analysis/probe.ts): errors (one per validation branch), the model is not modified,
// determinism and the generator stream, histogram totals, the GEMM option, token-id inputs (torch.randint), and
// gradients through parameter-free first layers and shared layers. Numerics against PyTorch: probe-golden.test.ts
// and tests/oracle/probe.test.ts.
import { describe, expect, it } from 'vitest';
import { outputStats, probe, randintInto, stdOf } from '../../src/analysis/probe.js';
import { histogram, summarize } from '../../src/analysis/ops/stats.js';
import { type GemmBackend, tsGemm } from '../../src/analysis/ops/gemm.js';
import { normal_ } from '../../src/init/normal.js';
import { Linear } from '../../src/nn/linear.js';
import { Sequential } from '../../src/nn/containers.js';
import { ReLU } from '../../src/nn/activation.js';
import { fromSpec } from '../../src/nn/spec.js';
import { Generator } from '../../src/rng/generator.js';
import { empty, fromArray } from '../../src/tensor/tensor.js';
import { f32bits } from '../helpers/bits.js';
import { thrown } from '../helpers/errors.js';

const DQN = {
  type: 'Sequential',
  children: [
    { type: 'Linear', args: [4, 32] }, { type: 'ReLU' },
    { type: 'Linear', args: [32, 64] }, { type: 'ReLU' },
    { type: 'Linear', args: [64, 2] },
  ],
};

function build(spec: unknown, seed = 0): { model: ReturnType<typeof fromSpec>; g: Generator } {
  const g = new Generator().manualSeed(seed);
  return { model: fromSpec(spec, { generator: g }), g };
}

describe('probe: errors', () => {
  it('an input shape that does not fit the first layer names both shapes', () => {
    const { model, g } = build(DQN);
    const e = thrown(() => probe(model, { batch: 256, inputShape: [5], generator: g }));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toBe(
      '0 (Linear): expected input with last dimension 4 (in_features), got input shape [256, 5]. ' +
        'Check the input shape (batch first) against the layer, or the layer sizes in the model spec.',
    );
  });

  it('a mismatch deeper in the model names the layer and both shapes', () => {
    const { model, g } = build({ type: 'Sequential', children: [{ type: 'Linear', args: [4, 8] }, { type: 'Linear', args: [9, 2] }] });
    expect(() => probe(model, { batch: 3, inputShape: [4], generator: g })).toThrow(
      '1 (Linear): expected input with last dimension 9 (in_features), got input shape [3, 8].',
    );
  });

  it('the root layer is called "model"', () => {
    const { model } = build({ type: 'Linear', args: [4, 2] });
    expect(() => probe(model, { batch: 2, inputShape: [3] })).toThrow('model (Linear): expected input with last dimension 4');
  });

  it.each([
    ['Conv2d channels', { type: 'Conv2d', args: [3, 4, 3] }, [4, 8, 8], 'model (Conv2d): expected input with 3 channels in dimension 1 (in_channels), got input shape [2, 4, 8, 8]'],
    ['Conv2d rank', { type: 'Conv2d', args: [3, 4, 3] }, [3, 8], 'model (Conv2d): expected input [N, 3, H, W] (4 dimensions, batch first), got input shape [2, 3, 8]'],
    ['Conv1d rank', { type: 'Conv1d', args: [3, 4, 3] }, [3], 'model (Conv1d): expected input [N, 3, L] (3 dimensions, batch first), got input shape [2, 3]'],
    ['Conv2d too small', { type: 'Conv2d', args: [3, 4, 5] }, [3, 2, 2], 'model (Conv2d): expected'],
    ['BatchNorm2d channels', { type: 'BatchNorm2d', args: [3] }, [4, 2, 2], 'model (BatchNorm2d): expected input with 3 channels in dimension 1 (num_features), got input shape [2, 4, 2, 2]'],
    ['BatchNorm1d rank', { type: 'BatchNorm1d', args: [3] }, [3, 2, 2], 'model (BatchNorm1d): expected input [N, 3] or [N, 3, L] (2 or 3 dimensions, batch first), got input shape [2, 3, 2, 2]'],
    ['LayerNorm', { type: 'LayerNorm', args: [[4, 5]] }, [5, 4], 'model (LayerNorm): expected input whose last dimensions are [4, 5] (normalized_shape), got input shape [2, 5, 4]'],
    ['RMSNorm', { type: 'RMSNorm', args: [6] }, [5], 'model (RMSNorm): expected input whose last dimensions are [6] (normalized_shape), got input shape [2, 5]'],
    ['GroupNorm channels', { type: 'GroupNorm', args: [2, 4] }, [6, 3], 'model (GroupNorm): expected input with 4 channels in dimension 1 (num_channels), got input shape [2, 6, 3]'],
    ['MaxPool2d rank', { type: 'MaxPool2d', args: [2] }, [4], 'model (MaxPool2d): expected input [N, C, H, W] (3 or 4 dimensions, batch first), got input shape [2, 4]'],
    ['AdaptiveAvgPool1d rank', { type: 'AdaptiveAvgPool1d', args: [2] }, [1, 2, 3, 4], 'model (AdaptiveAvgPool1d): expected input [N, C, L] (2 or 3 dimensions'],
  ])('%s: names the layer and the input shape', (_name, spec, inputShape, msg) => {
    const { model } = build(spec);
    const e = thrown(() => probe(model, { batch: 2, inputShape, generator: new Generator().manualSeed(1) }));
    expect(e.message).toContain(msg);
    expect(e.where).toMatch(/^model \(/);
  });

  it('a residual block whose body changes the shape names both shapes', () => {
    const { model } = build({ type: 'Sequential', children: [{ type: 'Residual', children: [{ type: 'Linear', args: [4, 6] }] }] });
    const e = thrown(() => probe(model, { batch: 2, inputShape: [4] }));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toContain('0 (Residual): expected the shortcut and the body to give the same shape (shortcut(x) + body(x)), got shortcut [2, 4] and body [2, 6].');
  });

  it.each([
    ['LSTM', { type: 'Module', children: { lstm: { type: 'LSTM', args: [4, 8] } } }, 'lstm (LSTM)'],
    ['TransformerEncoderLayer', { type: 'TransformerEncoderLayer', args: [8, 2] }, 'model (TransformerEncoderLayer)'],
    ['Conv3d', { type: 'Sequential', children: [{ type: 'Conv3d', args: [1, 2, 1] }] }, '0 (Conv3d)'],
    ['PReLU', { type: 'Sequential', children: [{ type: 'Linear', args: [4, 4] }, { type: 'PReLU' }] }, '1 (PReLU)'],
  ])('an unsupported layer (%s) is named, with the supported list, before any work', (type, spec, where) => {
    const { model } = build(spec);
    const e = thrown(() => probe(model, { batch: 2, inputShape: [4] }));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.where).toBe(where);
    expect(e.message).toContain(`got "${type}"`);
    expect(e.message).toContain('Linear, Conv1d, Conv2d, ReLU');
    expect(e.message).toContain('AdaptiveAvgPool2d');
    expect(e.message).toContain('propagate()');
  });

  it('Embedding options the probe cannot honour, and MaxPool return_indices', () => {
    const emb = build({ type: 'Embedding', args: [10, 4], kwargs: { max_norm: 1 } }).model;
    expect(thrown(() => probe(emb, { batch: 2, inputShape: [3] })).message).toContain('model (Embedding): expected max_norm=None');
    const pool = build({ type: 'MaxPool1d', args: [2], kwargs: { return_indices: true } }).model;
    expect(thrown(() => probe(pool, { batch: 2, inputShape: [3, 4] })).message).toContain('model (MaxPool1d): expected return_indices=False');
  });

  it('an Embedding that is not first, and float token ids', () => {
    const late = build({ type: 'Sequential', children: [{ type: 'Linear', args: [4, 4] }, { type: 'Embedding', args: [10, 4] }] }).model;
    expect(thrown(() => probe(late, { batch: 2, inputShape: [4] })).message).toContain('1 (Embedding): expected integer token ids');
    const first = build({ type: 'Sequential', children: [{ type: 'Embedding', args: [10, 4] }, { type: 'Linear', args: [4, 4] }] }).model;
    const e = thrown(() => probe(first, { input: empty([2, 3]) }));
    expect(e.code).toBe('INVALID_DTYPE');
    expect(e.message).toContain("expected integer token ids (an int64 or int32 tensor) for the first layer 0 (Embedding), got dtype float32");
    const big = thrown(() => probe(first, { input: fromArray([[1, 10]], { dtype: 'int64' }) }));
    expect(big.message).toContain('0 (Embedding): expected indices in [0, 10) (num_embeddings = 10), got 10 at position 1');
  });

  it('token ids fed past a layer that keeps them integer are rejected by the next layer', () => {
    const m = build({ type: 'Sequential', children: [{ type: 'Embedding', args: [10, 4] }, { type: 'Residual', children: [{ type: 'Linear', args: [4, 4] }] }] }).model;
    expect(() => probe(m, { batch: 2, inputShape: [3] })).not.toThrow();
    const ids = build({ type: 'Residual', children: [{ type: 'Embedding', args: [10, 4] }] }).model;
    expect(thrown(() => probe(ids, { batch: 2, inputShape: [3] })).message).toContain('model (Residual): expected float activations on both paths');
  });

  it.each([
    ['batch 0', { batch: 0, inputShape: [4] }, 'probe: expected batch to be an integer >= 1, got 0.'],
    ['batch 1.5', { batch: 1.5, inputShape: [4] }, 'probe: expected batch to be an integer >= 1, got 1.5.'],
    ['batch string', { batch: '2', inputShape: [4] }, 'probe: expected batch to be an integer >= 1, got "2".'],
    ['no inputShape', { batch: 2 }, 'probe: expected inputShape (the input shape without the batch dimension) or an input tensor, got undefined. Pass e.g. { inputShape: [4] }.'],
    ['inputShape with 0', { inputShape: [0] }, 'probe: expected inputShape to be an array of positive integers (batch excluded), got [0].'],
    ['inputShape not an array', { inputShape: 4 }, 'probe: expected inputShape to be an array of positive integers (batch excluded), got 4.'],
    ['inputShape fractional', { inputShape: [2.5] }, 'probe: expected inputShape to be an array of positive integers (batch excluded), got [2.5].'],
    ['bins 0', { inputShape: [4], bins: 0 }, 'probe: expected bins to be an integer >= 1, got 0.'],
    ['input not a tensor', { input: [[1, 2, 3, 4]] }, 'probe: expected input to be a Tensor (batch first), got [[1, 2, 3, 4]].'],
    ['input and inputShape disagree', { input: empty([2, 4]), inputShape: [5] }, "probe: expected inputShape to match the input's shape without the batch dimension, [4], got [5]."],
    ['input and batch disagree', { input: empty([2, 4]), batch: 3 }, "probe: expected batch to equal the input's first dimension, 2, got 3."],
    ['input without batch', { input: empty([0, 4]) }, 'probe: expected an input with a batch dimension of at least 1, got shape [0, 4].'],
    ['input of integers', { input: fromArray([[1, 2, 3, 4]], { dtype: 'int64' }) }, 'probe: expected a floating-point input, got dtype int64.'],
    ['bad generator', { inputShape: [4], generator: 42 }, 'probe: expected generator to be a Generator or PhiloxGenerator, got 42.'],
    ['bad gemm', { inputShape: [4], gemm: { name: 'x' } }, 'probe:'],
  ])('%s', (_name, options, msg) => {
    const { model } = build(DQN);
    const e = thrown(() => probe(model, options as never));
    expect(e.message).toContain(msg);
  });

  it('options that are not an object, a model that is not a Module, a meta-device model', () => {
    const { model } = build(DQN);
    expect(thrown(() => probe(model, 5 as never)).message).toBe('probe: expected an options object such as { batch: 256, inputShape: [784] }, got 5.');
    expect(thrown(() => probe({} as never, { inputShape: [4] })).message).toBe('probe: expected a Module (e.g. nn.fromSpec(spec)), got {}.');
    const meta = fromSpec(DQN, { device: 'meta' });
    const e = thrown(() => probe(meta, { inputShape: [4] }));
    expect(e.message).toContain('probe: expected a model with data (built on the cpu device), got parameter 0.weight on the meta device.');
  });
});

describe('probe: behaviour', () => {
  const CNN = {
    type: 'Sequential',
    children: [
      { type: 'Conv2d', args: [2, 4, 3], kwargs: { padding: 1 } }, { type: 'BatchNorm2d', args: [4] }, { type: 'ReLU' },
      { type: 'MaxPool2d', args: [2] }, { type: 'Flatten' }, { type: 'Dropout' }, { type: 'Linear', args: [16, 3] },
    ],
  };

  it('does not modify the model: parameters, running statistics and num_batches_tracked keep their bits', () => {
    const { model, g } = build(CNN, 3);
    const before = [...model.stateDict()].map(([k, t]) => [k, f32bits(Float32Array.from(t.data))]);
    probe(model, { batch: 8, inputShape: [2, 4, 4], generator: g });
    const after = [...model.stateDict()].map(([k, t]) => [k, f32bits(Float32Array.from(t.data))]);
    expect(after).toEqual(before);
  });

  it('is deterministic, draws randn(batch, ...inputShape) then randn_like(y), and an explicit input gives the same', () => {
    const a = build(CNN, 5);
    const b = build(CNN, 5);
    const ra = probe(a.model, { batch: 8, inputShape: [2, 4, 4], generator: a.g });
    const rb = probe(b.model, { batch: 8, inputShape: [2, 4, 4], generator: b.g });
    expect(rb).toEqual(ra);
    // The stream: the generator advanced by exactly the input and the output gradient.
    const ref = build(CNN, 5).g;
    const x = normal_(empty([8, 2, 4, 4]), 0, 1, { generator: ref });
    normal_(empty([8, 3]), 0, 1, { generator: ref });
    expect(a.g.random()).toBe(ref.random());
    // The same input passed explicitly, and g drawn from a generator at the same position.
    const c = build(CNN, 5);
    normal_(empty([8, 2, 4, 4]), 0, 1, { generator: c.g });
    expect(probe(c.model, { input: x, generator: c.g })).toEqual(ra);
  });

  it('records every leaf in execution order with PyTorch names, shapes, and histograms that count every element', () => {
    const { model, g } = build(CNN, 1);
    const r = probe(model, { batch: 8, inputShape: [2, 4, 4], generator: g, bins: 7 });
    expect(r.batch).toBe(8);
    expect(r.inputShape).toEqual([2, 4, 4]);
    expect(r.layers.map((l) => `${l.index}:${l.name}:${l.module}`)).toEqual([
      '0:0:Conv2d', '1:1:BatchNorm2d', '2:2:ReLU', '3:3:MaxPool2d', '4:4:Flatten', '5:5:Dropout', '6:6:Linear',
    ]);
    expect(r.layers.map((l) => l.shape)).toEqual([[8, 4, 4, 4], [8, 4, 4, 4], [8, 4, 4, 4], [8, 4, 2, 2], [8, 16], [8, 16], [8, 3]]);
    for (const l of r.layers) {
      const n = l.shape.reduce((p, d) => p * d, 1);
      expect(l.histogram.counts.reduce((p, c) => p + c, 0)).toBe(n);
      expect(l.histogram.edges).toHaveLength(8);
      expect(l.histogram.edges[0]).toBe(l.outputMin);
      expect(l.histogram.edges[7]).toBeCloseTo(l.outputMax, 12);
      expect(Number.isFinite(l.gradOutputStd)).toBe(true);
    }
    expect(Object.keys(r.layers[0]!.paramGradStd)).toEqual(['weight', 'bias']);
    expect(Object.keys(r.layers[1]!.paramGradStd)).toEqual(['weight', 'bias']);
    expect(r.layers[2]!.paramGradStd).toEqual({});
    // ReLU after BatchNorm: about half the outputs are exactly zero; Dropout is the identity.
    expect(r.layers[2]!.zeroFraction).toBeGreaterThan(0.3);
    expect(r.layers[5]!.outputStd).toBe(r.layers[4]!.outputStd);
    // BatchNorm in training mode: per-channel batch statistics, so the output has mean 0 and std ~1 (bias 0, weight 1).
    expect(Math.abs(r.layers[1]!.outputMean)).toBeLessThan(1e-6);
    expect(r.layers[1]!.outputStd).toBeCloseTo(1, 2);
  });

  it('parameter-free first layers get their output gradient (the input requires grad then)', () => {
    const { model, g } = build({ type: 'Sequential', children: [{ type: 'Flatten' }, { type: 'Tanh' }, { type: 'Linear', args: [6, 2] }] });
    const r = probe(model, { batch: 4, inputShape: [2, 3], generator: g });
    expect(r.layers.every((l) => Number.isFinite(l.gradOutputStd))).toBe(true);
  });

  it('a layer used twice accumulates both gradients, as autograd', () => {
    const fc = new Linear(4, 4, { generator: new Generator().manualSeed(0) });
    const model = new Sequential(fc, new ReLU(), fc);
    const r = probe(model, { batch: 16, inputShape: [4], generator: new Generator().manualSeed(1) });
    expect(r.layers.map((l) => l.name)).toEqual(['0', '1', '2']);
    expect(r.layers[0]!.paramGradStd).toEqual(r.layers[2]!.paramGradStd);
  });

  it('uses the GEMM backend it is given, with the same results as the default', () => {
    let calls = 0;
    const counting: GemmBackend = { name: 'counting', sgemm: (...a) => { calls++; tsGemm.sgemm(...a); } };
    const a = build(DQN, 2);
    const b = build(DQN, 2);
    const ra = probe(a.model, { batch: 16, inputShape: [4], generator: a.g, gemm: counting });
    expect(calls).toBeGreaterThan(0);
    expect(probe(b.model, { batch: 16, inputShape: [4], generator: b.g })).toEqual(ra);
  });

  it('an Embedding first draws torch.randint(0, num_embeddings, (batch, *inputShape)); inputStd is its output std', () => {
    const spec = { type: 'Sequential', children: [{ type: 'Embedding', args: [1000, 4] }, { type: 'Flatten' }, { type: 'Linear', args: [40, 2] }] };
    const { model, g } = build(spec, 7);
    const r = probe(model, { batch: 3, inputShape: [10], generator: g });
    expect(r.inputStd).toBe(r.layers[0]!.outputStd);
    expect(r.layers[0]!.shape).toEqual([3, 10, 4]);
    // The same ids passed as an int64 tensor give the same result.
    const again = build(spec, 7);
    const ids = randintInto(again.g, new Int32Array(30), 0, 1000);
    const t = fromArray(Array.from(ids), { dtype: 'int64', shape: [3, 10] });
    expect(probe(again.model, { input: t, generator: again.g })).toEqual(r);
  });

  it("randint matches PyTorch's CPU random_from_to", () => {
    // torch.manual_seed(3); torch.randint(0, 1000, (10,)).tolist()  (PyTorch 1.13.1)
    const g = new Generator().manualSeed(3);
    expect(Array.from(randintInto(g, new Int32Array(10), 0, 1000))).toEqual([986, 48, 737, 667, 360, 280, 840, 525, 981, 739]);
  });
});

describe('probe: fused statistics equal ops/stats.ts (summarize, histogram, std)', () => {
  const g = new Generator().manualSeed(11);
  const randn = (n: number, scale = 1, shift = 0): Float32Array => normal_(empty([n]), shift, scale, { generator: g }).data as Float32Array;
  const relu = (a: Float32Array): Float32Array => a.map((x) => (x > 0 ? x : 0));
  const cases: [string, Float32Array][] = [
    ['randn 1001', randn(1001)],
    ['relu 4096', relu(randn(4096))],
    ['relu 1002 (n % 4 = 2)', relu(randn(1002))],
    ['relu 1003 (n % 4 = 3)', relu(randn(1003))],
    ['shifted', randn(333, 1e-3, 1e3)],
    ['constant', new Float32Array(10).fill(2.5)],
    ['one element', Float32Array.of(-3)],
    ['two', Float32Array.of(1, 2)],
    ['three with the max repeated', Float32Array.of(0, 7, 7)],
    ['with NaN', Float32Array.of(1, NaN, 3, 0, 5)],
    ['with Infinity', Float32Array.of(1, Infinity, -2)],
  ];
  it.each(cases)('%s', (_name, d) => {
    for (const bins of [1, 7, 30]) {
      const ref = summarize(d);
      const ours = outputStats(d, bins);
      const near = (a: number, b: number): void => {
        if (Number.isNaN(b)) expect(a).toBeNaN();
        else if (!Number.isFinite(b)) expect(a).toBe(b);
        else expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(b)));
      };
      near(ours.mean, ref.mean);
      near(ours.std, ref.std);
      near(stdOf(d), ref.std);
      expect(ours.min).toEqual(ref.min);
      expect(ours.max).toEqual(ref.max);
      expect(ours.zeroFraction).toBe(ref.zeroFraction);
      const h = Number.isFinite(ref.min) && Number.isFinite(ref.max) ? histogram(d, { bins, min: ref.min, max: ref.max }) : histogram(d, { bins });
      expect(ours.histogram).toEqual(h);
    }
  });
});

