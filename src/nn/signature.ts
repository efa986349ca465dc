/**
 * PyTorch constructor signatures, declared once per layer and used three ways:
 *
 * 1. the TypeScript constructors bind `(required..., { camelCaseOptions })` through {@link bindOptions};
 * 2. the JSON model spec binds `args` / `kwargs` (snake_case, exactly PyTorch's names) through the same
 *    declarations (src/nn/spec.ts), so both paths validate values identically;
 * 3. `toSpec` writes a module back as the arguments PyTorch would take.
 *
 * A parameter without a `default` is required, and required parameters are the positional arguments of the
 * TypeScript constructor (`new nn.Conv2d(3, 16, 3, { stride: 2 })`); everything else goes in the options object
 * under its camelCase name.
 */
import { fail, formatValue } from '../errors.js';
import type { RandomEngine } from '../rng/engine.js';
import type { Device } from '../tensor/tensor.js';
import type { DType } from '../tensor/dtype.js';
import { pyFloat, pyReprValue } from './pyrepr.js';

/** What kind of value a parameter takes (checked at the public boundary, in both the TS and the JSON path). */
export type ArgKind =
  | { t: 'int'; min?: number; max?: number }
  /** `int`: PyTorch's default is a Python int (`Softplus(beta=1)`), printed without `.0`. */
  | { t: 'float'; min?: number; max?: number; int?: boolean }
  | { t: 'bool' }
  | { t: 'str'; choices?: readonly string[] }
  /** An int or a tuple of `n` ints (`_pair(3)` → `(3, 3)`); `n` undefined: any length >= 1. */
  | { t: 'size'; n?: number; min?: number; allowNull?: boolean }
  /** Conv `padding`: a size or `'same'` / `'valid'`. */
  | { t: 'padding'; n: number }
  /** An int or a list of ints (LayerNorm's normalized_shape). */
  | { t: 'shape' }
  /** A float or a tuple of floats (Upsample's scale_factor). */
  | { t: 'floats' }
  | { t: 'dtype' }
  | { t: 'device' }
  /** A nested module (JSON: a spec node). */
  | { t: 'module' }
  /** `'relu'`, `'gelu'` or a module (Transformer layers' `activation`). */
  | { t: 'activation' }
  /** Any JSON value, stored as given (Identity's ignored arguments, Unflatten's sizes). */
  | { t: 'json' };

export interface ArgSpec {
  /** PyTorch's keyword name (snake_case). */
  readonly name: string;
  /** The TypeScript option name (camelCase). */
  readonly camel: string;
  readonly kind: ArgKind;
  /** PyTorch's default; absent means required. */
  readonly default?: unknown;
  /** `None` accepted. */
  readonly nullable?: boolean;
  /** Keyword-only in PyTorch (`RNN(nonlinearity=...)`): not accepted positionally in a spec. */
  readonly kwOnly?: boolean;
  /** Accepted for compatibility with newer PyTorch releases; noted in docs/SPEC.md. */
  readonly since?: string;
}

export interface Signature {
  /** The PyTorch class name. */
  readonly type: string;
  readonly params: readonly ArgSpec[];
  /** Parameters that may be given positionally in a spec (PyTorch's positional order); default: all but kwOnly. */
  readonly maxPositional?: number;
  /** Accepts `dtype` / `device` / `generator` (has parameters or buffers). */
  readonly factory: boolean;
  /** `*args, **kwargs` accepted and ignored (Identity). */
  readonly varargs?: boolean;
}

/** snake_case → camelCase (`in1_features` → `in1Features`, `d_model` → `dModel`). */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const REQUIRED = Symbol('required');

/** Declare a parameter: `arg('kernel_size', size(2))`, `arg('bias', bool, true)`. */
export function arg(name: string, kind: ArgKind, dflt: unknown = REQUIRED, extra: Partial<Pick<ArgSpec, 'nullable' | 'kwOnly' | 'since'>> = {}): ArgSpec {
  const spec: ArgSpec = { name, camel: camelCase(name), kind, ...extra };
  return dflt === REQUIRED ? spec : { ...spec, default: dflt };
}

export const INT: ArgKind = { t: 'int' };
/** A size: an integer >= 0 (PyTorch allows zero-sized layers). */
export const NONNEG: ArgKind = { t: 'int', min: 0 };
export const POSINT: ArgKind = { t: 'int', min: 1 };
export const FLOAT: ArgKind = { t: 'float' };
export const BOOL: ArgKind = { t: 'bool' };
export const STR: ArgKind = { t: 'str' };
export const JSONV: ArgKind = { t: 'json' };
export const MODULE: ArgKind = { t: 'module' };
export function size(n?: number, min = 0): ArgKind {
  return n === undefined ? { t: 'size', min } : { t: 'size', n, min };
}
export function choice(...choices: string[]): ArgKind {
  return { t: 'str', choices };
}

/** Throws unless the integer argument `param` is a multiple of `divisorName` = `divisor` (channels per group, heads). */
export function checkMultipleOf(where: string, param: string, value: number, divisorName: string, divisor: number): void {
  if (value % divisor !== 0) {
    fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be a multiple of ${divisorName}=${divisor}`, received: value });
  }
}

/**
 * PyTorch's `_ntuple(n)` (`_pair`, `_triple`, `_quadruple`): a bound {@link size} argument as a tuple, an int
 * repeated n times (frozen), a tuple as given.
 */
export function ntuple(v: unknown, n: number): readonly number[] {
  return typeof v === 'number' ? Object.freeze(Array.from({ length: n }, () => v)) : (v as readonly number[]);
}

/** `dtype=None, device=None`, PyTorch's factory kwargs, at the end of every layer with parameters. */
export const FACTORY_ARGS: readonly ArgSpec[] = [
  arg('device', { t: 'device' }, null, { nullable: true }),
  arg('dtype', { t: 'dtype' }, null, { nullable: true }),
];

export function isRequired(p: ArgSpec): boolean {
  return !('default' in p);
}

/** The required parameters (the TypeScript constructor's positional arguments), in order. */
export function requiredParams(sig: Signature): ArgSpec[] {
  return sig.params.filter(isRequired);
}

/** `Linear(in_features, out_features, bias=True, device=None, dtype=None)`, for messages. */
export function formatSignature(sig: Signature): string {
  const parts = sig.params.map((p) => (isRequired(p) ? p.name : `${p.name}=${pyDefault(p.default, p.kind.t === 'float' && p.kind.int !== true)}`));
  if (sig.varargs) parts.push('*args', '**kwargs');
  return `${sig.type}(${parts.join(', ')})`;
}

function pyDefault(v: unknown, float: boolean): string {
  if (typeof v === 'number' && float) return pyFloat(v);
  return pyReprValue(v);
}

/** How to name a parameter in an error: the TS path uses `Class` + camelCase, the spec path a JSON path. */
export interface Namer {
  where(p: ArgSpec): string;
  display(p: ArgSpec): string;
  /** Prepended to the expectation: `'bias to be '` in the TS path, `''` in the spec path (the JSON path names it). */
  prefix(p: ArgSpec): string;
}

export function tsNamer(type: string): Namer {
  return { where: () => type, display: (p) => p.camel, prefix: (p) => `${p.camel} to be ` };
}

/**
 * Check one value against its declared kind; returns the normalized value (e.g. a JSON array becomes a frozen
 * array). Throws InitError naming the parameter.
 */
export function checkArg(p: ArgSpec, v: unknown, namer: Namer, code: 'INVALID_ARGUMENT' | 'SPEC_ERROR' = 'INVALID_ARGUMENT'): unknown {
  const where = namer.where(p);
  const name = namer.display(p);
  const bad = (expected: string, fix?: string): never =>
    fail({ code, where, param: name, expected: `${namer.prefix(p)}${expected}`, received: v, ...(fix ? { fix } : {}) });
  if (v === undefined && !isRequired(p)) return p.default;
  if (v === null && (p.nullable || p.default === null)) return null;
  if (v === null || v === undefined) return bad(describeKind(p.kind));
  const k = p.kind;
  switch (k.t) {
    case 'int': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return bad(describeKind(k));
      if ((k.min !== undefined && v < k.min) || (k.max !== undefined && v > k.max)) return bad(describeKind(k));
      return v;
    }
    case 'float': {
      if (typeof v !== 'number' || !Number.isFinite(v)) return bad(describeKind(k));
      if ((k.min !== undefined && v < k.min) || (k.max !== undefined && v > k.max)) return bad(describeKind(k));
      return v;
    }
    case 'bool':
      if (typeof v !== 'boolean') return bad('a boolean (true or false)');
      return v;
    case 'str':
      if (typeof v !== 'string') return bad(describeKind(k));
      if (k.choices && !k.choices.includes(v)) return bad(describeKind(k));
      return v;
    case 'size':
    case 'padding': {
      if (k.t === 'padding' && typeof v === 'string') {
        if (v !== 'same' && v !== 'valid') return bad(describeKind(k));
        return v;
      }
      const n = k.n;
      const min = k.t === 'size' ? (k.min ?? 0) : 0;
      const allowNull = k.t === 'size' && k.allowNull === true;
      const okInt = (x: unknown): boolean => (allowNull && x === null) || (typeof x === 'number' && Number.isSafeInteger(x) && x >= min);
      if (typeof v === 'number') {
        if (!okInt(v)) return bad(describeKind(k));
        return v;
      }
      if (Array.isArray(v)) {
        if (v.length === 0 || (n !== undefined && v.length !== n) || !v.every(okInt)) return bad(describeKind(k));
        return Object.freeze([...v]);
      }
      return bad(describeKind(k));
    }
    case 'shape': {
      if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return v;
      if (Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) return Object.freeze([...v]);
      return bad(describeKind(k));
    }
    case 'floats': {
      if (typeof v === 'number' && Number.isFinite(v)) return v;
      if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) return Object.freeze([...v]);
      return bad(describeKind(k));
    }
    case 'dtype': {
      const s = typeof v === 'string' && v.startsWith('torch.') ? v.slice(6) : v;
      const alias: Record<string, DType> = { float: 'float32', double: 'float64', half: 'float16' };
      const name = typeof s === 'string' ? (alias[s] ?? s) : s;
      if (name !== 'float32' && name !== 'float64' && name !== 'float16' && name !== 'bfloat16') {
        return bad("one of 'float32', 'float64', 'float16', 'bfloat16' (parameters are floating point)");
      }
      return name;
    }
    case 'device':
      if (v !== 'cpu' && v !== 'meta') return bad("'cpu' or 'meta'", 'initkit builds on the CPU; use "meta" to plan shapes without allocating.');
      return v;
    case 'module':
    case 'activation':
      // Checked by the caller (the TS path receives Module instances, the spec path nested nodes).
      return v;
    case 'json':
      return v;
  }
}

/** A phrase that reads after "expected <param> to be ". */
export function describeKind(k: ArgKind): string {
  switch (k.t) {
    case 'int':
      if (k.min !== undefined && k.max !== undefined) return `an integer in [${k.min}, ${k.max}]`;
      if (k.min !== undefined) return `an integer >= ${k.min}`;
      return 'an integer';
    case 'float':
      if (k.min !== undefined && k.max !== undefined) return `a number in [${k.min}, ${k.max}]`;
      if (k.min !== undefined) return `a number >= ${k.min}`;
      return 'a finite number';
    case 'bool':
      return 'a boolean';
    case 'str':
      return k.choices ? `one of ${k.choices.map((c) => `'${c}'`).join(', ')}` : 'a string';
    case 'size': {
      const unit = k.min === -Infinity ? 'an integer' : `an integer >= ${k.min ?? 0}`;
      const nul = k.allowNull ? ' (null entries allowed)' : '';
      return k.n === undefined ? `${unit} or a non-empty array of them${nul}` : `${unit} or an array of ${k.n} of them${nul}`;
    }
    case 'padding':
      return `an integer >= 0, an array of ${k.n} of them, 'same' or 'valid'`;
    case 'shape':
      return 'an integer >= 0 or an array of them';
    case 'floats':
      return 'a number or an array of numbers';
    case 'dtype':
      return 'a dtype name';
    case 'device':
      return "'cpu' or 'meta'";
    case 'module':
      return 'a module';
    case 'activation':
      return "'relu', 'gelu' or a module";
    case 'json':
      return 'a JSON value';
  }
}

/** Factory options every layer with parameters or buffers accepts. */
export interface FactoryOptions {
  /** `'meta'` builds shapes only: no memory, no random draws. Default `'cpu'` (or the {@link meta} scope). */
  device?: Device | null | undefined;
  /** Parameter dtype; default `'float32'` (or the surrounding default). */
  dtype?: DType | 'float' | 'double' | 'half' | null | undefined;
  /** The random engine for the initialization draws; default: the default generator (as `torch.manual_seed`). */
  generator?: RandomEngine | undefined;
}

export interface Bound {
  /** PyTorch-named values, defaults filled in. */
  cfg: Record<string, unknown>;
  generator: RandomEngine | undefined;
}

/**
 * Bind a TypeScript constructor call: `positional` are the required parameters in order, `options` the rest in
 * camelCase. Unknown option names are an error that lists the valid ones.
 */
export function bindOptions(sig: Signature, positional: readonly unknown[], options: unknown): Bound {
  const namer = tsNamer(sig.type);
  if (options !== undefined && options !== null && (typeof options !== 'object' || Array.isArray(options))) {
    fail({
      code: 'INVALID_ARGUMENT',
      where: sig.type,
      param: 'options',
      expected: `options to be an object such as { ${sig.params.filter((p) => !isRequired(p)).slice(0, 3).map((p) => p.camel).join(', ')} }`,
      received: options,
    });
  }
  const opts = (options ?? {}) as Record<string, unknown>;
  const byCamel = new Map(sig.params.map((p) => [p.camel, p]));
  for (const key of Object.keys(opts)) {
    if (key === 'generator' && sig.factory) continue;
    const p = byCamel.get(key);
    if (p === undefined || isRequired(p)) {
      const valid = sig.params.filter((q) => !isRequired(q)).map((q) => q.camel);
      if (sig.factory) valid.push('generator');
      if (sig.varargs) continue;
      fail({
        code: 'INVALID_ARGUMENT',
        where: sig.type,
        param: key,
        expected: valid.length ? `an option among ${valid.join(', ')}` : 'no options',
        receivedText: `unknown option ${formatValue(key)}${p !== undefined ? ' (a required argument: pass it positionally)' : ''}`,
      });
    }
  }
  const cfg: Record<string, unknown> = {};
  let i = 0;
  for (const p of sig.params) {
    if (isRequired(p)) {
      const v = positional[i++];
      cfg[p.name] = checkArg(p, v, namer);
    } else {
      cfg[p.name] = checkArg(p, opts[p.camel], namer);
    }
  }
  const generator = opts['generator'] as RandomEngine | undefined;
  return { cfg, generator };
}
