/**
 * `diagnose`: will activations and gradients explode or vanish? For each init to compare: build the model from its
 * spec with PyTorch's stream, apply the init, predict every layer's scale analytically (./propagate.ts), measure it
 * with a real forward and backward pass when a probe is given (./probe.ts), and give per-layer and overall verdicts
 * with a recommendation. Pure data; the CLI renders it.
 *
 * Verdicts (docs/DIAGNOSE.md): a layer's forward std is compared with the input's std, its gradient std with the
 * gradient std at the model's output; inside the band [1/10, 10] it is `healthy`, below `vanishing`, above
 * `exploding`. The overall forward verdict is the last layer's, the backward verdict the first layer's.
 */
import { fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { fromSpec } from '../nn/spec.js';
import { Generator } from '../rng/generator.js';
import { initialize } from '../presets/initialize.js';
import type { PresetName, PresetOptions } from '../presets/types.js';
import { VERSION } from '../version.js';
import type { Diagnosis, DiagnosisReport, DiagnosisSummary, LayerDiagnosis, Verdict, WidthSweep } from './diagnose-types.js';
import { explain } from './explain.js';
import { type Propagation, propagate } from './propagate.js';
import type { ProbeFn, ProbeResult } from './probe-types.js';

/** One init to diagnose: a preset, optionally with rules, under a display name. */
export interface InitChoice {
  name: string;
  preset?: PresetName;
  presetOptions?: PresetOptions;
  rules?: unknown;
}

export interface DiagnoseOptions {
  /** Seed of PyTorch's stream (`torch.manual_seed`). Default 0. */
  seed?: number | bigint;
  /** Probe batch size (default 256). */
  batch?: number;
  /** Input shape without the batch dimension. */
  inputShape: readonly number[];
  /** Inits to compare (default: PyTorch's). */
  inits?: InitChoice[];
  /** The empirical probe; without one, only predictions are reported. */
  probe?: ProbeFn;
  /** The healthy band relative to the reference std (default [0.1, 10]). */
  band?: [number, number];
  /** Histogram bins (default 30). */
  bins?: number;
  /** A label for the model in the report. */
  modelName?: string;
}

export const DEFAULT_BAND: [number, number] = [0.1, 10];

function verdictOf(ratio: number | null, band: [number, number]): Verdict {
  if (ratio === null || !Number.isFinite(ratio)) return ratio === Infinity ? 'exploding' : ratio === null ? 'healthy' : 'vanishing';
  if (ratio < band[0]) return 'vanishing';
  if (ratio > band[1]) return 'exploding';
  return 'healthy';
}

/** Candidate fixes the recommendation chooses from (name, preset, wording). */
const CANDIDATES: { preset: PresetName; text: string }[] = [
  { preset: 'he', text: "kaiming_normal_ with nonlinearity='relu' (preset he)" },
  { preset: 'lecun', text: 'LeCun normal, N(0, 1/fan_in) (preset lecun)' },
  { preset: 'xavier', text: 'xavier_uniform_ (preset xavier)' },
];

const fmt = (x: number): string => (x !== 0 && (Math.abs(x) < 1e-2 || Math.abs(x) >= 1e3) ? x.toExponential(1) : String(Number(x.toPrecision(3))));

function recommend(model: Module, current: InitChoice, inputShape: readonly number[], finalStd: number, band: [number, number]): string | null {
  let best: { text: string; std: number; score: number } | null = null;
  for (const c of CANDIDATES) {
    if (c.preset === current.preset && current.rules === undefined) continue;
    let p: Propagation;
    try {
      p = propagate(model, { preset: c.preset, inputShape });
    } catch {
      continue;
    }
    if (p.gain === null) continue;
    const score = Math.abs(Math.log(p.gain));
    if (best === null || score < best.score) best = { text: c.text, std: p.gain, score };
  }
  if (best === null) return null;
  if (verdictOf(best.std, band) !== 'healthy') return null;
  return `${best.text}: predicted final std ${fmt(best.std)} instead of ${fmt(finalStd)}`;
}

/** Diagnose one init of a spec. */
export function diagnoseOne(spec: unknown, choice: InitChoice, options: DiagnoseOptions): Diagnosis {
  const band = options.band ?? DEFAULT_BAND;
  const gen = new Generator().manualSeed(options.seed ?? 0);
  const model = fromSpec(spec, { generator: gen });
  const planOpts = { ...(choice.preset ? { preset: choice.preset } : {}), ...(choice.rules !== undefined ? { rules: choice.rules } : {}), ...(choice.presetOptions ? { presetOptions: choice.presetOptions } : {}) };
  if ((choice.preset !== undefined && choice.preset !== 'torch') || choice.rules !== undefined) {
    initialize(model, { ...planOpts, generator: gen, skipConstruction: true, allowUnmatched: true });
  }
  const pred = propagate(model, { ...planOpts, inputStd: 1, inputShape: options.inputShape });
  let probed: ProbeResult | null = null;
  if (options.probe) {
    probed = options.probe(model, { batch: options.batch ?? 256, inputShape: options.inputShape, generator: gen, bins: options.bins ?? 30 });
  }
  const n = probed ? probed.layers.length : pred.layers.length;
  const inputStd = probed ? probed.inputStd : 1;
  const layers: LayerDiagnosis[] = [];
  for (let i = 0; i < n; i++) {
    const m = probed?.layers[i];
    const p = pred.layers[i];
    if (m && p && m.name !== p.name) {
      fail({ code: 'UNSUPPORTED', where: 'diagnose', param: 'model', expected: 'the probe and the propagation to visit the same layers', receivedText: `${m.name} vs ${p.name} at position ${i}` });
    }
    layers.push({
      name: (m ?? p)!.name,
      module: (m ?? p)!.module,
      index: i,
      outputMean: m ? m.outputMean : null,
      outputStd: m ? m.outputStd : null,
      outputMin: m ? m.outputMin : null,
      outputMax: m ? m.outputMax : null,
      zeroFraction: m ? m.zeroFraction : null,
      histogram: m ? m.histogram : null,
      predictedStd: p?.predictedStd ?? null,
      predictedGradStd: p?.predictedGradStd ?? null,
      gradOutputStd: m ? m.gradOutputStd : null,
      paramGradStd: m ? m.paramGradStd : {},
      verdict: 'healthy',
      gradVerdict: 'healthy',
    });
  }
  const stdOf = (l: LayerDiagnosis): number | null => l.outputStd ?? l.predictedStd;
  const gradOf = (l: LayerDiagnosis): number | null => l.gradOutputStd ?? l.predictedGradStd;
  const last = layers[layers.length - 1];
  const gradRef = last ? gradOf(last) : null;
  let fwdLeaves: string | null = null;
  for (const l of layers) {
    const s = stdOf(l);
    l.verdict = verdictOf(s === null ? null : s / inputStd, band);
    if (l.verdict !== 'healthy' && fwdLeaves === null) fwdLeaves = l.name;
    const g = gradOf(l);
    l.gradVerdict = verdictOf(g === null || gradRef === null || gradRef === 0 ? null : g / gradRef, band);
  }
  let bwdLeaves: string | null = null;
  for (let i = layers.length - 1; i >= 0; i--) {
    if (layers[i]!.gradVerdict !== 'healthy') {
      bwdLeaves = layers[i]!.name;
      break;
    }
  }
  const finalStd = last ? (stdOf(last) ?? NaN) : NaN;
  const first = layers[0];
  const firstGrad = first ? gradOf(first) : null;
  const forward = last ? last.verdict : 'healthy';
  const backward = first ? first.gradVerdict : 'healthy';
  const summary: DiagnosisSummary = {
    init: choice.name,
    inputStd,
    finalStd,
    endToEndGain: finalStd / inputStd,
    gradientGain: firstGrad !== null && gradRef ? firstGrad / gradRef : null,
    forward,
    backward,
    band,
    forwardLeavesBandAt: fwdLeaves,
    backwardLeavesBandAt: bwdLeaves,
    recommendation: forward === 'healthy' && backward === 'healthy' ? null : recommend(model, choice, options.inputShape, finalStd, band),
    measured: probed !== null,
  };
  return { init: choice.name, preset: choice.preset ?? 'torch', layers, summary, explain: explain(model, planOpts) };
}

/**
 * Diagnose a spec under one or more inits.
 *
 * @example
 * ```ts
 * const report = diagnose(spec, { inputShape: [4], inits: [{ name: 'torch' }, { name: 'he', preset: 'he' }], probe });
 * report.results['torch'].summary.forward; // 'vanishing'
 * ```
 */
export function diagnose(spec: unknown, options: DiagnoseOptions): DiagnosisReport {
  const inits = options.inits ?? [{ name: 'torch' }];
  if (inits.length === 0) fail({ code: 'INVALID_ARGUMENT', where: 'diagnose', param: 'inits', expected: 'at least one init', received: inits });
  const names = new Set<string>();
  for (const i of inits) {
    if (names.has(i.name)) fail({ code: 'INVALID_ARGUMENT', where: 'diagnose', param: 'inits', expected: 'distinct init names', received: i.name });
    names.add(i.name);
  }
  const results: Record<string, Diagnosis> = {};
  for (const c of inits) results[c.name] = diagnoseOne(spec, c, options);
  return {
    model: options.modelName ?? 'model',
    seed: String(options.seed ?? 0),
    inputShape: [...options.inputShape],
    batch: options.batch ?? 256,
    inits: inits.map((i) => i.name),
    results,
    generatedBy: `initkit ${VERSION}`,
  };
}

// ---- width sweep (the coordinate check of muP, at initialization) ----------------------------------------------

const WIDTH_PLACEHOLDER = /^\s*(?:(\d+(?:\.\d+)?)\s*\*\s*)?\$(?:\{width\}|width)\s*(?:\*\s*(\d+(?:\.\d+)?))?\s*$/;
const WIDTH_KEYS = new Set(['in_features', 'out_features', 'in_channels', 'out_channels', 'num_features', 'normalized_shape', 'num_channels', 'embedding_dim', 'embed_dim', 'd_model', 'dim_feedforward', 'hidden_size', 'num_parameters']);

/** Does the spec use `"$width"` placeholders (`"$width"`, `"4*$width"`)? */
export function hasWidthPlaceholders(spec: unknown): boolean {
  return JSON.stringify(spec).includes('$width') || JSON.stringify(spec).includes('${width}');
}

/**
 * The spec at another width. With placeholders, each `"$width"` (or `"k*$width"`) becomes the number. Without,
 * every width-like argument (in/out features and channels, norm sizes, d_model, …) equal to a multiple k·base of the
 * base width (k = 1..8) becomes k·width, except the model's first input size and last output size.
 */
export function specAtWidth(spec: unknown, width: number, base?: number): unknown {
  if (hasWidthPlaceholders(spec)) {
    const sub = (v: unknown): unknown => {
      if (typeof v === 'string') {
        const m = v.match(WIDTH_PLACEHOLDER);
        if (m) return Math.round(width * Number(m[1] ?? 1) * Number(m[2] ?? 1));
        return v;
      }
      if (Array.isArray(v)) return v.map(sub);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]));
      return v;
    };
    return sub(spec);
  }
  const b = base ?? inferBaseWidth(spec);
  if (b === null) {
    return fail({
      code: 'SPEC_ERROR',
      where: 'widths',
      param: 'spec',
      expected: 'a spec with a hidden width to vary (or "$width" placeholders)',
      receivedText: 'no repeated hidden size found',
      fix: 'Write the hidden sizes as "$width" (or "4*$width") in the spec.',
    });
  }
  const entries = collectWidthArgs(spec);
  const firstIn = entries.find((e) => e.key === 'in_features' || e.key === 'in_channels');
  const lastOut = [...entries].reverse().find((e) => e.key === 'out_features' || e.key === 'out_channels');
  const keep = new Set([firstIn?.ref, lastOut?.ref]);
  const scale = (v: number): number => {
    for (let k = 1; k <= 8; k++) if (v === k * b) return k * width;
    return v;
  };
  const clone = JSON.parse(JSON.stringify(spec)) as unknown;
  const cloned = collectWidthArgs(clone);
  cloned.forEach((e, i) => {
    if (keep.has(entries[i]!.ref)) return;
    if (typeof e.value === 'number') e.set(scale(e.value));
  });
  return clone;
}

interface WidthArg {
  key: string;
  value: unknown;
  ref: string;
  set: (v: number) => void;
}

const POSITIONAL: Record<string, string[]> = {
  Linear: ['in_features', 'out_features'],
  Conv1d: ['in_channels', 'out_channels'],
  Conv2d: ['in_channels', 'out_channels'],
  Conv3d: ['in_channels', 'out_channels'],
  BatchNorm1d: ['num_features'],
  BatchNorm2d: ['num_features'],
  LayerNorm: ['normalized_shape'],
  RMSNorm: ['normalized_shape'],
  GroupNorm: ['num_groups', 'num_channels'],
  Embedding: ['num_embeddings', 'embedding_dim'],
  TransformerEncoderLayer: ['d_model', 'nhead', 'dim_feedforward'],
  MultiheadAttention: ['embed_dim', 'num_heads'],
};

function collectWidthArgs(spec: unknown, path = ''): WidthArg[] {
  const out: WidthArg[] = [];
  const walk = (node: unknown, p: string): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      node.forEach((c, i) => walk(c, `${p}[${i}]`));
      return;
    }
    const n = node as Record<string, unknown>;
    const type = n['type'];
    if (typeof type === 'string' && Array.isArray(n['args'])) {
      const names = POSITIONAL[type] ?? [];
      const args = n['args'] as unknown[];
      args.forEach((v, i) => {
        const key = names[i];
        if (key && WIDTH_KEYS.has(key)) out.push({ key, value: v, ref: `${p}.args[${i}]`, set: (x) => (args[i] = x) });
      });
    }
    if (n['kwargs'] && typeof n['kwargs'] === 'object') {
      const kw = n['kwargs'] as Record<string, unknown>;
      for (const [k, v] of Object.entries(kw)) {
        if (WIDTH_KEYS.has(k) && typeof v === 'number') out.push({ key: k, value: v, ref: `${p}.kwargs.${k}`, set: (x) => (kw[k] = x) });
        else if (v && typeof v === 'object') walk(v, `${p}.kwargs.${k}`);
      }
    }
    if (n['children']) {
      const ch = n['children'];
      if (Array.isArray(ch)) ch.forEach((c, i) => walk(c, `${p}.children[${i}]`));
      else if (typeof ch === 'object') for (const [k, c] of Object.entries(ch as object)) walk(c, `${p}.children.${k}`);
    }
  };
  walk(spec, path);
  return out;
}

/** The most frequent width-like value, excluding the first input and last output sizes. */
export function inferBaseWidth(spec: unknown): number | null {
  const entries = collectWidthArgs(spec).filter((e) => typeof e.value === 'number') as (WidthArg & { value: number })[];
  if (entries.length < 2) return null;
  const inner = entries.slice(1, -1);
  const counts = new Map<number, number>();
  for (const e of inner.length ? inner : entries) counts.set(e.value, (counts.get(e.value) ?? 0) + 1);
  let best: number | null = null;
  let bestCount = 0;
  for (const [v, c] of counts) if (c > bestCount || (c === bestCount && best !== null && v < best)) [best, bestCount] = [v, c];
  return best;
}

export interface WidthSweepOptions extends Omit<DiagnoseOptions, 'inits'> {
  init?: InitChoice;
  widths: number[];
  /** |slope| of log std against log width above which a layer drifts (default 0.1). */
  threshold?: number;
}

/**
 * The coordinate check of muP (Yang et al. 2021, "Tuning Large Neural Networks via Zero-Shot Hyperparameter
 * Transfer", https://arxiv.org/abs/2203.03466) at initialization: each layer's output scale against width; a layer
 * whose scale drifts with width (|d log std / d log width| > threshold) is flagged.
 */
export function widthSweep(spec: unknown, options: WidthSweepOptions): WidthSweep {
  const widths = [...options.widths].sort((a, b) => a - b);
  if (widths.length < 2 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    fail({ code: 'INVALID_ARGUMENT', where: 'widthSweep', param: 'widths', expected: 'at least two positive integer widths', received: options.widths });
  }
  const base = hasWidthPlaceholders(spec) ? undefined : (inferBaseWidth(spec) ?? undefined);
  const runs = widths.map((w) => diagnoseOne(specAtWidth(spec, w, base), options.init ?? { name: 'torch' }, { ...options, inits: [] } as DiagnoseOptions));
  const threshold = options.threshold ?? 0.1;
  const names = runs[0]!.layers.map((l) => [l.name, l.module] as const);
  const lx = widths.map(Math.log);
  const layers = names.map(([name, module], i) => {
    const std = runs.map((r) => r.layers[i]?.outputStd ?? r.layers[i]?.predictedStd ?? NaN);
    const ly = std.map(Math.log);
    const mx = lx.reduce((a, b) => a + b, 0) / lx.length;
    const my = ly.reduce((a, b) => a + b, 0) / ly.length;
    let num = 0;
    let den = 0;
    lx.forEach((x, k) => {
      num += (x - mx) * (ly[k]! - my);
      den += (x - mx) ** 2;
    });
    const slope = den > 0 ? num / den : 0;
    return { name, module, std, slope, drifts: Number.isFinite(slope) && Math.abs(slope) > threshold };
  });
  return { widths, layers, threshold };
}
