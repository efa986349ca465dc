/** Resolve, for every parameter and buffer of a model, the plan that a preset plus rules give it. */
import type { Module } from '../nn/module.js';
import { getPreset } from './catalogue.js';
import { type ResolvedRule, type ResolvedRuleSet, parseRules, resolveRules } from './rules.js';
import { collectSites, countTransformerBlocks } from './sites.js';
import { callPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset, PresetContext, PresetName, PresetOptions } from './types.js';

export interface PlanOptions {
  /** Preset name (default `'torch'`, or the rules document's). */
  preset?: PresetName;
  /** Preset options (gpt2's initializerRange / nLayer, torchvision-resnet's zeroInitResidual). */
  presetOptions?: PresetOptions;
  /** A rules document (object) or one already parsed. */
  rules?: unknown;
}

export interface SitePlan {
  site: ParamSite;
  /** What the preset alone gives. */
  presetPlan: InitPlan;
  /** The winning rule, if any. */
  rule: ResolvedRule | null;
  /** The plan in effect (the rule's if there is one). */
  plan: InitPlan;
}

export interface ModelPlan {
  preset: Preset;
  context: PresetContext;
  rules: ResolvedRuleSet;
  sites: SitePlan[];
  /** Indices of rules that matched no parameter. */
  unmatchedRules: number[];
}

export function isResolvedRuleSet(v: unknown): v is ResolvedRuleSet {
  return typeof v === 'object' && v !== null && Array.isArray((v as ResolvedRuleSet).rules) && 'presetOptions' in (v as object) && (v as ResolvedRuleSet).rules.every((r) => 'call' in r);
}

/** Plans for every parameter and buffer (state-dict order) under a preset and rules. Works on meta models. */
export function planModel(model: Module, options: PlanOptions = {}): ModelPlan {
  const rules: ResolvedRuleSet =
    options.rules === undefined ? { preset: undefined, presetOptions: {}, stream: undefined, rules: [] } : isResolvedRuleSet(options.rules) ? options.rules : parseRules(options.rules);
  const presetName = options.preset ?? rules.preset ?? 'torch';
  const preset = getPreset('preset', presetName);
  const presetOptions: PresetOptions = { ...rules.presetOptions, ...options.presetOptions };
  const context: PresetContext = { options: presetOptions, root: model, nLayer: presetOptions.nLayer ?? countTransformerBlocks(model) };
  const sites = collectSites(model, { buffers: true });
  const resolution = resolveRules(rules.rules, sites);
  const out: SitePlan[] = sites.map((site, i) => {
    const presetPlan = preset.plan(site, context);
    const rule = resolution.winner[i] ?? null;
    const plan = rule === null ? presetPlan : { ...callPlan(rule.call, site.shape), note: `rule #${rule.index} (${rule.matchText})` };
    return { site, presetPlan, rule, plan };
  });
  return { preset, context, rules, sites: out, unmatchedRules: resolution.unmatched };
}
