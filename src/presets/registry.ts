/**
 * The init functions a rule can name, in PyTorch's spelling (`kaiming_normal_`) or initkit's (`kaimingNormal_`),
 * with their arguments validated by name, applied through initkit's exact functions, and described as a
 * distribution with its formula (for `explain`).
 */
import { fail } from '../errors.js';
import { calculateFanInAndFanOut } from '../init/fan.js';
import { type Nonlinearity, NONLINEARITIES, calculateGain } from '../init/gain.js';
import * as init from '../init/index.js';
import { TRUNCATED_NORMAL_STD_FACTOR } from '../init/variance-scaling.js';
import type { RandomEngine } from '../rng/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import { type Dist, num } from './dist.js';

type ArgKind = 'number' | 'int' | 'enum' | 'bool';

interface ArgDef {
  /** PyTorch's (snake_case) name. */
  name: string;
  kind: ArgKind;
  values?: readonly string[];
  default: number | string | boolean | null;
  /** Must be >= 0. */
  nonNegative?: boolean;
}

/** A resolved init call: canonical function name and complete, validated arguments (PyTorch names). */
export interface InitCall {
  fn: InitFnName;
  args: Record<string, number | string | boolean | null>;
}

/** What a call does to a tensor of a given shape. */
export interface CallPlan {
  dist: Dist;
  /** The formula with numbers, e.g. `U(-b, b), b = 1/sqrt(fan_in) = 0.1`. */
  formula: string;
  /** PyTorch-layout fans, when the function uses them. */
  fans: [number, number] | null;
}

interface InitFnDef {
  torch: string;
  initkit: string;
  args: ArgDef[];
  /** Minimum number of dimensions (2 for fan-based and orthogonal inits). */
  minDim: number;
  /** Exact dimensions allowed (eye: [2]; dirac/delta: [3, 4, 5]). */
  dims?: readonly number[];
  fanBased: boolean;
  /** Draws random numbers. */
  random: boolean;
  apply(t: Tensor, a: InitCall['args'], g: RandomEngine): void;
  plan(shape: readonly number[], a: InitCall['args']): CallPlan;
}

const n = (a: InitCall['args'], k: string): number => a[k] as number;
const s = (a: InitCall['args'], k: string): string => a[k] as string;
const fansOf = (shape: readonly number[]): [number, number] => calculateFanInAndFanOut(shape);

function gainText(nl: string, a: number): string {
  if (nl === 'leaky_relu') {
    if (Math.abs(a * a - 5) < 1e-12) return '√(1/3)';
    return `√(2/(1+${num(a)}²))`;
  }
  return nl === 'relu' ? '√2' : nl === 'tanh' ? '5/3' : nl === 'selu' ? '3/4' : '1';
}

function kaimingStd(shape: readonly number[], a: InitCall['args']): { std: number; fan: number; gain: number; fans: [number, number] } {
  const fans = fansOf(shape);
  const fan = s(a, 'mode') === 'fan_out' ? fans[1] : fans[0];
  const gain = calculateGain(s(a, 'nonlinearity') as Nonlinearity, n(a, 'a'));
  return { std: gain / Math.sqrt(fan), fan, gain, fans };
}

const NUM = (name: string, def: number | null, nonNegative = false): ArgDef => ({ name, kind: 'number', default: def, nonNegative });

const DEFS: Record<string, InitFnDef> = {
  uniform_: {
    torch: 'uniform_',
    initkit: 'uniform_',
    args: [NUM('a', 0), NUM('b', 1)],
    minDim: 0,
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.uniform_(t, n(a, 'a'), n(a, 'b'), { generator: g }),
    plan: (_shape, a) => ({ dist: { kind: 'uniform', low: n(a, 'a'), high: n(a, 'b') }, formula: `U(${num(n(a, 'a'))}, ${num(n(a, 'b'))})`, fans: null }),
  },
  normal_: {
    torch: 'normal_',
    initkit: 'normal_',
    args: [NUM('mean', 0), NUM('std', 1, true)],
    minDim: 0,
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.normal_(t, n(a, 'mean'), n(a, 'std'), { generator: g }),
    plan: (_shape, a) => ({ dist: { kind: 'normal', mean: n(a, 'mean'), std: n(a, 'std') }, formula: `N(${num(n(a, 'mean'))}, ${num(n(a, 'std'))}²)`, fans: null }),
  },
  trunc_normal_: {
    torch: 'trunc_normal_',
    initkit: 'truncNormal_',
    args: [NUM('mean', 0), NUM('std', 1, true), NUM('a', -2), NUM('b', 2)],
    minDim: 0,
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.truncNormal_(t, { mean: n(a, 'mean'), std: n(a, 'std'), a: n(a, 'a'), b: n(a, 'b'), generator: g }),
    plan: (_shape, a) => ({
      dist: { kind: 'truncated_normal', mean: n(a, 'mean'), std: n(a, 'std'), a: n(a, 'a'), b: n(a, 'b') },
      formula: `N(${num(n(a, 'mean'))}, ${num(n(a, 'std'))}²) truncated to [${num(n(a, 'a'))}, ${num(n(a, 'b'))}] (absolute bounds)`,
      fans: null,
    }),
  },
  constant_: {
    torch: 'constant_',
    initkit: 'constant_',
    args: [NUM('val', null)],
    minDim: 0,
    fanBased: false,
    random: false,
    apply: (t, a) => init.constant_(t, n(a, 'val')),
    plan: (_shape, a) => ({ dist: { kind: 'constant', value: n(a, 'val') }, formula: `constant ${num(n(a, 'val'))}`, fans: null }),
  },
  ones_: {
    torch: 'ones_',
    initkit: 'ones_',
    args: [],
    minDim: 0,
    fanBased: false,
    random: false,
    apply: (t) => init.ones_(t),
    plan: () => ({ dist: { kind: 'constant', value: 1 }, formula: 'constant 1', fans: null }),
  },
  zeros_: {
    torch: 'zeros_',
    initkit: 'zeros_',
    args: [],
    minDim: 0,
    fanBased: false,
    random: false,
    apply: (t) => init.zeros_(t),
    plan: () => ({ dist: { kind: 'constant', value: 0 }, formula: 'constant 0', fans: null }),
  },
  eye_: {
    torch: 'eye_',
    initkit: 'eye_',
    args: [],
    minDim: 2,
    dims: [2],
    fanBased: false,
    random: false,
    apply: (t) => init.eye_(t),
    plan: () => ({ dist: { kind: 'eye' }, formula: 'identity matrix', fans: null }),
  },
  dirac_: {
    torch: 'dirac_',
    initkit: 'dirac_',
    args: [{ name: 'groups', kind: 'int', default: 1 }],
    minDim: 3,
    dims: [3, 4, 5],
    fanBased: false,
    random: false,
    apply: (t, a) => init.dirac_(t, n(a, 'groups')),
    plan: (_shape, a) => ({ dist: { kind: 'dirac', groups: n(a, 'groups') }, formula: 'Dirac delta at the kernel centre', fans: null }),
  },
  xavier_uniform_: {
    torch: 'xavier_uniform_',
    initkit: 'xavierUniform_',
    args: [NUM('gain', 1, true)],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) => init.xavierUniform_(t, { gain: n(a, 'gain'), generator: g }),
    plan: (shape, a) => {
      const fans = fansOf(shape);
      const b = Math.sqrt(3.0) * (n(a, 'gain') * Math.sqrt(2.0 / (fans[0] + fans[1])));
      const gain = n(a, 'gain') === 1 ? '' : `${num(n(a, 'gain'))}·`;
      return { dist: { kind: 'uniform', low: -b, high: b }, formula: `U(-b, b), b = ${gain}sqrt(6/(fan_in + fan_out)) = ${num(b)}`, fans };
    },
  },
  xavier_normal_: {
    torch: 'xavier_normal_',
    initkit: 'xavierNormal_',
    args: [NUM('gain', 1, true)],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) => init.xavierNormal_(t, { gain: n(a, 'gain'), generator: g }),
    plan: (shape, a) => {
      const fans = fansOf(shape);
      const std = n(a, 'gain') * Math.sqrt(2.0 / (fans[0] + fans[1]));
      const gain = n(a, 'gain') === 1 ? '' : `${num(n(a, 'gain'))}·`;
      return { dist: { kind: 'normal', mean: 0, std }, formula: `N(0, σ²), σ = ${gain}sqrt(2/(fan_in + fan_out)) = ${num(std)}`, fans };
    },
  },
  kaiming_uniform_: {
    torch: 'kaiming_uniform_',
    initkit: 'kaimingUniform_',
    args: [NUM('a', 0), { name: 'mode', kind: 'enum', values: ['fan_in', 'fan_out'], default: 'fan_in' }, { name: 'nonlinearity', kind: 'enum', values: NONLINEARITIES, default: 'leaky_relu' }],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) =>
      init.kaimingUniform_(t, { a: n(a, 'a'), mode: s(a, 'mode') as 'fan_in', nonlinearity: s(a, 'nonlinearity') as Nonlinearity, generator: g }),
    plan: (shape, a) => {
      const k = kaimingStd(shape, a);
      const b = Math.sqrt(3.0) * k.std;
      const g = gainText(s(a, 'nonlinearity'), n(a, 'a'));
      const formula =
        g === '√(1/3)'
          ? `U(-b, b), b = 1/sqrt(${s(a, 'mode')}) = ${num(b)}`
          : `U(-b, b), b = ${g === '1' ? '' : `${g}·`}sqrt(3/${s(a, 'mode')}) = ${num(b)}`;
      return { dist: { kind: 'uniform', low: -b, high: b }, formula, fans: k.fans };
    },
  },
  kaiming_normal_: {
    torch: 'kaiming_normal_',
    initkit: 'kaimingNormal_',
    args: [NUM('a', 0), { name: 'mode', kind: 'enum', values: ['fan_in', 'fan_out'], default: 'fan_in' }, { name: 'nonlinearity', kind: 'enum', values: NONLINEARITIES, default: 'leaky_relu' }],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) =>
      init.kaimingNormal_(t, { a: n(a, 'a'), mode: s(a, 'mode') as 'fan_in', nonlinearity: s(a, 'nonlinearity') as Nonlinearity, generator: g }),
    plan: (shape, a) => {
      const k = kaimingStd(shape, a);
      const g = gainText(s(a, 'nonlinearity'), n(a, 'a'));
      return { dist: { kind: 'normal', mean: 0, std: k.std }, formula: `N(0, σ²), σ = ${g === '1' ? '1' : g}/sqrt(${s(a, 'mode')}) = ${num(k.std)}`, fans: k.fans };
    },
  },
  orthogonal_: {
    torch: 'orthogonal_',
    initkit: 'orthogonal_',
    args: [NUM('gain', 1, true)],
    minDim: 2,
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.orthogonal_(t, { gain: n(a, 'gain'), generator: g }),
    plan: (_shape, a) => ({ dist: { kind: 'orthogonal', gain: n(a, 'gain') }, formula: `Q from QR of N(0, 1)${n(a, 'gain') === 1 ? '' : ` × ${num(n(a, 'gain'))}`}`, fans: null }),
  },
  sparse_: {
    torch: 'sparse_',
    initkit: 'sparse_',
    args: [NUM('sparsity', null, true), NUM('std', 0.01, true)],
    minDim: 2,
    dims: [2],
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.sparse_(t, n(a, 'sparsity'), { std: n(a, 'std'), generator: g }),
    plan: (_shape, a) => ({
      dist: { kind: 'sparse', sparsity: n(a, 'sparsity'), std: n(a, 'std') },
      formula: `N(0, ${num(n(a, 'std'))}²) with ceil(${num(n(a, 'sparsity'))}·rows) zeros per column`,
      fans: null,
    }),
  },
  lecun_uniform_: {
    torch: 'lecun_uniform_',
    initkit: 'lecunUniform_',
    args: [],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, _a, g) => init.lecunUniform_(t, { generator: g }),
    plan: (shape) => {
      const fans = fansOf(shape);
      const b = Math.sqrt(3 / fans[0]);
      return { dist: { kind: 'uniform', low: -b, high: b }, formula: `U(-b, b), b = sqrt(3/fan_in) = ${num(b)}`, fans };
    },
  },
  lecun_normal_: {
    torch: 'lecun_normal_',
    initkit: 'lecunNormal_',
    args: [{ name: 'distribution', kind: 'enum', values: ['truncated_normal', 'untruncated_normal'], default: 'truncated_normal' }],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) => init.lecunNormal_(t, { distribution: s(a, 'distribution') as 'truncated_normal', generator: g }),
    plan: (shape, a) => varianceScalingPlan(shape, 1, 'fan_in', s(a, 'distribution')),
  },
  variance_scaling_: {
    torch: 'variance_scaling_',
    initkit: 'varianceScaling_',
    args: [
      NUM('scale', 1, true),
      { name: 'mode', kind: 'enum', values: ['fan_in', 'fan_out', 'fan_avg'], default: 'fan_in' },
      { name: 'distribution', kind: 'enum', values: ['truncated_normal', 'untruncated_normal', 'uniform'], default: 'truncated_normal' },
    ],
    minDim: 2,
    fanBased: true,
    random: true,
    apply: (t, a, g) =>
      init.varianceScaling_(t, {
        scale: n(a, 'scale'),
        mode: s(a, 'mode') as 'fan_in',
        distribution: s(a, 'distribution') as 'uniform',
        generator: g,
      }),
    plan: (shape, a) => varianceScalingPlan(shape, n(a, 'scale'), s(a, 'mode'), s(a, 'distribution')),
  },
  delta_orthogonal_: {
    torch: 'delta_orthogonal_',
    initkit: 'deltaOrthogonal_',
    args: [NUM('gain', 1, true)],
    minDim: 3,
    dims: [3, 4, 5],
    fanBased: false,
    random: true,
    apply: (t, a, g) => init.deltaOrthogonal_(t, { gain: n(a, 'gain'), generator: g }),
    plan: (_shape, a) => ({ dist: { kind: 'delta_orthogonal', gain: n(a, 'gain') }, formula: 'orthogonal (out, in) matrix at the kernel centre, zeros elsewhere', fans: null }),
  },
  keep: {
    torch: 'keep',
    initkit: 'keep',
    args: [],
    minDim: 0,
    fanBased: false,
    random: false,
    apply: () => undefined,
    plan: () => ({ dist: { kind: 'keep' }, formula: 'left unchanged', fans: null }),
  },
};

/** Variance-scaling distribution for fans computed in PyTorch's layout (or given explicitly). */
export function varianceScalingPlan(
  shape: readonly number[],
  scale: number,
  mode: string,
  distribution: string,
  fansIn?: [number, number],
): CallPlan {
  const fans = fansIn ?? fansOf(shape);
  const denom = mode === 'fan_in' ? fans[0] : mode === 'fan_out' ? fans[1] : (fans[0] + fans[1]) / 2;
  const variance = scale / Math.max(1, denom);
  const fanText = mode === 'fan_avg' ? '(fan_in + fan_out)/2' : mode;
  const sc = scale === 1 ? '1' : num(scale);
  if (distribution === 'uniform') {
    const b = Math.sqrt(3 * variance);
    return { dist: { kind: 'uniform', low: -b, high: b }, formula: `U(-b, b), b = sqrt(3·${sc}/${fanText}) = ${num(b)}`, fans };
  }
  if (distribution === 'untruncated_normal') {
    const std = Math.sqrt(variance);
    return { dist: { kind: 'normal', mean: 0, std }, formula: `N(0, σ²), σ = sqrt(${sc}/${fanText}) = ${num(std)}`, fans };
  }
  const std = Math.sqrt(variance) / TRUNCATED_NORMAL_STD_FACTOR;
  return {
    dist: { kind: 'truncated_normal', mean: 0, std, a: -2 * std, b: 2 * std },
    formula: `TN(0, σ²; ±2σ), σ = sqrt(${sc}/${fanText})/0.8796 = ${num(std)} (realized std ${num(Math.sqrt(variance))})`,
    fans,
  };
}

/** Canonical function names (PyTorch spelling). */
export const INIT_FUNCTIONS = Object.keys(DEFS) as readonly string[];
export type InitFnName = string;

const ALIASES = new Map<string, string>();
for (const [key, d] of Object.entries(DEFS)) {
  ALIASES.set(key, key);
  ALIASES.set(d.initkit, key);
  ALIASES.set(key.replace(/_$/, ''), key); // PyTorch's deprecated aliases: 'kaiming_normal'
  ALIASES.set(`torch.nn.init.${key}`, key);
  ALIASES.set(`nn.init.${key}`, key);
  ALIASES.set(`init.${d.initkit}`, key);
}
ALIASES.set('truncated_normal_', 'trunc_normal_');

const camel = (k: string): string => k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

export function initFnDef(name: string): InitFnDef {
  return DEFS[name]!;
}

/** Resolve a function name given in a rule (either spelling), or throw listing the valid ones. */
export function resolveInitName(where: string, name: unknown): string {
  const key = typeof name === 'string' ? ALIASES.get(name) : undefined;
  if (key === undefined) {
    const valid = Object.entries(DEFS).map(([k, d]) => (k === d.initkit ? k : `${k} (${d.initkit})`));
    return fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'init',
      expected: `init to be one of ${valid.join(', ')}`,
      received: name,
    });
  }
  return key;
}

/**
 * Validate a rule's `args` for `fn` (PyTorch or camelCase argument names; PyTorch defaults filled in) and return
 * a complete call.
 */
export function resolveCall(where: string, fnName: unknown, args: unknown = {}): InitCall {
  const fn = resolveInitName(where, fnName);
  const def = DEFS[fn]!;
  if (args === null || typeof args !== 'object' || Array.isArray(args)) {
    fail({ code: 'INVALID_ARGUMENT', where: `${where}.args`, param: 'args', expected: 'args to be an object of named arguments', received: args });
  }
  const out: InitCall['args'] = {};
  const given = new Map<string, unknown>();
  for (const [k, v] of Object.entries(args as Record<string, unknown>)) {
    const d = def.args.find((a) => a.name === k || camel(a.name) === k);
    if (d === undefined) {
      fail({
        code: 'UNKNOWN_NAME',
        where: `${where}.args.${k}`,
        param: k,
        expected:
          def.args.length === 0
            ? `no arguments for ${fn}`
            : `one of ${fn}'s arguments: ${def.args.map((a) => `${a.name} (default ${a.default === null ? 'required' : JSON.stringify(a.default)})`).join(', ')}`,
        received: k,
      });
    }
    given.set(d.name, v);
  }
  for (const a of def.args) {
    const v = given.has(a.name) ? given.get(a.name) : a.default;
    const at = `${where}.args.${a.name}`;
    if (v === null || v === undefined) {
      fail({ code: 'INVALID_ARGUMENT', where: at, param: a.name, expected: `a value for ${a.name} (${fn} requires it)`, received: v });
    }
    if (a.kind === 'number' || a.kind === 'int') {
      if (typeof v !== 'number' || !Number.isFinite(v) || (a.kind === 'int' && !Number.isInteger(v))) {
        fail({ code: 'INVALID_ARGUMENT', where: at, param: a.name, expected: `${a.name} to be a finite ${a.kind === 'int' ? 'integer' : 'number'}`, received: v });
      }
      if (a.nonNegative && v < 0) {
        fail({ code: 'INVALID_ARGUMENT', where: at, param: a.name, expected: `${a.name} >= 0`, received: v });
      }
    } else if (a.kind === 'enum') {
      if (typeof v !== 'string' || !a.values!.includes(v)) {
        fail({
          code: 'UNKNOWN_NAME',
          where: at,
          param: a.name,
          expected: `${a.name} to be one of ${a.values!.map((x) => `'${x}'`).join(', ')}`,
          received: v,
        });
      }
    } else if (typeof v !== 'boolean') {
      fail({ code: 'INVALID_ARGUMENT', where: at, param: a.name, expected: `${a.name} to be true or false`, received: v });
    }
    out[a.name] = v as number | string | boolean;
  }
  return { fn, args: out };
}

/** Human-readable call: `kaiming_normal_(mode='fan_out', nonlinearity='relu')` (only non-default args). */
export function callText(call: InitCall): string {
  const def = DEFS[call.fn]!;
  const parts: string[] = [];
  for (const a of def.args) {
    const v = call.args[a.name];
    if (v === a.default) continue;
    if (typeof v === 'number') parts.push(`${a.name}=${a.name === 'a' && Math.abs(v * v - 5) < 1e-12 ? '√5' : num(v)}`);
    else parts.push(`${a.name}=${typeof v === 'string' ? `'${v}'` : String(v)}`);
  }
  return `${call.fn}(${parts.join(', ')})`;
}

/** Why `call` cannot apply to a tensor of `shape`, or null when it can. */
export function callShapeProblem(call: InitCall, shape: readonly number[]): string | null {
  const def = DEFS[call.fn]!;
  if (def.dims !== undefined && !def.dims.includes(shape.length)) {
    return `${call.fn} needs a ${def.dims.join('-, ').replace(/, (\d)$/, ' or $1')}-D tensor, got shape [${shape.join(', ')}]`;
  }
  if (shape.length < def.minDim) {
    return `${call.fn} needs at least ${def.minDim} dimensions${def.fanBased ? ' (fan-in is undefined for 1-D tensors such as biases)' : ''}, got shape [${shape.join(', ')}]`;
  }
  if (def.fanBased) {
    const [fi, fo] = fansOf(shape);
    const mode = call.args['mode'];
    if ((mode === 'fan_out' && fo === 0) || (mode !== 'fan_out' && mode !== 'fan_avg' && fi === 0) || fi + fo === 0) {
      return `${call.fn} needs a non-zero fan, got fan_in=${fi}, fan_out=${fo} for shape [${shape.join(', ')}]`;
    }
  }
  return null;
}

/** Apply a resolved call to a tensor (exactly the initkit function, drawing from `generator`). */
export function applyCall(call: InitCall, t: Tensor, generator: RandomEngine): void {
  DEFS[call.fn]!.apply(t, call.args, generator);
}

/** The distribution, formula and fans a call gives a tensor of `shape` (nothing drawn). */
export function planCall(call: InitCall, shape: readonly number[]): CallPlan {
  return DEFS[call.fn]!.plan(shape, call.args);
}

export function isFanBased(call: InitCall): boolean {
  return DEFS[call.fn]!.fanBased;
}

export function isRandomCall(call: InitCall): boolean {
  return DEFS[call.fn]!.random;
}
