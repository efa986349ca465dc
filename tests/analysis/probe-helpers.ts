/**
 * Shared by the probe's golden test (tests/analysis/probe-golden.test.ts) and oracle test (tests/oracle/probe.test.ts):
 * the model set (tests/fixtures/probe-models.json), running initkit's probe on a case as PyTorch's program does, and
 * the comparison with documented tolerances (docs/DIAGNOSE.md):
 * - every value against PyTorch's float32 pass, or against the same program in float64 when that is closer (see
 *   compareProbe);
 * - std of outputs, of output gradients and of parameter gradients: 1e-4 relative; a bias whose gradient is 0 in
 *   exact arithmetic (a layer followed, possibly through linear layers, by BatchNorm, whose input gradient sums to 0
 *   per channel) holds rounding noise
 *   on both sides, so a bias is compared against 1e-4 of the scale its gradient would have without that cancellation,
 *   gradOutputStd·√(output elements / bias elements), when that is larger;
 * - mean: 1e-4 of max(std, |mean|); min and max: 1e-4 of the larger of |min|, |max|;
 * - zero fraction: 1e-3 absolute (an element within rounding of 0 may fall either side); where 1 to 3 elements of a
 *   ReLU / ReLU6 fall on the other side of 0 than in every reference, gradient stds of that layer and the layers
 *   before it get FLIP_TOL·flipped/elements more (see FLIP_TOL);
 * - histogram: edges 1e-4 relative to the range; counts: at most 0.1% of the elements + 2 move between bins.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { probe } from '../../src/analysis/probe.js';
import type { ProbeResult } from '../../src/analysis/probe-types.js';
import type { GemmBackend } from '../../src/analysis/ops/gemm.js';
import { fromSpec } from '../../src/nn/spec.js';
import { initialize } from '../../src/presets/initialize.js';
import type { PresetName } from '../../src/presets/types.js';
import { Generator } from '../../src/rng/generator.js';

export interface ProbeModel {
  name: string;
  spec: unknown;
  inputShape: number[];
  batch: number;
  inits: string[];
}

export const PROBE_MODELS: ProbeModel[] = (
  JSON.parse(readFileSync(new URL('../fixtures/probe-models.json', import.meta.url), 'utf8')) as { models: ProbeModel[] }
).models;

/** The seed thread's init_weights: xavier_normal_(m.weight); m.bias.data.fill_(0.01) for every Linear. */
export const THREAD_RULES = {
  rules: [
    { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
    { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
  ],
};

export interface ProbeCase {
  model: string;
  init: string;
  seed: number;
  spec: unknown;
  inputShape: number[];
  batch: number;
  bins: number;
  /** As scripts/probe_torch.py takes it. */
  preset: string;
  rules: unknown;
  /** Ask probe_torch.py for the float64 run too. */
  float64: boolean;
}

export function makeCase(m: ProbeModel, init: string, seed: number, bins = 30): ProbeCase {
  return {
    model: m.name,
    init,
    seed,
    spec: m.spec,
    inputShape: m.inputShape,
    batch: m.batch,
    bins,
    preset: init === 'rules' ? 'torch' : init,
    rules: init === 'rules' ? THREAD_RULES : null,
    float64: true,
  };
}

/** `torch.manual_seed(seed); m = build(spec); <init>; probe` on initkit's side. */
export function runInitkit(c: ProbeCase, gemm?: GemmBackend): ProbeResult {
  const g = new Generator().manualSeed(c.seed);
  const model = fromSpec(c.spec, { generator: g });
  if (c.preset !== 'torch' || c.rules !== null) {
    initialize(model, {
      preset: c.preset as PresetName,
      ...(c.rules !== null ? { rules: c.rules } : {}),
      generator: g,
      skipConstruction: true,
    });
  }
  return probe(model, { batch: c.batch, inputShape: c.inputShape, generator: g, bins: c.bins, ...(gemm ? { gemm } : {}) });
}

/** One layer of scripts/probe_torch.py's output. */
export interface TorchLayer {
  name: string;
  module: string;
  shape: number[];
  outputMean: number;
  outputStd: number;
  outputMin: number;
  outputMax: number;
  zeroFraction: number;
  histogram: { edges: number[]; counts: number[] };
  gradOutputStd: number | null;
  paramGradStd: Record<string, number>;
}

/** The JSON scripts/probe_torch.py prints (NaN as null); `float64`: the same program run in float64. */
export interface TorchProbe {
  inputStd: number;
  inputShape: number[];
  batch: number;
  layers: TorchLayer[];
  float64?: TorchLayer[];
}

export const REL_TOL = 1e-4;

/**
 * Gradient-statistic allowance per flipped unit, relative to the flipped layer's element count. A unit whose input
 * is within float32 rounding of a kink (ReLU at 0) may be rounded to either side by any float32 pass; where the two
 * sides' zero counts differ, the backward pass differs by whole terms upstream of that layer. One term of n moves a
 * std by ~1/(2n) at that layer, amplified upstream (measured up to ~30x through a dozen vanishing ReLU layers).
 */
export const FLIP_TOL = 50;

export interface Agreement {
  /** Largest relative difference of the stds from the closer reference (PyTorch float32, or float64 where given). */
  worst: number;
  /** Largest relative difference of the stds from PyTorch's float32 pass alone. */
  worstFloat32: number;
  /** Values that agree with PyTorch's float64 pass but not within REL_TOL with its float32 pass. */
  float64Only: string[];
  /** Layers whose zero count differs from both references (a unit within rounding of 0), and the allowance used. */
  flips: string[];
}

/**
 * Compare initkit's probe with PyTorch's. Each value must agree with PyTorch's float32 pass, or, when the
 * reference has one, with the same program run in float64 (the exact answer both float32 passes approximate):
 * where a ReLU input lies within float32 rounding of 0, PyTorch's float32 pass and initkit's can flip that unit
 * differently, and a statistic downstream (a bias gradient through many vanishing layers) then moves by more than
 * 1e-4 in PyTorch's float32 pass itself.
 */
export function compareProbe(ours: ProbeResult, ref: TorchProbe, label: string): Agreement {
  const out: Agreement = { worst: 0, worstFloat32: 0, float64Only: [], flips: [] };
  const refs = (i: number): TorchLayer[] => (ref.float64 ? [ref.layers[i]!, ref.float64[i]!] : [ref.layers[i]!]);
  /** Relative difference from each reference value; passes when the closest is within REL_TOL. */
  const close = (a: number, bs: number[], what: string, floor = 0, isStd = true, allowance = 0): void => {
    const rels = bs.map((b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor)));
    const r = Math.min(...rels);
    if (isStd && allowance === 0) {
      out.worst = Math.max(out.worst, r);
      out.worstFloat32 = Math.max(out.worstFloat32, rels[0]!);
    }
    if (rels[0]! > REL_TOL && r <= REL_TOL) out.float64Only.push(`${what} (float32 ${rels[0]!.toExponential(2)})`);
    if (r > REL_TOL && r <= REL_TOL + allowance) out.flips.push(`${what}: ${r.toExponential(2)} within the flip allowance ${allowance.toExponential(2)}`);
    expect(r, `${what}: initkit ${a}, PyTorch ${bs.join(' (float32) / ')}${bs.length > 1 ? ' (float64)' : ''}`).toBeLessThanOrEqual(REL_TOL + allowance);
  };
  // Units rounded to the other side of a ReLU's 0: the zero counts differ from every reference.
  const numelOf = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);
  const flipAllowance: number[] = ours.layers.map((l, i) => {
    // Only where the zeros come from the kink itself (pooling or flattening a ReLU's zeros is no new flip).
    if (l.module !== 'ReLU' && l.module !== 'ReLU6') return 0;
    const n = numelOf(l.shape);
    const flipped = Math.min(...refs(i).map((x) => Math.abs(Math.round(l.zeroFraction * n) - Math.round(x.zeroFraction * n))));
    return flipped > 0 && flipped <= 3 ? (FLIP_TOL * flipped) / n : 0;
  });
  // A flip at layer k changes the backward pass of every layer up to k.
  const upstream = flipAllowance.map((_, j) => flipAllowance.slice(j).reduce((a, b) => a + b, 0));
  expect(ours.batch, `${label}: batch`).toBe(ref.batch);
  expect(ours.inputShape, `${label}: inputShape`).toEqual(ref.inputShape);
  close(ours.inputStd, [ref.inputStd], `${label}: inputStd`);
  expect(ours.layers.map((l) => `${l.name}:${l.module}`), `${label}: layers`).toEqual(ref.layers.map((l) => `${l.name}:${l.module}`));
  ours.layers.forEach((l, i) => {
    const rs = refs(i);
    const r = rs[0]!;
    const at = `${label}: layer ${l.name} (${l.module})`;
    expect(l.shape, `${at} shape`).toEqual(r.shape);
    close(l.outputStd, rs.map((x) => x.outputStd), `${at} outputStd`);
    // Mean: against max(std, |mean|); min, max: against the larger magnitude (as a relative difference with a floor).
    close(l.outputMean, rs.map((x) => x.outputMean), `${at} outputMean`, Math.max(r.outputStd, Math.abs(r.outputMean)), false);
    const scale = Math.max(Math.abs(r.outputMin), Math.abs(r.outputMax));
    close(l.outputMin, rs.map((x) => x.outputMin), `${at} outputMin`, scale, false);
    close(l.outputMax, rs.map((x) => x.outputMax), `${at} outputMax`, scale, false);
    const dz = Math.min(...rs.map((x) => Math.abs(l.zeroFraction - x.zeroFraction)));
    expect(dz, `${at} zeroFraction ${l.zeroFraction} vs ${r.zeroFraction}`).toBeLessThanOrEqual(1e-3);
    if (r.gradOutputStd === null) expect(l.gradOutputStd, `${at} gradOutputStd`).toBeNaN();
    else close(l.gradOutputStd, rs.map((x) => x.gradOutputStd!), `${at} gradOutputStd`, 0, true, upstream[i]!);
    expect(Object.keys(l.paramGradStd).sort(), `${at} parameters`).toEqual(Object.keys(r.paramGradStd).sort());
    const numel = l.shape.reduce((a, d) => a * d, 1);
    for (const p of Object.keys(r.paramGradStd)) {
      // Bias elements: the last dimension (Linear, LayerNorm) or the channels (Conv, BatchNorm, GroupNorm).
      const channels = l.module === 'Linear' || l.module === 'LayerNorm' ? l.shape[l.shape.length - 1]! : (l.shape[1] ?? 0);
      const floor = p === 'bias' && channels > 0 && r.gradOutputStd !== null ? r.gradOutputStd * Math.sqrt(numel / channels) : 0;
      close(l.paramGradStd[p]!, rs.map((x) => x.paramGradStd[p]!), `${at} grad std of ${p}`, floor, true, upstream[i]!);
    }
    const h = l.histogram;
    expect(h.counts.length, `${at} bins`).toBe(r.histogram.counts.length);
    const range = r.histogram.edges[r.histogram.edges.length - 1]! - r.histogram.edges[0]!;
    h.edges.forEach((e, k) => expect(Math.abs(e - r.histogram.edges[k]!), `${at} histogram edge ${k}`).toBeLessThanOrEqual(REL_TOL * range + 1e-12));
    expect(h.counts.reduce((a, b) => a + b, 0), `${at} histogram total`).toBe(numel);
    const moved = Math.min(...rs.map((x) => h.counts.reduce((a, c, k) => a + Math.abs(c - x.histogram.counts[k]!), 0)));
    expect(moved, `${at} histogram counts ${h.counts.join(',')} vs ${r.histogram.counts.join(',')}`).toBeLessThanOrEqual(2 * (0.001 * numel + 2));
  });
  return out;
}
