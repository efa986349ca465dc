// Path streams: each parameter's values depend only on (seed, its path, its plan).
import { describe, expect, it } from 'vitest';
import { fromSpec, initialize } from '../../src/index.js';
import { Generator } from '../../src/rng/generator.js';

const layer = (i: number, o: number) => ({ type: 'Linear', args: [i, o] });
const net = (children: unknown) => fromSpec({ type: 'Module', children }, { generator: new Generator().manualSeed(0) });

describe('stream path', () => {
  it('adding, removing or reordering a layer leaves every other parameter unchanged', () => {
    const a = net({ fc1: layer(8, 16), fc2: layer(16, 4) });
    const b = net({ extra: layer(3, 3), fc2: layer(16, 4), fc1: layer(8, 16), more: layer(4, 4) });
    for (const preset of ['torch', 'keras', 'he'] as const) {
      initialize(a, { preset, seed: 42, stream: 'path' });
      initialize(b, { preset, seed: 42, stream: 'path' });
      for (const k of ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']) {
        expect(Array.from(b.getParameter(k).data), `${preset} ${k}`).toEqual(Array.from(a.getParameter(k).data));
      }
    }
  });

  it('sequential streams do shift when a layer is added (why path streams exist)', () => {
    const a = net({ fc1: layer(8, 16), fc2: layer(16, 4) });
    const b = net({ extra: layer(3, 3), fc1: layer(8, 16), fc2: layer(16, 4) });
    initialize(a, { seed: 42 });
    initialize(b, { seed: 42 });
    expect(Array.from(b.getParameter('fc1.weight').data)).not.toEqual(Array.from(a.getParameter('fc1.weight').data));
  });

  it('different seeds and different paths give different values; same inputs the same bytes', () => {
    const a = net({ fc1: layer(8, 16), fc2: layer(8, 16) });
    initialize(a, { seed: 1, stream: 'path' });
    expect(Array.from(a.getParameter('fc1.weight').data)).not.toEqual(Array.from(a.getParameter('fc2.weight').data));
    const first = Array.from(a.getParameter('fc1.weight').data);
    initialize(a, { seed: 2, stream: 'path' });
    expect(Array.from(a.getParameter('fc1.weight').data)).not.toEqual(first);
    initialize(a, { seed: 1, stream: 'path' });
    expect(Array.from(a.getParameter('fc1.weight').data)).toEqual(first);
  });

  it('path streams give each deep-copied transformer layer its own values, and say so', () => {
    const t = fromSpec({
      type: 'TransformerEncoder',
      kwargs: { encoder_layer: { type: 'TransformerEncoderLayer', kwargs: { d_model: 8, nhead: 2, dim_feedforward: 16 } }, num_layers: 2 },
    });
    const r = initialize(t, { seed: 0, stream: 'path' });
    expect(r.warnings.join()).toMatch(/own values/);
    expect(Array.from(t.getParameter('layers.0.linear1.weight').data)).not.toEqual(Array.from(t.getParameter('layers.1.linear1.weight').data));
    initialize(t, { seed: 0 });
    expect(Array.from(t.getParameter('layers.0.linear1.weight').data)).toEqual(Array.from(t.getParameter('layers.1.linear1.weight').data));
  });
});
