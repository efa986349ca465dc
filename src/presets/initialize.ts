/**
 * `initialize(model, { preset, seed, rules, stream })`: re-initialize every parameter of a module tree as a
 * framework would have, then apply rules; with PyTorch's stream, or one counter-based stream per parameter path.
 */
import { InitError, fail } from '../errors.js';
import type { Module } from '../nn/module.js';
import { fromSpec, toSpec } from '../nn/spec.js';
import type { RandomEngine } from '../rng/engine.js';
import { Generator, defaultGenerator, normalizeSeed } from '../rng/generator.js';
import { PhiloxGenerator } from '../rng/philox.js';
import type { Tensor } from '../tensor/tensor.js';
import { sampleDist } from './dist.js';
import { type PlanOptions, type SitePlan, planModel } from './plan.js';
import { applyCall } from './registry.js';
import { STREAMS, type StreamMode } from './rules.js';
import { siteTensor } from './sites.js';
import type { InitPlan, PresetName } from './types.js';

export interface InitializeOptions extends PlanOptions {
  /** Seed, as `torch.manual_seed(seed)` (sequential) or the key of every path stream (path). */
  seed?: number | bigint;
  /** The generator for the sequential stream when no seed is given (default: the default generator). */
  generator?: RandomEngine;
  /**
   * `'sequential'` (default): one stream in PyTorch's order, so the result equals
   * `torch.manual_seed(seed); model = build(); model.apply(preset_fn); model.apply(rules_fn)` bit for bit (for the
   * torch preset and PyTorch's init functions). `'path'`: each parameter draws from its own Philox stream keyed by
   * (seed, FNV-1a hash of its dotted path), so adding, removing or reordering other layers changes nothing else.
   */
  stream?: StreamMode;
  /** Rules that match no parameter are an error unless this is true (then they are reported as warnings). */
  allowUnmatched?: boolean;
  /**
   * Sequential stream only: the model was just built from `generator` (its construction draws are done), so start
   * with the preset pass. `nn.fromSpec(spec, { generator: g })` then `initialize(m, { generator: g,
   * skipConstruction: true })` equals `torch.manual_seed(s); m = build(spec); m.apply(...)` and leaves `g` where
   * PyTorch's generator would be (e.g. for drawing a probe input next).
   */
  skipConstruction?: boolean;
}

export interface InitializedParameter {
  name: string;
  init: string;
  /** `'preset'`, `'rule #i'`, or `'construction'` (PyTorch's default from the torch construction pass). */
  source: string;
}

export interface InitializeReport {
  preset: PresetName;
  stream: StreamMode;
  seed: string | null;
  parameters: InitializedParameter[];
  warnings: string[];
}

function applyPlan(plan: InitPlan, t: Tensor, g: RandomEngine): void {
  if (plan.call !== null) applyCall(plan.call, t, g);
  else sampleDist(plan.dist, t, g);
  if (plan.zeroRows) for (const r of plan.zeroRows) t.select(0, r).zero_();
}

/** Modules in `apply` order (children first), each with its own parameter plans in registration order. */
function applyOrder(model: Module, plans: SitePlan[]): SitePlan[] {
  const byModule = new Map<Module, SitePlan[]>();
  for (const p of plans) {
    if (p.site.kind !== 'parameter') continue;
    const list = byModule.get(p.site.module) ?? [];
    list.push(p);
    byModule.set(p.site.module, list);
  }
  const out: SitePlan[] = [];
  model.apply((m) => out.push(...(byModule.get(m) ?? [])));
  return out;
}

/**
 * Re-initialize `model` in place under a preset and rules. Returns what was done (nothing is printed).
 *
 * @throws InitError for an unknown preset, bad rules, a rule matching nothing (unless allowUnmatched), a meta model.
 *
 * @example
 * ```ts
 * const model = nn.fromSpec(spec);
 * initialize(model, { preset: 'keras', seed: 0 });
 * initialize(model, { seed: 0, rules: { rules: [{ match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' }] } });
 * ```
 */
export function initialize(model: Module, options: InitializeOptions = {}): InitializeReport {
  const where = 'initialize';
  const plan = planModel(model, options);
  const stream: StreamMode = options.stream ?? plan.rules.stream ?? 'sequential';
  if (!(STREAMS as readonly string[]).includes(stream)) {
    fail({ code: 'UNKNOWN_NAME', where, param: 'stream', expected: `stream to be one of ${STREAMS.map((s) => `'${s}'`).join(', ')}`, received: stream });
  }
  const warnings: string[] = [];
  if (plan.unmatchedRules.length > 0) {
    const texts = plan.unmatchedRules.map((i) => `rules[${i}] (${plan.rules.rules[i]!.matchText})`);
    if (!options.allowUnmatched) {
      fail({
        code: 'SPEC_ERROR',
        where,
        param: 'rules',
        expected: 'every rule to match at least one parameter',
        receivedText: `${texts.join(', ')} matching nothing`,
        fix: 'Check the module class names and globs against `initkit explain`, or pass allowUnmatched / --allow-unmatched.',
      });
    }
    for (const t of texts) warnings.push(`${t} matches no parameter`);
  }
  const params = plan.sites.filter((s) => s.site.kind === 'parameter');
  if (params.some((s) => siteTensor(s.site).isMeta)) {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'model',
      expected: 'a materialized model (meta tensors have no values to set)',
      receivedText: 'a model on the meta device',
      fix: 'Use explain/lint on meta models; build with device "cpu" to initialize.',
    });
  }
  const report: InitializedParameter[] = [];
  const seedText = options.seed !== undefined ? normalizeSeed('initialize', options.seed).toString() : null;

  if (stream === 'path') {
    const key = options.seed !== undefined ? options.seed : options.generator !== undefined && 'initialSeed' in options.generator ? (options.generator as Generator).initialSeed() : 0;
    for (const s of params) {
      const g = PhiloxGenerator.forPath(key, s.site.path);
      applyPlan(s.plan, siteTensor(s.site), g);
      report.push({ name: s.site.path, init: s.plan.init, source: s.rule ? `rule #${s.rule.index}` : 'preset' });
    }
    if (plan.preset.name === 'torch' && model.namedModules().some(([, m]) => ['TransformerEncoder', 'TransformerDecoder'].includes((m.constructor as { signature?: { type?: string } }).signature?.type ?? ''))) {
      warnings.push('path streams give every layer of a TransformerEncoder/Decoder its own values (PyTorch deep-copies one layer)');
    }
    return { preset: plan.preset.name, stream, seed: seedText ?? String(key), parameters: report, warnings };
  }

  // Sequential: PyTorch's construction draws first (rebuilding from the spec replays them exactly) ...
  const gen: RandomEngine = options.seed !== undefined ? new Generator().manualSeed(options.seed) : (options.generator ?? defaultGenerator());
  if (!options.skipConstruction) {
    let rebuilt: Module | null = null;
    try {
      rebuilt = fromSpec(toSpec(model), { generator: gen });
    } catch (e) {
      if (!(e instanceof InitError)) throw e;
      warnings.push(`the model cannot be written as a spec (${e.message}); PyTorch's construction order is approximated by resetParameters() in apply order`);
    }
    if (rebuilt !== null) {
      const fresh = rebuilt.stateDict();
      for (const [name, t] of model.stateDict()) {
        const src = fresh.get(name);
        if (src !== undefined && src.numel === t.numel) t.copy_(src);
      }
    } else {
      model.apply((m) => m.resetParameters({ generator: gen }));
    }
  }
  const ordered = applyOrder(model, plan.sites);
  // ... then the preset's own pass in model.apply order (the torch preset has none) ...
  if (plan.preset.name !== 'torch') {
    for (const s of ordered) {
      if (s.presetPlan.torchDefault || s.presetPlan.dist.kind === 'keep') continue;
      applyPlan(s.presetPlan, siteTensor(s.site), gen);
    }
  }
  // ... then the rules, in model.apply order, as `model.apply(init_weights)`.
  const ruleGens = new Map<number, Generator>();
  for (const s of ordered) {
    if (s.rule === null) continue;
    let g: RandomEngine = gen;
    if (s.rule.seed !== null) {
      g = ruleGens.get(s.rule.index) ?? new Generator();
      (g as Generator).manualSeed(s.rule.seed); // re-seeded for every parameter: identical draws
      ruleGens.set(s.rule.index, g as Generator);
    }
    applyPlan(s.plan, siteTensor(s.site), g);
  }
  for (const s of params) {
    const source = s.rule ? `rule #${s.rule.index}` : plan.preset.name === 'torch' || s.presetPlan.torchDefault ? 'construction' : 'preset';
    report.push({ name: s.site.path, init: s.plan.init, source });
  }
  return { preset: plan.preset.name, stream, seed: seedText, parameters: report, warnings };
}
