/** The interface of the empirical probe (src/analysis/probe.ts), as diagnose uses it. */
import type { Module } from '../nn/module.js';
import type { RandomEngine } from '../rng/engine.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GemmBackend } from './ops/gemm.js';
import type { Histogram } from './diagnose-types.js';

export interface ProbeOptions {
  /** Batch size of the probe input (default 256). */
  batch?: number;
  /** Input shape without the batch dimension (required unless `input` is given). */
  inputShape?: readonly number[];
  /** An explicit input (batch first); otherwise `randn(batch, ...inputShape)` is drawn from `generator`. */
  input?: Tensor;
  /** The generator the input (and then the output gradient g) are drawn from; default: the default generator. */
  generator?: RandomEngine;
  /** Histogram bins per layer (default 30). */
  bins?: number;
  /** The matrix-product backend for Linear and Conv layers (default: the current default, `getGemmBackend()`). */
  gemm?: GemmBackend;
}

export interface ProbedLayer {
  /** Dotted module name (`named_modules()`), in execution order. */
  name: string;
  module: string;
  index: number;
  outputMean: number;
  /** Bessel-corrected, as `Tensor.std()`. */
  outputStd: number;
  outputMin: number;
  outputMax: number;
  zeroFraction: number;
  histogram: Histogram;
  /** Std of dL/d(output), L = sum(y ⊙ g). */
  gradOutputStd: number;
  /** Std of dL/d(parameter) for each of the layer's own parameters (local names). */
  paramGradStd: Record<string, number>;
  /** Output shape, batch first. */
  shape: number[];
}

export interface ProbeResult {
  /** Std of the input actually used. */
  inputStd: number;
  inputShape: number[];
  batch: number;
  layers: ProbedLayer[];
}

export type ProbeFn = (model: Module, options: ProbeOptions) => ProbeResult;
