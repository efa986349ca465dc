import { describe, expect, it } from 'vitest';
import { InitError, globToRegExp, initialize, parseRules, planModel } from '../../src/index.js';
import { build } from './helpers.js';

const seedThread = {
  preset: 'torch',
  rules: [
    { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
    { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
  ],
};

describe('rules', () => {
  it('globs: * is one path segment, ** any, ? one character; module/param globs match within a name', () => {
    const p = globToRegExp('encoder.layers.*.linear2.weight');
    expect(p.test('encoder.layers.0.linear2.weight')).toBe(true);
    expect(p.test('encoder.layers.0.x.linear2.weight')).toBe(false);
    expect(globToRegExp('encoder.**.weight').test('encoder.layers.0.self_attn.out_proj.weight')).toBe(true);
    expect(globToRegExp('layer?.w').test('layer1.w')).toBe(true);
    expect(globToRegExp('Conv*d', false).test('Conv2d')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false); // dots are literal
  });

  it('the seed thread init_weights is expressible: xavier_normal_ weights, bias 0.01', () => {
    const m = build('dqn');
    const r = initialize(m, { seed: 0, rules: seedThread });
    expect(r.parameters.filter((p) => p.source === 'rule #0').length).toBe(6);
    expect(Array.from(m.getParameter('0.bias').data).every((x) => x === Math.fround(0.01))).toBe(true);
  });

  it('later rules win; path beats module when it comes later; PyTorch and initkit names both work', () => {
    const m = build('dqn', 0, 'meta');
    const plan = planModel(m, {
      rules: {
        rules: [
          { match: { module: 'Linear', param: 'weight' }, init: 'kaimingNormal_', args: { nonlinearity: 'relu' } },
          { match: { path: '10.weight' }, init: 'zeros_' },
        ],
      },
    });
    const byName = new Map(plan.sites.map((s) => [s.site.path, s]));
    expect(byName.get('0.weight')!.plan.init).toBe("kaiming_normal_(nonlinearity='relu')");
    expect(byName.get('0.weight')!.rule!.index).toBe(0);
    expect(byName.get('10.weight')!.plan.init).toBe('zeros_()');
    expect(byName.get('0.bias')!.rule).toBeNull();
  });

  it('rule arguments accept camelCase names and fill PyTorch defaults', () => {
    const r = parseRules({ rules: [{ match: { param: 'weight' }, init: 'trunc_normal_', args: { std: 0.02 } }] });
    expect(r.rules[0]!.call.args).toEqual({ mean: 0, std: 0.02, a: -2, b: 2 });
    const k = parseRules({ rules: [{ match: { param: 'weight' }, init: 'kaiming_uniform', args: { nonlinearity: 'relu' } }] });
    expect(k.rules[0]!.call.fn).toBe('kaiming_uniform_');
  });

  const errors: [string, unknown, RegExp][] = [
    ['not an object', 5, /rules: expected a rules document/],
    ['unknown document field', { presets: 'torch' }, /rules\.presets: expected one of the document fields/],
    ['unknown preset', { preset: 'pytorch' }, /rules\.preset: expected preset to be one of 'torch'.*got "pytorch"/],
    ['unknown stream', { stream: 'random' }, /stream to be one of 'sequential', 'path', got "random"/],
    ['rules not an array', { rules: {} }, /rules to be an array/],
    ['rule not an object', { rules: [1] }, /rules\[0\]: expected a rule object/],
    ['unknown rule field', { rules: [{ match: { param: 'w' }, init: 'zeros_', when: 1 }] }, /rules\[0\]\.when: expected one of the rule fields/],
    ['empty match', { rules: [{ match: {}, init: 'zeros_' }] }, /rules\[0\]\.match: expected at least one of module, param, path/],
    ['unknown match field', { rules: [{ match: { name: 'w' }, init: 'zeros_' }] }, /rules\[0\]\.match\.name: expected one of the match fields/],
    ['bad glob', { rules: [{ match: { path: '' }, init: 'zeros_' }] }, /match\.path: expected path to be a non-empty glob/],
    ['missing init', { rules: [{ match: { param: 'w' } }] }, /rules\[0\]\.init: expected an init function name/],
    ['unknown init', { rules: [{ match: { param: 'w' }, init: 'he_normal' }] }, /expected init to be one of .*kaiming_normal_ \(kaimingNormal_\).*got "he_normal"/],
    ['unknown arg', { rules: [{ match: { param: 'w' }, init: 'xavier_normal_', args: { std: 1 } }] }, /rules\[0\]\.args\.std: expected one of xavier_normal_'s arguments: gain \(default 1\), got "std"/],
    ['bad enum', { rules: [{ match: { param: 'w' }, init: 'kaiming_normal_', args: { mode: 'fan_avg' } }] }, /args\.mode: expected mode to be one of 'fan_in', 'fan_out', got "fan_avg"/],
    ['negative std', { rules: [{ match: { param: 'w' }, init: 'normal_', args: { std: -1 } }] }, /args\.std: expected std >= 0, got -1/],
    ['missing required', { rules: [{ match: { param: 'w' }, init: 'constant_' }] }, /args\.val: expected a value for val \(constant_ requires it\)/],
    ['bad seed', { rules: [{ match: { param: 'w' }, init: 'zeros_', seed: 'x' }] }, /rules\[0\]\.seed: expected an integer, got "x"/],
    ['bad preset option', { presetOptions: { nLayer: 0 } }, /presetOptions\.nLayer: expected a positive integer, got 0/],
  ];
  it.each(errors)('error: %s', (_name, doc, re) => {
    let err: unknown;
    try {
      parseRules(doc);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InitError);
    expect((err as Error).message).toMatch(re);
  });

  it('a fan-based rule that reaches a bias names both, and suggests narrowing', () => {
    const m = build('dqn', 0, 'meta');
    expect(() => planModel(m, { rules: { rules: [{ match: { module: 'Linear' }, init: 'xavier_uniform_' }] } })).toThrow(
      /rules\[0\]: expected every parameter the rule \(module="Linear"\) matches to fit xavier_uniform_, got 0\.bias: xavier_uniform_ needs at least 2 dimensions.*Narrow the match/,
    );
  });

  it('unmatched rules are errors, or warnings with allowUnmatched', () => {
    const m = build('dqn');
    const doc = { rules: [{ match: { module: 'Conv2d' }, init: 'zeros_' }] };
    expect(() => initialize(m, { rules: doc, seed: 0 })).toThrow(/rules\[0\] \(module="Conv2d"\) matching nothing.*--allow-unmatched/);
    const r = initialize(m, { rules: doc, seed: 0, allowUnmatched: true });
    expect(r.warnings[0]).toMatch(/matches no parameter/);
  });

  it('initialize rejects meta models, unknown presets and streams', () => {
    expect(() => initialize(build('dqn', 0, 'meta'))).toThrow(/materialized model/);
    expect(() => initialize(build('dqn'), { preset: 'jax' as never })).toThrow(/preset to be one of/);
    expect(() => initialize(build('dqn'), { stream: 'x' as never })).toThrow(/stream to be one of/);
  });
});
