/**
 * The JSON model spec: one file that builds the same model, with the same random draws, in PyTorch
 * (`scripts/spec_to_torch.py`) and in initkit (`fromSpec`). Format (docs/SPEC.md):
 *
 * ```json
 * { "type": "Sequential", "children": [
 *     { "type": "Linear", "args": [4, 32] },
 *     { "type": "ReLU" },
 *     { "type": "Linear", "args": [32, 2], "kwargs": { "bias": false } } ] }
 * ```
 *
 * `type` is PyTorch's class name; `args` / `kwargs` are exactly what `torch.nn.<type>(*args, **kwargs)` takes
 * (snake_case, PyTorch's defaults when absent); a module-valued argument is a nested node. Containers take
 * `children`: an array (Sequential, ModuleList), an object or `[name, node]` pairs (ModuleDict, Sequential's
 * OrderedDict form, and the generic user module `"Module"`); `"Residual"` (initkit's, not PyTorch's) takes either
 * and computes `shortcut(x) + body(x)` (./residual.ts).
 *
 * Construction is depth-first in document order, exactly as the equivalent Python expression evaluates (call
 * arguments before the call; children before their container), so the random stream is consumed identically.
 * Every problem is an InitError with code `SPEC_ERROR` whose `where` is the JSON path
 * (`children[2].kwargs.padding_idx`).
 */
import { InitError, fail } from '../errors.js';
import type { RandomEngine } from '../rng/engine.js';
import { type DType, parseDType } from '../tensor/dtype.js';
import type { Device } from '../tensor/tensor.js';
import * as activation from './activation.js';
import { MultiheadAttention } from './attention.js';
import { ModuleDict, ModuleList, Sequential } from './containers.js';
import * as conv from './conv.js';
import * as dropout from './dropout.js';
import * as embedding from './embedding.js';
import { type BuildDefaults, withBudget, withDefaults } from './factory.js';
import { Bilinear, Identity, Linear } from './linear.js';
import { Module } from './module.js';
import * as norm from './norm.js';
import { RESIDUAL_SHORTCUT_NAMES, Residual } from './residual.js';
import * as padding from './padding.js';
import * as pooling from './pooling.js';
import * as reshape from './reshape.js';
import * as rnn from './rnn.js';
import { type ArgSpec, type Namer, type Signature, checkArg, formatSignature, isRequired } from './signature.js';
import * as transformer from './transformer.js';

/** A spec node. */
export interface SpecNode {
  /** PyTorch's class name: `"Linear"`, `"Conv2d"`, `"Sequential"`, or `"Module"` for a user module. */
  type: string;
  /** Positional arguments, as in `torch.nn.<type>(*args)`. */
  args?: unknown[];
  /** Keyword arguments with PyTorch's snake_case names. */
  kwargs?: Record<string, unknown>;
  /** Sub-modules of containers: an array, an object, or `[name, node]` pairs. */
  children?: SpecNode[] | Record<string, SpecNode> | [string, SpecNode][];
  /** Free text, ignored. */
  comment?: string;
}

type LayerClass = (abstract new (...args: never[]) => Module) & { readonly signature: Signature | undefined };

/** Every PyTorch layer the spec knows, by class name. */
const LAYERS: Readonly<Record<string, LayerClass>> = Object.freeze({
  Identity,
  Linear,
  Bilinear,
  ...pick(conv, ['Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']),
  ...pick(embedding, ['Embedding', 'EmbeddingBag']),
  ...pick(rnn, ['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell']),
  ...pick(norm, [
    'BatchNorm1d',
    'BatchNorm2d',
    'BatchNorm3d',
    'InstanceNorm1d',
    'InstanceNorm2d',
    'InstanceNorm3d',
    'LayerNorm',
    'GroupNorm',
    'RMSNorm',
    'LocalResponseNorm',
    'CrossMapLRN2d',
  ]),
  ...pick(activation, [
    'ReLU',
    'ReLU6',
    'SELU',
    'SiLU',
    'Mish',
    'Hardsigmoid',
    'Hardswish',
    'Sigmoid',
    'Tanh',
    'Softsign',
    'Tanhshrink',
    'LogSigmoid',
    'Softmax2d',
    'ELU',
    'CELU',
    'LeakyReLU',
    'RReLU',
    'Hardtanh',
    'Threshold',
    'GELU',
    'GLU',
    'Hardshrink',
    'Softshrink',
    'Softplus',
    'Softmax',
    'Softmin',
    'LogSoftmax',
    'PReLU',
  ]),
  MultiheadAttention,
  ...pick(transformer, ['TransformerEncoderLayer', 'TransformerDecoderLayer', 'TransformerEncoder', 'TransformerDecoder', 'Transformer']),
  ...pick(dropout, ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout']),
  ...pick(pooling, [
    'MaxPool1d',
    'MaxPool2d',
    'MaxPool3d',
    'AvgPool1d',
    'AvgPool2d',
    'AvgPool3d',
    'MaxUnpool1d',
    'MaxUnpool2d',
    'MaxUnpool3d',
    'AdaptiveAvgPool1d',
    'AdaptiveAvgPool2d',
    'AdaptiveAvgPool3d',
    'AdaptiveMaxPool1d',
    'AdaptiveMaxPool2d',
    'AdaptiveMaxPool3d',
    'LPPool1d',
    'LPPool2d',
  ]),
  ...pick(padding, [
    'ConstantPad1d',
    'ConstantPad2d',
    'ConstantPad3d',
    'ZeroPad2d',
    'ReflectionPad1d',
    'ReflectionPad2d',
    'ReflectionPad3d',
    'ReplicationPad1d',
    'ReplicationPad2d',
    'ReplicationPad3d',
  ]),
  ...pick(reshape, [
    'Flatten',
    'Unflatten',
    'Upsample',
    'UpsamplingNearest2d',
    'UpsamplingBilinear2d',
    'PixelShuffle',
    'PixelUnshuffle',
    'ChannelShuffle',
    'Fold',
    'Unfold',
    'PairwiseDistance',
    'CosineSimilarity',
  ]),
});

function pick<M extends Record<string, unknown>>(mod: M, names: string[]): Record<string, LayerClass> {
  const out: Record<string, LayerClass> = {};
  for (const n of names) out[n] = mod[n] as unknown as LayerClass;
  return out;
}

/** The container types, whose sub-modules come from `children`. */
export const CONTAINER_TYPES = ['Sequential', 'ModuleList', 'ModuleDict', 'Module', 'Residual'] as const;

/** Every type name the spec accepts (PyTorch class names), sorted. */
export const SPEC_TYPES: readonly string[] = Object.freeze([...Object.keys(LAYERS), ...CONTAINER_TYPES].sort());

/** The PyTorch signature of a layer type (undefined for containers and unknown names). */
export function specSignature(type: string): Signature | undefined {
  return Object.prototype.hasOwnProperty.call(LAYERS, type) ? LAYERS[type]!.signature : undefined;
}

const NODE_KEYS = ['type', 'args', 'kwargs', 'children', 'comment'] as const;

/** At most this many modules + parameters + buffers per spec (a LLaMA-2-70B spec registers about 2,000). */
export const MAX_MEMBERS = 1_000_000;

export interface FromSpecOptions {
  /** The random engine every layer draws from; default: the default generator (as `torch.manual_seed`). */
  generator?: RandomEngine;
  /** `'meta'`: shapes only, no memory, no draws (for planning huge models). Default `'cpu'`. */
  device?: Device;
  /** Default dtype of layers that do not set `dtype` (like `torch.set_default_dtype`). Default `'float32'`. */
  dtype?: DType | string;
  /**
   * Read-only build: TransformerEncoder / TransformerDecoder layer copies share storage instead of copying it
   * (same values, no copy cost). Only for models that are not modified afterwards (`initkit init` uses it to write
   * a file); layers inside a `Transformer` are always copied. Default false.
   */
  shareCopies?: boolean;
}

/**
 * Build a model from a spec (an object or JSON text), drawing from the generator exactly as PyTorch would when
 * evaluating the equivalent expression after `torch.manual_seed`.
 *
 * PyTorch equivalent: `scripts/spec_to_torch.py`'s `build(spec)`.
 *
 * @throws InitError with code `SPEC_ERROR` and the JSON path of the problem (`children[2].kwargs.padding_idx:
 *   expected an integer in [-10, 10) for num_embeddings=10, got 12.`).
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const dqn = nn.fromSpec({ type: 'Sequential', children: [
 *   { type: 'Linear', args: [4, 32] }, { type: 'ReLU' }, { type: 'Linear', args: [32, 2] } ] }, { generator: g });
 * ```
 */
export function fromSpec(spec: SpecNode | string | unknown, options: FromSpecOptions = {}): Module {
  let node: unknown = spec;
  if (typeof spec === 'string') node = parseSpecJson(spec);
  const defaults: BuildDefaults = {};
  if (options.generator !== undefined) defaults.generator = options.generator;
  if (options.shareCopies === true) defaults.shareCopies = true;
  if (options.device !== undefined) {
    if (options.device !== 'cpu' && options.device !== 'meta') {
      fail({ code: 'SPEC_ERROR', where: 'fromSpec', param: 'device', expected: "device to be 'cpu' or 'meta'", received: options.device });
    }
    defaults.device = options.device;
  }
  if (options.dtype !== undefined) {
    const d = parseDType('fromSpec', options.dtype);
    if (d !== 'float32' && d !== 'float64' && d !== 'float16' && d !== 'bfloat16') {
      fail({ code: 'SPEC_ERROR', where: 'fromSpec', param: 'dtype', expected: 'a floating dtype', received: options.dtype });
    }
    defaults.dtype = d;
  }
  return withDefaults(defaults, () => withBudget(MAX_MEMBERS, () => build(node, '')));
}

/** Parse spec JSON text, reporting syntax errors as SPEC_ERROR with the position. */
export function parseSpecJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return fail({ code: 'SPEC_ERROR', where: 'spec', param: 'json', expected: 'valid JSON', receivedText: `a syntax error (${msg})` });
  }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const seg = IDENT.test(key) ? key : JSON.stringify(key);
  if (!IDENT.test(key)) return `${path}[${seg}]`;
  return path === '' ? seg : `${path}.${seg}`;
}

function at(path: string): string {
  return path === '' ? 'spec' : path;
}

function specFail(where: string, param: string, expected: string, received: unknown, fix?: string): never {
  return fail({ code: 'SPEC_ERROR', where: at(where), param, expected, received, ...(fix ? { fix } : {}) });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

/** Up to three close matches of `name` among `candidates` (case-insensitive edit distance). */
export function closeMatches(name: string, candidates: readonly string[]): string[] {
  const lower = name.toLowerCase();
  const scored = candidates
    .map((c) => ({ c, d: c.toLowerCase() === lower ? 0 : editDistance(lower, c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  return scored.slice(0, 3).map(({ c }) => c);
}

function build(node: unknown, path: string): Module {
  if (!isPlainObject(node)) {
    specFail(path, 'node', 'a spec node: an object such as {"type": "Linear", "args": [4, 2]}', node);
  }
  for (const key of Object.keys(node)) {
    if (!(NODE_KEYS as readonly string[]).includes(key)) {
      specFail(join(path, key), key, `one of the node keys ${NODE_KEYS.map((k) => `"${k}"`).join(', ')}`, key);
    }
  }
  const type = node['type'];
  if (typeof type !== 'string') {
    specFail(join(path, 'type'), 'type', 'a PyTorch class name string such as "Linear"', type);
  }
  if ((CONTAINER_TYPES as readonly string[]).includes(type)) return buildContainer(node, type, path);
  const cls = Object.prototype.hasOwnProperty.call(LAYERS, type) ? LAYERS[type] : undefined;
  if (cls === undefined || cls.signature === undefined) {
    const close = closeMatches(type, SPEC_TYPES);
    return specFail(
      join(path, 'type'),
      'type',
      'a torch.nn class name that initkit supports',
      type,
      close.length ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : 'See docs/SPEC.md for the supported layers.',
    );
  }
  if (node['children'] !== undefined) {
    specFail(join(path, 'children'), 'children', `no "children" for ${type} (only ${CONTAINER_TYPES.join(', ')} take children)`, node['children'], 'Pass module arguments in "args" or "kwargs".');
  }
  return buildLayer(cls, cls.signature, node, path);
}

function specNamer(locations: Map<string, string>): Namer {
  return { where: (p) => locations.get(p.name) ?? '', display: (p) => p.name, prefix: () => '' };
}

function buildLayer(cls: LayerClass, sig: Signature, node: Record<string, unknown>, path: string): Module {
  const type = sig.type;
  const argsPath = join(path, 'args');
  const kwargsPath = join(path, 'kwargs');
  const args = node['args'] ?? [];
  const kwargs = node['kwargs'] ?? {};
  if (!Array.isArray(args)) specFail(argsPath, 'args', 'an array of positional arguments', args);
  if (!isPlainObject(kwargs)) specFail(kwargsPath, 'kwargs', 'an object of keyword arguments', kwargs);
  const positionalParams = sig.params.filter((p) => !p.kwOnly).slice(0, sig.maxPositional ?? Infinity);
  if (!sig.varargs && args.length > positionalParams.length) {
    const rest = sig.params.slice(positionalParams.length).map((p) => p.name).filter((n) => n !== 'device' && n !== 'dtype');
    fail({
      code: 'SPEC_ERROR',
      where: argsPath,
      param: 'args',
      expected: `at most ${positionalParams.length} positional argument${positionalParams.length === 1 ? '' : 's'} for ${formatSignature(sig)}`,
      receivedText: String(args.length),
      ...(rest.length ? { fix: `Pass ${rest.join(', ')} in "kwargs".` } : {}),
    });
  }
  // A Transformer rewrites every parameter below it (its xavier pass), including those of module arguments such as
  // custom_encoder, so nothing built for it may share storage.
  if (type === 'Transformer') return withDefaults({ shareCopies: false }, () => bindAndConstruct(cls, sig, args, kwargs, path, argsPath, kwargsPath));
  return bindAndConstruct(cls, sig, args, kwargs, path, argsPath, kwargsPath);
}

function bindAndConstruct(
  cls: LayerClass,
  sig: Signature,
  args: unknown[],
  kwargs: Record<string, unknown>,
  path: string,
  argsPath: string,
  kwargsPath: string,
): Module {
  const type = sig.type;
  const positionalParams = sig.params.filter((p) => !p.kwOnly).slice(0, sig.maxPositional ?? Infinity);
  // Bind: positional first, then keywords, building nested modules in that (Python's evaluation) order.
  const given = new Map<string, unknown>();
  const locations = new Map<string, string>();
  const namer = specNamer(locations);
  const evalValue = (p: ArgSpec, v: unknown, loc: string): unknown => {
    locations.set(p.name, loc);
    if (p.kind.t === 'module' || (p.kind.t === 'activation' && typeof v !== 'string')) {
      if (v === null && p.nullable) return null;
      if (!isPlainObject(v)) {
        specFail(loc, p.name, p.kind.t === 'activation' ? `"relu", "gelu" or a nested spec node` : 'a nested spec node such as {"type": "LayerNorm", "args": [64]}', v);
      }
      return build(v, loc);
    }
    return checkArg(p, v, namer, 'SPEC_ERROR');
  };
  if (sig.varargs) {
    // Identity(*args, **kwargs): anything goes, nothing is used.
  } else {
    args.forEach((v, i) => {
      const p = positionalParams[i]!;
      given.set(p.name, evalValue(p, v, `${argsPath}[${i}]`));
    });
    const byName = new Map(sig.params.map((p) => [p.name, p]));
    for (const [k, v] of Object.entries(kwargs)) {
      const p = byName.get(k);
      const loc = join(kwargsPath, k);
      if (p === undefined) {
        const names = sig.params.map((q) => q.name);
        const close = closeMatches(k, names);
        specFail(
          loc,
          k,
          `a keyword argument of ${formatSignature(sig)}`,
          k,
          close.length ? `Did you mean ${close.map((c) => `"${c}"`).join(', ')}?` : undefined,
        );
      }
      if (given.has(k)) {
        specFail(loc, k, `each argument given once (${type} got multiple values for argument '${k}')`, v, `Remove it from "args" or from "kwargs".`);
      }
      given.set(k, evalValue(p, v, loc));
    }
    for (const p of sig.params) {
      if (isRequired(p) && !given.has(p.name)) {
        fail({
          code: 'SPEC_ERROR',
          where: at(path),
          param: p.name,
          expected: `the required argument '${p.name}' of ${formatSignature(sig)}`,
          receivedText: `${args.length} positional argument${args.length === 1 ? '' : 's'}${Object.keys(kwargs).length ? ` and kwargs ${Object.keys(kwargs).join(', ')}` : ''}`,
          fix: `Add it to "args" (position ${sig.params.indexOf(p)}) or to "kwargs".`,
        });
      }
    }
  }
  // Construct: required values positionally, the rest as camelCase options.
  const positional: unknown[] = [];
  const options: Record<string, unknown> = {};
  for (const p of sig.params) {
    if (!given.has(p.name)) continue;
    if (isRequired(p)) positional.push(given.get(p.name));
    else options[p.camel] = given.get(p.name);
  }
  try {
    const Ctor = cls as unknown as new (...a: unknown[]) => Module;
    return new Ctor(...positional, options);
  } catch (e) {
    throw mapConstructorError(e, sig, locations, path);
  }
}

/** Turn an error thrown by a layer's constructor (named in camelCase) into a SPEC_ERROR at the JSON path. */
function mapConstructorError(e: unknown, sig: Signature, locations: Map<string, string>, path: string): unknown {
  if (e instanceof RangeError) {
    return new InitError({
      code: 'SPEC_ERROR',
      where: at(path),
      param: sig.type,
      expected: `a ${sig.type} whose parameters fit in memory`,
      receivedText: `an allocation failure (${e.message})`,
      fix: 'Build with device "meta" (fromSpec(spec, { device: "meta" })) to plan and count a model this large.',
    });
  }
  if (!(e instanceof InitError) || e.code === 'SPEC_ERROR') return e;
  const p = sig.params.find((q) => q.camel === e.param);
  let expected = e.expected;
  if (p !== undefined && expected.startsWith(`${p.camel} to be `)) expected = expected.slice(p.camel.length + 7);
  for (const q of sig.params) expected = expected.replace(new RegExp(`\\b${q.camel}\\b`, 'g'), q.name);
  const where = p !== undefined ? (locations.get(p.name) ?? at(path)) : at(path);
  return new InitError({
    code: 'SPEC_ERROR',
    where,
    param: p?.name ?? e.param,
    expected: p !== undefined || e.where === sig.type ? expected : `${e.where}: ${expected}`,
    received: e.received,
    receivedText: receivedTextOf(e),
    ...(e.fix !== undefined ? { fix: e.fix } : {}),
  });
}

/** The rendered "got ..." part of an InitError's message. */
function receivedTextOf(e: InitError): string {
  const head = `${e.where}: expected ${e.expected}, got `;
  const tail = `.${e.fix !== undefined && e.fix !== '' ? ` ${e.fix}` : ''}`;
  if (e.message.startsWith(head) && e.message.endsWith(tail)) return e.message.slice(head.length, e.message.length - tail.length);
  return String(e.received);
}

function childEntries(node: Record<string, unknown>, type: string, path: string, shape: 'array' | 'named' | 'either'): { named: boolean; entries: [string, unknown, string][] } {
  const cpath = join(path, 'children');
  const children = node['children'] ?? (shape === 'named' ? {} : []);
  const pairs = Array.isArray(children) && children.length > 0 && children.every((c) => Array.isArray(c));
  if (Array.isArray(children) && shape !== 'named' && !(shape === 'either' && pairs)) {
    return { named: false, entries: children.map((c, i) => [String(i), c, `${cpath}[${i}]`]) };
  }
  if (Array.isArray(children)) {
    // [name, node] pairs: the order-preserving form of an object.
    const entries = children.map((e, i): [string, unknown, string] => {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string') {
        specFail(`${cpath}[${i}]`, 'children', 'a [name, node] pair', e, `${type} children are named: use an object or [name, node] pairs.`);
      }
      return [e[0] as string, e[1], `${cpath}[${i}][1]`];
    });
    return { named: true, entries };
  }
  if (isPlainObject(children)) {
    if (shape === 'array') {
      specFail(cpath, 'children', `an array of nodes for ${type}`, children, type === 'ModuleList' ? 'Use ModuleDict for named children.' : undefined);
    }
    const keys = Object.keys(children);
    const intLike = keys.filter((k) => /^(0|[1-9]\d*)$/.test(k));
    if (intLike.length > 0) {
      specFail(
        cpath,
        'children',
        'names that are not integers in an object (JSON readers disagree on their order)',
        intLike[0],
        'Write the children as [name, node] pairs to keep their order, or as an array for 0, 1, 2, ...',
      );
    }
    return { named: true, entries: keys.map((k) => [k, children[k], join(cpath, k)]) };
  }
  return specFail(cpath, 'children', shape === 'array' ? 'an array of nodes' : 'an object of named nodes (or [name, node] pairs)', children);
}

function buildContainer(node: Record<string, unknown>, type: string, path: string): Module {
  for (const key of ['args', 'kwargs'] as const) {
    const v = node[key];
    const empty = v === undefined || (Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0);
    if (!empty) specFail(join(path, key), key, `no "${key}" for ${type} (its modules go in "children")`, v);
  }
  const shape = type === 'ModuleList' ? 'array' : type === 'Sequential' || type === 'Residual' ? 'either' : 'named';
  const { named, entries } = childEntries(node, type, path, shape);
  const built: [string, Module][] = [];
  const seen = new Set<string>();
  // An empty container of the same type, to catch names that collide with its methods before building anything.
  const probe: Module =
    type === 'Sequential' ? new Sequential() : type === 'ModuleDict' ? new ModuleDict() : type === 'Residual' ? new Residual() : new Module();
  let skipPath: string | null = null;
  for (const [name, child, cpath] of entries) {
    if (named) {
      if (name === '' || name.includes('.')) specFail(cpath, 'name', 'a child name without "." and not empty', name);
      if (seen.has(name)) specFail(cpath, 'name', 'unique child names', name);
      if (name in probe) specFail(cpath, 'name', `a child name that is not an attribute of ${type}`, name, 'Rename the child.');
      seen.add(name);
      if (type === 'Residual' && (RESIDUAL_SHORTCUT_NAMES as readonly string[]).includes(name)) {
        if (skipPath !== null) {
          specFail(cpath, 'name', `at most one skip-path child in a Residual (it already has "${skipPath}")`, name, 'Keep one of "shortcut" and "downsample".');
        }
        skipPath = name;
      }
    }
    built.push([name, build(child, cpath)]);
  }
  switch (type) {
    case 'Sequential':
      return named ? new Sequential(built) : new Sequential(...built.map(([, m]) => m));
    case 'ModuleList':
      return new ModuleList(built.map(([, m]) => m));
    case 'ModuleDict':
      return new ModuleDict(built);
    case 'Residual':
      return named ? new Residual(built) : new Residual(...built.map(([, m]) => m));
    default: {
      const m = new Module();
      m._config = {};
      for (const [name, child] of built) m.registerModule(name, child);
      return m;
    }
  }
}

// ---- toSpec ---------------------------------------------------------------------------------------------------

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  return false;
}

function toSpecValue(v: unknown): unknown {
  if (v instanceof Module) return toSpec(v);
  if (Array.isArray(v)) return v.map((x) => toSpecValue(x));
  return v;
}

/**
 * Write a module as a spec node: PyTorch's layers as `{type, args, kwargs}` (required arguments positional,
 * non-default options as kwargs), containers with their children, other modules as `{"type": "Module"}` with
 * named children. `fromSpec(toSpec(m))` rebuilds the same architecture (and, from the same seed, the same values).
 *
 * @throws InitError (`UNSUPPORTED`) for a module with its own parameters that is not one of PyTorch's layers.
 * @example
 * ```ts
 * nn.toSpec(new nn.Linear(4, 2, { bias: false })); // { type: 'Linear', args: [4, 2], kwargs: { bias: false } }
 * ```
 */
export function toSpec(module: Module): SpecNode {
  if (!(module instanceof Module)) {
    fail({ code: 'INVALID_ARGUMENT', where: 'toSpec', param: 'module', expected: 'a Module', received: module });
  }
  const children = (): [string, Module][] => [...module._modules].filter(([, m]) => m !== null) as [string, Module][];
  const namedChildren = (): Record<string, SpecNode> | [string, SpecNode][] => {
    const entries = children().map(([k, m]): [string, SpecNode] => [k, toSpec(m)]);
    if (entries.some(([k]) => /^(0|[1-9]\d*)$/.test(k))) return entries;
    return Object.fromEntries(entries);
  };
  if (module instanceof Sequential) {
    const kids = children();
    const indexed = kids.every(([k], i) => k === String(i));
    return { type: 'Sequential', children: indexed ? kids.map(([, m]) => toSpec(m)) : namedChildren() };
  }
  if (module instanceof Residual) {
    const kids = children();
    const indexed = kids.every(([k], i) => k === String(i));
    return { type: 'Residual', children: indexed ? kids.map(([, m]) => toSpec(m)) : namedChildren() };
  }
  if (module instanceof ModuleList) return { type: 'ModuleList', children: children().map(([, m]) => toSpec(m)) };
  if (module instanceof ModuleDict) return { type: 'ModuleDict', children: namedChildren() };
  const sig = (module.constructor as LayerClass).signature;
  if (sig !== undefined && module._config !== undefined && Object.prototype.hasOwnProperty.call(LAYERS, sig.type)) {
    const cfg = module._config;
    const args: unknown[] = [];
    const kwargs: Record<string, unknown> = {};
    for (const p of sig.params) {
      const v = cfg[p.name];
      if (isRequired(p)) args.push(toSpecValue(v));
      else if (p.name === 'device') continue;
      else if (v !== undefined && !deepEqual(v, p.default)) kwargs[p.name] = toSpecValue(v);
    }
    const out: SpecNode = { type: sig.type };
    if (args.length) out.args = args;
    if (Object.keys(kwargs).length) out.kwargs = kwargs;
    return out;
  }
  const own = [...module._parameters.values(), ...module._buffers.values()].filter((t) => t !== null);
  if (own.length > 0) {
    fail({
      code: 'UNSUPPORTED',
      where: 'toSpec',
      param: 'module',
      expected: 'PyTorch layers, containers, or modules whose own state lives in sub-modules',
      receivedText: `${module.constructor.name} with its own parameters or buffers (${[...module._parameters.keys(), ...module._buffers.keys()].join(', ')})`,
      fix: 'Move the tensors into a layer (e.g. nn.Linear) or write the spec by hand.',
    });
  }
  return { type: 'Module', children: namedChildren() };
}

/** A layer type's signature, in PyTorch's notation: `Linear(in_features, out_features, bias=True, ...)`. */
export function describeSpecType(type: string): string {
  const sig = specSignature(type);
  if (sig !== undefined) return formatSignature(sig);
  if ((CONTAINER_TYPES as readonly string[]).includes(type)) return `${type}(children)`;
  return fail({ code: 'UNKNOWN_NAME', where: 'describeSpecType', param: 'type', expected: 'a spec type', received: type });
}
