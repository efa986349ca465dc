/**
 * Module: PyTorch's `torch.nn.Module` tree, for initialization. Parameters, buffers and sub-modules are kept in
 * registration order, and every traversal (`namedParameters`, `namedModules`, `stateDict`, `apply`, `toString`)
 * visits them in exactly PyTorch's order with PyTorch's dotted names, so a state dict written here has the keys
 * and order of `model.state_dict()`.
 *
 * Registered names become properties (`layer.weight`, `net.fc1`), read and written through the registry like
 * PyTorch's `__getattr__` / `__setattr__`. Layers declare their typed fields with `declare`.
 */
import { InitError, fail, formatValue } from '../errors.js';
import type { RandomEngine } from '../rng/engine.js';
import { type DType, isFloatDType, parseDType } from '../tensor/dtype.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor, empty } from '../tensor/tensor.js';
import { chargeBudget } from './factory.js';
import { Parameter } from './parameter.js';
import type { Signature } from './signature.js';

/** A state dict: PyTorch's `OrderedDict[str, Tensor]`, as a Map (insertion order is the key order). */
export type StateDict = Map<string, Tensor>;

/** What {@link Module.loadStateDict} reports (PyTorch's `_IncompatibleKeys`, plus shape mismatches). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
  /** `key: checkpoint shape vs model shape`; PyTorch raises for these even with strict=false, and so do we. */
  mismatchedKeys: string[];
}

export interface LoadOptions {
  /** Missing or unexpected keys are an error (default true), as in PyTorch. */
  strict?: boolean;
  /**
   * Replace the module's tensors by the given ones instead of copying into them (PyTorch 2.1's `assign=True`):
   * how a meta-device model is materialized from a checkpoint.
   */
  assign?: boolean;
}

/** Options of the named traversals. */
export interface NamedOptions {
  /** Prepended to every name (`prefix + '.' + name`). */
  prefix?: string;
  /** Include sub-modules' members (default true). */
  recurse?: boolean;
}

/** Options for {@link Module.resetParameters}. */
export interface ResetOptions {
  /** The random engine to draw from; default: the default generator. */
  generator?: RandomEngine | undefined;
}

type Kind = 'param' | 'buffer' | 'module';

function checkName(owner: Module, where: string, name: unknown, kind: Kind): string {
  if (typeof name !== 'string') {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'name', expected: 'name to be a string', received: name });
  }
  if (name === '') fail({ code: 'INVALID_ARGUMENT', where, param: 'name', expected: 'a non-empty name', received: name });
  if (name.includes('.')) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'name',
      expected: 'a name without "." (dots separate the levels of a state-dict key)',
      received: name,
    });
  }
  const owned = kind === 'param' ? owner._parameters.has(name) : kind === 'buffer' ? owner._buffers.has(name) : owner._modules.has(name);
  const taken = owner._parameters.has(name) || owner._buffers.has(name) || owner._modules.has(name);
  if ((name in owner && !taken) || (taken && !owned)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'name',
      expected: `a name not already used by ${owner.constructor.name}`,
      receivedText: `${formatValue(name)} (an existing ${taken ? 'member' : 'attribute'})`,
    });
  }
  return name;
}

/**
 * Base class for all modules, with PyTorch's traversal order and names.
 *
 * PyTorch equivalent: `torch.nn.Module`.
 *
 * @example
 * ```ts
 * class Net extends nn.Module {
 *   declare fc1: nn.Linear;
 *   declare fc2: nn.Linear;
 *   constructor() {
 *     super();
 *     this.registerModule('fc1', new nn.Linear(4, 32));
 *     this.registerModule('fc2', new nn.Linear(32, 2));
 *   }
 * }
 * manualSeed(0);
 * const net = new Net();
 * [...net.stateDict().keys()]; // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * ```
 */
export class Module {
  /** Training mode flag (`module.training`). */
  training = true;
  /** @internal registration-ordered parameters (null: registered as None). */
  readonly _parameters = new Map<string, Parameter | null>();
  /** @internal registration-ordered buffers. */
  readonly _buffers = new Map<string, Tensor | null>();
  /** @internal names of buffers left out of the state dict. */
  readonly _nonPersistentBuffers = new Set<string>();
  /** @internal registration-ordered sub-modules. */
  readonly _modules = new Map<string, Module | null>();
  /** @internal the PyTorch-named constructor arguments (for toSpec and repr); undefined for user modules. */
  _config: Record<string, unknown> | undefined;

  /** The PyTorch signature of this class, when it is one of PyTorch's layers (used by the spec). */
  static readonly signature: Signature | undefined = undefined;

  // ---- registration ---------------------------------------------------------------------------------------

  /**
   * Add a parameter (or `null`, PyTorch's `register_parameter(name, None)`: a declared-but-absent parameter).
   * A plain Tensor is wrapped in a {@link Parameter} sharing its storage. The name becomes a property.
   */
  registerParameter(name: string, param: Parameter | Tensor | null): this {
    const n = checkName(this, 'registerParameter', name, 'param');
    if (param !== null && !(param instanceof Tensor)) {
      fail({ code: 'NOT_A_TENSOR', where: 'registerParameter', param: 'param', expected: 'a Parameter, a Tensor or null', received: param });
    }
    this._parameters.set(n, param === null ? null : param instanceof Parameter ? param : new Parameter(param));
    this.defineMember(n);
    return this;
  }

  /**
   * Add a buffer: state that is not learned (BatchNorm's running statistics). Persistent buffers (the default)
   * are part of the state dict; non-persistent ones are not.
   */
  registerBuffer(name: string, tensor: Tensor | null, options: { persistent?: boolean } = {}): this {
    const n = checkName(this, 'registerBuffer', name, 'buffer');
    if (tensor !== null && !(tensor instanceof Tensor)) {
      fail({ code: 'NOT_A_TENSOR', where: 'registerBuffer', param: 'tensor', expected: 'a Tensor or null', received: tensor });
    }
    this._buffers.set(n, tensor);
    if (options.persistent === false) this._nonPersistentBuffers.add(n);
    else this._nonPersistentBuffers.delete(n);
    this.defineMember(n);
    return this;
  }

  /** Add a sub-module (or null). Returns the sub-module, so `const fc = this.registerModule('fc', new Linear(...))`. */
  registerModule<M extends Module | null>(name: string, module: M): M {
    const n = checkName(this, 'registerModule', name, 'module');
    if (module !== null && !(module instanceof Module)) {
      fail({ code: 'INVALID_ARGUMENT', where: 'registerModule', param: 'module', expected: 'a Module or null', received: module });
    }
    this._modules.set(n, module);
    this.defineMember(n);
    return module;
  }

  /** PyTorch's `add_module`: same as {@link registerModule}, returns this. */
  addModule(name: string, module: Module | null): this {
    this.registerModule(name, module);
    return this;
  }

  private defineMember(name: string): void {
    chargeBudget(1);
    if (Object.prototype.hasOwnProperty.call(this, name)) return;
    Object.defineProperty(this, name, {
      configurable: true,
      enumerable: true,
      get(this: Module) {
        if (this._parameters.has(name)) return this._parameters.get(name);
        if (this._buffers.has(name)) return this._buffers.get(name);
        return this._modules.get(name);
      },
      set(this: Module, v: unknown) {
        if (this._parameters.has(name)) {
          if (v !== null && !(v instanceof Parameter)) {
            fail({ code: 'INVALID_ARGUMENT', where: `${this.constructor.name}.${name}`, param: name, expected: 'a Parameter or null', received: v });
          }
          this._parameters.set(name, v);
        } else if (this._buffers.has(name)) {
          if (v !== null && !(v instanceof Tensor)) {
            fail({ code: 'INVALID_ARGUMENT', where: `${this.constructor.name}.${name}`, param: name, expected: 'a Tensor or null', received: v });
          }
          this._buffers.set(name, v);
        } else {
          if (v !== null && !(v instanceof Module)) {
            fail({ code: 'INVALID_ARGUMENT', where: `${this.constructor.name}.${name}`, param: name, expected: 'a Module or null', received: v });
          }
          this._modules.set(name, v);
        }
      },
    });
  }

  // ---- traversal ------------------------------------------------------------------------------------------

  /**
   * `[name, module]` for this module and every descendant, pre-order, each module once (PyTorch's
   * `named_modules()`): `''` for this module, then dotted paths.
   */
  namedModules(options: { prefix?: string; removeDuplicate?: boolean } = {}): [string, Module][] {
    const out: [string, Module][] = [];
    const memo = new Set<Module>();
    const removeDuplicate = options.removeDuplicate ?? true;
    const walk = (m: Module, prefix: string): void => {
      if (memo.has(m)) return;
      if (removeDuplicate) memo.add(m);
      out.push([prefix, m]);
      for (const [name, child] of m._modules) {
        if (child === null) continue;
        walk(child, prefix === '' ? name : `${prefix}.${name}`);
      }
    };
    walk(this, options.prefix ?? '');
    return out;
  }

  /** This module and every descendant, pre-order, each once (PyTorch's `modules()`). */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** `[name, child]` for the direct sub-modules, each once, in registration order (`named_children()`). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const memo = new Set<Module>();
    for (const [name, m] of this._modules) {
      if (m === null || memo.has(m)) continue;
      memo.add(m);
      out.push([name, m]);
    }
    return out;
  }

  /** The direct sub-modules (`children()`). */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  private namedMembers<T>(get: (m: Module) => Iterable<[string, T | null]>, options: NamedOptions): [string, T][] {
    const prefix = options.prefix ?? '';
    const modules: [string, Module][] = options.recurse === false ? [[prefix, this]] : this.namedModules({ prefix });
    const memo = new Set<T>();
    const out: [string, T][] = [];
    for (const [mp, m] of modules) {
      for (const [k, v] of get(m)) {
        if (v === null || memo.has(v)) continue;
        memo.add(v);
        out.push([mp === '' ? k : `${mp}.${k}`, v]);
      }
    }
    return out;
  }

  /**
   * `[dottedName, parameter]` in PyTorch's `named_parameters()` order: each module (pre-order) contributes its
   * own parameters in registration order; a parameter shared by two modules appears once, under its first name.
   */
  namedParameters(options: NamedOptions = {}): [string, Parameter][] {
    return this.namedMembers((m) => m._parameters, options);
  }

  /** The parameters, in {@link namedParameters} order (`parameters()`). */
  parameters(options: { recurse?: boolean } = {}): Parameter[] {
    return this.namedParameters(options).map(([, p]) => p);
  }

  /** `[dottedName, buffer]`, persistent or not, in PyTorch's `named_buffers()` order. */
  namedBuffers(options: NamedOptions = {}): [string, Tensor][] {
    return this.namedMembers((m) => m._buffers, options);
  }

  /** The buffers (`buffers()`). */
  buffers(options: { recurse?: boolean } = {}): Tensor[] {
    return this.namedBuffers(options).map(([, b]) => b);
  }

  /**
   * Call `fn` on every sub-module, then on this module (post-order, children in registration order), as
   * PyTorch's `apply` does. Returns this.
   *
   * @example
   * ```ts
   * model.apply((m) => { if (m instanceof nn.Linear) init.xavierUniform_(m.weight); });
   * ```
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /** The sub-module at a dotted path (`'encoder.layers.0'`); `''` is this module (`get_submodule`). */
  getSubmodule(target: string): Module {
    const parts = target === '' ? [] : target.split('.');
    let m: Module = this as Module;
    for (let i = 0; i < parts.length; i++) {
      const next = m._modules.get(parts[i]!);
      if (next === undefined || next === null) {
        fail({
          code: 'UNKNOWN_NAME',
          where: 'getSubmodule',
          param: 'target',
          expected: `a path of sub-modules (${m.constructor.name} at ${formatValue(parts.slice(0, i).join('.'))} has ${[...m._modules.keys()].join(', ') || 'no sub-modules'})`,
          received: target,
        });
      }
      m = next;
    }
    return m;
  }

  /** The parameter at a dotted path (`'encoder.layers.0.linear1.weight'`). */
  getParameter(target: string): Parameter {
    const i = target.lastIndexOf('.');
    const owner = this.getSubmodule(i < 0 ? '' : target.slice(0, i));
    const p = owner._parameters.get(target.slice(i + 1));
    if (p === undefined || p === null) {
      fail({ code: 'UNKNOWN_NAME', where: 'getParameter', param: 'target', expected: 'the dotted name of a parameter', received: target });
    }
    return p;
  }

  // ---- state --------------------------------------------------------------------------------------------------

  /**
   * PyTorch's `state_dict()`: for this module its own parameters (registration order), then its persistent
   * buffers, then each sub-module's state under `name.`, recursively. Unlike {@link namedParameters}, a tensor
   * shared by two modules appears under both keys (tied weights), as in PyTorch. The values are the live tensors.
   */
  stateDict(options: { prefix?: string } = {}): StateDict {
    const dest: StateDict = new Map();
    this.saveToStateDict(dest, options.prefix ?? '');
    return dest;
  }

  private saveToStateDict(dest: StateDict, prefix: string): void {
    for (const [n, p] of this._parameters) if (p !== null) dest.set(prefix + n, p);
    for (const [n, b] of this._buffers) if (b !== null && !this._nonPersistentBuffers.has(n)) dest.set(prefix + n, b);
    for (const [n, m] of this._modules) if (m !== null) m.saveToStateDict(dest, `${prefix}${n}.`);
  }

  /**
   * Copy a state dict into this module's parameters and persistent buffers (PyTorch's `load_state_dict`).
   * Values are converted to each tensor's dtype. Shape mismatches are always an error (as in PyTorch); with
   * `strict` (the default) missing and unexpected keys are too. The error lists every problem.
   *
   * @throws InitError (`SHAPE_MISMATCH` or `INVALID_STATE`) naming the keys.
   */
  loadStateDict(stateDict: StateDict | Record<string, Tensor> | Iterable<[string, Tensor]>, options: LoadOptions = {}): LoadResult {
    const strict = options.strict ?? true;
    const entries: [string, Tensor][] =
      stateDict instanceof Map
        ? [...stateDict]
        : typeof (stateDict as Iterable<[string, Tensor]>)[Symbol.iterator] === 'function'
          ? [...(stateDict as Iterable<[string, Tensor]>)]
          : Object.entries(stateDict as Record<string, Tensor>);
    const given = new Map<string, Tensor>();
    for (const [k, v] of entries) {
      if (!(v instanceof Tensor)) {
        fail({ code: 'NOT_A_TENSOR', where: 'loadStateDict', param: k, expected: `a Tensor for key ${formatValue(k)}`, received: v });
      }
      given.set(k, v);
    }
    const missingKeys: string[] = [];
    const mismatchedKeys: string[] = [];
    const seen = new Set<string>();
    const toLoad: [Module, 'param' | 'buffer', string, Tensor][] = [];
    const visit = (m: Module, prefix: string): void => {
      const local: [string, Tensor, 'param' | 'buffer'][] = [];
      for (const [n, p] of m._parameters) if (p !== null) local.push([n, p, 'param']);
      for (const [n, b] of m._buffers) if (b !== null && !m._nonPersistentBuffers.has(n)) local.push([n, b, 'buffer']);
      for (const [n, t, kind] of local) {
        const key = prefix + n;
        seen.add(key);
        const src = given.get(key);
        if (src === undefined) {
          missingKeys.push(key);
          continue;
        }
        if (!sameShape(src.shape, t.shape)) {
          mismatchedKeys.push(`${key}: checkpoint shape ${formatShape(src.shape)}, model shape ${formatShape(t.shape)}`);
          continue;
        }
        toLoad.push([m, kind, n, src]);
      }
      for (const [n, child] of m._modules) if (child !== null) visit(child, `${prefix}${n}.`);
    };
    visit(this, '');
    const unexpectedKeys = [...given.keys()].filter((k) => !seen.has(k));
    const problems: string[] = [];
    if (strict && missingKeys.length) problems.push(`missing keys ${missingKeys.map((k) => `"${k}"`).join(', ')}`);
    if (strict && unexpectedKeys.length) problems.push(`unexpected keys ${unexpectedKeys.map((k) => `"${k}"`).join(', ')}`);
    if (mismatchedKeys.length) problems.push(`size mismatch for ${mismatchedKeys.join('; ')}`);
    if (problems.length) {
      throw new InitError({
        code: mismatchedKeys.length ? 'SHAPE_MISMATCH' : 'INVALID_STATE',
        where: `loadStateDict(${this.constructor.name})`,
        param: 'stateDict',
        expected: `a state dict matching the model's ${seen.size} keys`,
        receivedText: problems.join('; '),
        fix: mismatchedKeys.length
          ? 'Check that the checkpoint was saved from the same architecture.'
          : 'Pass { strict: false } to load the matching keys and get the lists back.',
      });
    }
    for (const [m, kind, n, src] of toLoad) {
      const dst = kind === 'param' ? m._parameters.get(n)! : m._buffers.get(n)!;
      if (options.assign) {
        const t = src.dtype === dst.dtype ? src : src.to(dst.dtype);
        if (kind === 'param') m._parameters.set(n, t instanceof Parameter ? t : new Parameter(t, (dst as Parameter).requiresGrad));
        else m._buffers.set(n, t);
      } else {
        dst.copy_(src);
      }
    }
    return { missingKeys, unexpectedKeys, mismatchedKeys };
  }

  // ---- initialization and bookkeeping -------------------------------------------------------------------------

  /**
   * Re-run the initialization. On PyTorch's layers this is the layer's `reset_parameters()` (the same draws as
   * its constructor). On containers and user modules (which have no `reset_parameters` in PyTorch) it resets
   * each child in registration order.
   */
  resetParameters(options: ResetOptions = {}): this {
    for (const child of this.children()) child.resetParameters(options);
    return this;
  }

  /** Number of parameter elements, each shared parameter counted once (`sum(p.numel() for p in parameters())`). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    let n = 0;
    for (const p of this.parameters()) if (!options.trainableOnly || p.requiresGrad) n += p.numel;
    return n;
  }

  /** Set training mode on this module and every descendant (`train(mode)`). */
  train(mode = true): this {
    if (typeof mode !== 'boolean') {
      fail({ code: 'INVALID_ARGUMENT', where: 'train', param: 'mode', expected: 'mode to be a boolean', received: mode });
    }
    this.training = mode;
    for (const c of this.children()) c.train(mode);
    return this;
  }

  /** `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Set `requiresGrad` on every parameter (`requires_grad_`). */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad = flag;
    return this;
  }

  /**
   * Convert every floating-point parameter and buffer to `dtype` in place, rounding to nearest even
   * (`module.to(dtype)`); integer buffers such as `num_batches_tracked` keep their dtype. Returns this.
   */
  to(dtype: DType | string): this {
    const d = parseDType('Module.to', dtype);
    if (!isFloatDType(d)) {
      fail({ code: 'INVALID_DTYPE', where: 'Module.to', param: 'dtype', expected: 'a floating dtype (float32, float64, float16, bfloat16)', received: dtype });
    }
    const convert = new Map<Tensor, Tensor>();
    const conv = (t: Tensor): Tensor => {
      let c = convert.get(t);
      if (c === undefined) {
        c = !isFloatDType(t.dtype) || t.dtype === d ? t : t.isMeta ? empty(t.shape, { dtype: d, device: 'meta' }) : t.to(d);
        if (t instanceof Parameter && !(c instanceof Parameter)) c = new Parameter(c, t.requiresGrad);
        convert.set(t, c);
      }
      return c;
    };
    for (const m of this.modules()) {
      for (const [n, p] of m._parameters) if (p !== null) m._parameters.set(n, conv(p) as Parameter);
      for (const [n, b] of m._buffers) if (b !== null) m._buffers.set(n, conv(b));
    }
    return this;
  }

  /**
   * A deep copy: the same tree with every tensor copied (`copy.deepcopy(module)`); tensors and modules shared
   * within the tree stay shared in the copy. No random numbers are drawn. With `shareStorage` the new tensors view
   * the original storage instead (a structural copy: writes to one show in the other).
   */
  deepCopy(options: { shareStorage?: boolean } = {}): this {
    return deepCopyValue(this, new Map(), options.shareStorage === true) as this;
  }

  // ---- printing -----------------------------------------------------------------------------------------------

  /** The one-line summary of this module's own settings (`extra_repr`); '' for none. */
  extraRepr(): string {
    return '';
  }

  /** The class name PyTorch prints (`_get_name()`). */
  getName(): string {
    return this.constructor.name;
  }

  /**
   * PyTorch's `repr(module)`, character for character for PyTorch's layers:
   * ```text
   * Sequential(
   *   (0): Linear(in_features=4, out_features=32, bias=True)
   *   (1): ReLU()
   * )
   * ```
   */
  toString(): string {
    const extra = this.extraRepr();
    const extraLines = extra ? extra.split('\n') : [];
    const childLines: string[] = [];
    for (const [key, m] of this._modules) {
      const s = m === null ? 'None' : addIndent(m.toString(), 2);
      childLines.push(`(${key}): ${s}`);
    }
    const lines = [...extraLines, ...childLines];
    let main = `${this.getName()}(`;
    if (lines.length) {
      if (extraLines.length === 1 && childLines.length === 0) main += extraLines[0];
      else main += `\n  ${lines.join('\n  ')}\n`;
    }
    return `${main})`;
  }
}

function addIndent(s: string, n: number): string {
  const lines = s.split('\n');
  if (lines.length === 1) return s;
  const first = lines.shift()!;
  return `${first}\n${lines.map((l) => ' '.repeat(n) + l).join('\n')}`;
}

/** `copy.deepcopy`: tensors and modules copied once each (memo), everything else structurally. */
function deepCopyValue(v: unknown, memo: Map<unknown, unknown>, share: boolean): unknown {
  if (v === null || typeof v !== 'object') return v;
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  if (v instanceof Tensor) {
    const c = !share ? v.clone() : v instanceof Parameter ? new Parameter(v, v.requiresGrad) : new Tensor(v.shape, v.dtype, v.data, v.device);
    memo.set(v, c);
    return c;
  }
  if (v instanceof Map) {
    const c = new Map();
    memo.set(v, c);
    for (const [k, x] of v) c.set(k, deepCopyValue(x, memo, share));
    return c;
  }
  if (v instanceof Set) {
    const c = new Set();
    memo.set(v, c);
    for (const x of v) c.add(deepCopyValue(x, memo, share));
    return c;
  }
  if (Array.isArray(v)) {
    const c: unknown[] = [];
    memo.set(v, c);
    for (const x of v) c.push(deepCopyValue(x, memo, share));
    return Object.isFrozen(v) ? Object.freeze(c) : c;
  }
  const proto = Object.getPrototypeOf(v) as object | null;
  if (v instanceof Module || proto === Object.prototype || proto === null) {
    const c = Object.create(proto) as Record<string, unknown>;
    memo.set(v, c);
    for (const key of Reflect.ownKeys(v)) {
      const d = Object.getOwnPropertyDescriptor(v, key)!;
      if ('value' in d) d.value = deepCopyValue(d.value, memo, share);
      Object.defineProperty(c, key, d);
    }
    return Object.isFrozen(v) ? Object.freeze(c) : c;
  }
  // Engines (generators) and other class instances are shared, not copied.
  return v;
}
