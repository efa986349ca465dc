// nn.Residual (initkit's residual container): registration like Sequential, the spec (array and named children,
// toSpec round trip), the one-skip-path rule, the forward graph, and the forward itself checked against a hand
// computation through the probe. Its PyTorch side (scripts/spec_to_torch.py) is checked in tests/oracle/probe.test.ts.
import { describe, expect, it } from 'vitest';
import { buildGraph, leaves } from '../../src/analysis/graph.js';
import { probe } from '../../src/analysis/probe.js';
import { InitError } from '../../src/errors.js';
import { ReLU } from '../../src/nn/activation.js';
import { Linear } from '../../src/nn/linear.js';
import { Residual } from '../../src/nn/residual.js';
import { CONTAINER_TYPES, describeSpecType, fromSpec, toSpec } from '../../src/nn/spec.js';
import * as nn from '../../src/nn/index.js';
import { Generator } from '../../src/rng/generator.js';
import { fromArray } from '../../src/tensor/tensor.js';

const BLOCK = {
  type: 'Residual',
  children: {
    conv1: { type: 'Conv2d', args: [4, 8, 3], kwargs: { stride: 2, padding: 1 } },
    relu: { type: 'ReLU' },
    conv2: { type: 'Conv2d', args: [8, 8, 3], kwargs: { padding: 1 } },
    downsample: { type: 'Conv2d', args: [4, 8, 1], kwargs: { stride: 2, bias: false } },
  },
};

describe('nn.Residual', () => {
  it('registers children like Sequential and has no parameters of its own', () => {
    const g = new Generator().manualSeed(0);
    const r = new Residual(new Linear(4, 4, { generator: g }), new ReLU(), new Linear(4, 4, { generator: g }));
    expect([...r.stateDict().keys()]).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(r._parameters.size).toBe(0);
    expect(r.length).toBe(3);
    expect([...r].length).toBe(3);
    expect(r.bodyModules().map(([k]) => k)).toEqual(['0', '1', '2']);
    expect(r.shortcutModule()).toBeNull();
    expect(r.toString()).toBe(
      'Residual(\n  (0): Linear(in_features=4, out_features=4, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=4, out_features=4, bias=True)\n)',
    );
    const named = new Residual({ fc: new Linear(4, 4), shortcut: new Linear(4, 4, { bias: false }) });
    expect(named.bodyModules().map(([k]) => k)).toEqual(['fc']);
    expect(named.shortcutModule()?.[0]).toBe('shortcut');
    expect([...new Residual([['a', new ReLU()]])._modules.keys()]).toEqual(['a']);
    expect([...new Residual(new Map([['b', new ReLU()]]))._modules.keys()]).toEqual(['b']);
  });

  it('is in the spec as a container, builds in document order, and round-trips through toSpec', () => {
    expect(CONTAINER_TYPES).toContain('Residual');
    expect(nn.SPEC_TYPES).toContain('Residual');
    expect(describeSpecType('Residual')).toBe('Residual(children)');
    const a = fromSpec(BLOCK, { generator: new Generator().manualSeed(1) });
    expect(a).toBeInstanceOf(Residual);
    expect([...a.stateDict().keys()]).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'downsample.weight']);
    expect(toSpec(a)).toEqual(BLOCK);
    const b = fromSpec(toSpec(a), { generator: new Generator().manualSeed(1) });
    for (const [k, t] of a.stateDict()) expect(Array.from(b.stateDict().get(k)!.data), k).toEqual(Array.from(t.data));
    // Document order: conv1 draws first, then conv2, then downsample (as three nn.Conv2d(...) calls in that order).
    const g = new Generator().manualSeed(1);
    const c1 = fromSpec(BLOCK.children.conv1, { generator: g });
    fromSpec(BLOCK.children.conv2, { generator: g });
    const d = fromSpec(BLOCK.children.downsample, { generator: g });
    expect(Array.from(a.stateDict().get('conv1.weight')!.data)).toEqual(Array.from(c1.stateDict().get('weight')!.data));
    expect(Array.from(a.stateDict().get('downsample.weight')!.data)).toEqual(Array.from(d.stateDict().get('weight')!.data));
    const arr = { type: 'Residual', children: [{ type: 'Linear', args: [3, 3] }, { type: 'Tanh' }] };
    expect(toSpec(fromSpec(arr))).toEqual(arr);
  });

  it('rejects two skip-path children (spec: at the JSON path; constructor: naming both)', () => {
    const spec = { type: 'Residual', children: { shortcut: { type: 'Identity' }, downsample: { type: 'Identity' } } };
    expect(() => fromSpec(spec)).toThrow('children.downsample: expected at most one skip-path child in a Residual (it already has "shortcut"), got "downsample". Keep one of "shortcut" and "downsample".');
    let e: unknown;
    try {
      new Residual({ shortcut: new ReLU(), downsample: new ReLU() });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(InitError);
    expect((e as InitError).message).toBe('Residual: expected at most one skip-path child (named "shortcut" or "downsample"), got "shortcut" and "downsample". Keep one of them; put the other in the body or in a Sequential on the skip path.');
    expect(() => new Residual({ a: 5 as never })).toThrow('Residual: expected a Module, got 5.');
    expect(() => new Residual([['a']] as never)).toThrow('Residual: expected a [name, module] pair, got ["a"].');
    expect(() => fromSpec({ type: 'Residual', children: { length: { type: 'ReLU' } } })).toThrow('expected a child name that is not an attribute of Residual');
    expect(() => fromSpec({ type: 'Residual', args: [1] })).toThrow('args: expected no "args" for Residual');
  });

  it('is a residual node of the forward graph: body first, then the shortcut', () => {
    const m = fromSpec({ type: 'Sequential', children: [BLOCK, { type: 'Flatten' }] });
    const g = buildGraph(m);
    expect(leaves(g).map((l) => l.name)).toEqual(['0.conv1', '0.relu', '0.conv2', '0.downsample', '1']);
    expect(g.kind === 'seq' && g.children[0]!.kind).toBe('residual');
  });

  it('computes shortcut(x) + body(x): checked by hand through the probe', () => {
    // body: Linear(2, 2) with W = [[1, 2], [3, 4]], b = [0.5, -1]; shortcut: identity; then an Identity to record the sum.
    const fc = new Linear(2, 2);
    fc.weight.copy_([1, 2, 3, 4]);
    fc.bias!.copy_([0.5, -1]);
    const model = new nn.Sequential(new Residual(fc), new nn.Identity());
    const x = fromArray([[1, 1], [2, -1]]);
    const r = probe(model, { input: x, generator: new Generator().manualSeed(0) });
    // y = x + x·Wᵀ + b = [[1 + 3.5, 1 + 6], [2 + 0.5, -1 + 1]] = [[4.5, 7], [2.5, 0]]
    const y = [4.5, 7, 2.5, 0];
    const mean = y.reduce((a, b) => a + b, 0) / 4;
    const std = Math.sqrt(y.reduce((a, b) => a + (b - mean) ** 2, 0) / 3);
    expect(r.layers.map((l) => l.name)).toEqual(['0.0', '1']);
    expect(r.layers[1]!.outputMean).toBe(mean);
    expect(r.layers[1]!.outputStd).toBeCloseTo(std, 12);
    expect(r.layers[1]!.outputMax).toBe(7);
    expect(r.layers[1]!.zeroFraction).toBe(0.25);
  });
});
