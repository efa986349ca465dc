import { fail } from '../errors.js';
import { normalF32, normalF64 } from '../rng/kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkNumberArg, checkOptions, resolveGenerator } from './common.js';

/**
 * Fills `tensor` with values drawn from the normal distribution N(mean, std²), in place; PyTorch's
 * `torch.nn.init.normal_` / `Tensor.normal_`, bit-identical on CPU (x86-64 with AVX2) for the same generator state.
 *
 * Method: Box–Muller (Box & Muller 1958, "A note on the generation of random normal deviates", Ann. Math. Statist.
 * 29(2), https://doi.org/10.1214/aoms/1177706645). With 16 or more elements, PyTorch fills the tensor with uniforms
 * and transforms 16-element blocks (cos half, sin half), re-drawing the last 16 slots when numel % 16 != 0; this is
 * emulated exactly, including the AVX2 Cephes log/sincos polynomials and their fused multiply-adds. With fewer
 * than 16 elements each element comes from a double-precision Box–Muller whose second sample is cached in the
 * generator and returned by the next such draw. float64 with >= 16 elements is within 1 ulp of PyTorch.
 *
 * @param tensor a float32 or float64 tensor, filled in memory order.
 * @param mean mean (default 0).
 * @param std standard deviation (default 1), `std >= 0`.
 * @param options `generator`: the engine to draw from (default: the default generator).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, a non-finite mean or std, `std < 0`, or a 16-bit tensor (initialize in
 *   float32 and convert with `.to('float16')`).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * init.normal_(empty([5]));   // [1.5410, -0.2934, -2.1788, 0.5684, -1.0845], as torch.randn(5)
 * ```
 */
export function normal_(tensor: Tensor, mean = 0, std = 1, options?: RandomOptions): Tensor {
  const where = 'normal_';
  const t = checkFloatTensor(where, tensor);
  checkNumberArg(where, 'mean', mean);
  checkNumberArg(where, 'std', std);
  const opts = checkOptions<RandomOptions>(where, options);
  if (std < 0) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'std',
      expected: 'std >= 0',
      received: std,
      fix: 'A standard deviation cannot be negative; pass its absolute value.',
    });
  }
  const gen = resolveGenerator(where, opts);
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'tensor',
      expected: 'a float32 or float64 tensor (PyTorch\'s 16-bit normal_ path is not reproduced)',
      receivedText: `dtype ${t.dtype}`,
      fix: "Initialize in float32, then convert with tensor.to('float16').",
    });
  }
  if (t.isMeta || t.numel === 0) return t;
  if (t.dtype === 'float32') normalF32(gen, t.data as Float32Array, mean, std);
  else normalF64(gen, t.data as Float64Array, mean, std);
  return t;
}
