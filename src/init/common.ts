/** Shared plumbing for the init functions: option parsing, generator resolution, dtype dispatch. */
import { fail, formatValue } from '../errors.js';
import type { RandomEngine } from '../rng/engine.js';
import { Generator, defaultGenerator } from '../rng/generator.js';
import { PhiloxGenerator } from '../rng/philox.js';
import { checkTensor, type Tensor } from '../tensor/tensor.js';
import { isFloatDType } from '../tensor/dtype.js';

/** Options every random init function takes. */
export interface RandomOptions {
  /**
   * The random engine: a {@link Generator} (PyTorch's CPU stream) or a {@link PhiloxGenerator} (counter-based,
   * addressable). Default: the process-wide default generator, as `torch.manual_seed` seeds it.
   */
  generator?: RandomEngine | undefined;
}

/** `{ generator }` to pass on to another init function, or undefined for the default generator. */
export function drawOptions(o: { generator?: RandomEngine | undefined }): { generator: RandomEngine } | undefined {
  return o.generator === undefined ? undefined : { generator: o.generator };
}

export function resolveGenerator(where: string, opts: RandomOptions | undefined): RandomEngine {
  const g = opts?.generator;
  if (g === undefined) return defaultGenerator();
  if (g instanceof Generator || g instanceof PhiloxGenerator) return g;
  if (typeof g === 'object' && g !== null && typeof (g as RandomEngine).fillU32 === 'function' && typeof (g as RandomEngine).random === 'function') {
    return g;
  }
  return fail({
    code: 'INVALID_ARGUMENT',
    where,
    param: 'generator',
    expected: 'generator to be a Generator or PhiloxGenerator',
    received: g,
    fix: 'Create one with new Generator().manualSeed(seed), or omit it to use the default generator.',
  });
}

/** Validate an options argument: undefined or a plain object. */
export function checkOptions<T extends object>(where: string, opts: unknown): T | undefined {
  if (opts === undefined) return undefined;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'options',
      expected: 'options to be an object such as { generator }',
      received: opts,
    });
  }
  return opts as T;
}

/** A Tensor with a floating dtype (the random kernels write only those). */
export function checkFloatTensor(where: string, t: unknown): Tensor {
  const tensor = checkTensor(where, t);
  if (!isFloatDType(tensor.dtype)) {
    fail({
      code: 'INVALID_DTYPE',
      where,
      param: 'tensor',
      expected: 'a floating-point tensor (float32, float64, float16 or bfloat16)',
      receivedText: `dtype ${tensor.dtype}`,
    });
  }
  return tensor;
}

export function checkNumberArg(where: string, param: string, v: unknown, opts: { finite?: boolean } = {}): number {
  if (typeof v !== 'number' || Number.isNaN(v) || (opts.finite !== false && !Number.isFinite(v))) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param,
      expected: `${param} to be a finite number`,
      receivedText: formatValue(v),
    });
  }
  return v;
}

/** Largest finite value of a float dtype (PyTorch's `std::numeric_limits<scalar_t>::max()`). */
export function dtypeMax(dtype: string): number {
  switch (dtype) {
    case 'float32':
      return 3.4028234663852886e38;
    case 'float16':
      return 65504;
    case 'bfloat16':
      return 3.3895313892515355e38;
    default:
      return Number.MAX_VALUE;
  }
}
