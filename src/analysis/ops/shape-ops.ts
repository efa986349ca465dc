/**
 * Shape and structural ops: `flatten` (`nn.Flatten`, a view) and `add` (residual sums, `torch.add`).
 */
import { checkFiniteNumber, checkInteger, fail } from '../../errors.js';
import { sameShape } from '../../tensor/shape.js';
import { type Buf, checkBuf, shapeText } from './buffer.js';

/** Options of {@link flatten} (PyTorch's `nn.Flatten` defaults: start_dim 1, end_dim -1). */
export interface FlattenOptions {
  startDim?: number;
  endDim?: number;
}

/** The shape `flatten` produces: dimensions startDim..endDim merged (negative dims count from the end). */
export function flattenShape(shape: readonly number[], options: FlattenOptions = {}): readonly number[] {
  const where = 'flatten';
  const r = shape.length;
  if (r === 0) return Object.freeze([1]);
  const norm = (param: string, d: number): number => {
    const v = checkInteger(where, param, d, -r, r - 1);
    return v < 0 ? v + r : v;
  };
  const s = norm('startDim', options.startDim ?? 1);
  const e = norm('endDim', options.endDim ?? -1);
  if (s > e) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'endDim',
      expected: `endDim >= startDim (${s}) for ${shapeText(shape)}`,
      received: options.endDim,
    });
  }
  const merged = shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return Object.freeze([...shape.slice(0, s), merged, ...shape.slice(e + 1)]);
}

/**
 * Flatten dimensions startDim..endDim into one (PyTorch's `torch.flatten` / `nn.Flatten`): a view that shares
 * x's data.
 *
 * Layout: `[N, C, H, W]` with the defaults (1, −1) → `[N, C·H·W]`.
 * @throws InitError for a dimension out of range or endDim before startDim.
 * @example
 * ```ts
 * const y = flatten(x); // [8, 16, 4, 4] → [8, 256]
 * ```
 */
export function flatten(x: Buf, options: FlattenOptions = {}): Buf {
  const xb = checkBuf('flatten', 'input', x);
  return { data: xb.data, shape: flattenShape(xb.shape, options) };
}

/** Reshape a gradient back to the input's shape (flatten's backward; shares data). */
export function flattenBackward(x: Buf, gradOutput: Buf): Buf {
  const xb = checkBuf('flattenBackward', 'input', x);
  const gy = checkBuf('flattenBackward', 'gradOutput', gradOutput);
  if (gy.data.length !== xb.data.length) {
    fail({
      code: 'SHAPE_MISMATCH',
      where: 'flattenBackward',
      param: 'gradOutput',
      expected: `${xb.data.length} elements (input ${shapeText(xb.shape)})`,
      receivedText: shapeText(gy.shape),
    });
  }
  return { data: gy.data, shape: xb.shape };
}

/**
 * Elementwise sum y = a + α·b of two same-shape arrays (a residual connection; PyTorch's `torch.add(a, b, alpha=α)`,
 * computed in float32 as PyTorch does: α·b rounded, then the sum).
 * The backward is ∂a = g, ∂b = α·g.
 *
 * @param options `alpha` (1).
 * @throws InitError when the shapes differ (naming both) or alpha is not finite.
 * @example
 * ```ts
 * const y = add(x, block(x)); // residual block
 * ```
 */
export function add(a: Buf, b: Buf, options: { alpha?: number } = {}): Buf {
  const where = 'add';
  const ab = checkBuf(where, 'input', a);
  const bb = checkBuf(where, 'other', b);
  if (!sameShape(ab.shape, bb.shape)) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'other',
      expected: `the same shape as input ${shapeText(ab.shape)} (a residual sum needs equal shapes)`,
      receivedText: shapeText(bb.shape),
      fix: 'Give the residual branch a projection (shortcut) that restores the input shape.',
    });
  }
  const alpha = options.alpha === undefined ? 1 : Math.fround(checkFiniteNumber(where, 'alpha', options.alpha));
  const n = ab.data.length;
  const out = new Float32Array(n);
  if (alpha === 1) {
    for (let i = 0; i < n; i++) out[i] = ab.data[i]! + bb.data[i]!;
  } else {
    for (let i = 0; i < n; i++) out[i] = ab.data[i]! + Math.fround(alpha * bb.data[i]!);
  }
  return { data: out, shape: ab.shape };
}
