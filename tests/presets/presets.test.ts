// Each preset, for each layer it covers, checked statistically against its documented formula (the plan's
// closed-form std and bound): realized std within 6 standard errors (false-alarm rate < 1e-8 per check, fixed seed).
import { describe, expect, it } from 'vitest';
import { initialize, planModel, PRESETS, distStats } from '../../src/index.js';
import { siteTensor } from '../../src/presets/sites.js';
import { build, std } from './helpers.js';

const MODELS = ['dqn', 'cnn', 'transformer', 'lstm-lm', 'resnet-block'];

describe.each(PRESETS.map((p) => [p]))('preset %s', (preset) => {
  it.each(MODELS.map((m) => [m]))('on %s: every parameter matches its planned distribution', (name) => {
    const model = build(name, 1);
    initialize(model, { preset, seed: 7 });
    const plan = planModel(model, { preset });
    let checked = 0;
    for (const s of plan.sites) {
      if (s.site.kind !== 'parameter') continue;
      const t = siteTensor(s.site);
      const st = distStats(s.plan.dist, s.site.shape);
      if (s.plan.dist.kind === 'keep') continue;
      const d = t.data;
      if (st.std === 0) {
        // constants (possibly by rows): every value equals the planned one
        for (const x of d) expect(Math.abs(x - st.mean)).toBeLessThanOrEqual(Math.abs(st.mean) * 1e-7 + 1e-12);
        checked++;
        continue;
      }
      if (st.bound !== null) {
        let max = 0;
        for (const x of d) max = Math.max(max, Math.abs(x));
        expect(max, `${s.site.path} bound`).toBeLessThanOrEqual(Math.fround(st.bound) * (1 + 1e-6));
      }
      if (d.length >= 64 && s.plan.dist.kind !== 'orthogonal' && s.plan.dist.kind !== 'rows') {
        // standard error of a sample std ≈ σ·√((κ-1)/(4n)); κ <= 3 for these distributions
        const se = st.std * Math.sqrt(2 / (4 * d.length));
        expect(Math.abs(std(d) - st.std), `${s.site.path}: ${s.plan.init} ${s.plan.formula}`).toBeLessThan(6 * se + 1e-7);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('documented preset facts', () => {
  const m = build('lstm-lm', 0);
  it('keras: LSTM forget-gate bias 1 on bias_ih, 0 elsewhere; recurrent kernel orthogonal per Keras (4h x h columns orthonormal)', () => {
    initialize(m, { preset: 'keras', seed: 3 });
    const b = m.getParameter('lstm.bias_ih_l0').data;
    const h = 24;
    expect(Array.from(b.subarray(0, h)).every((x) => x === 0)).toBe(true);
    expect(Array.from(b.subarray(h, 2 * h)).every((x) => x === 1)).toBe(true);
    expect(Array.from(m.getParameter('lstm.bias_hh_l0').data).every((x) => x === 0)).toBe(true);
    const w = m.getParameter('lstm.weight_hh_l0'); // [96, 24]: columns orthonormal
    for (let i = 0; i < 24; i++) {
      for (let j = 0; j < 24; j++) {
        let dot = 0;
        for (let r = 0; r < 96; r++) dot += w.data[r * 24 + i]! * w.data[r * 24 + j]!;
        expect(Math.abs(dot - (i === j ? 1 : 0))).toBeLessThan(1e-5);
      }
    }
    const e = m.getParameter('embed.weight').data;
    expect(Math.max(...Array.from(e, Math.abs))).toBeLessThanOrEqual(0.05);
  });

  it('tfjs: LSTM unitForgetBias off (all biases 0); glorotNormal realized std 0.88x Glorot', () => {
    initialize(m, { preset: 'tfjs', seed: 3 });
    expect(Array.from(m.getParameter('lstm.bias_ih_l0').data).every((x) => x === 0)).toBe(true);
    const plan = planModel(m, { preset: 'tfjs' }).sites.find((s) => s.site.path === 'head.weight')!;
    const glorot = Math.sqrt(2 / (8 + 50));
    expect(distStats(plan.plan.dist, plan.site.shape).std / glorot).toBeCloseTo(0.8796256610342398, 6);
  });

  it('flax: Embed N(0, 1/features), lecun_normal realized std 1/sqrt(fan_in)', () => {
    const plan = planModel(m, { preset: 'flax' });
    const emb = plan.sites.find((s) => s.site.path === 'embed.weight')!;
    expect(distStats(emb.plan.dist, emb.site.shape).std).toBeCloseTo(1 / Math.sqrt(16), 12);
    const head = plan.sites.find((s) => s.site.path === 'head.weight')!;
    expect(distStats(head.plan.dist, head.site.shape).std).toBeCloseTo(1 / Math.sqrt(8), 9);
  });

  it('gpt2: residual projections 0.02/sqrt(2 n_layer), others 0.02, biases 0', () => {
    const t = build('transformer', 0, 'meta');
    const plan = planModel(t, { preset: 'gpt2' });
    const get = (p: string) => distStats(plan.sites.find((s) => s.site.path === p)!.plan.dist, [1]).std;
    expect(plan.context.nLayer).toBe(2);
    expect(get('encoder.layers.0.linear2.weight')).toBeCloseTo(0.02 / Math.sqrt(4), 15);
    expect(get('encoder.layers.1.self_attn.out_proj.weight')).toBeCloseTo(0.01, 15);
    expect(get('encoder.layers.0.linear1.weight')).toBe(0.02);
    expect(get('embed.weight')).toBeCloseTo(0.02 * Math.sqrt(99 / 100), 6); // padding row is 0
    const custom = planModel(t, { preset: 'gpt2', presetOptions: { nLayer: 12, initializerRange: 0.01 } });
    expect(distStats(custom.sites.find((s) => s.site.path === 'encoder.layers.0.linear2.weight')!.plan.dist, [1]).std).toBeCloseTo(0.01 / Math.sqrt(24), 15);
  });

  it('torchvision-resnet: kaiming_normal_ fan_out relu convs, BN 1/0, zero-init residual bn2', () => {
    const r = build('resnet-block', 0);
    initialize(r, { preset: 'torchvision-resnet', seed: 1, presetOptions: { zeroInitResidual: true } });
    expect(Array.from(r.getParameter('block.bn2.weight').data).every((x) => x === 0)).toBe(true);
    expect(Array.from(r.getParameter('block.bn1.weight').data).every((x) => x === 1)).toBe(true);
    const plan = planModel(r, { preset: 'torchvision-resnet' }).sites.find((s) => s.site.path === 'block.conv1.weight')!;
    expect(plan.plan.init).toBe("kaiming_normal_(mode='fan_out', nonlinearity='relu')");
    expect(distStats(plan.plan.dist, plan.site.shape).std).toBeCloseTo(Math.sqrt(2 / (8 * 9)), 12);
  });

  it('keras counts fans on the 3-D EinsumDense kernel for MultiheadAttention', () => {
    const t = build('transformer', 0, 'meta');
    const p = planModel(t, { preset: 'keras' }).sites.find((s) => s.site.path === 'encoder.layers.0.self_attn.in_proj_weight')!;
    // kernel (E, heads, head_dim) = (32, 4, 8): fan_in = 4·32, fan_out = 8·32
    expect(p.plan.fans).toEqual([128, 256]);
    expect(distStats(p.plan.dist, p.site.shape).std).toBeCloseTo(Math.sqrt(2 / (128 + 256)), 12);
  });
});
