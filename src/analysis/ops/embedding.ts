/**
 * `embedding`: PyTorch's `F.embedding` (`nn.Embedding`'s forward), a row gather, and its backward, a scatter-add.
 */
import { checkInteger, fail } from '../../errors.js';
import { type Buf, checkBuf, checkGradShape, numel, shapeText } from './buffer.js';

/** Integer indices with a shape (e.g. token ids `[batch, seq]`). */
export interface Indices {
  readonly data: Int32Array | readonly number[];
  readonly shape: readonly number[];
}

/** Options of {@link embedding} / {@link embeddingBackward} (PyTorch's names camelCased). */
export interface EmbeddingOptions {
  /** The row that receives no gradient (negative counts from the end); default none. */
  paddingIdx?: number;
  /** Divide each row's gradient by how often its index occurs in the batch; default false. */
  scaleGradByFreq?: boolean;
}

function checkIndices(where: string, indices: unknown, rows: number): Indices {
  const v = indices as Partial<Indices> | null;
  if (typeof v !== 'object' || v === null || v.data === undefined || !Array.isArray(v.shape)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'indices',
      expected: 'indices as { data: Int32Array | number[], shape: number[] }',
      received: indices,
    });
  }
  const n = numel(v.shape);
  if (v.data.length !== n) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'indices',
      expected: `${n} indices for ${shapeText(v.shape)}`,
      receivedText: `${v.data.length} indices`,
    });
  }
  for (let i = 0; i < n; i++) {
    const id = v.data[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= rows) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'indices',
        expected: `indices in [0, ${rows}) (num_embeddings = ${rows})`,
        receivedText: `${id} at position ${i}`,
        fix: 'Draw token ids below the vocabulary size.',
      });
    }
  }
  return v as Indices;
}

function resolvePadding(where: string, paddingIdx: unknown, rows: number): number {
  if (paddingIdx === undefined || paddingIdx === null) return -1;
  const p = checkInteger(where, 'paddingIdx', paddingIdx, -rows, rows - 1);
  return p < 0 ? p + rows : p;
}

/**
 * Embedding lookup: y[..., :] = W[idx[...], :] (PyTorch's `torch.nn.functional.embedding`; `max_norm` is not
 * supported: it rewrites the weight in place, which a probe must not do).
 *
 * Layout: indices of any shape, W `[num_embeddings, embedding_dim]`; y `[...indices.shape, embedding_dim]`.
 *
 * @throws InitError for an index outside [0, num_embeddings) (naming it and its position) or a weight that is
 *   not 2-D.
 * @example
 * ```ts
 * const y = embedding({ data: Int32Array.of(1, 4, 4), shape: [3] }, weight); // [3, dim]
 * ```
 */
export function embedding(indices: Indices, weight: Buf): Buf {
  const where = 'embedding';
  const w = checkBuf(where, 'weight', weight, 2, 2);
  const rows = w.shape[0]!;
  const dim = w.shape[1]!;
  const idx = checkIndices(where, indices, rows);
  const n = idx.data.length;
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const r = idx.data[i]!;
    out.set(w.data.subarray(r * dim, (r + 1) * dim), i * dim);
  }
  return { data: out, shape: Object.freeze([...idx.shape, dim]) };
}

/**
 * Embedding backward: ∂W[r] = Σ_{i: idx[i] = r} ∂y[i] (float64 sums), zero for `paddingIdx`; with
 * `scaleGradByFreq`, each row's sum is divided by its index's count in the batch.
 *
 * @param options `paddingIdx`, `scaleGradByFreq` (false).
 * @throws InitError as {@link embedding}, and when gradOutput's shape is not the output's.
 */
export function embeddingBackward(
  indices: Indices,
  weight: Buf,
  gradOutput: Buf,
  options: EmbeddingOptions = {},
): Buf {
  const where = 'embeddingBackward';
  const w = checkBuf(where, 'weight', weight, 2, 2);
  const rows = w.shape[0]!;
  const dim = w.shape[1]!;
  const idx = checkIndices(where, indices, rows);
  const gy = checkBuf(where, 'gradOutput', gradOutput);
  const outShape = [...idx.shape, dim];
  checkGradShape(where, gy, outShape);
  const pad = resolvePadding(where, options.paddingIdx, rows);
  const acc = new Float64Array(rows * dim);
  const n = idx.data.length;
  for (let i = 0; i < n; i++) {
    const r = idx.data[i]!;
    if (r === pad) continue;
    const o = r * dim;
    const g = i * dim;
    for (let j = 0; j < dim; j++) acc[o + j]! += gy.data[g + j]!;
  }
  if (options.scaleGradByFreq === true) {
    const counts = new Int32Array(rows);
    for (let i = 0; i < n; i++) counts[idx.data[i]!]!++;
    for (let r = 0; r < rows; r++) {
      const c = counts[r]!;
      if (c > 1) for (let j = 0; j < dim; j++) acc[r * dim + j]! /= c;
    }
  }
  return { data: Float32Array.from(acc), shape: w.shape };
}
