/**
 * `explain`: per parameter and buffer, its fans, the init a preset and rules give it, the distribution in words and
 * formula, bound and std, and the std set against LeCun's 1/√fan_in, He's √(2/fan_in) and Xavier's
 * √(2/(fan_in + fan_out)); plus a one-line note per module. Pure data: the CLI renders it. Works on meta models.
 */
import { calculateFanInAndFanOut } from '../init/fan.js';
import type { Module } from '../nn/module.js';
import { distStats, distText } from '../presets/dist.js';
import { type PlanOptions, planModel } from '../presets/plan.js';
import type { ParamSite, PresetName } from '../presets/types.js';

export interface ExplainRow {
  name: string;
  shape: number[];
  /** PyTorch class name of the owning module. */
  module: string;
  kind: 'parameter' | 'buffer';
  /** PyTorch-layout fans of this tensor (null for fewer than 2 dimensions). */
  fanIn: number | null;
  fanOut: number | null;
  /** The init function and arguments, e.g. `kaiming_uniform_(a=√5)`. */
  init: string;
  /** Distribution with its formula: `U(-b, b), b = 1/sqrt(fan_in) = 0.1`. */
  distribution: string;
  /** Short form: `U(-0.1, 0.1)`. */
  summary: string;
  /** Largest possible |value| (null if unbounded). */
  bound: number | null;
  mean: number | null;
  std: number | null;
  /** std / (1/√fan_in). */
  vsLecun: number | null;
  /** std / √(2/fan_in). */
  vsHe: number | null;
  /** std / √(2/(fan_in + fan_out)). */
  vsXavier: number | null;
  /** Where the init comes from: `preset` or `rule #i`. */
  source: string;
  /** False when the preset's framework has no such layer and PyTorch's default is shown. */
  covered: boolean;
  note: string | null;
}

export interface ModuleExplanation {
  /** Dotted module path (`''` for the root). */
  name: string;
  module: string;
  note: string;
}

export interface Explanation {
  preset: PresetName;
  title: string;
  source: string;
  parameters: ExplainRow[];
  modules: ModuleExplanation[];
  totals: { parameters: number; tensors: number; bytes: number };
}

const ratio = (x: number | null, ref: number | null): number | null =>
  x === null || ref === null || !Number.isFinite(x) || !Number.isFinite(ref) || ref === 0 ? null : x / ref;

/**
 * Explain how every parameter and buffer of `model` is initialized under a preset (default `torch`) and rules.
 *
 * @example
 * ```ts
 * const e = explain(nn.fromSpec(spec, { device: 'meta' }), { preset: 'torch' });
 * e.parameters[0]; // { name: '0.weight', init: 'kaiming_uniform_(a=√5)', distribution: 'U(-b, b), b = 1/sqrt(fan_in) = 0.5', vsLecun: 0.577, ... }
 * ```
 */
export function explain(model: Module, options: PlanOptions = {}): Explanation {
  const plan = planModel(model, options);
  const rows: ExplainRow[] = plan.sites.map(({ site, plan: p, rule }) => {
    const fans = site.shape.length >= 2 ? calculateFanInAndFanOut(site.shape) : null;
    const st = distStats(p.dist, site.shape);
    const keep = p.dist.kind === 'keep';
    const std = keep ? null : st.std;
    const [fi, fo] = fans ?? [null, null];
    const lecun = fi ? 1 / Math.sqrt(fi) : null;
    const he = fi ? Math.sqrt(2 / fi) : null;
    const xavier = fi !== null && fo !== null && fi + fo > 0 ? Math.sqrt(2 / (fi + fo)) : null;
    const isParam = site.kind === 'parameter';
    return {
      name: site.path,
      shape: [...site.shape],
      module: site.type,
      kind: site.kind,
      fanIn: fi,
      fanOut: fo,
      init: p.init,
      distribution: p.formula,
      summary: distText(p.dist),
      bound: keep ? null : st.bound,
      mean: keep ? null : st.mean,
      std,
      vsLecun: isParam ? ratio(std, lecun) : null,
      vsHe: isParam ? ratio(std, he) : null,
      vsXavier: isParam ? ratio(std, xavier) : null,
      source: rule ? `rule #${rule.index}` : 'preset',
      covered: p.covered,
      note: p.note ?? null,
    };
  });
  const modules: ModuleExplanation[] = [];
  const byModule = new Map<Module, ParamSite[]>();
  for (const s of plan.sites) {
    const list = byModule.get(s.site.module) ?? [];
    list.push(s.site);
    byModule.set(s.site.module, list);
  }
  for (const [path, m] of model.namedModules()) {
    const type = (m.constructor as { signature?: { type?: string } }).signature?.type ?? m.getName();
    const own = plan.sites.filter((s) => s.site.module === m && s.site.kind === 'parameter');
    const ruled = own.filter((s) => s.rule !== null);
    let note: string | null;
    if (ruled.length > 0) {
      // Rules override the preset here: describe what they set, not the preset's default.
      note = `set by rules: ${ruled.map((s) => `${s.site.name} ← ${s.plan.init} (rule #${s.rule!.index})`).join(', ')}`;
      const rest = own.filter((s) => s.rule === null);
      if (rest.length > 0) note += `; ${rest.map((s) => s.site.name).join(', ')} from preset ${plan.preset.name}`;
    } else {
      note = plan.preset.moduleNote?.(type, m, byModule.get(m) ?? [], plan.context) ?? null;
    }
    if (note !== null) modules.push({ name: path, module: type, note });
  }
  const params = plan.sites.filter((s) => s.site.kind === 'parameter');
  return {
    preset: plan.preset.name,
    title: plan.preset.title,
    source: plan.preset.source,
    parameters: rows,
    modules,
    totals: {
      parameters: params.reduce((n, s) => n + s.site.shape.reduce((p, x) => p * x, 1), 0),
      tensors: plan.sites.length,
      bytes: plan.sites.reduce((n, s) => n + s.site.shape.reduce((p, x) => p * x, 1) * (s.site.dtype === 'float64' || s.site.dtype === 'int64' ? 8 : 4), 0),
    },
  };
}
