import { fail } from '../errors.js';
import { uniform16, uniformF32, uniformF64 } from '../rng/kernels.js';
import { bfloat16Bits, bfloat16FromBits, float16Bits, float16FromBits } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkNumberArg, checkOptions, dtypeMax, resolveGenerator } from './common.js';

/**
 * Fills `tensor` with values drawn from the uniform distribution U(a, b), in place; PyTorch's
 * `torch.nn.init.uniform_` / `Tensor.uniform_`, bit-identical on CPU for the same generator state.
 *
 * Formula: float32 elements are `fmaf((w & 0xFFFFFF)·2^-24, f32(b) - f32(a), f32(a))` for successive 32-bit words w
 * (a fused multiply-add, as GCC compiles PyTorch's AVX2 kernel); float64 elements use 53 bits of a 64-bit draw.
 * Values lie in [a, b); a float32 result can round up to b when b - a is not a power of two (as in PyTorch).
 *
 * @param tensor a floating-point tensor (float32, float64, float16 or bfloat16), filled in memory order.
 * @param a lower bound (default 0).
 * @param b upper bound (default 1), `a <= b`.
 * @param options `generator`: the engine to draw from (default: the default generator).
 * @returns `tensor`.
 * @throws InitError if `tensor` is not a Tensor, a or b is not finite, `a > b`, or `b - a` overflows the dtype.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const w = init.uniform_(empty([2, 3]), -0.1, 0.1);
 * // same values as: torch.manual_seed(0); torch.nn.init.uniform_(torch.empty(2, 3), -0.1, 0.1)
 * ```
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, options?: RandomOptions): Tensor {
  const where = 'uniform_';
  const t = checkFloatTensor(where, tensor);
  checkNumberArg(where, 'a', a);
  checkNumberArg(where, 'b', b);
  const opts = checkOptions<RandomOptions>(where, options);
  if (a > b) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'a',
      expected: `a <= b (uniform_ returns values in [a, b))`,
      receivedText: `a=${a} > b=${b}`,
      fix: 'Swap the bounds.',
    });
  }
  if (b - a > dtypeMax(t.dtype)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'b',
      expected: `b - a <= the largest ${t.dtype} (${dtypeMax(t.dtype)})`,
      receivedText: `a=${a}, b=${b}`,
    });
  }
  const gen = resolveGenerator(where, opts);
  if (t.isMeta || t.numel === 0) return t;
  switch (t.dtype) {
    case 'float32':
      uniformF32(gen, t.data as Float32Array, a, b);
      break;
    case 'float64':
      uniformF64(gen, t.data as Float64Array, a, b);
      break;
    case 'float16':
      uniform16(gen, t.data as Float32Array, a, b, 11, (x) => float16FromBits(float16Bits(x)));
      break;
    case 'bfloat16':
      uniform16(gen, t.data as Float32Array, a, b, 8, (x) => bfloat16FromBits(bfloat16Bits(x)));
      break;
    default:
      break;
  }
  return t;
}
