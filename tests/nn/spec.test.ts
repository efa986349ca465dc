// The JSON model spec: fromSpec/toSpec round trips (property tests), construction order, the children forms, and one
// test per error branch (each names the JSON path and echoes the value; all are InitError SPEC_ERROR, never a crash).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InitError, nn } from '../../src/index.js';
import { randomModel } from './random-specs.js';
import { gen, tensorBits } from './helpers.js';

function bitsOf(m: nn.Module): [string, string, string[]][] {
  return [...m.stateDict()].map(([k, t]) => [k, t.dtype, tensorBits(t)]);
}

function specError(spec: unknown, options: nn.FromSpecOptions = {}): InitError {
  try {
    nn.fromSpec(spec, options);
  } catch (e) {
    if (e instanceof InitError) {
      expect(e.code, e.message).toBe('SPEC_ERROR');
      return e;
    }
    throw e;
  }
  throw new Error('expected a SPEC_ERROR');
}

const PROPERTY_RUNS = 60;

describe('round trips (property tests; fast-check prints the seed to replay)', () => {
  it('fromSpec(toSpec(m)) rebuilds the same model: same values from the same seed, same repr', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: -1000, max: 1000 }), (modelSeed, seed) => {
        const spec = randomModel(modelSeed);
        const m = nn.fromSpec(spec, { generator: gen(seed) });
        const again = nn.fromSpec(nn.toSpec(m), { generator: gen(seed) });
        expect(bitsOf(again)).toEqual(bitsOf(m));
        expect(again.toString()).toBe(m.toString());
        expect(nn.toSpec(again)).toEqual(nn.toSpec(m));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('toSpec survives JSON (what the CLI and scripts/spec_to_torch.py exchange)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed) => {
        const m = nn.fromSpec(randomModel(modelSeed), { generator: gen(1) });
        const text = JSON.stringify(nn.toSpec(m));
        const back = nn.fromSpec(text, { generator: gen(1) });
        expect(bitsOf(back)).toEqual(bitsOf(m));
      }),
      { numRuns: PROPERTY_RUNS },
    );
  });

  it('the same spec and seed always give the same bits; a different seed different ones', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed) => {
        const spec = randomModel(modelSeed);
        const a = nn.fromSpec(spec, { generator: gen(5) });
        expect(bitsOf(nn.fromSpec(spec, { generator: gen(5) }))).toEqual(bitsOf(a));
      }),
      { numRuns: 30 },
    );
  });

  it('shareCopies builds the same values (layer copies share storage; Transformer still copies)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed) => {
        const spec = randomModel(modelSeed);
        const copied = nn.fromSpec(spec, { generator: gen(4) });
        const shared = nn.fromSpec(spec, { generator: gen(4), shareCopies: true });
        expect(bitsOf(shared)).toEqual(bitsOf(copied));
      }),
      { numRuns: PROPERTY_RUNS },
    );
    const enc = { type: 'TransformerEncoder', args: [{ type: 'TransformerEncoderLayer', args: [4, 2, 8] }, 3] };
    const shared = nn.fromSpec(enc, { generator: gen(), shareCopies: true });
    expect(shared.getParameter('layers.0.linear1.weight').data).toBe(shared.getParameter('layers.2.linear1.weight').data);
    expect(shared.numParameters()).toBe(nn.fromSpec(enc, { generator: gen() }).numParameters());
    // A TransformerEncoder passed to a Transformer is rewritten by its xavier pass: it must own its storage.
    const custom = { type: 'Transformer', kwargs: { d_model: 4, nhead: 2, num_decoder_layers: 1, dim_feedforward: 8, custom_encoder: enc } };
    const a = nn.fromSpec(custom, { generator: gen(), shareCopies: true });
    expect(bitsOf(a)).toEqual(bitsOf(nn.fromSpec(custom, { generator: gen() })));
    expect(a.getParameter('encoder.layers.0.linear1.weight').data).not.toBe(a.getParameter('encoder.layers.1.linear1.weight').data);
  });

  it('meta builds have the same structure and parameter count, and draw nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (modelSeed) => {
        const spec = randomModel(modelSeed);
        const real = nn.fromSpec(spec, { generator: gen(2) });
        const g = gen(2);
        const before = g.getState();
        const planned = nn.fromSpec(spec, { generator: g, device: 'meta' });
        expect(g.getState()).toEqual(before);
        expect(planned.numParameters()).toBe(real.numParameters());
        expect([...planned.stateDict()].map(([k, t]) => [k, t.shape])).toEqual([...real.stateDict()].map(([k, t]) => [k, t.shape]));
        expect(planned.toString()).toBe(real.toString());
      }),
      { numRuns: 30 },
    );
  });
});

describe('spec forms and construction order', () => {
  it('children before their container, arguments before the call (Python evaluation order)', () => {
    // TransformerEncoder(encoder_layer=Layer(...), num_layers=2, norm=LayerNorm(4)) draws Layer's parameters once.
    const g = gen(0);
    const enc = nn.fromSpec({ type: 'TransformerEncoder', kwargs: { encoder_layer: { type: 'TransformerEncoderLayer', args: [4, 2, 8] }, num_layers: 2 } }, { generator: g });
    const layer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, generator: gen(0) });
    expect(bitsOf(enc.getSubmodule('layers.1'))).toEqual(bitsOf(layer));
    expect(bitsOf(enc.getSubmodule('layers.0'))).toEqual(bitsOf(layer));
  });

  it('Sequential: array, object (OrderedDict) and [name, node] pairs; ModuleDict; Module', () => {
    const a = nn.fromSpec({ type: 'Sequential', children: { fc: { type: 'Linear', args: [2, 2] }, act: { type: 'ReLU' } } }, { generator: gen() });
    const b = nn.fromSpec({ type: 'Sequential', children: [['fc', { type: 'Linear', args: [2, 2] }], ['act', { type: 'ReLU' }]] }, { generator: gen() });
    expect(bitsOf(a)).toEqual(bitsOf(b));
    expect(a.namedChildren().map(([n]) => n)).toEqual(['fc', 'act']);
    expect(nn.toSpec(a)).toEqual({ type: 'Sequential', children: { fc: { type: 'Linear', args: [2, 2] }, act: { type: 'ReLU' } } });
    const d = nn.fromSpec({ type: 'ModuleDict', children: [['1', { type: 'ReLU' }], ['0', { type: 'Tanh' }]] });
    expect(d.namedChildren().map(([n]) => n)).toEqual(['1', '0']);
    expect(nn.toSpec(d)).toEqual({ type: 'ModuleDict', children: [['1', { type: 'ReLU' }], ['0', { type: 'Tanh' }]] });
    expect(nn.fromSpec({ type: 'Module' }).toString()).toBe('Module()');
    expect(nn.toSpec(new nn.Sequential())).toEqual({ type: 'Sequential', children: [] });
  });

  it('fromSpec options: JSON text, default dtype, dtype aliases', () => {
    const m = nn.fromSpec('{"type": "Linear", "args": [2, 3]}', { dtype: 'float64', generator: gen() });
    expect((m as nn.Linear).weight.dtype).toBe('float64');
    const h = nn.fromSpec({ type: 'LayerNorm', args: [3], kwargs: { dtype: 'torch.half' } });
    expect((h as nn.LayerNorm).weight!.dtype).toBe('float16');
    expect(nn.toSpec(h)).toEqual({ type: 'LayerNorm', args: [3], kwargs: { dtype: 'float16' } });
  });

  it('toSpec writes user modules as "Module" and refuses modules with their own tensors', () => {
    class Head extends nn.Module {
      constructor() {
        super();
        this.registerModule('proj', new nn.Linear(2, 2, { generator: gen() }));
      }
    }
    expect(nn.toSpec(new Head())).toEqual({ type: 'Module', children: { proj: { type: 'Linear', args: [2, 2] } } });
    const own = new nn.Module();
    own.registerBuffer('table', new nn.Parameter(new nn.Linear(1, 1).weight));
    let e: InitError | undefined;
    try {
      nn.toSpec(own);
    } catch (x) {
      e = x as InitError;
    }
    expect(e?.code).toBe('UNSUPPORTED');
    expect(e?.message).toContain('table');
    expect(() => nn.toSpec(3 as unknown as nn.Module)).toThrow(/toSpec: expected a Module, got 3/);
  });

  it('describeSpecType and SPEC_TYPES', () => {
    expect(nn.describeSpecType('Embedding')).toBe(
      'Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False, device=None, dtype=None)',
    );
    expect(nn.describeSpecType('ModuleList')).toBe('ModuleList(children)');
    expect(nn.SPEC_TYPES).toContain('TransformerDecoderLayer');
    expect(() => nn.describeSpecType('Nope')).toThrow(/"Nope"/);
  });
});

describe('spec errors: one per branch, each naming the JSON path', () => {
  const cases: [string, unknown, string, nn.FromSpecOptions?][] = [
    ['invalid JSON text', '{"type": "Linear",', 'spec: expected valid JSON, got a syntax error'],
    ['node is not an object', [1, 2], 'spec: expected a spec node'],
    ['unknown node key', { type: 'ReLU', kwarg: {} }, 'kwarg: expected one of the node keys'],
    ['type missing', { args: [1] }, 'type: expected a PyTorch class name string'],
    ['unknown type with suggestions', { type: 'Linera' }, 'type: expected a torch.nn class name that initkit supports, got "Linera". Did you mean "Linear"'],
    ['unknown type without suggestions', { type: 'Zzzzzzzzzz' }, 'See docs/SPEC.md'],
    ['children on a layer', { type: 'Linear', args: [1, 1], children: [] }, 'children: expected no "children" for Linear'],
    ['args not an array', { type: 'Linear', args: { a: 1 } }, 'args: expected an array of positional arguments'],
    ['kwargs not an object', { type: 'Linear', args: [1, 2], kwargs: [true] }, 'kwargs: expected an object of keyword arguments'],
    ['too many positional args', { type: 'Linear', args: [1, 2, true, null, null, 7] }, 'args: expected at most 5 positional arguments for Linear(in_features, out_features, bias=True, device=None, dtype=None), got 6.'],
    ['positional-only limit with a fix', { type: 'RNN', args: [1, 2, 1, 'tanh'] }, 'Pass bias, batch_first, dropout, bidirectional, nonlinearity in "kwargs"'],
    ['wrong value kind, positional', { type: 'Sequential', children: [{ type: 'Linear', args: [1, 'two'] }] }, 'children[0].args[1]: expected an integer >= 0, got "two"'],
    ['wrong value kind, keyword', { type: 'Conv2d', args: [1, 1, 3], kwargs: { stride: [1, 2, 3] } }, 'kwargs.stride: expected an integer >= 1 or an array of 2 of them, got [1, 2, 3]'],
    ['bad dtype', { type: 'Linear', args: [1, 1], kwargs: { dtype: 'int8' } }, "kwargs.dtype: expected one of 'float32', 'float64', 'float16', 'bfloat16'"],
    ['unknown keyword with a close match', { type: 'Embedding', args: [3, 2], kwargs: { paddin_idx: 0 } }, 'kwargs.paddin_idx: expected a keyword argument of Embedding('],
    ['unknown keyword without a match', { type: 'ReLU', kwargs: { zzzzzz: 1 } }, 'kwargs.zzzzzz: expected a keyword argument of ReLU(inplace=False)'],
    ['argument given twice', { type: 'Linear', args: [1, 2], kwargs: { out_features: 3 } }, "kwargs.out_features: expected each argument given once (Linear got multiple values for argument 'out_features')"],
    ['required argument missing', { type: 'Linear', kwargs: { in_features: 2 } }, "spec: expected the required argument 'out_features' of Linear(in_features, out_features, bias=True, device=None, dtype=None), got 0 positional arguments and kwargs in_features"],
    ['module argument is not a node', { type: 'TransformerEncoder', args: ['layer', 2] }, 'args[0]: expected a nested spec node'],
    ['activation is neither a name nor a node', { type: 'TransformerEncoderLayer', args: [4, 2], kwargs: { activation: 3 } }, 'kwargs.activation: expected "relu", "gelu" or a nested spec node, got 3'],
    ['semantic error at the argument (the issue example)', { type: 'Sequential', children: [{ type: 'Linear', args: [1, 2] }, { type: 'ReLU' }, { type: 'Embedding', args: [10, 3], kwargs: { padding_idx: 12 } }] }, 'children[2].kwargs.padding_idx: expected an integer in [-10, 10) for num_embeddings=10, got 12.'],
    ['semantic error on a positional argument', { type: 'Conv1d', args: [3, 4, 3], kwargs: { groups: 2 } }, 'args[0]: expected a multiple of groups=2, got 3.'],
    ['semantic error on a string activation', { type: 'TransformerEncoderLayer', args: [4, 2], kwargs: { activation: 'tanh' } }, `kwargs.activation: expected 'relu', 'gelu' or a module`],
    ['semantic error on a defaulted argument', { type: 'LSTM', args: [3, 0] }, 'args[1]: expected an integer >= 1'],
    ['nested path', { type: 'Module', children: { enc: { type: 'TransformerEncoder', kwargs: { encoder_layer: { type: 'TransformerEncoderLayer', args: [6, 4] }, num_layers: 1 } } } }, 'children.enc.kwargs.encoder_layer.args[0]: expected a multiple of nhead=4, got 6.'],
    ['error from a sub-module keeps its origin', { type: 'Transformer', kwargs: { d_model: 4, nhead: 2, norm_first: true, layer_norm_eps: 'x' } }, 'kwargs.layer_norm_eps: expected a finite number, got "x"'],
    ['absurd repeat counts hit the member budget', { type: 'LSTM', args: [2, 2], kwargs: { num_layers: 1e9 } }, 'spec: expected fromSpec: a model with at most 1000000 modules, parameters and buffers', { device: 'meta' }],
    ['absurd layer copies hit the member budget', { type: 'TransformerEncoder', args: [{ type: 'TransformerEncoderLayer', args: [2, 1, 2] }, 1e8] }, 'a model with at most 1000000 modules', { device: 'meta' }],
    ['too large to allocate', { type: 'Linear', args: [2 ** 26, 2 ** 26] }, 'spec: expected a Linear whose parameters fit in memory'],
    ['malformed [name, node] pair', { type: 'ModuleDict', children: [['a', { type: 'ReLU' }], ['b']] }, 'children[1]: expected a [name, node] pair'],
    ['named children for ModuleList', { type: 'ModuleList', children: { a: { type: 'ReLU' } } }, 'children: expected an array of nodes for ModuleList'],
    ['integer-like keys in an object', { type: 'ModuleDict', children: { b: { type: 'ReLU' }, 10: { type: 'Tanh' } } }, 'children: expected names that are not integers in an object'],
    ['children of the wrong type', { type: 'Module', children: 5 }, 'children: expected an object of named nodes'],
    ['ModuleList children of the wrong type', { type: 'ModuleList', children: 'x' }, 'children: expected an array of nodes, got "x"'],
    ['args on a container', { type: 'Sequential', args: [1] }, 'args: expected no "args" for Sequential'],
    ['child name with a dot', { type: 'Module', children: { 'a.b': { type: 'ReLU' } } }, 'children["a.b"]: expected a child name without "."'],
    ['duplicate child names', { type: 'ModuleDict', children: [['a', { type: 'ReLU' }], ['a', { type: 'Tanh' }]] }, 'children[1][1]: expected unique child names, got "a"'],
    ['child name taken by a method', { type: 'ModuleDict', children: { keys: { type: 'ReLU' } } }, 'children.keys: expected a child name that is not an attribute of ModuleDict, got "keys"'],
    ['nested node errors keep their path', { type: 'Sequential', children: [{ type: 'ReLU' }, { type: 'Sequential', children: [{ type: 'Lineaar' }] }] }, 'children[1].children[0].type'],
    ['fromSpec device option', { type: 'ReLU' }, "fromSpec: expected device to be 'cpu' or 'meta'", { device: 'cuda' as 'cpu' }],
    ['fromSpec dtype option', { type: 'ReLU' }, 'fromSpec: expected a floating dtype', { dtype: 'int64' }],
  ];
  for (const [name, spec, message, options] of cases) {
    it(name, () => {
      const e = specError(spec, options);
      expect(e.message).toContain(message);
      expect(e.message).not.toMatch(/\n\s+at /);
    });
  }

  it('every error is an InitError: random corruptions of valid specs never crash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 10_000 }), (modelSeed, which) => {
        const spec = JSON.parse(JSON.stringify(randomModel(modelSeed))) as unknown;
        // Replace one value somewhere in the tree with something wrong.
        const slots: [Record<string, unknown> | unknown[], string | number][] = [];
        const walk = (v: unknown): void => {
          if (Array.isArray(v)) {
            v.forEach((x, i) => {
              slots.push([v, i]);
              walk(x);
            });
          } else if (v !== null && typeof v === 'object') {
            for (const [k, x] of Object.entries(v)) {
              slots.push([v as Record<string, unknown>, k]);
              walk(x);
            }
          }
        };
        walk(spec);
        const bad = [-1, 1.5, 'x', null, true, [], {}, 1e9, { type: 'Nope' }][which % 9];
        const [obj, key] = slots[which % slots.length]!;
        (obj as Record<string | number, unknown>)[key] = bad;
        try {
          nn.fromSpec(spec, { generator: gen(), device: 'meta' });
        } catch (e) {
          expect(e).toBeInstanceOf(InitError);
          expect((e as InitError).code).toBe('SPEC_ERROR');
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('docs/SPEC.md', () => {
  it('every JSON example builds (on the meta device) and survives toSpec', () => {
    const text = readFileSync(new URL('../../docs/SPEC.md', import.meta.url), 'utf8');
    const blocks = [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(6);
    for (const b of blocks) {
      const m = nn.fromSpec(b, { device: 'meta' });
      expect(nn.fromSpec(nn.toSpec(m), { device: 'meta' }).toString()).toBe(m.toString());
    }
  });
});
