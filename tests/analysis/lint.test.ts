// lint finds each trap in a model built to contain it and stays silent on a clean one.
import { describe, expect, it } from 'vitest';
import { fromSpec, lint } from '../../src/index.js';
import { Generator } from '../../src/rng/generator.js';
import { build } from '../presets/helpers.js';

const codes = (r: ReturnType<typeof lint>) => r.findings.map((f) => f.code);

describe('lint', () => {
  it('is silent on a clean model (small MLP under the he preset)', () => {
    const m = fromSpec({ type: 'Sequential', children: [{ type: 'Linear', args: [8, 16] }, { type: 'ReLU' }, { type: 'Linear', args: [16, 4] }] });
    const r = lint(m, { preset: 'he' });
    expect(r.findings).toEqual([]);
    expect(r.errors + r.warnings + r.infos).toBe(0);
  });

  it('deep ReLU stack under the PyTorch default (x1/6 per layer)', () => {
    const r = lint(build('dqn', 0, 'meta'));
    const f = r.findings.find((x) => x.code === 'deep-relu-default')!;
    expect(f.message).toMatch(/5 Linear\/Conv \+ ReLU layers.*×0\.167 per layer/);
    expect(lint(build('dqn', 0, 'meta'), { preset: 'he' }).findings.map((x) => x.code)).not.toContain('deep-relu-default');
    const deep = fromSpec({ type: 'Sequential', children: Array.from({ length: 24 }, (_, i) => (i % 2 ? { type: 'ReLU' } : { type: 'Linear', args: [64, 64] })) }, { device: 'meta' });
    expect(lint(deep).findings.find((x) => x.code === 'deep-relu-default')!.severity).toBe('error');
  });

  it('deep-copied identical transformer layers (structurally on meta, and by value when materialized)', () => {
    expect(codes(lint(build('transformer', 0, 'meta')))).toContain('identical-layers');
    expect(codes(lint(build('transformer', 0, 'meta'), { preset: 'keras' }))).not.toContain('identical-layers');
    const rules = { rules: [{ match: { path: 'encoder.layers.*.linear1.weight' }, init: 'normal_', args: { std: 0.02 }, seed: 5 }] };
    const r = lint(build('transformer', 0), { preset: 'keras', rules });
    expect(codes(r)).toContain('same-seed-reused');
  });

  it('trunc_normal_ with absolute bounds that truncate nothing', () => {
    const rules = { rules: [{ match: { param: 'weight' }, init: 'trunc_normal_', args: { std: 0.02 } }] };
    const f = lint(build('dqn', 0, 'meta'), { rules }).findings.find((x) => x.code === 'trunc-normal-no-truncation')!;
    expect(f.message).toMatch(/truncates at ±100σ/);
    expect(f.fix).toMatch(/a=-0\.04, b=0\.04/);
    const ok = { rules: [{ match: { param: 'weight' }, init: 'trunc_normal_', args: { std: 0.02, a: -0.04, b: 0.04 } }] };
    expect(codes(lint(build('dqn', 0, 'meta'), { rules: ok }))).not.toContain('trunc-normal-no-truncation');
  });

  it('fan-based init on a 1-D bias is an error with the fix', () => {
    const rules = { rules: [{ match: { module: 'Linear' }, init: 'kaiming_normal_' }] };
    const r = lint(build('dqn', 0, 'meta'), { rules });
    expect(r.errors).toBe(1);
    expect(r.findings[0]!.code).toBe('fan-based-bias');
    expect(r.findings[0]!.fix).toMatch(/Narrow the match/);
  });

  it('zero fans', () => {
    const m = fromSpec({ type: 'Linear', args: [0, 5] }, { device: 'meta' });
    expect(lint(m).findings.find((f) => f.code === 'zero-fan')!.message).toMatch(/fan_in=0, fan_out=5/);
  });

  it('grouped/depthwise fan over-count (fan_out modes), transposed-conv fans, stacked QKV', () => {
    const cnn = build('cnn', 0, 'meta');
    const r = lint(cnn, { preset: 'torchvision-resnet' });
    const g = r.findings.filter((f) => f.code === 'grouped-fan-overcount');
    expect(g.map((f) => f.path)).toEqual(['3.weight', '5.weight']);
    expect(g[1]!.message).toMatch(/depthwise conv \(groups=32\) uses fan_out=288, but each input channel reaches only 9 outputs/);
    expect(codes(lint(cnn))).toContain('transposed-conv-fans');
    expect(codes(lint(build('transformer', 0, 'meta')))).toContain('stacked-qkv-xavier');
  });

  it('rules that match nothing', () => {
    const r = lint(build('dqn', 0, 'meta'), { rules: { rules: [{ match: { module: 'Conv2d' }, init: 'zeros_' }] } });
    expect(r.findings[0]).toMatchObject({ severity: 'error', code: 'unmatched-rule', path: 'rules[0]' });
  });

  it('identical values from reused seeds in a materialized model', () => {
    const m = fromSpec({ type: 'Module', children: { a: { type: 'Linear', args: [8, 8] }, b: { type: 'Linear', args: [8, 8] } } }, { generator: new Generator().manualSeed(0) });
    m.getParameter('b.weight').copy_(m.getParameter('a.weight'));
    expect(codes(lint(m))).toContain('identical-values');
  });
});
