// Structural tests of the Module tree: registration, PyTorch's traversal orders and names, state dicts (tied weights,
// persistent buffers), loadStateDict's reporting, to(dtype), deepCopy, repr of user modules, and every throw site.
import { describe, expect, it } from 'vitest';
import type { Tensor} from '../../src/index.js';
import { type Generator, fromArray, nn, ones, zeros } from '../../src/index.js';
import { thrown } from '../helpers/errors.js';
import { gen } from './helpers.js';

class Net extends nn.Module {
  declare fc1: nn.Linear;
  declare act: nn.ReLU;
  declare fc2: nn.Linear;
  declare scale: nn.Parameter;
  constructor(g: Generator) {
    super();
    this.registerParameter('scale', ones([1]));
    this.registerModule('fc1', new nn.Linear(4, 8, { generator: g }));
    this.registerModule('act', new nn.ReLU());
    this.registerModule('fc2', new nn.Linear(8, 2, { generator: g }));
    this.registerBuffer('steps', zeros([]));
    this.registerBuffer('cache', zeros([3]), { persistent: false });
  }
}

describe('Module registration and attribute access', () => {
  it('registered names become properties, reads and writes go through the registry', () => {
    const net = new Net(gen());
    expect(net.fc1).toBeInstanceOf(nn.Linear);
    expect(net.scale).toBeInstanceOf(nn.Parameter);
    const w = new nn.Parameter(zeros([8, 4]));
    net.fc1.weight = w;
    expect(net.fc1.namedParameters()[0]![1]).toBe(w);
    net.fc2.bias = null;
    expect(net.fc2.namedParameters().map(([n]) => n)).toEqual(['weight']);
  });

  it('registerParameter wraps a plain Tensor in a Parameter sharing its storage', () => {
    const m = new nn.Module();
    const t = zeros([2]);
    m.registerParameter('p', t);
    const p = m.namedParameters()[0]![1];
    expect(p).toBeInstanceOf(nn.Parameter);
    expect(p.requiresGrad).toBe(true);
    t.fill_(3);
    expect(p.get(0)).toBe(3);
  });

  it('rejects names with dots, empty names and names already used', () => {
    const m = new nn.Module();
    let e = thrown(() => m.registerParameter('a.b', zeros([1])));
    expect(e.message).toContain('a name without "."');
    expect(e.message).toContain('"a.b"');
    e = thrown(() => m.registerModule('', new nn.ReLU()));
    expect(e.message).toContain('non-empty name');
    e = thrown(() => m.registerBuffer('apply', zeros([1])));
    expect(e.message).toContain('"apply"');
    m.registerModule('x', new nn.ReLU());
    e = thrown(() => m.registerParameter('x', zeros([1])));
    expect(e.message).toContain('an existing member');
    e = thrown(() => m.registerParameter(42 as unknown as string, zeros([1])));
    expect(e.param).toBe('name');
  });

  it('rejects wrong member types on registration and assignment', () => {
    const m = new nn.Module();
    expect(thrown(() => m.registerParameter('p', [1, 2] as unknown as Tensor)).code).toBe('NOT_A_TENSOR');
    expect(thrown(() => m.registerBuffer('b', 3 as unknown as Tensor)).code).toBe('NOT_A_TENSOR');
    expect(thrown(() => m.registerModule('c', {} as unknown as nn.Module)).message).toContain('a Module or null');
    const lin = new nn.Linear(2, 2, { generator: gen() });
    expect(thrown(() => ((lin as unknown as { weight: unknown }).weight = zeros([2, 2]))).message).toContain('a Parameter or null');
    const bn = new nn.BatchNorm1d(2);
    expect(thrown(() => ((bn as unknown as Record<string, unknown>)['running_mean'] = 'x')).message).toContain('a Tensor or null');
    const seq = new nn.Sequential(new nn.ReLU());
    expect(thrown(() => ((seq as unknown as Record<string, unknown>)['0'] = 1)).message).toContain('a Module or null');
  });
});

describe("PyTorch's traversal orders", () => {
  it('namedParameters, namedBuffers, namedModules, namedChildren, stateDict', () => {
    const net = new Net(gen());
    expect(net.namedParameters().map(([n]) => n)).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(net.namedParameters({ recurse: false }).map(([n]) => n)).toEqual(['scale']);
    expect(net.namedParameters({ prefix: 'net' }).map(([n]) => n)[1]).toBe('net.fc1.weight');
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['steps', 'cache']);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', 'fc1', 'act', 'fc2']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'fc2']);
    expect(net.children()).toHaveLength(3);
    expect(net.modules()).toHaveLength(4);
    expect(net.parameters()).toHaveLength(5);
    expect(net.buffers()).toHaveLength(2);
    // state_dict: own params, then persistent buffers, then children; non-persistent buffers are left out.
    expect([...net.stateDict().keys()]).toEqual(['scale', 'steps', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect([...net.stateDict({ prefix: 'm.' }).keys()][0]).toBe('m.scale');
  });

  it('tied weights: named_parameters once, state_dict under both keys (as PyTorch)', () => {
    const g = gen();
    const emb = new nn.Embedding(10, 4, { generator: g });
    const head = new nn.Linear(4, 10, { bias: false, generator: g });
    head.weight = emb.weight;
    const lm = new nn.Sequential(new Map([['emb', emb as nn.Module], ['head', head]]));
    expect(lm.namedParameters().map(([n]) => n)).toEqual(['emb.weight']);
    expect([...lm.stateDict().keys()]).toEqual(['emb.weight', 'head.weight']);
    expect(lm.numParameters()).toBe(40);
  });

  it('shared modules appear once in namedModules and children, unless removeDuplicate is false', () => {
    const l = new nn.Linear(2, 2, { generator: gen() });
    const net = new nn.Sequential(l, l);
    expect(net.namedModules().map(([n]) => n)).toEqual(['', '0']);
    expect(net.namedModules({ removeDuplicate: false }).map(([n]) => n)).toEqual(['', '0', '1']);
    expect(net.children()).toHaveLength(1);
    expect([...net.stateDict().keys()]).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
  });

  it('apply visits children first, then the module itself (post-order)', () => {
    const net = new nn.Sequential(new nn.Sequential(new nn.ReLU(), new nn.Tanh()), new nn.Sigmoid());
    const seen: string[] = [];
    const names = new Map(net.namedModules().map(([n, m]) => [m, n]));
    expect(net.apply((m) => seen.push(names.get(m)!))).toBe(net);
    expect(seen).toEqual(['0.0', '0.1', '0', '1', '']);
  });

  it('getSubmodule and getParameter follow dotted paths and name what is missing', () => {
    const enc = nn.fromSpec({ type: 'TransformerEncoder', args: [{ type: 'TransformerEncoderLayer', args: [4, 2, 8] }, 2] }, { generator: gen() });
    expect(enc.getSubmodule('layers.1.self_attn.out_proj')).toBeInstanceOf(nn.NonDynamicallyQuantizableLinear);
    expect(enc.getSubmodule('')).toBe(enc);
    expect(enc.getParameter('layers.0.linear1.weight').shape).toEqual([8, 4]);
    const e = thrown(() => enc.getSubmodule('layers.7'));
    expect(e.message).toContain('"layers.7"');
    expect(e.message).toContain('ModuleList');
    expect(thrown(() => enc.getParameter('layers.0.linear1.nope')).message).toContain('"layers.0.linear1.nope"');
  });
});

describe('loadStateDict', () => {
  it('round-trips a state dict (values copied, converted to the module dtype)', () => {
    const a = new Net(gen(1));
    const b = new Net(gen(2));
    const r = b.loadStateDict(a.stateDict());
    expect(r).toEqual({ missingKeys: [], unexpectedKeys: [], mismatchedKeys: [] });
    expect(Array.from(b.fc2.weight.data)).toEqual(Array.from(a.fc2.weight.data));
    const c = new Net(gen(3)).to('float64');
    c.loadStateDict(Object.fromEntries(a.stateDict()));
    expect(c.fc1.weight.dtype).toBe('float64');
    expect(c.fc1.weight.get(0, 0)).toBe(a.fc1.weight.get(0, 0));
  });

  it('strict: missing and unexpected keys are an error listing them; non-strict returns them', () => {
    const net = new Net(gen());
    const sd = net.stateDict();
    sd.delete('fc2.bias');
    sd.set('extra.weight', zeros([1]));
    const e = thrown(() => net.loadStateDict(sd));
    expect(e.code).toBe('INVALID_STATE');
    expect(e.message).toContain('missing keys "fc2.bias"');
    expect(e.message).toContain('unexpected keys "extra.weight"');
    const r = net.loadStateDict(sd, { strict: false });
    expect(r.missingKeys).toEqual(['fc2.bias']);
    expect(r.unexpectedKeys).toEqual(['extra.weight']);
  });

  it('shape mismatches are an error even when not strict (as PyTorch)', () => {
    const net = new Net(gen());
    const e = thrown(() => net.loadStateDict([['fc1.weight', zeros([3, 3])]], { strict: false }));
    expect(e.code).toBe('SHAPE_MISMATCH');
    expect(e.message).toContain('fc1.weight: checkpoint shape [3, 3], model shape [8, 4]');
  });

  it('rejects non-tensor values', () => {
    const e = thrown(() => new Net(gen()).loadStateDict({ scale: [1] as unknown as Tensor }, { strict: false }));
    expect(e.code).toBe('NOT_A_TENSOR');
    expect(e.message).toContain('"scale"');
  });

  it('assign replaces the tensors: how a meta model is materialized', () => {
    const real = new Net(gen(5));
    const planned = nn.meta(() => new Net(gen(6)));
    expect(planned.fc1.weight.isMeta).toBe(true);
    planned.loadStateDict(real.stateDict(), { assign: true });
    expect(planned.fc1.weight.isMeta).toBe(false);
    expect(planned.fc1.weight.get(1, 2)).toBe(real.fc1.weight.get(1, 2));
    expect(planned.fc1.weight).toBeInstanceOf(nn.Parameter);
  });
});

describe('bookkeeping', () => {
  it('numParameters counts shared parameters once; trainableOnly honours requiresGrad', () => {
    const net = new Net(gen());
    expect(net.numParameters()).toBe(1 + 4 * 8 + 8 + 8 * 2 + 2);
    net.fc1.requiresGrad_(false);
    expect(net.numParameters({ trainableOnly: true })).toBe(1 + 8 * 2 + 2);
  });

  it('train / eval set the flag on the whole tree', () => {
    const net = new Net(gen());
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.fc2.training).toBe(true);
    expect(thrown(() => net.train('yes' as unknown as boolean)).param).toBe('mode');
  });

  it('to(dtype) converts floating parameters and buffers, keeps int64 buffers, rounds to nearest even', () => {
    const bn = new nn.BatchNorm1d(3);
    const lin = new nn.Linear(3, 2, { generator: gen() });
    const m = new nn.Sequential(lin, bn);
    const before = Array.from(lin.weight.data);
    m.to('bfloat16');
    expect(lin.weight.dtype).toBe('bfloat16');
    expect(lin.weight).toBeInstanceOf(nn.Parameter);
    expect((m.stateDict().get('1.num_batches_tracked') as Tensor).dtype).toBe('int64');
    expect(Array.from(lin.weight.data)).toEqual(Array.from(fromArray(before).to('bfloat16').data));
    expect(thrown(() => m.to('int64')).code).toBe('INVALID_DTYPE');
  });

  it('deepCopy copies every tensor, keeps sharing inside the tree, draws nothing', () => {
    const g = gen();
    const emb = new nn.Embedding(5, 3, { generator: g });
    const head = new nn.Linear(3, 5, { bias: false, generator: g });
    head.weight = emb.weight;
    const m = new nn.ModuleDict({ emb, head });
    const state = g.getState();
    const c = m.deepCopy();
    expect(g.getState()).toEqual(state);
    const ce = c.get('emb') as nn.Embedding;
    const ch = c.get('head') as nn.Linear;
    expect(ce).not.toBe(emb);
    expect(ce.weight).not.toBe(emb.weight);
    expect(ch.weight).toBe(ce.weight);
    expect(Array.from(ce.weight.data)).toEqual(Array.from(emb.weight.data));
    ce.weight.fill_(0);
    expect(emb.weight.data.some((x) => x !== 0)).toBe(true);
    expect(ce.toString()).toBe(emb.toString());
  });

  it('toString of a user module prints its class name, children and none for absent ones', () => {
    const net = new Net(gen());
    net.registerModule('extra', null);
    expect(net.toString()).toBe(
      [
        'Net(',
        '  (fc1): Linear(in_features=4, out_features=8, bias=True)',
        '  (act): ReLU()',
        '  (fc2): Linear(in_features=8, out_features=2, bias=True)',
        '  (extra): None',
        ')',
      ].join('\n'),
    );
    expect(new nn.Module().toString()).toBe('Module()');
  });

  it('Parameter prints as PyTorch does and clones to a Parameter', () => {
    const p = new nn.Parameter(fromArray([1, 2]), false);
    expect(p.toString().startsWith('Parameter containing:\ntensor(')).toBe(true);
    const c = p.clone();
    expect(c).toBeInstanceOf(nn.Parameter);
    expect(c.requiresGrad).toBe(false);
    expect(p.requiresGrad_().requiresGrad).toBe(true);
    expect(thrown(() => new nn.Parameter([1] as unknown as Tensor)).code).toBe('NOT_A_TENSOR');
  });

  it('resetParameters on containers re-runs each child in order (same draws as construction here)', () => {
    const g = gen(7);
    const net = new nn.Sequential(new nn.Linear(3, 4, { generator: g }), new nn.Conv1d(2, 2, 3, { generator: g }));
    const first = net.stateDict();
    const snapshot = [...first.values()].map((t) => Array.from(t.data));
    g.manualSeed(7);
    net.resetParameters({ generator: g });
    expect([...net.stateDict().values()].map((t) => Array.from(t.data))).toEqual(snapshot);
  });
});
