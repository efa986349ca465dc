/**
 * initkit: neural-network weight initialization, bit-identical to PyTorch on CPU, explained and diagnosed.
 *
 * The core library has no runtime dependencies and no Node APIs: it runs in Node.js and in browsers.
 * Node-only file helpers live in `initkit/node`.
 */
import * as init from './init/index.js';
import * as nn from './nn/index.js';
import * as ops from './analysis/ops/index.js';

export { init };
export { nn };
export { ops };
export { setGemmBackend, getGemmBackend, tsGemm, type GemmBackend } from './analysis/ops/gemm.js';
export { Module, Parameter, fromSpec, toSpec, type SpecNode, type StateDict } from './nn/index.js';
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
export {
  setKernelBackend,
  getKernelBackend,
  kernelBackendInfo,
  loadKernels,
  KERNEL_BACKENDS,
  type KernelBackend,
  type KernelBackendMode,
} from './rng/wasm/backend.js';
export {
  serializeSafetensors,
  parseSafetensors,
  parseSafetensorsHeader,
  SAFETENSORS_DTYPES,
  SAFETENSORS_ALL_DTYPES,
  MAX_HEADER_BYTES,
  type SafetensorsOptions,
  type SafetensorsEntry,
  type SafetensorsHeader,
  type SafetensorsDType,
  type SafetensorsWriteDType,
  type ParsedSafetensors,
  type TensorEntries,
  type TensorSpec,
} from './io/safetensors.js';
export { serializeNpy, parseNpy, type NpyOptions } from './io/npy.js';
export { initialize, type InitializeOptions, type InitializeReport, type InitializedParameter } from './presets/initialize.js';
export { planModel, type ModelPlan, type PlanOptions, type SitePlan } from './presets/plan.js';
export { PRESETS, type PresetName, type PresetOptions, type InitPlan, type ParamSite, type Preset } from './presets/types.js';
export { PRESET_CATALOGUE, getPreset } from './presets/catalogue.js';
export { parseRules, globToRegExp, STREAMS, type Rule, type RuleSet, type RuleMatch, type StreamMode } from './presets/rules.js';
export { distStats, distText, truncatedNormalMoments, type Dist, type DistStats } from './presets/dist.js';
export { INIT_FUNCTIONS, resolveCall, callText, type InitCall } from './presets/registry.js';
export { explain, type Explanation, type ExplainRow, type ModuleExplanation } from './analysis/explain.js';
export { lint, LINT_CODES, LINT_SEVERITIES, type LintFinding, type LintReport, type LintCode, type LintSeverity, type LintOptions } from './analysis/lint.js';
export { probe, PROBE_LAYERS } from './analysis/probe.js';
export type { ProbeOptions, ProbeResult, ProbedLayer, ProbeFn } from './analysis/probe-types.js';
export { lsuv, type LsuvOptions, type LsuvResult, type LsuvLayer, type LsuvInput } from './analysis/lsuv.js';
export { VERSION } from './version.js';
