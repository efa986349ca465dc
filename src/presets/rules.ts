/**
 * Init rules: a serializable init spec. A document names a preset, then an ordered list of rules
 * `{ match: { module, param, path }, init, args }`; for each parameter the LAST matching rule wins over the preset.
 * This is what PyTorch users write by hand with `model.apply(init_weights)` and `isinstance`:
 *
 * ```json
 * { "preset": "torch",
 *   "rules": [
 *     { "match": { "module": "Linear", "param": "weight" }, "init": "xavier_normal_" },
 *     { "match": { "module": "Linear", "param": "bias" },   "init": "constant_", "args": { "val": 0.01 } } ] }
 * ```
 */
import { fail, formatValue } from '../errors.js';
import { PRESETS, type PresetName, type PresetOptions } from './types.js';
import { type InitCall, callShapeProblem, resolveCall } from './registry.js';
import type { ParamSite } from './types.js';

export const STREAMS = ['sequential', 'path'] as const;
export type StreamMode = (typeof STREAMS)[number];

/** What a rule matches; every given field must match (patterns are globs, arrays are alternatives). */
export interface RuleMatch {
  /** PyTorch class name of the owning module (`Linear`, `Conv*d`, `MultiheadAttention`). */
  module?: string | string[];
  /** The parameter's local name (`weight`, `bias`, `weight_hh_l*`). */
  param?: string | string[];
  /** The full dotted name (`encoder.layers.*.linear2.weight`): `*` matches one segment, `**` any number. */
  path?: string | string[];
}

export interface Rule {
  match: RuleMatch;
  /** An init function, PyTorch-style (`kaiming_normal_`) or initkit-style (`kaimingNormal_`); `keep` leaves it. */
  init: string;
  /** Named arguments (PyTorch's names), PyTorch's defaults for the rest. */
  args?: Record<string, unknown>;
  /**
   * Draw this rule's parameters from a fresh generator seeded with this value (like calling `torch.manual_seed`
   * before each layer): every matched parameter of the same shape gets the SAME values. Mostly a trap `lint` reports.
   */
  seed?: number;
  /** A comment kept with the rule. */
  comment?: string;
}

/** The whole document. */
export interface RuleSet {
  preset?: PresetName;
  presetOptions?: PresetOptions;
  stream?: StreamMode;
  rules?: Rule[];
}

/** A validated rule, with its call resolved. */
export interface ResolvedRule {
  index: number;
  match: { module: RegExp[] | null; param: RegExp[] | null; path: RegExp[] | null };
  matchText: string;
  call: InitCall;
  seed: number | null;
  source: Rule;
}

export interface ResolvedRuleSet {
  preset: PresetName | undefined;
  presetOptions: PresetOptions;
  stream: StreamMode | undefined;
  rules: ResolvedRule[];
}

/**
 * A glob as a RegExp: `*` one dotted segment (or part of one), `**` anything including dots, `?` one character.
 * With `segments: false` (module and param names), `*` matches any run of characters.
 */
export function globToRegExp(glob: string, segments = true): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += segments ? '[^.]*' : '.*';
    } else if (c === '?') re += segments ? '[^.]' : '.';
    else re += c.replace(/[\\^$+.()|[\]{}]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function patterns(where: string, field: string, v: unknown, segments: boolean): RegExp[] | null {
  if (v === undefined) return null;
  const list = typeof v === 'string' ? [v] : Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : null;
  if (list === null || list.some((x) => x === '')) {
    return fail({
      code: 'SPEC_ERROR',
      where: `${where}.match.${field}`,
      param: field,
      expected: `${field} to be a non-empty glob string or a non-empty array of them`,
      received: v,
    });
  }
  return list.map((g) => globToRegExp(g, segments));
}

/**
 * Validate a rules document (from JSON) and resolve every rule's function and arguments. Errors name the JSON
 * path (`rules[2].args.mode`) and list the valid values.
 */
export function parseRules(doc: unknown, where = 'rules'): ResolvedRuleSet {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    fail({
      code: 'SPEC_ERROR',
      where,
      param: 'rules',
      expected: 'a rules document: an object { "preset"?, "stream"?, "rules": [ { "match", "init", "args" } ] }',
      received: doc,
    });
  }
  const d = doc as Record<string, unknown>;
  const allowed = ['preset', 'presetOptions', 'preset_options', 'stream', 'rules', '$schema', 'comment', 'description'];
  for (const k of Object.keys(d)) {
    if (!allowed.includes(k)) {
      fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: `one of the document fields ${allowed.slice(0, 5).join(', ')}`, received: k });
    }
  }
  let preset: PresetName | undefined;
  if (d['preset'] !== undefined) {
    if (typeof d['preset'] !== 'string' || !(PRESETS as readonly string[]).includes(d['preset'])) {
      fail({ code: 'UNKNOWN_NAME', where: `${where}.preset`, param: 'preset', expected: `preset to be one of ${PRESETS.map((p) => `'${p}'`).join(', ')}`, received: d['preset'] });
    }
    preset = d['preset'] as PresetName;
  }
  let stream: StreamMode | undefined;
  if (d['stream'] !== undefined) {
    if (!(STREAMS as readonly unknown[]).includes(d['stream'])) {
      fail({ code: 'UNKNOWN_NAME', where: `${where}.stream`, param: 'stream', expected: `stream to be one of ${STREAMS.map((s) => `'${s}'`).join(', ')}`, received: d['stream'] });
    }
    stream = d['stream'] as StreamMode;
  }
  const presetOptions = parsePresetOptions(`${where}.presetOptions`, d['presetOptions'] ?? d['preset_options']);
  const list = d['rules'] ?? [];
  if (!Array.isArray(list)) {
    fail({ code: 'SPEC_ERROR', where: `${where}.rules`, param: 'rules', expected: 'rules to be an array of { match, init, args }', received: list });
  }
  const rules = list.map((r: unknown, i: number) => parseRule(r, i, `${where}.rules[${i}]`));
  return { preset, presetOptions, stream, rules };
}

export function parsePresetOptions(where: string, v: unknown): PresetOptions {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    fail({ code: 'SPEC_ERROR', where, param: 'presetOptions', expected: 'an object', received: v });
  }
  const out: PresetOptions = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const key = k === 'initializer_range' ? 'initializerRange' : k === 'n_layer' ? 'nLayer' : k === 'zero_init_residual' ? 'zeroInitResidual' : k;
    if (key === 'initializerRange') {
      if (typeof x !== 'number' || !(x > 0) || !Number.isFinite(x)) fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: 'a positive number', received: x });
      out.initializerRange = x;
    } else if (key === 'nLayer') {
      if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: 'a positive integer', received: x });
      out.nLayer = x;
    } else if (key === 'zeroInitResidual') {
      if (typeof x !== 'boolean') fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: 'true or false', received: x });
      out.zeroInitResidual = x;
    } else {
      fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: 'one of initializerRange, nLayer (gpt2), zeroInitResidual (torchvision-resnet)', received: k });
    }
  }
  return out;
}

function parseRule(r: unknown, index: number, where: string): ResolvedRule {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    fail({ code: 'SPEC_ERROR', where, param: 'rule', expected: 'a rule object { "match": {...}, "init": "...", "args": {...} }', received: r });
  }
  const rule = r as Record<string, unknown>;
  for (const k of Object.keys(rule)) {
    if (!['match', 'init', 'args', 'seed', 'comment'].includes(k)) {
      fail({ code: 'SPEC_ERROR', where: `${where}.${k}`, param: k, expected: 'one of the rule fields match, init, args, seed, comment', received: k });
    }
  }
  const m = rule['match'];
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    fail({ code: 'SPEC_ERROR', where: `${where}.match`, param: 'match', expected: 'match to be an object with module, param and/or path', received: m });
  }
  const mm = m as Record<string, unknown>;
  for (const k of Object.keys(mm)) {
    if (!['module', 'param', 'path'].includes(k)) {
      fail({ code: 'SPEC_ERROR', where: `${where}.match.${k}`, param: k, expected: 'one of the match fields module, param, path', received: k });
    }
  }
  if (Object.keys(mm).length === 0) {
    fail({ code: 'SPEC_ERROR', where: `${where}.match`, param: 'match', expected: 'at least one of module, param, path (use path "**" to match everything)', received: m });
  }
  if (rule['init'] === undefined) {
    fail({ code: 'SPEC_ERROR', where: `${where}.init`, param: 'init', expected: 'an init function name such as "xavier_normal_"', received: undefined });
  }
  const call = resolveCall(`${where}`, rule['init'], rule['args'] ?? {});
  let seed: number | null = null;
  if (rule['seed'] !== undefined) {
    if (typeof rule['seed'] !== 'number' || !Number.isSafeInteger(rule['seed'])) {
      fail({ code: 'SPEC_ERROR', where: `${where}.seed`, param: 'seed', expected: 'an integer', received: rule['seed'] });
    }
    seed = rule['seed'] as number;
  }
  const matchText = Object.entries(mm)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(' ');
  return {
    index,
    match: {
      module: patterns(where, 'module', mm['module'], false),
      param: patterns(where, 'param', mm['param'], false),
      path: patterns(where, 'path', mm['path'], true),
    },
    matchText,
    call,
    seed,
    source: rule as unknown as Rule,
  };
}

/** Does a rule match a parameter? */
export function ruleMatches(rule: ResolvedRule, site: ParamSite): boolean {
  const { module, param, path } = rule.match;
  if (module && !module.some((re) => re.test(site.type))) return false;
  if (param && !param.some((re) => re.test(site.name))) return false;
  if (path && !path.some((re) => re.test(site.path))) return false;
  return true;
}

export interface RuleResolution {
  /** For each site index, the winning rule (last match), or null. */
  winner: (ResolvedRule | null)[];
  /** Indices of rules that matched no parameter. */
  unmatched: number[];
}

/**
 * Match rules against parameters (buffers are not matched): the last matching rule wins. Throws if a rule's
 * function cannot apply to a parameter it wins (a fan-based init on a bias, eye_ on a conv kernel), naming both.
 */
export function resolveRules(rules: ResolvedRule[], sites: ParamSite[]): RuleResolution {
  const winner: (ResolvedRule | null)[] = sites.map(() => null);
  const used = new Set<number>();
  sites.forEach((site, i) => {
    if (site.kind !== 'parameter') return;
    for (const r of rules) {
      if (ruleMatches(r, site)) {
        winner[i] = r;
        used.add(r.index);
      }
    }
    const w = winner[i];
    if (w) {
      const problem = callShapeProblem(w.call, site.shape);
      if (problem !== null) {
        fail({
          code: 'SPEC_ERROR',
          where: `rules[${w.index}]`,
          param: 'match',
          expected: `every parameter the rule (${w.matchText}) matches to fit ${w.call.fn}`,
          receivedText: `${site.path}: ${problem}`,
          fix: site.shape.length === 1 ? 'Narrow the match, e.g. { "param": "weight" }, and give biases their own rule (zeros_ or constant_).' : '',
        });
      }
    }
  });
  const unmatched = rules.filter((r) => !used.has(r.index)).map((r) => r.index);
  return { winner, unmatched };
}
