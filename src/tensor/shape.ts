import { fail, formatValue } from '../errors.js';

/** Validate a shape: an array of non-negative safe integers. Returns a frozen copy. */
export function checkShape(where: string, shape: unknown, param = 'shape'): readonly number[] {
  if (!Array.isArray(shape)) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param,
      expected: `${param} to be an array of non-negative integers`,
      received: shape,
      fix: 'Pass the shape as an array, e.g. [out, in].',
    });
  }
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      fail({
        code: 'INVALID_SHAPE',
        where,
        param,
        expected: `${param} to contain non-negative integers`,
        receivedText: `${formatValue(shape)} (dimension ${i} is ${formatValue(d)})`,
        received: shape,
      });
    }
  }
  const n = shape.reduce((a: number, b: number) => a * b, 1);
  if (n > Number.MAX_SAFE_INTEGER) {
    fail({ code: 'INVALID_SHAPE', where, param, expected: `${param} with at most 2^53 elements`, received: shape });
  }
  return Object.freeze([...(shape as number[])]);
}

export function numelOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
