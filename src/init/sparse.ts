import { fail, formatValue } from '../errors.js';
import { randpermInto } from '../rng/kernels.js';
import { formatShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkNumberArg, checkOptions, resolveGenerator } from './common.js';
import { normal_ } from './normal.js';

/** Options of {@link sparse_}. */
export interface SparseOptions extends RandomOptions {
  /** Standard deviation of the non-zero entries (default 0.01), `std >= 0`. */
  std?: number;
}

/**
 * Sparse init, in place: N(0, std²) entries with a fraction `sparsity` of each column set to zero; PyTorch's
 * `torch.nn.init.sparse_`, bit-identical on CPU for the same generator state.
 *
 * Paper: Martens (2010), "Deep learning via Hessian-free optimization", ICML,
 * https://www.cs.toronto.edu/~jmartens/docs/Deep_HessianFree.pdf.
 *
 * Exact procedure (PyTorch's): `normal_(tensor, 0, std)` on the whole `[rows, cols]` tensor; then
 * numZeros = ⌈sparsity·rows⌉, and for each column in order, `randperm(rows)` from the same generator and the rows
 * `perm[0..numZeros)` of that column set to 0. Draws: those of `normal_(rows·cols)`, then cols·(rows - 1) words.
 *
 * Layout: `(out, in)` as `nn.Linear.weight`: each column (input) keeps rows·(1 - sparsity) non-zero weights.
 * Difference from PyTorch 2.x with an explicit generator: PyTorch passes `generator` to `normal_` only and draws
 * the permutations from the default generator; initkit draws both from `generator`, so a generator alone
 * reproduces the result. With the default generator the two agree.
 *
 * @param tensor a 2-D float32 or float64 tensor. A zero-element tensor is a no-op (no draws).
 * @param sparsity the fraction of each column to zero, in [0, 1].
 * @param options `std` (0.01), `generator` (the default generator).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, a tensor that is not 2-D, a sparsity outside [0, 1], or a negative or
 *   non-finite std.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.sparse_(empty([100, 50]), 0.9);   // each column: 10 entries ~ N(0, 0.01²), 90 zeros
 * ```
 */
export function sparse_(tensor: Tensor, sparsity: number, options?: SparseOptions): Tensor {
  const where = 'sparse_';
  const t = checkFloatTensor(where, tensor);
  if (t.dim() !== 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'a 2-D tensor [rows, cols] (sparsity is defined per column of a matrix)',
      receivedText: `shape ${formatShape(t.shape)} (${t.dim()}-D)`,
      fix: 'Pass a Linear weight; for other shapes, reshape to 2-D with tensor.view([rows, -1]) first.',
    });
  }
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity <= 1)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'sparsity',
      expected: 'sparsity to be a number in [0, 1] (the fraction of each column set to zero)',
      receivedText: formatValue(sparsity),
      fix: typeof sparsity === 'number' && sparsity > 1 && sparsity <= 100 ? `For ${sparsity}% pass ${sparsity / 100}.` : '',
    });
  }
  const opts = checkOptions<SparseOptions>(where, options) ?? {};
  const std = checkNumberArg(where, 'std', opts.std ?? 0.01);
  if (std < 0) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'std', expected: 'std >= 0', received: std, fix: 'Pass its absolute value.' });
  }
  const gen = resolveGenerator(where, opts);
  if (t.isMeta || t.numel === 0) return t;
  const rows = t.shape[0]!;
  const cols = t.shape[1]!;
  const numZeros = Math.ceil(sparsity * rows);
  normal_(t, 0, std, { generator: gen });
  const perm = new Float64Array(rows);
  const d = t.data;
  for (let col = 0; col < cols; col++) {
    randpermInto(gen, perm);
    for (let k = 0; k < numZeros; k++) d[perm[k]! * cols + col] = 0;
  }
  return t;
}
