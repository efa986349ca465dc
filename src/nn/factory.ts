/**
 * Where layers get their device, dtype and generator when the call does not say: a scoped default, like
 * `torch.set_default_dtype` and `with torch.device('meta'):`, set by {@link withDefaults} and {@link meta}.
 */
import { fail } from '../errors.js';
import type { RandomEngine } from '../rng/engine.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor} from '../tensor/tensor.js';
import { type Device, empty } from '../tensor/tensor.js';
import { Parameter } from './parameter.js';

/** Defaults for layer construction inside a {@link withDefaults} scope. */
export interface BuildDefaults {
  /** `'meta'`: build shapes only (no memory, no draws). */
  device?: Device;
  /** Default parameter dtype (`torch.set_default_dtype`). */
  dtype?: DType;
  /** Default random engine for every layer built in the scope. */
  generator?: RandomEngine;
  /**
   * Read-only builds: the layer copies TransformerEncoder / TransformerDecoder make share their tensors' storage
   * instead of copying it (identical values, no memory traffic). Only for models that will not be modified, such
   * as `initkit init` writing a file; `Transformer` (whose xavier pass rewrites its layers) always copies.
   */
  shareCopies?: boolean;
}

let current: BuildDefaults = {};

/**
 * A cap on how many members (modules, parameters, buffers) one build may register, so that a spec asking for
 * `num_layers: 1e9` fails with an error instead of exhausting memory. Only {@link fromSpec} sets one.
 */
interface Budget {
  used: number;
  readonly limit: number;
}

let budget: Budget | null = null;

/** @internal Run `fn` with a registration budget (nested calls share the outer one). */
export function withBudget<T>(limit: number, fn: () => T): T {
  if (budget !== null) return fn();
  budget = { used: 0, limit };
  try {
    return fn();
  } finally {
    budget = null;
  }
}

/** @internal Count `n` registrations against the active budget, if any. */
export function chargeBudget(n: number): void {
  if (budget === null) return;
  budget.used += n;
  if (budget.used > budget.limit) {
    const limit = budget.limit;
    budget.used = -Infinity; // report once
    fail({
      code: 'INVALID_ARGUMENT',
      where: 'fromSpec',
      param: 'spec',
      expected: `a model with at most ${limit} modules, parameters and buffers`,
      receivedText: 'more (check num_layers and similar counts)',
    });
  }
}

/**
 * Run `fn` with construction defaults (device, dtype, generator) for every layer it builds, then restore the
 * previous defaults (scopes nest).
 *
 * PyTorch equivalent: `torch.set_default_dtype(...)` / `with torch.device('meta'):`.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const net = nn.withDefaults({ generator: g, dtype: 'float64' }, () => new nn.Linear(4, 2));
 * ```
 */
export function withDefaults<T>(defaults: BuildDefaults, fn: () => T): T {
  const prev = current;
  const next: BuildDefaults = { ...prev };
  if (defaults.device !== undefined) next.device = defaults.device;
  if (defaults.dtype !== undefined) next.dtype = defaults.dtype;
  if (defaults.generator !== undefined) next.generator = defaults.generator;
  if (defaults.shareCopies !== undefined) next.shareCopies = defaults.shareCopies;
  current = next;
  try {
    return fn();
  } finally {
    current = prev;
  }
}

/**
 * Build modules on the meta device: every parameter and buffer has a shape and a dtype but no storage, and no
 * random numbers are drawn. Counting parameters of a 70B-parameter model this way takes milliseconds.
 *
 * PyTorch equivalent: `with torch.device('meta'): model = ...` (2.0+) or `device='meta'` on each layer.
 *
 * @example
 * ```ts
 * const big = nn.meta(() => new nn.Linear(8192, 28672, { bias: false }));
 * big.numParameters(); // 234881024, nothing allocated
 * ```
 */
export function meta<T>(fn: () => T): T {
  return withDefaults({ device: 'meta' }, fn);
}

/** The device, dtype and generator a layer uses: its own options first, then the scope, then cpu/float32/default. */
export interface Factory {
  device: Device;
  dtype: DType;
  generator: RandomEngine | undefined;
}

export function resolveFactory(cfg: Record<string, unknown>, generator: RandomEngine | undefined): Factory {
  const device = (cfg['device'] as Device | null | undefined) ?? current.device ?? 'cpu';
  const dtype = (cfg['dtype'] as DType | null | undefined) ?? current.dtype ?? 'float32';
  return { device, dtype, generator: generator ?? current.generator };
}

/** The current scope's defaults (for modules that build sub-modules and for toSpec). */
export function currentDefaults(): Readonly<BuildDefaults> {
  return current;
}

/** `Parameter(torch.empty(shape, dtype, device))`: uninitialized (zeros), no draws. */
export function emptyParam(f: Factory, shape: readonly number[]): Parameter {
  return new Parameter(empty(shape, { dtype: f.dtype, device: f.device }));
}

export function emptyTensor(f: Factory, shape: readonly number[], dtype: DType = f.dtype): Tensor {
  return empty(shape, { dtype, device: f.device });
}

/** `{ generator }` for the init functions, or undefined for the default generator. */
export { drawOptions } from '../init/common.js';
