// explain rows against hand-computed numbers (DQN MLP, a CNN, a Transformer) and a snapshot of the table.
import { describe, expect, it } from 'vitest';
import { explain } from '../../src/index.js';
import { renderCompare, renderExplain } from '../../src/cli/commands/explain.js';
import { build } from '../presets/helpers.js';

const row = (e: ReturnType<typeof explain>, name: string) => e.parameters.find((r) => r.name === name)!;

describe('explain', () => {
  it('DQN MLP under torch: nn.Linear(32, 64) is U(±1/√32), std 1/√(3·32), 0.58x LeCun, 0.41x He', () => {
    const e = explain(build('dqn', 0, 'meta'));
    const w = row(e, '2.weight');
    expect(w.shape).toEqual([64, 32]);
    expect([w.fanIn, w.fanOut]).toEqual([32, 64]);
    expect(w.init).toBe('kaiming_uniform_(a=√5)');
    expect(w.distribution).toBe('U(-b, b), b = 1/sqrt(fan_in) = 0.1768');
    expect(w.bound).toBeCloseTo(1 / Math.sqrt(32), 15);
    expect(w.std).toBeCloseTo(1 / Math.sqrt(3 * 32), 15);
    expect(w.vsLecun).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(w.vsHe).toBeCloseTo(1 / Math.sqrt(6), 12);
    expect(w.vsXavier).toBeCloseTo(1 / Math.sqrt(3 * 32) / Math.sqrt(2 / 96), 12);
    const b = row(e, '2.bias');
    expect([b.fanIn, b.vsHe]).toEqual([null, null]);
    expect(b.std).toBeCloseTo(1 / Math.sqrt(3 * 32), 15);
    expect(e.modules[0]!.note).toBe('kaiming_uniform_ with a=√5 gives std 1/sqrt(3·fan_in): 0.58x LeCun, 0.41x He; bias U(±1/sqrt(fan_in))');
    expect(e.totals.parameters).toBe(4 * 32 + 32 + 32 * 64 + 64 + 64 * 128 + 128 + 128 * 128 * 2 + 128 * 2 + 128 * 2 + 2);
  });

  it('DQN MLP under he and keras', () => {
    const he = row(explain(build('dqn', 0, 'meta'), { preset: 'he' }), '4.weight');
    expect(he.std).toBeCloseTo(Math.sqrt(2 / 64), 15);
    expect(he.vsHe).toBeCloseTo(1, 12);
    const k = row(explain(build('dqn', 0, 'meta'), { preset: 'keras' }), '4.weight');
    expect(k.bound).toBeCloseTo(Math.sqrt(6 / (64 + 128)), 15);
    expect(k.vsXavier).toBeCloseTo(1, 12);
    expect(row(explain(build('dqn', 0, 'meta'), { preset: 'keras' }), '4.bias').std).toBe(0);
  });

  it('CNN: grouped conv fans, depthwise, transposed conv quirk, BatchNorm buffers', () => {
    const e = explain(build('cnn', 0, 'meta'));
    const g = row(e, '3.weight'); // Conv2d(16, 32, 3, groups=4): weight [32, 4, 3, 3]
    expect([g.fanIn, g.fanOut]).toEqual([36, 288]);
    expect(g.bound).toBeCloseTo(1 / 6, 15);
    const dw = row(e, '5.weight'); // depthwise [32, 1, 3, 3]
    expect([dw.fanIn, dw.fanOut]).toEqual([9, 288]);
    const tr = row(e, '7.weight'); // ConvTranspose2d(32, 8, 4): weight [32, 8, 4, 4], fan_in = 8·16
    expect([tr.fanIn, tr.fanOut]).toEqual([128, 512]);
    expect(tr.bound).toBeCloseTo(1 / Math.sqrt(128), 15);
    const rv = row(e, '1.running_var');
    expect(rv.kind).toBe('buffer');
    expect(rv.summary).toBe('constant 1');
    expect(row(e, '1.num_batches_tracked').summary).toBe('constant 0');
    const keras = explain(build('cnn', 0, 'meta'), { preset: 'keras' });
    // Keras DepthwiseConv2D kernel (3, 3, 32, 1): fan_in = 32·9, fan_out = 1·9
    expect(row(keras, '5.weight').bound).toBeCloseTo(Math.sqrt(6 / (288 + 9)), 15);
    // Keras Conv2DTranspose kernel (4, 4, 8, 32): fan_in = 8·16, fan_out = 32·16 — the same as PyTorch's here
    expect(row(keras, '7.weight').bound).toBeCloseTo(Math.sqrt(6 / (128 + 512)), 15);
  });

  it('Transformer: stacked QKV xavier, out_proj Linear default with zero bias, LayerNorm 1/0', () => {
    const e = explain(build('transformer', 0, 'meta'));
    const qkv = row(e, 'encoder.layers.0.self_attn.in_proj_weight');
    expect(qkv.init).toBe('xavier_uniform_()');
    expect(qkv.bound).toBeCloseTo(Math.sqrt(6 / (32 + 96)), 15);
    expect(row(e, 'encoder.layers.0.self_attn.out_proj.weight').bound).toBeCloseTo(1 / Math.sqrt(32), 15);
    expect(row(e, 'encoder.layers.0.self_attn.out_proj.bias').summary).toBe('constant 0');
    expect(row(e, 'encoder.layers.1.norm2.weight').summary).toBe('constant 1');
    const emb = row(e, 'embed.weight');
    expect(emb.std).toBeCloseTo(Math.sqrt(99 / 100), 12); // N(0,1) with the padding row zeroed
    expect(e.modules.find((m) => m.module === 'TransformerEncoder')!.note).toMatch(/identical weights/);
  });

  it('works on a 59B-parameter (LLaMA-70B-sized layers) meta model instantly', async () => {
    const { fromSpec } = await import('../../src/index.js');
    const d = 8192;
    const layer = { type: 'TransformerEncoderLayer', kwargs: { d_model: d, nhead: 64, dim_feedforward: 28672, batch_first: true } };
    const spec = { type: 'Module', children: { embed: { type: 'Embedding', args: [32000, d] }, encoder: { type: 'TransformerEncoder', kwargs: { encoder_layer: layer, num_layers: 80 } } } };
    const t0 = performance.now();
    const e = explain(fromSpec(spec, { device: 'meta' }));
    // per layer: in_proj 3d²+3d, out_proj d²+d, linear1 d·ff+ff, linear2 ff·d+d, two LayerNorms 4d; plus the embedding
    const perLayer = 3 * d * d + 3 * d + d * d + d + d * 28672 + 28672 + 28672 * d + d + 4 * d;
    expect(e.totals.parameters).toBe(80 * perLayer + 32000 * d);
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('terminal table snapshot (no colour)', () => {
    expect(renderExplain(explain(build('dqn', 0, 'meta')), { color: false })).toMatchSnapshot();
    expect(renderExplain(explain(build('dqn', 0, 'meta'), { preset: 'he' }), { markdown: true })).toMatchSnapshot();
    const list = (['torch', 'keras', 'flax'] as const).map((p) => explain(build('dqn', 0, 'meta'), { preset: p }));
    expect(renderCompare(list, { color: false })).toMatchSnapshot();
  });
});
