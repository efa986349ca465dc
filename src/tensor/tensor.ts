/**
 * A minimal contiguous, row-major tensor: what an initializer needs and nothing more.
 *
 * Views along dim 0 (`select(0, i)`, `narrow(0, start, len)`, and `view`/`reshape`) share memory with their base,
 * as in PyTorch, so `t.select(0, paddingIdx).zero_()` zeroes a row of an embedding in place.
 *
 * A tensor on the `meta` device has a shape and a dtype but no storage (PyTorch's `device='meta'`): in-place
 * operations on it are no-ops, so huge models can be built, counted and explained without allocating.
 */
import { InitError, fail, formatValue } from '../errors.js';
import {
  type DType,
  type Storage,
  DTYPES,
  allocStorage,
  isFloatDType,
  parseDType,
  roundToDType,
  ITEMSIZE,
} from './dtype.js';
import { checkShape, formatShape, numelOf } from './shape.js';

export type Device = 'cpu' | 'meta';

export interface TensorOptions {
  /** Element type; default `float32`. */
  dtype?: DType;
  /** `'meta'` allocates no storage; default `'cpu'`. */
  device?: Device;
}

export class Tensor {
  /** Sizes of each dimension, row-major. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  readonly device: Device;
  /**
   * The elements in row-major order. Float32Array for float32 (and the 16-bit float types, whose values are kept
   * exactly representable), Float64Array otherwise. Empty on the meta device. For a view, a subarray of the base.
   */
  readonly data: Storage;
  /** Number of elements (the product of the shape). */
  readonly numel: number;

  /** @internal use {@link empty}, {@link zeros}, {@link fromArray} and friends. */
  constructor(shape: readonly number[], dtype: DType, data: Storage, device: Device = 'cpu') {
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = dtype;
    this.device = device;
    this.data = data;
    this.numel = numelOf(this.shape);
  }

  /** Number of dimensions. */
  dim(): number {
    return this.shape.length;
  }

  /** Size of dimension `i` (negative counts from the end), or the whole shape without an argument. */
  size(): readonly number[];
  size(i: number): number;
  size(i?: number): number | readonly number[] {
    if (i === undefined) return this.shape;
    const d = this.normDim('size', i);
    return this.shape[d]!;
  }

  get isMeta(): boolean {
    return this.device === 'meta';
  }

  /** Bytes the elements take in `dtype` (what a safetensors file stores). */
  get nbytes(): number {
    return this.numel * ITEMSIZE[this.dtype];
  }

  /** A short description for error messages: `Tensor(shape [3, 4], float32)`. */
  describe(): string {
    return `Tensor(shape ${formatShape(this.shape)}, ${this.dtype}${this.isMeta ? ', meta' : ''})`;
  }

  // ---- in-place operations -------------------------------------------------------------------------------

  /** Fill with `value` (rounded to the dtype). */
  fill_(value: number): this {
    checkScalar('fill_', 'value', value);
    if (!this.isMeta) this.data.fill(roundToDType(this.dtype, value));
    return this;
  }

  zero_(): this {
    return this.fill_(0);
  }

  /**
   * Multiply in place by a scalar or a same-shaped tensor. As in PyTorch, a scalar is first rounded to a float32
   * tensor's dtype, then each product is rounded: `x = f32(x * f32(s))`.
   */
  mul_(other: number | Tensor): this {
    return this.binary_('mul_', other, (x, y) => x * y);
  }

  /** Add in place a scalar or a same-shaped tensor: `x = f32(x + f32(s))` for float32. */
  add_(other: number | Tensor): this {
    return this.binary_('add_', other, (x, y) => x + y);
  }

  /** Clamp in place to [min, max] (either may be omitted); NaN stays NaN, as in PyTorch. */
  clamp_(min?: number, max?: number): this {
    if (min !== undefined) checkScalar('clamp_', 'min', min, true);
    if (max !== undefined) checkScalar('clamp_', 'max', max, true);
    if (this.isMeta) return this;
    const lo = min === undefined ? -Infinity : roundToDType(this.dtype, min);
    const hi = max === undefined ? Infinity : roundToDType(this.dtype, max);
    const d = this.data;
    for (let i = 0; i < d.length; i++) {
      const x = d[i]!;
      // PyTorch: min(max(x, lo), hi), propagating NaN.
      d[i] = x !== x ? x : x < lo ? lo : x > hi ? hi : x;
    }
    return this;
  }

  /** Copy `src` into this tensor (same number of elements; values rounded to this dtype). */
  copy_(src: Tensor | ArrayLike<number>): this {
    const n = src instanceof Tensor ? src.numel : src.length;
    if (n !== this.numel) {
      fail({
        code: 'SHAPE_MISMATCH',
        where: 'copy_',
        param: 'src',
        expected: `a source with ${this.numel} elements (shape ${formatShape(this.shape)})`,
        receivedText: src instanceof Tensor ? `shape ${formatShape(src.shape)}` : `${n} values`,
      });
    }
    if (this.isMeta || (src instanceof Tensor && src.isMeta)) return this;
    const s = src instanceof Tensor ? src.data : src;
    const d = this.data;
    if (this.dtype === 'float32' || this.dtype === 'float64') {
      if (s instanceof Float32Array || s instanceof Float64Array) d.set(s);
      else for (let i = 0; i < n; i++) d[i] = s[i]!;
      if (this.dtype === 'float32' && !(s instanceof Float32Array)) {
        // Float32Array.set already rounds; plain arrays were rounded by the typed-array store.
      }
    } else {
      for (let i = 0; i < n; i++) d[i] = roundToDType(this.dtype, s[i]!);
    }
    return this;
  }

  // ---- views ------------------------------------------------------------------------------------------------

  /** The `index`-th slice along dim 0, sharing memory (PyTorch `select(0, i)`). Only dim 0 is supported. */
  select(dim: 0, index: number): Tensor {
    this.checkDim0('select', dim);
    const n0 = this.shape[0]!;
    if (!Number.isInteger(index) || index < -n0 || index >= n0) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: 'select',
        param: 'index',
        expected: `index to be an integer in [${-n0}, ${n0}) for dimension 0 of size ${n0}`,
        received: index,
      });
    }
    const i = index < 0 ? index + n0 : index;
    const rowShape = this.shape.slice(1);
    const stride = numelOf(rowShape);
    return new Tensor(rowShape, this.dtype, this.viewData(i * stride, stride), this.device);
  }

  /** Rows [start, start + length) along dim 0, sharing memory (PyTorch `narrow(0, start, length)`). */
  narrow(dim: 0, start: number, length: number): Tensor {
    this.checkDim0('narrow', dim);
    const n0 = this.shape[0]!;
    if (!Number.isInteger(start) || start < -n0 || start > n0) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: 'narrow',
        param: 'start',
        expected: `start to be an integer in [${-n0}, ${n0}]`,
        received: start,
      });
    }
    const s = start < 0 ? start + n0 : start;
    if (!Number.isInteger(length) || length < 0 || s + length > n0) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: 'narrow',
        param: 'length',
        expected: `length to be an integer in [0, ${n0 - s}] (start ${s} of dimension 0 of size ${n0})`,
        received: length,
      });
    }
    const stride = numelOf(this.shape.slice(1));
    return new Tensor([length, ...this.shape.slice(1)], this.dtype, this.viewData(s * stride, length * stride), this.device);
  }

  /** The same elements with another shape, sharing memory (one dimension may be -1). */
  view(shape: readonly number[]): Tensor {
    let infer = -1;
    const dims = [...shape];
    for (let i = 0; i < dims.length; i++) {
      if (dims[i] === -1 && infer < 0) {
        infer = i;
        dims[i] = 1;
      }
    }
    const checked = [...checkShape('view', dims)];
    if (infer >= 0) {
      const rest = numelOf(checked);
      if (rest === 0 || this.numel % rest !== 0) {
        fail({ code: 'SHAPE_MISMATCH', where: 'view', param: 'shape', expected: `a shape compatible with ${this.numel} elements`, received: shape });
      }
      checked[infer] = this.numel / rest;
    }
    if (numelOf(checked) !== this.numel) {
      fail({
        code: 'SHAPE_MISMATCH',
        where: 'view',
        param: 'shape',
        expected: `a shape with ${this.numel} elements (from ${formatShape(this.shape)})`,
        received: shape,
      });
    }
    return new Tensor(checked, this.dtype, this.data, this.device);
  }

  /** Alias of {@link view} (all tensors are contiguous). */
  reshape(shape: readonly number[]): Tensor {
    return this.view(shape);
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    return new Tensor(this.shape, this.dtype, this.isMeta ? this.data : this.data.slice(), this.device);
  }

  /** A copy converted to `dtype` (values rounded as PyTorch's `.to(dtype)` rounds: nearest even). */
  to(dtype: DType): Tensor {
    const d = parseDType('to', dtype);
    const out = empty(this.shape, { dtype: d, device: this.device });
    if (!this.isMeta) {
      const src = this.data;
      const dst = out.data;
      for (let i = 0; i < src.length; i++) dst[i] = roundToDType(d, src[i]!);
    }
    return out;
  }

  /** Element at a multi-index (for tests and small tensors). */
  get(...index: number[]): number {
    this.assertMaterialized('get');
    return this.data[this.flatIndex('get', index)]!;
  }

  /** Set the element at a multi-index (rounded to the dtype). */
  set(value: number, ...index: number[]): this {
    this.assertMaterialized('set');
    this.data[this.flatIndex('set', index)] = roundToDType(this.dtype, value);
    return this;
  }

  /** The elements as nested arrays (for tests and small tensors). */
  tolist(): unknown {
    this.assertMaterialized('tolist');
    const rec = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) return this.data[offset];
      const n = this.shape[dim]!;
      const stride = numelOf(this.shape.slice(dim + 1));
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(rec(dim + 1, offset + i * stride));
      return out;
    };
    return rec(0, 0);
  }

  /** PyTorch-style rendering: `tensor([[ 0.1234, -0.5678], ...])`, summarised beyond 1000 elements. */
  toString(): string {
    if (this.isMeta) return `tensor(..., device='meta', size=(${this.shape.join(', ')})${dtypeSuffix(this.dtype, true)})`;
    return formatTensor(this);
  }

  // ---- internals ------------------------------------------------------------------------------------------

  private viewData(offset: number, length: number): Storage {
    if (this.isMeta) return this.data;
    return this.data.subarray(offset, offset + length);
  }

  private checkDim0(where: string, dim: number): void {
    if (this.shape.length === 0) {
      fail({ code: 'INVALID_SHAPE', where, param: 'self', expected: 'a tensor with at least 1 dimension', receivedText: 'a 0-d tensor' });
    }
    if (dim !== 0) {
      fail({
        code: 'UNSUPPORTED',
        where,
        param: 'dim',
        expected: 'dim 0 (views share memory only along dim 0 of a contiguous tensor)',
        received: dim,
      });
    }
  }

  private normDim(where: string, i: number): number {
    const n = this.shape.length;
    if (!Number.isInteger(i) || i < -n || i >= n) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'dim',
        expected: `dim to be an integer in [${-n}, ${n - 1}] for a ${n}-D tensor`,
        received: i,
      });
    }
    return i < 0 ? i + n : i;
  }

  private flatIndex(where: string, index: number[]): number {
    if (index.length !== this.shape.length) {
      fail({ code: 'INVALID_ARGUMENT', where, param: 'index', expected: `${this.shape.length} indices`, received: index });
    }
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      const n = this.shape[d]!;
      const i = index[d]!;
      if (!Number.isInteger(i) || i < -n || i >= n) {
        fail({ code: 'INVALID_ARGUMENT', where, param: `index[${d}]`, expected: `an integer in [${-n}, ${n})`, received: i });
      }
      flat = flat * n + (i < 0 ? i + n : i);
    }
    return flat;
  }

  private assertMaterialized(where: string): void {
    if (this.isMeta) {
      fail({
        code: 'UNSUPPORTED',
        where,
        param: 'self',
        expected: 'a materialized tensor',
        receivedText: 'a meta tensor (shape only, no data)',
        fix: 'Build the model without device: "meta" to read values.',
      });
    }
  }

  private binary_(where: string, other: number | Tensor, op: (x: number, y: number) => number): this {
    if (this.isMeta) return this;
    const d = this.data;
    const round = this.dtype === 'float32' ? Math.fround : this.dtype === 'float64' ? null : (x: number) => roundToDType(this.dtype, x);
    if (typeof other === 'number') {
      checkScalar(where, 'other', other, true);
      const s = roundToDType(isFloatDType(this.dtype) ? this.dtype : 'float64', other);
      if (round === null) for (let i = 0; i < d.length; i++) d[i] = op(d[i]!, s);
      else for (let i = 0; i < d.length; i++) d[i] = round(op(d[i]!, s));
      return this;
    }
    if (!(other instanceof Tensor)) {
      fail({ code: 'NOT_A_TENSOR', where, param: 'other', expected: 'other to be a number or a Tensor', received: other });
    }
    if (other.numel !== this.numel) {
      fail({
        code: 'SHAPE_MISMATCH',
        where,
        param: 'other',
        expected: `a tensor of shape ${formatShape(this.shape)}`,
        receivedText: `shape ${formatShape(other.shape)}`,
      });
    }
    const o = other.data;
    if (round === null) for (let i = 0; i < d.length; i++) d[i] = op(d[i]!, o[i]!);
    else for (let i = 0; i < d.length; i++) d[i] = round(op(d[i]!, o[i]!));
    return this;
  }
}

function checkScalar(where: string, param: string, v: unknown, allowNonFinite = true): void {
  if (typeof v !== 'number' || (!allowNonFinite && !Number.isFinite(v))) {
    throw new InitError({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be a number`, received: v });
  }
}

// ---- factories ------------------------------------------------------------------------------------------------

function resolveOptions(where: string, opts: TensorOptions | undefined): { dtype: DType; device: Device } {
  const dtype = opts?.dtype === undefined ? 'float32' : parseDType(where, opts.dtype);
  const device = opts?.device ?? 'cpu';
  if (device !== 'cpu' && device !== 'meta') {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'device', expected: "device to be 'cpu' or 'meta'", received: device });
  }
  return { dtype, device };
}

/** A tensor with uninitialized (here: zero) contents, like `torch.empty`. */
export function empty(shape: readonly number[], opts?: TensorOptions): Tensor {
  const s = checkShape('empty', shape);
  const { dtype, device } = resolveOptions('empty', opts);
  const data = device === 'meta' ? allocStorage(dtype, 0) : allocStorage(dtype, numelOf(s));
  return new Tensor(s, dtype, data, device);
}

export function zeros(shape: readonly number[], opts?: TensorOptions): Tensor {
  return empty(shape, opts);
}

export function ones(shape: readonly number[], opts?: TensorOptions): Tensor {
  return empty(shape, opts).fill_(1);
}

export function full(shape: readonly number[], value: number, opts?: TensorOptions): Tensor {
  return empty(shape, opts).fill_(value);
}

/**
 * A tensor from (nested) arrays or a flat typed array with an explicit shape: `fromArray([[1, 2], [3, 4]])`,
 * `fromArray(new Float32Array(6), { shape: [2, 3] })`.
 */
export function fromArray(values: unknown, opts?: TensorOptions & { shape?: readonly number[] }): Tensor {
  const { dtype, device } = resolveOptions('fromArray', opts);
  if (device === 'meta') {
    fail({ code: 'INVALID_ARGUMENT', where: 'fromArray', param: 'device', expected: "'cpu' (values need storage)", received: device });
  }
  let flat: number[] | ArrayLike<number>;
  let shape: readonly number[];
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    flat = values as unknown as ArrayLike<number>;
    shape = opts?.shape ? checkShape('fromArray', opts.shape) : [flat.length];
  } else {
    const out: number[] = [];
    const inferred: number[] = [];
    const walk = (v: unknown, depth: number): void => {
      if (Array.isArray(v)) {
        if (inferred.length === depth) inferred.push(v.length);
        else if (inferred[depth] !== v.length) {
          fail({ code: 'INVALID_SHAPE', where: 'fromArray', param: 'values', expected: 'a rectangular nested array', received: values });
        }
        for (const x of v) walk(x, depth + 1);
      } else if (typeof v === 'number' || typeof v === 'boolean') {
        if (depth !== inferred.length) {
          fail({ code: 'INVALID_SHAPE', where: 'fromArray', param: 'values', expected: 'a rectangular nested array', received: values });
        }
        out.push(Number(v));
      } else {
        fail({ code: 'INVALID_ARGUMENT', where: 'fromArray', param: 'values', expected: 'numbers in nested arrays', received: v });
      }
    };
    walk(values, 0);
    flat = out;
    shape = opts?.shape ? checkShape('fromArray', opts.shape) : inferred;
  }
  if (numelOf(shape) !== flat.length) {
    fail({
      code: 'SHAPE_MISMATCH',
      where: 'fromArray',
      param: 'shape',
      expected: `a shape with ${flat.length} elements`,
      received: shape,
    });
  }
  const t = new Tensor(shape, dtype, allocStorage(dtype, flat.length));
  return t.copy_(flat);
}

/** True if `v` is an initkit Tensor. */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}

/** Throw a clear error unless `v` is a Tensor (the JS twin of `self.fc(x).apply(init_weights)`). */
export function checkTensor(where: string, v: unknown, param = 'tensor'): Tensor {
  if (!(v instanceof Tensor)) {
    let hint = 'Pass a Tensor, e.g. a parameter from module.namedParameters() or empty([out, in]).';
    const asObj = v as { weight?: unknown } | null;
    if (typeof v === 'object' && v !== null && 'weight' in v && asObj?.weight instanceof Tensor) {
      hint = `Got a module; pass its parameter instead, e.g. ${where}(layer.weight).`;
    } else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      hint = 'Wrap the values first: fromArray(values, { shape }).';
    }
    fail({ code: 'NOT_A_TENSOR', where, param, expected: `${param} to be a Tensor`, receivedText: formatValue(v), fix: hint });
  }
  return v;
}

// ---- printing -------------------------------------------------------------------------------------------------

function dtypeSuffix(dtype: DType, meta = false): string {
  if (dtype === 'float32' && !meta) return '';
  if (dtype === 'float32') return '';
  return `, dtype=torch.${dtype}`;
}

/** PyTorch's print options: precision 4, threshold 1000, edgeitems 3, linewidth 80. */
function formatTensor(t: Tensor): string {
  const values = t.data;
  const summarize = t.numel > 1000;
  const isInt = t.dtype === 'int64' || t.dtype === 'int32' || t.dtype === 'bool';
  const shown: number[] = [];
  collectShown(t.shape, 0, 0, summarize, (i) => shown.push(values[i]!));
  const finite = shown.filter((x) => Number.isFinite(x));
  const absMax = finite.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const nonZeroAbs = finite.filter((x) => x !== 0).map(Math.abs);
  const absMin = nonZeroAbs.length ? Math.min(...nonZeroAbs) : 0;
  const allInts = finite.every((x) => Number.isInteger(x));
  const sci = !isInt && !allInts && (absMax >= 1e8 || (absMin > 0 && absMin < 1e-4) || (absMin > 0 && absMax / absMin > 1000));
  const fmt = (x: number): string => {
    if (t.dtype === 'bool') return x ? 'True' : 'False';
    if (Number.isNaN(x)) return 'nan';
    if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
    if (isInt) return String(x);
    if (allInts && !sci) return `${x.toFixed(0)}.`;
    if (sci) return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2');
    return x.toFixed(4);
  };
  const width = Math.max(1, ...shown.map((x) => fmt(x).length));
  const pad = (s: string): string => s.padStart(width);
  const prefix = 'tensor(';
  const rec = (dim: number, offset: number, indent: number): string => {
    if (t.shape.length === 0) return fmt(values[0]!);
    const n = t.shape[dim]!;
    const stride = numelOf(t.shape.slice(dim + 1));
    const idx = summaryIndices(n, summarize);
    if (dim === t.shape.length - 1) {
      const parts = idx.map((i) => (i < 0 ? '...' : pad(fmt(values[offset + i]!))));
      return `[${wrapLine(parts, indent + 1)}]`;
    }
    const sep = `,${'\n'.repeat(t.shape.length - dim - 1)}${' '.repeat(indent + 1)}`;
    return `[${idx.map((i) => (i < 0 ? '...' : rec(dim + 1, offset + i * stride, indent + 1))).join(sep)}]`;
  };
  const body = t.numel === 0 ? '[]' : rec(0, 0, prefix.length);
  let suffix = dtypeSuffix(t.dtype);
  if (t.numel === 0 && t.shape.length !== 1) suffix = `, size=(${t.shape.join(', ')})${suffix}`;
  return `${prefix}${body}${suffix})`;
}

function summaryIndices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 6) return Array.from({ length: n }, (_, i) => i);
  return [0, 1, 2, -1, n - 3, n - 2, n - 1];
}

function collectShown(shape: readonly number[], dim: number, offset: number, summarize: boolean, f: (i: number) => void): void {
  if (shape.length === 0) {
    f(offset);
    return;
  }
  const n = shape[dim]!;
  const stride = numelOf(shape.slice(dim + 1));
  for (const i of summaryIndices(n, summarize)) {
    if (i < 0) continue;
    if (dim === shape.length - 1) f(offset + i);
    else collectShown(shape, dim + 1, offset + i * stride, summarize, f);
  }
}

function wrapLine(parts: string[], indent: number): string {
  const lines: string[] = [];
  let cur = '';
  for (const p of parts) {
    const next = cur === '' ? p : `${cur}, ${p}`;
    if (cur !== '' && next.length + indent > 78) {
      lines.push(`${cur},`);
      cur = p;
    } else cur = next;
  }
  lines.push(cur);
  return lines.join(`\n${' '.repeat(indent)}`);
}

export { DTYPES };
