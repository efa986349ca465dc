import { fail } from '../errors.js';
import { type RandomOptions, checkOptions, resolveGenerator } from '../init/common.js';
import { Tensor } from '../tensor/tensor.js';
import { randpermInto } from './kernels.js';

/** Largest n for which PyTorch 1.13 and 2.x agree on `randperm` (2.x switches algorithm at 2^32 / 20). */
export const RANDPERM_MAX = Math.floor(0xffffffff / 20);

/**
 * A random permutation of [0, n), as an int64 tensor: `torch.randperm(n)` on CPU, bit-identical for the same
 * generator state. Method: for i = 0..n-2 swap r[i] with r[i + (random() mod (n - i))] (n - 1 draws).
 *
 * @param n number of elements, an integer in [0, 214748364].
 * @param options `generator` (default: the default generator).
 * @throws InitError if n is not such an integer.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * randperm(10).tolist(); // [4, 1, 7, 5, 3, 9, 0, 8, 6, 2]
 * ```
 */
export function randperm(n: number, options?: RandomOptions): Tensor {
  const where = 'randperm';
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > RANDPERM_MAX) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'n',
      expected: `n to be an integer in [0, ${RANDPERM_MAX}]`,
      received: n,
      fix: n !== null && typeof n === 'number' && n > RANDPERM_MAX ? 'PyTorch 2.x uses a different algorithm above this size; it is not reproduced.' : '',
    });
  }
  const opts = checkOptions<RandomOptions>(where, options);
  const gen = resolveGenerator(where, opts);
  const out = new Float64Array(n);
  randpermInto(gen, out);
  return new Tensor([n], 'int64', out);
}
