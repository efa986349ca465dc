/**
 * `lint`: the init traps users hit, found before training. Each finding has a severity, the parameter (or module)
 * path, what is wrong, why it matters and the fix. Pure data; `initkit lint` exits non-zero on errors.
 */
import { InitError } from '../errors.js';
import { calculateFanInAndFanOut } from '../init/fan.js';
import type { Module } from '../nn/module.js';
import { distStats } from '../presets/dist.js';
import { type PlanOptions, type SitePlan, planModel } from '../presets/plan.js';
import { moduleType, siteTensor } from '../presets/sites.js';
import { CONV_TRANSPOSE_TYPES, CONV_TYPES, LINEAR_LIKE } from '../presets/torch.js';

export const LINT_SEVERITIES = ['error', 'warning', 'info'] as const;
export type LintSeverity = (typeof LINT_SEVERITIES)[number];

export const LINT_CODES = [
  'invalid-rules',
  'identical-layers',
  'identical-values',
  'trunc-normal-no-truncation',
  'zero-fan',
  'grouped-fan-overcount',
  'transposed-conv-fans',
  'stacked-qkv-xavier',
  'deep-relu-default',
  'same-seed-reused',
  'fan-based-bias',
  'unmatched-rule',
] as const;
export type LintCode = (typeof LINT_CODES)[number];

export interface LintFinding {
  severity: LintSeverity;
  code: LintCode;
  /** Parameter or module path (`''` for the whole model). */
  path: string;
  /** What is wrong, with the numbers. */
  message: string;
  /** Why it matters. */
  why: string;
  /** What to do. */
  fix: string;
}

export interface LintReport {
  findings: LintFinding[];
  errors: number;
  warnings: number;
  infos: number;
}

export interface LintOptions extends PlanOptions {
  /**
   * Also compare the values of a materialized model (identical random parameters). Default true; ignored for meta
   * models.
   */
  values?: boolean;
}

const fmt = (x: number): string => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(3))) : x.toExponential(2));

/**
 * Lint `model`'s initialization under a preset and rules.
 *
 * @example
 * ```ts
 * const report = lint(nn.fromSpec(spec, { device: 'meta' }));
 * report.findings.filter((f) => f.severity === 'error');
 * ```
 */
export function lint(model: Module, options: LintOptions = {}): LintReport {
  const findings: LintFinding[] = [];
  let plan;
  try {
    plan = planModel(model, options);
  } catch (e) {
    if (!(e instanceof InitError)) throw e;
    const fanBias = /fan-in is undefined|fan/.test(e.message) && /shape \[\d+\]/.test(e.message);
    findings.push({
      severity: 'error',
      code: fanBias ? 'fan-based-bias' : 'invalid-rules',
      path: e.where,
      message: e.message,
      why: fanBias
        ? 'A bias has no fan-in of its own; fan-based schemes (Kaiming, Xavier, LeCun, variance scaling) are undefined on 1-D tensors. Keras silently uses fan = len(bias) here, far from PyTorch\'s 1/sqrt(fan_in) bound (keras#20873).'
        : 'The rules cannot be applied as written.',
      fix: e.fix ?? 'Fix the rule as the message says.',
    });
    return summarize(findings);
  }
  const sites = plan.sites;
  for (const i of plan.unmatchedRules) {
    findings.push({
      severity: 'error',
      code: 'unmatched-rule',
      path: `rules[${i}]`,
      message: `rule #${i} (${plan.rules.rules[i]!.matchText}) matches no parameter`,
      why: 'A rule that matches nothing usually means a typo in a class name or a path glob, so the intended init never happens.',
      fix: 'Compare the match with the names `initkit explain` prints (module class names are PyTorch\'s, paths are state-dict keys).',
    });
  }
  checkIdenticalLayers(model, sites, plan.preset.name, findings);
  for (const s of sites) {
    if (s.site.kind !== 'parameter') continue;
    checkTruncation(s, findings);
    checkZeroFan(s, findings);
    checkGroupedFans(s, findings);
    checkTransposedFans(s, findings);
    checkStackedQkv(s, findings);
  }
  checkSameSeed(sites, findings);
  checkDeepRelu(model, sites, findings);
  if (options.values !== false) checkIdenticalValues(sites, findings);
  return summarize(findings);
}

function summarize(findings: LintFinding[]): LintReport {
  const order: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  return {
    findings,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    infos: findings.filter((f) => f.severity === 'info').length,
  };
}

/** The plan is PyTorch's construction value (no preset pass or rule re-draws it). */
function keepsConstruction(s: SitePlan, presetName: string): boolean {
  return s.rule === null && (presetName === 'torch' || s.presetPlan.torchDefault === true);
}

function checkIdenticalLayers(model: Module, sites: SitePlan[], presetName: string, out: LintFinding[]): void {
  for (const [path, m] of model.namedModules()) {
    const type = moduleType(m);
    if (type !== 'TransformerEncoder' && type !== 'TransformerDecoder') continue;
    const layers = m._modules.get('layers');
    const n = layers ? layers._modules.size : 0;
    if (n < 2) continue;
    const prefix = path === '' ? 'layers.' : `${path}.layers.`;
    const random = sites.filter(
      (s) => s.site.kind === 'parameter' && s.site.path.startsWith(prefix) && s.plan.dist.kind !== 'constant' && s.plan.dist.kind !== 'keep',
    );
    // The copies stay identical when nothing after construction re-draws them (sequential stream).
    if (random.length === 0 || !random.every((s) => keepsConstruction(s, presetName))) continue;
    out.push({
      severity: 'warning',
      code: 'identical-layers',
      path,
      message: `${type} with ${n} layers: PyTorch deep-copies one layer (_get_clones), so all ${n} layers start with identical weights`,
      why: 'Identical layers receive identical gradients at first and only drift apart through their different inputs; it is a known surprise (pytorch#86274, #72253, #120396) and it wastes the depth the model was built for.',
      fix: `Re-initialize the layers after construction (a preset other than torch, or rules matching "${prefix}**"), or use stream "path" so each layer draws its own values.`,
    });
  }
}

function checkTruncation(s: SitePlan, out: LintFinding[]): void {
  const d = s.plan.dist;
  const parts = d.kind === 'rows' ? d.parts.map((p) => p.dist) : [d];
  for (const p of parts) {
    if (p.kind !== 'truncated_normal') continue;
    const lo = (p.mean - p.a) / p.std;
    const hi = (p.b - p.mean) / p.std;
    const k = Math.min(lo, hi);
    if (k > 3) {
      out.push({
        severity: 'warning',
        code: 'trunc-normal-no-truncation',
        path: s.site.path,
        message: `trunc_normal_ with std ${fmt(p.std)} and absolute bounds [${fmt(p.a)}, ${fmt(p.b)}] truncates at ±${fmt(k)}σ: it truncates nothing`,
        why: "PyTorch's trunc_normal_ bounds are absolute, not multiples of std; trunc_normal_(w, std=0.02) cuts at ±2 = ±100σ, an untruncated normal (timm's note; foundation-model-stack#289).",
        fix: `Pass a=${fmt(p.mean - 2 * p.std)}, b=${fmt(p.mean + 2 * p.std)} (±2σ) for the truncation Keras, JAX and TF.js apply.`,
      });
      return;
    }
  }
}

function checkZeroFan(s: SitePlan, out: LintFinding[]): void {
  const shape = s.site.shape;
  if (shape.length < 2 || !shape.includes(0)) return;
  const [fi, fo] = calculateFanInAndFanOut(shape);
  out.push({
    severity: s.plan.fans !== null ? 'error' : 'warning',
    code: 'zero-fan',
    path: s.site.path,
    message: `shape [${shape.join(', ')}] has fan_in=${fi}, fan_out=${fo}`,
    why: 'A weight with no inputs or outputs has no variance to preserve: fan-based formulas divide by zero (PyTorch skips the draw with a warning), and the layer passes no signal.',
    fix: 'Check the layer sizes in the spec; a zero dimension is almost always a mistake.',
  });
}

function usesFanOut(s: SitePlan): boolean {
  const c = s.plan.call;
  if (c === null) return s.plan.fans !== null && /fan_out|fan_avg|glorot|xavier/.test(`${s.plan.init} ${s.plan.formula}`);
  if (c.fn === 'xavier_uniform_' || c.fn === 'xavier_normal_') return true;
  if ((c.fn === 'kaiming_uniform_' || c.fn === 'kaiming_normal_') && c.args['mode'] === 'fan_out') return true;
  if (c.fn === 'variance_scaling_' && c.args['mode'] !== 'fan_in') return true;
  return false;
}

function checkGroupedFans(s: SitePlan, out: LintFinding[]): void {
  const { type, cfg, name, shape } = s.site;
  if (!CONV_TYPES.has(type) || name !== 'weight') return;
  const g = (cfg['groups'] as number) ?? 1;
  if (g <= 1 || !usesFanOut(s)) return;
  const [, fo] = calculateFanInAndFanOut(shape);
  out.push({
    severity: 'warning',
    code: 'grouped-fan-overcount',
    path: s.site.path,
    message: `${s.plan.init} on a ${g === (cfg['in_channels'] as number) ? 'depthwise' : 'grouped'} conv (groups=${g}) uses fan_out=${fo}, but each input channel reaches only ${fo / g} outputs`,
    why: `PyTorch's fan computation ignores groups and over-counts fan_out by ${g}× (pytorch#23854, open), so the std is ${fmt(Math.sqrt(g))}× (fan_out mode) or less (fan_avg) smaller than intended.`,
    fix: `Use calculateFanInAndFanOut(w, { groups: ${g} }) / varianceScaling_(w, { groups: ${g}, ... }), or mode 'fan_in'.`,
  });
}

function checkTransposedFans(s: SitePlan, out: LintFinding[]): void {
  const { type, name, shape } = s.site;
  if (!CONV_TRANSPOSE_TYPES.has(type) || name !== 'weight' || s.plan.fans === null) return;
  const [fi, fo] = calculateFanInAndFanOut(shape);
  out.push({
    severity: 'info',
    code: 'transposed-conv-fans',
    path: s.site.path,
    message: `${type} weight [${shape.join(', ')}] is stored (in, out/groups, *k): PyTorch's fan_in = ${fi} counts output channels, fan_out = ${fo} input channels`,
    why: "Fan-based inits on transposed convolutions use swapped fans in PyTorch (and Keras/TF.js, whose kernels are (*k, filters, in)); PyTorch's docs note k = groups/(C_out·∏k) for ConvTranspose (PR #30079). The scale differs from the conv it inverts when in != out.",
    fix: "If you want the convolution's fans, pass mode='fan_out' to kaiming_* (which then counts the input channels), or compute fans explicitly.",
  });
}

function checkStackedQkv(s: SitePlan, out: LintFinding[]): void {
  if (s.site.type !== 'MultiheadAttention' || s.site.name !== 'in_proj_weight') return;
  const c = s.plan.call;
  if (c === null || (c.fn !== 'xavier_uniform_' && c.fn !== 'xavier_normal_')) return;
  const e = s.site.shape[1]!;
  out.push({
    severity: 'info',
    code: 'stacked-qkv-xavier',
    path: s.site.path,
    message: `${c.fn} on the stacked [3E, E] = [${3 * e}, ${e}] Q/K/V matrix counts fan_out = ${3 * e}: std sqrt(2/(4E)) = ${fmt(Math.sqrt(2 / (4 * e)))}, 0.71× a separate [E, E] projection's ${fmt(Math.sqrt(2 / (2 * e)))}`,
    why: "PyTorch's MultiheadAttention initializes the three projections as one matrix (frameworks with separate Q/K/V kernels do not), so attention logits start smaller.",
    fix: 'Expected for PyTorch parity. For separate-projection Xavier, add a rule on in_proj_weight or use the xavier preset (which initializes Q, K, V block by block).',
  });
}

function checkSameSeed(sites: SitePlan[], out: LintFinding[]): void {
  const byRule = new Map<number, SitePlan[]>();
  for (const s of sites) {
    if (s.rule === null || s.rule.seed === null) continue;
    const list = byRule.get(s.rule.index) ?? [];
    list.push(s);
    byRule.set(s.rule.index, list);
  }
  for (const [index, list] of byRule) {
    const shapes = new Map<string, string[]>();
    for (const s of list) {
      const k = s.site.shape.join('x');
      shapes.set(k, [...(shapes.get(k) ?? []), s.site.path]);
    }
    for (const [shape, paths] of shapes) {
      if (paths.length < 2) continue;
      out.push({
        severity: 'warning',
        code: 'same-seed-reused',
        path: `rules[${index}]`,
        message: `rule #${index} reseeds with seed ${list[0]!.rule!.seed} for each of ${paths.length} parameters of shape [${shape.replace(/x/g, ', ')}] (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}): they get identical values`,
        why: 'Re-seeding before every layer (or giving every shard/rank the same seed) makes layers exact copies, the deep-copy problem by another route.',
        fix: 'Drop the per-rule seed, or use stream "path": each parameter gets its own stream from (seed, path).',
      });
    }
  }
}

const RELU_LIKE = new Set(['ReLU', 'ReLU6', 'LeakyReLU']);

/** Runs of Linear/Conv + ReLU under PyTorch's default init: forward second moment × 1/6 per layer. */
function checkDeepRelu(model: Module, sites: SitePlan[], out: LintFinding[]): void {
  const planOf = new Map<unknown, SitePlan>();
  for (const s of sites) if (s.site.name === 'weight') planOf.set(s.site.module, s);
  for (const [path, m] of model.namedModules()) {
    const t = moduleType(m);
    if (t !== 'Sequential') continue;
    const kids = [...m._modules.values()].filter((x): x is Module => x !== null);
    let run = 0;
    let best = 0;
    let factor = 1;
    let bestFactor = 1;
    for (let i = 0; i < kids.length; i++) {
      const k = kids[i]!;
      const kt = moduleType(k);
      if (LINEAR_LIKE.has(kt) && !CONV_TRANSPOSE_TYPES.has(kt)) {
        const next = kids[i + 1];
        const s = planOf.get(k);
        if (next && RELU_LIKE.has(moduleType(next)) && s) {
          const fi = s.site.shape.length >= 2 ? calculateFanInAndFanOut(s.site.shape)[0] : 0;
          const st = distStats(s.plan.dist, s.site.shape);
          const gainSq = fi * (st.std * st.std) * 0.5; // E[relu(z)^2] = q/2
          if (gainSq < 0.5) {
            run++;
            factor *= gainSq;
            if (run > best) {
              best = run;
              bestFactor = factor;
            }
            i++;
            continue;
          }
        }
      }
      run = 0;
      factor = 1;
    }
    if (best >= 3) {
      const std = Math.sqrt(bestFactor);
      out.push({
        severity: std < 1e-3 ? 'error' : 'warning',
        code: 'deep-relu-default',
        path,
        message: `${best} Linear/Conv + ReLU layers whose weight variance is ~1/(3·fan_in) (PyTorch's default): the activations' second moment shrinks ×${fmt(bestFactor ** (1 / best))} per layer, to ×${fmt(bestFactor)} after ${best} (std ×${fmt(std)}, ignoring biases)`,
        why: "PyTorch's kaiming_uniform_(a=√5) has variance 1/(3·fan_in) and ReLU halves the second moment: ×1/6 per layer. Deep stacks vanish before training starts (He et al. 2015 use 2/fan_in).",
        fix: "Use the 'he' preset, or a rule { match: { module: 'Linear', param: 'weight' }, init: 'kaiming_normal_', args: { nonlinearity: 'relu' } }; check with `initkit diagnose`.",
      });
    }
  }
}

function checkIdenticalValues(sites: SitePlan[], out: LintFinding[]): void {
  const seen = new Map<string, string>();
  for (const s of sites) {
    if (s.site.kind !== 'parameter') continue;
    const t = siteTensor(s.site);
    if (t.isMeta || t.numel < 16 || s.plan.dist.kind === 'constant' || s.plan.dist.kind === 'eye' || s.plan.dist.kind === 'dirac') continue;
    const d = t.data;
    let h = 2166136261;
    for (let i = 0; i < d.length; i += Math.max(1, Math.floor(d.length / 64))) h = Math.imul(h ^ Math.round(d[i]! * 1e9), 16777619);
    const key = `${t.shape.join('x')}:${h}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      const other = sites.find((x) => x.site.path === prev)!;
      const a = siteTensor(other.site).data;
      let same = true;
      for (let i = 0; i < d.length && same; i++) same = a[i] === d[i];
      if (same && !out.some((f) => f.code === 'identical-layers' && (s.site.path.startsWith(`${f.path}.layers.`) || (f.path === '' && s.site.path.startsWith('layers.'))))) {
        out.push({
          severity: 'warning',
          code: 'identical-values',
          path: s.site.path,
          message: `${s.site.path} has exactly the same values as ${prev}`,
          why: 'Randomly initialized parameters that are bit-identical come from a copied layer or a reused seed; the copies start symmetric.',
          fix: 'Re-initialize one of them, or use stream "path".',
        });
      }
    } else seen.set(key, s.site.path);
  }
}
