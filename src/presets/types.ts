/** The shared vocabulary of presets, rules, explain and lint. */
import type { Module } from '../nn/module.js';
import type { DType } from '../tensor/dtype.js';
import type { Dist } from './dist.js';
import type { InitCall } from './registry.js';

export const PRESETS = ['torch', 'keras', 'tfjs', 'flax', 'lecun', 'he', 'xavier', 'gpt2', 'torchvision-resnet'] as const;
export type PresetName = (typeof PRESETS)[number];

/** One ancestor of a parameter's module (root first). */
export interface AncestorInfo {
  path: string;
  type: string;
  module: Module;
}

/** A parameter or buffer, with the module it belongs to: what presets, rules, explain and lint look at. */
export interface ParamSite {
  /** Full dotted name as in `state_dict()`: `encoder.layers.0.linear1.weight`. */
  path: string;
  /** The local name: `weight`, `bias_hh_l0`, `running_mean`. */
  name: string;
  /** Dotted path of the owning module (`''` for the root). */
  modulePath: string;
  module: Module;
  /** PyTorch's class name of the owning module (`Linear`, `MultiheadAttention`, `Module` for user modules). */
  type: string;
  /** The owning module's PyTorch-named constructor arguments (`in_features`, `padding_idx`, …). */
  cfg: Record<string, unknown>;
  shape: readonly number[];
  dtype: DType;
  kind: 'parameter' | 'buffer';
  /** Ancestor modules, root first (not including the owner). */
  ancestors: AncestorInfo[];
}

/** How one parameter is initialized: the call (when exact), the distribution and its formula. */
export interface InitPlan {
  /** Display name of the init: `kaiming_uniform_(a=√5)`, `glorot_uniform (Keras)`, `constant_(val=0)`. */
  init: string;
  /** The exact initkit call, when the plan is one (the torch preset, rules); otherwise the distribution is sampled. */
  call: InitCall | null;
  dist: Dist;
  /** Formula with numbers: `U(-b, b), b = 1/sqrt(fan_in) = 0.1`. */
  formula: string;
  /** Fans the scheme used (in the framework's own kernel layout), or null when it uses none. */
  fans: [number, number] | null;
  /** False when the framework has no such layer and PyTorch's default is kept. */
  covered: boolean;
  /** A short note (quirks, the framework layer this maps to). */
  note?: string;
  /** Rows (along dim 0) set to 0 after the draw: an embedding's `padding_idx`. */
  zeroRows?: number[];
  /** True when the plan is PyTorch's default kept by a preset that has no such layer or parameter. */
  torchDefault?: boolean;
}

/** Options a preset may take. */
export interface PresetOptions {
  /** GPT-2: `initializer_range` (default 0.02). */
  initializerRange?: number;
  /** GPT-2: number of transformer blocks for the residual scaling 0.02/√(2·n_layer) (default: inferred). */
  nLayer?: number;
  /** torchvision ResNet: zero-init the last BatchNorm of each residual block (default false). */
  zeroInitResidual?: boolean;
}

export interface PresetContext {
  options: PresetOptions;
  /** The root module. */
  root: Module;
  /** Number of transformer blocks found in the model (for GPT-2's residual scaling). */
  nLayer: number;
}

export interface Preset {
  name: PresetName;
  /** One line: what it reproduces. */
  title: string;
  /** Where the facts come from (library, version, file). */
  source: string;
  /** The plan for one parameter or buffer. */
  plan(site: ParamSite, ctx: PresetContext): InitPlan;
  /** A one-line, plain-language note about a module under this preset, or null. */
  moduleNote?(type: string, module: Module, sites: ParamSite[], ctx: PresetContext): string | null;
}
