// The TypeScript constructors: they build exactly what the spec builds (which the golden fixtures compare with
// PyTorch), honour dtype / generator / device options, meta mode builds huge models instantly without drawing, and
// every validation branch throws an InitError that names the parameter and echoes the value.
import { describe, expect, it } from 'vitest';
import { type Generator, defaultGenerator, empty, init, manualSeed, nn } from '../../src/index.js';
import { thrown } from '../helpers/errors.js';
import { gen, tensorBits } from './helpers.js';

function bitsOf(m: nn.Module): Record<string, string[]> {
  return Object.fromEntries([...m.stateDict()].map(([k, t]) => [k, tensorBits(t)]));
}

describe('TypeScript constructors build what the spec builds', () => {
  const pairs: [string, (g: Generator) => nn.Module, nn.SpecNode][] = [
    ['Linear', (g) => new nn.Linear(4, 3, { generator: g }), { type: 'Linear', args: [4, 3] }],
    ['Bilinear', (g) => new nn.Bilinear(3, 2, 4, { bias: false, generator: g }), { type: 'Bilinear', args: [3, 2, 4], kwargs: { bias: false } }],
    [
      'Conv2d',
      (g) => new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1, bias: false, generator: g }),
      { type: 'Conv2d', args: [3, 16, 3], kwargs: { stride: 2, padding: 1, bias: false } },
    ],
    ['ConvTranspose2d', (g) => new nn.ConvTranspose2d(4, 6, [3, 2], { groups: 2, generator: g }), { type: 'ConvTranspose2d', args: [4, 6, [3, 2]], kwargs: { groups: 2 } }],
    ['Embedding', (g) => new nn.Embedding(10, 3, { paddingIdx: -2, generator: g }), { type: 'Embedding', args: [10, 3], kwargs: { padding_idx: -2 } }],
    [
      'LSTM',
      (g) => new nn.LSTM(4, 6, { numLayers: 2, bidirectional: true, projSize: 3, generator: g }),
      { type: 'LSTM', args: [4, 6], kwargs: { num_layers: 2, bidirectional: true, proj_size: 3 } },
    ],
    ['GRUCell', (g) => new nn.GRUCell(3, 5, { generator: g }), { type: 'GRUCell', args: [3, 5] }],
    [
      'MultiheadAttention',
      (g) => new nn.MultiheadAttention(8, 2, { kdim: 4, vdim: 6, addBiasKv: true, generator: g }),
      { type: 'MultiheadAttention', args: [8, 2], kwargs: { kdim: 4, vdim: 6, add_bias_kv: true } },
    ],
    [
      'TransformerEncoder',
      (g) => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, generator: g }), 3, { norm: new nn.LayerNorm(8) }),
      { type: 'TransformerEncoder', args: [{ type: 'TransformerEncoderLayer', args: [8, 2, 16] }, 3], kwargs: { norm: { type: 'LayerNorm', args: [8] } } },
    ],
    [
      'Transformer',
      (g) => new nn.Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 12, generator: g }),
      { type: 'Transformer', kwargs: { d_model: 8, nhead: 2, num_encoder_layers: 1, num_decoder_layers: 2, dim_feedforward: 12 } },
    ],
    [
      'Sequential',
      (g) => nn.withDefaults({ generator: g }, () => new nn.Sequential(new nn.Conv1d(2, 4, 3), new nn.BatchNorm1d(4), new nn.PReLU({ numParameters: 4 }), new nn.Flatten(), new nn.Linear(8, 2))),
      {
        type: 'Sequential',
        children: [
          { type: 'Conv1d', args: [2, 4, 3] },
          { type: 'BatchNorm1d', args: [4] },
          { type: 'PReLU', kwargs: { num_parameters: 4 } },
          { type: 'Flatten' },
          { type: 'Linear', args: [8, 2] },
        ],
      },
    ],
  ];
  for (const [name, make, spec] of pairs) {
    it(name, () => {
      const a = make(gen(3));
      const b = nn.fromSpec(spec, { generator: gen(3) });
      expect(bitsOf(a)).toEqual(bitsOf(b));
      expect(a.toString()).toBe(b.toString());
    });
  }

  it('the default generator is used when no generator is given (as torch.manual_seed)', () => {
    manualSeed(11);
    const a = new nn.Linear(5, 4);
    const afterA = tensorBits(init.uniform_(empty([2])));
    const b = new nn.Linear(5, 4, { generator: gen(11) });
    expect(bitsOf(a)).toEqual(bitsOf(b));
    const g = gen(11);
    new nn.Linear(5, 4, { generator: g });
    expect(afterA).toEqual(tensorBits(init.uniform_(empty([2]), 0, 1, { generator: g })));
    expect(defaultGenerator().initialSeed()).toBe(11n);
  });

  it("dtype: 'float64' makes float64 parameters and buffers (num_batches_tracked stays int64)", () => {
    const lin = new nn.Linear(3, 2, { dtype: 'float64', generator: gen() });
    expect(lin.weight.dtype).toBe('float64');
    expect(lin.weight.data).toBeInstanceOf(Float64Array);
    const bn = nn.withDefaults({ dtype: 'float64' }, () => new nn.BatchNorm2d(3));
    expect([...bn.stateDict().values()].map((t) => t.dtype)).toEqual(['float64', 'float64', 'float64', 'float64', 'int64']);
    const mha = new nn.MultiheadAttention(4, 2, { dtype: 'double', generator: gen() });
    expect(mha.out_proj.weight.dtype).toBe('float64');
  });

  it('resetParameters redraws what the constructor drew', () => {
    for (const make of [
      (g: Generator) => new nn.Linear(4, 3, { generator: g }),
      (g: Generator) => new nn.Conv2d(2, 4, 3, { generator: g }),
      (g: Generator) => new nn.Embedding(6, 5, { paddingIdx: 1, generator: g }),
      (g: Generator) => new nn.GRU(3, 4, { numLayers: 2, generator: g }),
      (g: Generator) => new nn.LSTMCell(3, 4, { generator: g }),
      (g: Generator) => new nn.Bilinear(2, 3, 4, { generator: g }),
    ]) {
      const m = make(gen(9));
      const before = bitsOf(m);
      m.resetParameters({ generator: gen(9) });
      expect(bitsOf(m)).toEqual(before);
    }
    const bn = new nn.BatchNorm1d(3);
    bn.runningMean!.fill_(5);
    bn.resetParameters();
    expect(Array.from(bn.runningMean!.data)).toEqual([0, 0, 0]);
    expect(bn.numBatchesTracked!.dtype).toBe('int64');
  });

  it('containers: Sequential, ModuleList, ModuleDict helpers', () => {
    const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh());
    expect(seq.length).toBe(2);
    expect(seq.at(-1)).toBeInstanceOf(nn.Tanh);
    seq.append(new nn.Sigmoid());
    expect([...seq].map((m) => m.getName())).toEqual(['ReLU', 'Tanh', 'Sigmoid']);
    const named = new nn.Sequential({ a: new nn.ReLU(), b: new nn.GELU() });
    expect(named.namedChildren().map(([n]) => n)).toEqual(['a', 'b']);
    const list = new nn.ModuleList([new nn.ReLU()]).extend([new nn.Tanh()]);
    expect(list.length).toBe(2);
    expect(list.at(1)).toBeInstanceOf(nn.Tanh);
    expect([...list]).toHaveLength(2);
    const dict = new nn.ModuleDict([['x', new nn.ReLU()]]).set('y', new nn.Tanh());
    expect(dict.keys()).toEqual(['x', 'y']);
    expect(dict.has('y')).toBe(true);
    expect(dict.get('y')).toBeInstanceOf(nn.Tanh);
    expect(dict.values()).toHaveLength(2);
    expect(dict.entries()[0]![0]).toBe('x');
    expect(dict.size).toBe(2);
    expect(thrown(() => seq.at(5)).message).toContain('an index in [-3, 3)');
    expect(thrown(() => list.at(-3)).param).toBe('idx');
    expect(thrown(() => dict.get('z')).message).toContain('"z"');
    expect(thrown(() => new nn.Sequential(new nn.ReLU(), 3 as unknown as nn.Module)).message).toContain('modules[1]');
    expect(thrown(() => new nn.ModuleList(7 as unknown as nn.Module[])).param).toBe('modules');
    expect(thrown(() => new nn.ModuleDict(null as unknown as Record<string, nn.Module>)).param).toBe('modules');
    expect(thrown(() => new nn.ModuleDict([['x'] as unknown as [string, nn.Module]])).message).toContain('[name, module] pair');
    expect(thrown(() => new nn.ModuleDict(new Map([[1 as unknown as string, new nn.ReLU()]]))).param).toBe('name');
  });
});

describe('meta device', () => {
  it('allocates nothing and draws nothing', () => {
    const g = gen(1);
    const state = g.getState();
    const m = nn.meta(() => new nn.Sequential(new nn.Linear(1000, 1000, { generator: g }), new nn.Embedding(100, 10, { paddingIdx: 0, generator: g })));
    expect(g.getState()).toEqual(state);
    expect(m.parameters().every((p) => p.isMeta && p.data.length === 0)).toBe(true);
    expect(m.numParameters()).toBe(1000 * 1000 + 1000 + 1000);
    const one = new nn.Conv2d(3, 8, 3, { device: 'meta', generator: g });
    expect(one.weight.isMeta).toBe(true);
    expect(g.getState()).toEqual(state);
  });

  it('a LLaMA-2-70B-shaped model (68,976,648,192 parameters) builds in a fraction of a second', () => {
    const layer = (): nn.SpecNode => ({
      type: 'Module',
      children: {
        self_attn: {
          type: 'Module',
          children: {
            q_proj: { type: 'Linear', args: [8192, 8192], kwargs: { bias: false } },
            k_proj: { type: 'Linear', args: [8192, 1024], kwargs: { bias: false } },
            v_proj: { type: 'Linear', args: [8192, 1024], kwargs: { bias: false } },
            o_proj: { type: 'Linear', args: [8192, 8192], kwargs: { bias: false } },
          },
        },
        mlp: {
          type: 'Module',
          children: {
            gate_proj: { type: 'Linear', args: [8192, 28672], kwargs: { bias: false } },
            up_proj: { type: 'Linear', args: [8192, 28672], kwargs: { bias: false } },
            down_proj: { type: 'Linear', args: [28672, 8192], kwargs: { bias: false } },
          },
        },
        input_layernorm: { type: 'RMSNorm', args: [8192], kwargs: { eps: 1e-5 } },
        post_attention_layernorm: { type: 'RMSNorm', args: [8192], kwargs: { eps: 1e-5 } },
      },
    });
    const spec: nn.SpecNode = {
      type: 'Module',
      children: {
        model: {
          type: 'Module',
          children: {
            embed_tokens: { type: 'Embedding', args: [32000, 8192] },
            layers: { type: 'ModuleList', children: Array.from({ length: 80 }, layer) },
            norm: { type: 'RMSNorm', args: [8192] },
          },
        },
        lm_head: { type: 'Linear', args: [8192, 32000], kwargs: { bias: false } },
      },
    };
    const t0 = performance.now();
    const m = nn.fromSpec(spec, { device: 'meta', generator: gen() });
    const ms = performance.now() - t0;
    expect(m.numParameters()).toBe(68_976_648_192);
    expect(m.stateDict().size).toBe(80 * 9 + 3);
    expect(m.getParameter('model.layers.79.mlp.down_proj.weight').shape).toEqual([8192, 28672]);
    expect(ms).toBeLessThan(3000); // about 0.15 s here; generous for a busy CI machine
  });

  it('a GPT-2 XL-shaped model (1,557,611,200 parameters) with deep-copied blocks, in meta mode', () => {
    const spec: nn.SpecNode = {
      type: 'Module',
      children: {
        wte: { type: 'Embedding', args: [50257, 1600] },
        wpe: { type: 'Embedding', args: [1024, 1600] },
        h: {
          type: 'TransformerEncoder',
          args: [{ type: 'TransformerEncoderLayer', args: [1600, 25, 6400, 0.1, 'gelu'], kwargs: { batch_first: true, norm_first: true } }, 48],
        },
        ln_f: { type: 'LayerNorm', args: [1600] },
      },
    };
    const t0 = performance.now();
    const m = nn.fromSpec(spec, { device: 'meta' });
    expect(m.numParameters()).toBe(1_557_611_200);
    expect(performance.now() - t0).toBeLessThan(3000);
  });
});

describe('constructor validation (each branch names the parameter and echoes the value)', () => {
  const cases: [string, () => unknown, string, string][] = [
    ['options not an object', () => new nn.Linear(2, 2, 5 as unknown as object), 'options', '5'],
    ['unknown option', () => new nn.Linear(2, 2, { bais: true } as unknown as object), 'bais', '"bais"'],
    ['required argument given as option', () => new nn.Linear(2, 2, { inFeatures: 3 } as unknown as object), 'inFeatures', 'pass it positionally'],
    ['a third positional argument is the options', () => new (nn.Linear as unknown as new (...a: unknown[]) => nn.Module)(2, 2, 3, {}), 'options', '3'],
    ['int kind', () => new nn.Linear(2.5, 2), 'inFeatures', '2.5'],
    ['non-negative int', () => new nn.Linear(-1, 2), 'inFeatures', '-1'],
    ['bool kind', () => new nn.Linear(2, 2, { bias: 'yes' as unknown as boolean }), 'bias', '"yes"'],
    ['float range', () => new nn.Dropout({ p: 1.5 }), 'p', '1.5'],
    ['float finite', () => new nn.LayerNorm(4, { eps: Infinity }), 'eps', 'Infinity'],
    ['str choice', () => new nn.GELU({ approximate: 'exact' as 'none' }), 'approximate', "'none', 'tanh'"],
    ['size length', () => new nn.Conv2d(2, 2, [3, 3, 3]), 'kernelSize', '[3, 3, 3]'],
    ['size minimum', () => new nn.Conv2d(2, 2, 3, { stride: 0 }), 'stride', '0'],
    ['padding string', () => new nn.Conv1d(2, 2, 3, { padding: 'full' as 'same' }), 'padding', '"full"'],
    ['shape kind', () => new nn.LayerNorm([2, -1]), 'normalizedShape', '[2, -1]'],
    ['floats kind', () => new nn.Upsample({ scaleFactor: [] }), 'scaleFactor', '[]'],
    ['dtype kind', () => new nn.Linear(2, 2, { dtype: 'int64' as 'float32' }), 'dtype', '"int64"'],
    ['device kind', () => new nn.Linear(2, 2, { device: 'cuda' as 'cpu' }), 'device', '"cuda"'],
    ['required missing', () => new (nn.Linear as unknown as new (...a: unknown[]) => nn.Module)(2), 'outFeatures', 'undefined'],
    ['conv in_channels % groups', () => new nn.Conv2d(3, 4, 3, { groups: 2 }), 'inChannels', 'multiple of groups=2'],
    ['conv out_channels % groups', () => new nn.Conv2d(4, 3, 3, { groups: 2 }), 'outChannels', '3'],
    ["conv padding='same' with stride", () => new nn.Conv2d(2, 2, 3, { padding: 'same', stride: 2 }), 'padding', 'strided'],
    ['conv transpose padding mode', () => new nn.ConvTranspose2d(2, 2, 3, { paddingMode: 'reflect' as 'zeros' }), 'paddingMode', '"reflect"'],
    ['embedding padding_idx', () => new nn.Embedding(10, 3, { paddingIdx: 12 }), 'paddingIdx', '[-10, 10) for numEmbeddings=10, got 12'],
    ['embedding bag padding_idx', () => new nn.EmbeddingBag(4, 3, { paddingIdx: -5 }), 'paddingIdx', '-5'],
    ['lstm proj_size', () => new nn.LSTM(3, 4, { projSize: 4 }), 'projSize', 'smaller than hiddenSize=4'],
    ['rnn hidden_size 0', () => new nn.GRU(3, 0), 'hiddenSize', '0'],
    ['group norm divisibility', () => new nn.GroupNorm(4, 6), 'numChannels', 'multiple of numGroups=4'],
    ['attention heads', () => new nn.MultiheadAttention(10, 3), 'embedDim', 'multiple of numHeads=3'],
    ['encoder layer heads', () => new nn.TransformerEncoderLayer(10, 4), 'dModel', 'multiple of nhead=4'],
    ['decoder layer heads', () => new nn.TransformerDecoderLayer(6, 4), 'dModel', '6'],
    ['transformer heads', () => new nn.Transformer({ dModel: 10, nhead: 3 }), 'dModel', '10'],
    ['activation name', () => new nn.TransformerEncoderLayer(4, 2, { activation: 'tanh' as 'relu' }), 'activation', '"tanh"'],
    ['transformer activation', () => new nn.Transformer({ activation: 'silu' as 'relu', dModel: 4, nhead: 2 }), 'activation', '"silu"'],
    ['encoder layer not a module', () => new nn.TransformerEncoder('layer' as unknown as nn.Module, 2), 'encoderLayer', '"layer"'],
    ['decoder norm not a module', () => new nn.TransformerDecoder(new nn.TransformerDecoderLayer(4, 2), 1, { norm: 3 as unknown as nn.Module }), 'norm', '3'],
    ['custom encoder not a module', () => new nn.Transformer({ customEncoder: {} as nn.Module, dModel: 4, nhead: 2 }), 'customEncoder', '{}'],
    ['hardtanh bounds', () => new nn.Hardtanh({ minVal: 1, maxVal: 1 }), 'maxVal', 'greater than minVal=1'],
    ['unflatten sizes', () => new nn.Unflatten(1, 4 as unknown as number[]), 'unflattenedSize', '4'],
  ];
  for (const [name, fn, param, echo] of cases) {
    it(name, () => {
      const e = thrown(fn);
      expect(e.param).toBe(param);
      expect(e.message).toContain(echo);
      expect(e.message).toContain(param);
    });
  }
});
