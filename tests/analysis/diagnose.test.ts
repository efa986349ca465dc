// diagnose: predictions against the probe on wide networks, verdicts, recommendations, the width sweep.
import { describe, expect, it } from 'vitest';
import { diagnose, specAtWidth, inferBaseWidth, widthSweep } from '../../src/analysis/diagnose.js';
import { probe } from '../../src/analysis/probe.js';
import { deepMlpSpec, DQN_SPEC, DEMO_INITS } from '../../src/cli/commands/demo.js';

/**
 * Relative tolerance of a mean-field prediction against one finite network's measurement: the fluctuation of the
 * activations' squared norm grows like depth/width through ReLU layers (Hanin 2018, "Which neural net architectures
 * give rise to exploding and vanishing gradients?"), so the tolerance is 0.05 + 2·√(depth/width) (documented in
 * docs/DIAGNOSE.md); at width 512 that is 0.14 for the first Linear+ReLU pair and 0.35 after twelve.
 */
const tolerance = (depth: number, width: number): number => 0.05 + 2 * Math.sqrt(depth / width);

describe('diagnose', () => {
  it('predictions match measurements on a wide ReLU MLP for He and PyTorch default (documented tolerance)', () => {
    const spec = deepMlpSpec(12, 512);
    const r = diagnose(spec, { inputShape: [512], batch: 256, probe, inits: [{ name: 'he', preset: 'he' }, { name: 'torch' }] });
    for (const name of ['he', 'torch']) {
      const layers = r.results[name]!.layers;
      for (const l of layers) {
        const depth = Math.floor(l.index / 2) + 1;
        expect(Math.abs(l.outputStd! - l.predictedStd!) / l.predictedStd!, `${name} ${l.name} std`).toBeLessThan(tolerance(depth, 512));
        const fromTop = Math.floor((layers.length - 1 - l.index) / 2) + 1;
        expect(Math.abs(l.gradOutputStd! - l.predictedGradStd!) / l.predictedGradStd!, `${name} ${l.name} grad`).toBeLessThan(tolerance(fromTop, 512));
      }
    }
  });

  it('verdicts: the DQN vanishes under PyTorch default and the thread init, not under Kaiming; with a recommendation', () => {
    const r = diagnose(DQN_SPEC, { inputShape: [4], batch: 256, probe, inits: DEMO_INITS });
    expect(r.inits).toEqual(DEMO_INITS.map((i) => i.name));
    const t = r.results['torch default']!.summary;
    expect(t.forward).toBe('vanishing');
    expect(t.measured).toBe(true);
    expect(t.forwardLeavesBandAt).not.toBeNull();
    expect(t.recommendation).toMatch(/^kaiming_normal_ with nonlinearity='relu' \(preset he\): predicted final std [\d.]+ instead of 0\.0\d+$/);
    expect(r.results['kaiming (he)']!.summary.forward).toBe('healthy');
    expect(r.results['kaiming (he)']!.summary.recommendation).toBeNull();
    const layer = r.results['torch default']!.layers[0]!;
    expect(Object.keys(layer.paramGradStd).sort()).toEqual(['bias', 'weight']);
    expect(layer.histogram!.counts.reduce((a, b) => a + b, 0)).toBe(256 * 32);
    expect(r.results['torch default']!.explain.parameters[0]!.init).toBe('kaiming_uniform_(a=√5)');
    expect(r.results['xavier_normal_ + bias 0.01']!.explain.parameters[1]!.init).toBe('constant_(val=0.01)');
  });

  it('the 50-layer MLP: PyTorch default loses the gradient (gain < 1e-10), Kaiming keeps it', () => {
    const r = diagnose(deepMlpSpec(50, 256), { inputShape: [256], batch: 256, probe, inits: [DEMO_INITS[0]!, DEMO_INITS[2]!] });
    expect(r.results['torch default']!.summary.backward).toBe('vanishing');
    expect(r.results['torch default']!.summary.gradientGain!).toBeLessThan(1e-10);
    expect(r.results['kaiming (he)']!.summary.backward).toBe('healthy');
  });

  it('prediction-only mode (no probe) reports predictions and measured = false', () => {
    const r = diagnose(DQN_SPEC, { inputShape: [4] });
    const d = r.results['torch']!;
    expect(d.summary.measured).toBe(false);
    expect(d.layers[0]!.outputStd).toBeNull();
    expect(d.layers[0]!.predictedStd).toBeCloseTo(Math.sqrt(1 / 3 + 1 / 12), 10); // weight 1/(3·4)·4 + bias U(±1/2)
  });

  it('an input shape that does not fit the first layer names both shapes', () => {
    expect(() => diagnose(DQN_SPEC, { inputShape: [5], probe })).toThrow(/\[5\].*4|4.*\[5\]/);
  });

  it('width sweep: placeholders or the inferred base width; slopes flag drifting layers', () => {
    expect(inferBaseWidth(deepMlpSpec(3, 128))).toBe(128);
    const scaled = specAtWidth({ type: 'Sequential', children: [{ type: 'Linear', args: [10, 64] }, { type: 'ReLU' }, { type: 'Linear', args: [64, 64] }, { type: 'Linear', args: [64, 3] }] }, 256) as { children: { args?: number[] }[] };
    expect(scaled.children.map((c) => c.args ?? null)).toEqual([[10, 256], null, [256, 256], [256, 3]]);
    const tpl = { type: 'Sequential', children: [{ type: 'Linear', args: [8, '$width'] }, { type: 'ReLU' }, { type: 'Linear', args: ['$width', '2*$width'] }] };
    expect((specAtWidth(tpl, 32) as { children: { args?: unknown[] }[] }).children[2]!.args).toEqual([32, 64]);
    const spec = { type: 'Sequential', children: [{ type: 'Linear', args: [16, '$width'] }, { type: 'ReLU' }, { type: 'Linear', args: ['$width', 4] }] };
    const sweep = widthSweep(spec, { inputShape: [16], widths: [64, 128, 256, 512], probe, init: { name: 'xavier', preset: 'xavier' } });
    expect(sweep.widths).toEqual([64, 128, 256, 512]);
    // Xavier's fan_avg readout shrinks with width: std ∝ sqrt(2/(w+4)) · sqrt(w) ... its output scale is flat, the first layer's falls.
    const first = sweep.layers[0]!;
    expect(first.drifts).toBe(true);
    expect(first.slope).toBeLessThan(-0.2);
    expect(() => widthSweep(spec, { inputShape: [16], widths: [64], probe })).toThrow(/at least two positive integer widths/);
  });
});
