/**
 * The probe's compute layer: forward and backward kernels on float32 buffers with explicit shapes (PyTorch's
 * layouts), a pure-TypeScript GEMM with a pluggable backend, summary statistics, and a reverse-mode tape.
 * Numerically matched against PyTorch's float32 CPU kernels (tests/oracle/ops.test.ts).
 */
export { type Buf, buf, bufFromTensor, numel } from './buffer.js';
export { type GemmBackend, sgemm, tsGemm, setGemmBackend, getGemmBackend, transposeInto } from './gemm.js';
export { type GemmOptions, type GradNeeds, type ParamGrads, linear, linearBackward } from './linear.js';
export {
  type ConvOptions,
  type PaddingMode,
  PADDING_MODES,
  conv1d,
  conv2d,
  conv1dBackward,
  conv2dBackward,
} from './conv.js';
export {
  type Activation,
  type ActivationOptions,
  type GeluApproximation,
  ACTIVATIONS,
  GELU_APPROXIMATIONS,
  SELU_ALPHA,
  SELU_SCALE,
  activation,
  activationBackward,
} from './activation.js';
export {
  type NormOptions,
  type NormStats,
  type BatchNormResult,
  type LayerNormResult,
  type RmsNormResult,
  batchNorm,
  batchNormBackward,
  layerNorm,
  layerNormBackward,
  groupNorm,
  groupNormBackward,
  rmsNorm,
  rmsNormBackward,
} from './norm.js';
export { type Indices, type EmbeddingOptions, embedding, embeddingBackward } from './embedding.js';
export {
  type MaxPoolOptions,
  type AvgPoolOptions,
  type MaxPoolResult,
  maxPool1d,
  maxPool2d,
  maxPool1dBackward,
  maxPool2dBackward,
  avgPool1d,
  avgPool2d,
  avgPool1dBackward,
  avgPool2dBackward,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool1dBackward,
  adaptiveAvgPool2dBackward,
} from './pool.js';
export { type FlattenOptions, flatten, flattenShape, flattenBackward, add } from './shape-ops.js';
export {
  type Summary,
  type Histogram,
  mean,
  std,
  min,
  max,
  zeroFraction,
  summarize,
  histogram,
} from './stats.js';
export {
  type Param,
  type Var,
  type TapeNode,
  type NodeOptions,
  type BackwardOptions,
  Tape,
  param,
} from './tape.js';
