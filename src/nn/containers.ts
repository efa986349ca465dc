/**
 * Containers: Sequential, ModuleList, ModuleDict (`torch/nn/modules/container.py`). They hold modules under
 * `'0', '1', ...` or given names; they draw nothing themselves (their children were built, and drew, first).
 */
import { fail, formatValue } from '../errors.js';
import { Module } from './module.js';

function checkModule(where: string, i: number | string, m: unknown): Module {
  if (!(m instanceof Module)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: `modules[${typeof i === 'number' ? i : JSON.stringify(i)}]`,
      expected: `modules[${typeof i === 'number' ? i : JSON.stringify(i)}] to be a Module`,
      received: m,
      fix: 'Pass layers such as new nn.Linear(4, 2).',
    });
  }
  return m;
}

function entriesOf(where: string, v: unknown): [string, Module][] {
  const raw: [unknown, unknown][] =
    v instanceof Map
      ? [...(v as Map<unknown, unknown>)]
      : Array.isArray(v)
        ? (v as unknown[]).map((e, i) => {
            if (!Array.isArray(e) || e.length !== 2) {
              fail({ code: 'INVALID_ARGUMENT', where, param: `modules[${i}]`, expected: 'a [name, module] pair', received: e });
            }
            return e as [unknown, unknown];
          })
        : Object.entries(v as Record<string, unknown>);
  return raw.map(([k, m]) => {
    if (typeof k !== 'string') fail({ code: 'INVALID_ARGUMENT', where, param: 'name', expected: 'string names', received: k });
    return [k, checkModule(where, k, m)];
  });
}

/** Normalize a possibly negative index like Python's `_get_abs_string_index`. */
function absIndex(where: string, idx: number, n: number): number {
  if (!Number.isInteger(idx) || idx < -n || idx >= n) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'idx', expected: `an index in [${-n}, ${n})`, received: idx });
  }
  return idx < 0 ? idx + n : idx;
}

/**
 * Modules applied in order. Built from modules (named `'0'`, `'1'`, ...) or from one Map / object of named
 * modules (PyTorch's `OrderedDict` form).
 *
 * PyTorch equivalent: `torch.nn.Sequential(*modules)` / `torch.nn.Sequential(OrderedDict(...))`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const dqn = new nn.Sequential(new nn.Linear(4, 32), new nn.ReLU(), new nn.Linear(32, 2));
 * [...dqn.stateDict().keys()]; // ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 */
export class Sequential extends Module {
  constructor(...modules: Module[] | [Map<string, Module> | Record<string, Module> | [string, Module][]]) {
    super();
    const first = modules[0] as unknown;
    if (modules.length === 1 && !(first instanceof Module)) {
      for (const [k, m] of entriesOf('Sequential', first)) this.registerModule(k, m);
    } else {
      (modules as unknown[]).forEach((m, i) => this.registerModule(String(i), checkModule('Sequential', i, m)));
    }
  }

  /** Number of modules (`len(seq)`). */
  get length(): number {
    return this._modules.size;
  }

  /** The module at `idx` (negative counts from the end), as `seq[idx]`. */
  at(idx: number): Module {
    const i = absIndex('Sequential.at', idx, this.length);
    return [...this._modules.values()][i]!;
  }

  /** Append a module under the next index; returns this. */
  append(module: Module): this {
    this.registerModule(String(this.length), checkModule('Sequential.append', this.length, module));
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()].filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }
}

/**
 * A list of modules, registered as `'0'`, `'1'`, ...
 *
 * PyTorch equivalent: `torch.nn.ModuleList(modules=None)`.
 *
 * @example
 * ```ts
 * const blocks = new nn.ModuleList([new nn.Linear(8, 8), new nn.Linear(8, 8)]);
 * blocks.append(new nn.LayerNorm(8));
 * ```
 */
export class ModuleList extends Module {
  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as Iterable<Module>)[Symbol.iterator] !== 'function') {
      fail({ code: 'INVALID_ARGUMENT', where: 'ModuleList', param: 'modules', expected: 'an array of modules', received: modules });
    }
    let i = 0;
    for (const m of modules) {
      this.registerModule(String(i), checkModule('ModuleList', i, m));
      i++;
    }
  }

  get length(): number {
    return this._modules.size;
  }

  /** The module at `idx` (negative counts from the end). */
  at(idx: number): Module {
    const i = absIndex('ModuleList.at', idx, this.length);
    return this._modules.get(String(i))!;
  }

  append(module: Module): this {
    this.registerModule(String(this.length), checkModule('ModuleList.append', this.length, module));
    return this;
  }

  extend(modules: Iterable<Module>): this {
    for (const m of modules) this.append(m);
    return this;
  }

  [Symbol.iterator](): Iterator<Module> {
    return ([...this._modules.values()].filter((m) => m !== null) as Module[])[Symbol.iterator]();
  }
}

/**
 * Named modules in insertion order.
 *
 * PyTorch equivalent: `torch.nn.ModuleDict(modules=None)`.
 *
 * @example
 * ```ts
 * const heads = new nn.ModuleDict({ policy: new nn.Linear(64, 4), value: new nn.Linear(64, 1) });
 * ```
 */
export class ModuleDict extends Module {
  constructor(modules: Map<string, Module> | Record<string, Module> | [string, Module][] = {}) {
    super();
    if (modules === null || typeof modules !== 'object') {
      fail({ code: 'INVALID_ARGUMENT', where: 'ModuleDict', param: 'modules', expected: 'an object, Map or [name, module] pairs', received: modules });
    }
    for (const [k, m] of entriesOf('ModuleDict', modules)) this.set(k, m);
  }

  get size(): number {
    return this._modules.size;
  }

  /** The module under `key` (`dict[key]`). */
  get(key: string): Module {
    const m = this._modules.get(key);
    if (m === undefined || m === null) {
      fail({ code: 'UNKNOWN_NAME', where: 'ModuleDict.get', param: 'key', expected: `one of ${[...this._modules.keys()].map((k) => formatValue(k)).join(', ')}`, received: key });
    }
    return m;
  }

  /** Add or replace a module (`dict[key] = module`); returns this. */
  set(key: string, module: Module): this {
    this.registerModule(key, checkModule('ModuleDict.set', key, module));
    return this;
  }

  has(key: string): boolean {
    return this._modules.has(key);
  }

  keys(): string[] {
    return [...this._modules.keys()];
  }

  values(): Module[] {
    return [...this._modules.values()].filter((m) => m !== null) as Module[];
  }

  entries(): [string, Module][] {
    return [...this._modules].filter(([, m]) => m !== null) as [string, Module][];
  }
}
