/**
 * initkit: neural-network weight initialization, bit-identical to PyTorch on CPU, explained and diagnosed.
 *
 * The core library has no runtime dependencies and no Node APIs: it runs in Node.js and in browsers.
 * Node-only file helpers live in `initkit/node`.
 */
import * as init from './init/index.js';

export { init };
export { InitError, ERROR_CODES, formatValue, type ErrorCode, type InitErrorDetails } from './errors.js';
export {
  Tensor,
  empty,
  zeros,
  ones,
  full,
  fromArray,
  isTensor,
  type Device,
  type TensorOptions,
} from './tensor/tensor.js';
export {
  DTYPES,
  FLOAT_DTYPES,
  type DType,
  type FloatDType,
  float16Bits,
  float16FromBits,
  bfloat16Bits,
  bfloat16FromBits,
  float32Bits,
  float32FromBits,
} from './tensor/dtype.js';
export {
  Generator,
  DEFAULT_RNG_SEED,
  TORCH_STATE_BYTES,
  defaultGenerator,
  manualSeed,
  initialSeed,
  seed,
  type GeneratorOptions,
  type GeneratorState,
} from './rng/generator.js';
export { PhiloxGenerator, philox4x32_10, pathStreamId, type PhiloxState } from './rng/philox.js';
export { TORCH_COMPAT, type RandomEngine, type TorchCompat } from './rng/engine.js';
export { randperm, RANDPERM_MAX } from './rng/randperm.js';
export { fmaf, fma64 } from './rng/fma.js';
export { VERSION } from './version.js';
