/**
 * `Buf`: the probe's working array, a float32 buffer with an explicit row-major shape (PyTorch's contiguous layout).
 * A float32 {@link Tensor} is structurally compatible (`{ data, shape }`); {@link bufFromTensor} converts others.
 */
import { checkInteger, fail } from '../../errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { checkShape, formatShape, numelOf, sameShape } from '../../tensor/shape.js';

/** A contiguous row-major float32 array and its shape. */
export interface Buf {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/** Number of elements of a shape (1 for `[]`). */
export const numel = numelOf;

/**
 * A Buf of the given shape: over `data` when given (its length must equal the shape's element count), else zeros.
 *
 * @throws InitError when a dimension is not a non-negative integer or `data` has the wrong length.
 * @example
 * ```ts
 * const x = buf([2, 3], new Float32Array([1, 2, 3, 4, 5, 6]));
 * ```
 */
export function buf(shape: readonly number[], data?: Float32Array): Buf {
  const s = checkShape('buf', shape);
  const n = numelOf(s);
  if (data !== undefined && data.length !== n) {
    fail({
      code: 'SHAPE_MISMATCH',
      where: 'buf',
      param: 'data',
      expected: `${n} elements for shape ${formatShape(s)}`,
      receivedText: `${data.length} elements`,
    });
  }
  return { data: data ?? new Float32Array(n), shape: s };
}

/**
 * A Buf view of a tensor: shares memory with a float32 tensor; copies (rounding to float32) any other float dtype.
 *
 * @throws InitError for a tensor on the meta device (it has no data).
 */
export function bufFromTensor(t: Tensor): Buf {
  if (t.isMeta) {
    fail({
      code: 'INVALID_ARGUMENT',
      where: 'bufFromTensor',
      param: 'tensor',
      expected: 'a tensor with data (device cpu)',
      receivedText: t.describe(),
      fix: 'Materialize the model on the cpu device before probing it.',
    });
  }
  const data = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data);
  return { data, shape: t.shape };
}

/** `shape [a, b]` for messages. @internal */
export function shapeText(shape: readonly number[]): string {
  return `shape ${formatShape(shape)}`;
}

/**
 * Validate a Buf argument: a Float32Array whose length matches its shape, with a rank in `[minRank, maxRank]`.
 * @internal
 */
export function checkBuf(where: string, param: string, b: unknown, minRank = 0, maxRank = Infinity): Buf {
  const v = b as Partial<Buf> | null;
  if (typeof v !== 'object' || v === null || !(v.data instanceof Float32Array) || !Array.isArray(v.shape)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param,
      expected: `${param} to be a Buf ({ data: Float32Array, shape: number[] })`,
      received: b,
      fix: 'Build it with buf(shape, data) or bufFromTensor(tensor).',
    });
  }
  const shape = v.shape as readonly number[];
  if (numelOf(shape) !== v.data.length) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param,
      expected: `${param}.data to hold ${numelOf(shape)} elements for ${shapeText(shape)}`,
      receivedText: `${v.data.length} elements`,
    });
  }
  if (shape.length < minRank || shape.length > maxRank) {
    const want =
      minRank === maxRank
        ? `${minRank}`
        : maxRank === Infinity
          ? `at least ${minRank}`
          : `${minRank} to ${maxRank}`;
    fail({
      code: 'INVALID_SHAPE',
      where,
      param,
      expected: `${param} with ${want} dimensions`,
      receivedText: shapeText(shape),
    });
  }
  return v as Buf;
}

/** Validate an optional bias: null when absent, else a 1-D Buf of `weight.shape[0]` (`what` names that size). @internal */
export function checkBias(where: string, bias: unknown, weight: Buf, what: string): Buf | null {
  if (bias === null || bias === undefined) return null;
  const b = checkBuf(where, 'bias', bias, 1, 1);
  if (b.shape[0] !== weight.shape[0]) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'bias',
      expected: `bias of shape [${weight.shape[0]}] (${what} of weight ${shapeText(weight.shape)})`,
      receivedText: shapeText(b.shape),
    });
  }
  return b;
}

/** A backward's `gradOutput` must have the forward output's shape. @internal */
export function checkGradShape(where: string, gy: Buf, shape: readonly number[]): void {
  if (!sameShape(gy.shape, shape)) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'gradOutput',
      expected: `gradOutput of the output's ${shapeText(shape)}`,
      receivedText: shapeText(gy.shape),
    });
  }
}

/**
 * An integer option per spatial dimension (stride, padding, dilation, kernel size): an integer, or an array of
 * `dims` (or of 1, repeated) integers, each >= `min`; `def` when the option is absent (an integer is repeated; with
 * `def` null an absent option fails like a bad one). @internal
 */
export function perDim(where: string, param: string, v: unknown, dims: number, def: number | number[] | null, min: number): number[] {
  if (v === undefined && def !== null) return typeof def === 'number' ? Array<number>(dims).fill(def) : def;
  if (typeof v === 'number') return Array<number>(dims).fill(checkInteger(where, param, v, min));
  if (Array.isArray(v) && (v.length === dims || v.length === 1)) {
    const vals = v.map((x: unknown) => checkInteger(where, param, x, min));
    return vals.length === dims ? vals : Array<number>(dims).fill(vals[0]!);
  }
  return fail({
    code: 'INVALID_ARGUMENT',
    where,
    param,
    expected: `${param} to be an integer >= ${min} or an array of ${dims}`,
    received: v,
  });
}
