/**
 * Variance-preserving gains computed from the activation itself, for the activations PyTorch's
 * {@link calculateGain} table does not list (gelu, silu, mish, elu, softplus, ...).
 */
import { checkOptions } from './common.js';
import {
  type Activation,
  type ActivationName,
  activationInfo,
  resolveActivationParam,
} from './activations.js';
import { GAUSS_HERMITE_NODES, PIECEWISE_ORDER, gaussianExpectation } from './quadrature.js';

/** Options of {@link computeGain} and {@link activationMoments}. */
export interface ComputeGainOptions {
  /**
   * The activation's parameter: leaky_relu's negative_slope (default 0.01), elu's and celu's alpha (1), softplus's
   * beta (1). Activations without a parameter reject it.
   */
  param?: number;
}

/** The Gaussian moments of an activation and the gain they imply. */
export interface ActivationMoments {
  /** The canonical activation name (aliases resolved). */
  readonly activation: Activation;
  /** The parameter value used, or null for activations without one. */
  readonly param: number | null;
  /** E[φ(Z)], Z ~ N(0, 1). */
  readonly mean: number;
  /** E[φ(Z)²]: what a following layer's pre-activation variance is proportional to. */
  readonly secondMoment: number;
  /** Var[φ(Z)] = E[φ²] - E[φ]². */
  readonly variance: number;
  /** 1 / √E[φ(Z)²]. */
  readonly gain: number;
  /** The quadrature used: Gauss–Hermite (smooth activations) or piecewise Gauss–Legendre (activations with kinks). */
  readonly method: 'gauss-hermite' | 'piecewise-gauss-legendre';
  /** Nodes of the rule (Gauss–Hermite) or per panel (piecewise). */
  readonly nodes: number;
  /** Always `'computed'`: these numbers are derived here, they are not PyTorch's `calculate_gain` table. */
  readonly source: 'computed';
}

const cache = new Map<string, ActivationMoments>();

/**
 * The Gaussian moments of an activation φ with a standard normal input: E[φ(Z)], E[φ(Z)²], Var[φ(Z)] and the gain
 * 1/√E[φ(Z)²], computed by quadrature ({@link gaussianExpectation}). Results are cached.
 *
 * Why the second moment (not the variance): a layer y = Wx with i.i.d. zero-mean weights has
 * Var[yᵢ] = fan_in·Var[w]·E[x²], so keeping Var[y] = Var[x] through x = φ(y) needs Var[w] = 1/(fan_in·E[φ(Z)²])
 * when y ~ N(0, 1): the gain is 1/√E[φ²] (He et al. 2015, "Delving Deep into Rectifiers",
 * https://arxiv.org/abs/1502.01852, derive √2 for ReLU this way).
 *
 * Method: Gauss–Hermite with 160 nodes for smooth activations; composite Gauss–Legendre split at the kinks (0 for
 * relu-like, ±1 for hardtanh, ±3 for hardswish, 0 and 6 for relu6) for the others. Accuracy: about 1e-14 relative
 * (relu gives √2, linear 1, leaky_relu PyTorch's √(2/(1 + slope²)), selu 1 to within its constants' precision).
 *
 * @param activation one of {@link ACTIVATIONS} or an alias (`'identity'`, `'swish'`).
 * @param options `param` (see {@link ComputeGainOptions}).
 * @throws InitError for an unknown activation (lists the valid ones) or an invalid `param`.
 *
 * @example
 * ```ts
 * activationMoments('relu');  // { mean: 0.3989…, secondMoment: 0.5, variance: 0.3408…, gain: 1.4142…, ... }
 * ```
 */
export function activationMoments(activation: ActivationName, options?: ComputeGainOptions): ActivationMoments {
  const where = 'activationMoments';
  return momentsImpl(where, activation, options);
}

function momentsImpl(where: string, activation: ActivationName, options: ComputeGainOptions | undefined): ActivationMoments {
  const info = activationInfo(activation, where);
  const opts = checkOptions<ComputeGainOptions>(where, options) ?? {};
  const param = resolveActivationParam(info, opts.param, where);
  const key = `${info.name}:${param === null ? '' : param}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const f = info.make(param ?? 0);
  const breakpoints = info.breakpoints(param ?? 0);
  const smooth = breakpoints.length === 0;
  const mean = gaussianExpectation(f, { breakpoints });
  const secondMoment = gaussianExpectation((z) => {
    const v = f(z);
    return v * v;
  }, { breakpoints });
  const result: ActivationMoments = Object.freeze({
    activation: info.name,
    param,
    mean,
    secondMoment,
    variance: secondMoment - mean * mean,
    gain: 1 / Math.sqrt(secondMoment),
    method: smooth ? 'gauss-hermite' : 'piecewise-gauss-legendre',
    nodes: smooth ? GAUSS_HERMITE_NODES : PIECEWISE_ORDER,
    source: 'computed',
  });
  cache.set(key, result);
  return result;
}

/**
 * The variance-preserving gain of an activation, gain = 1/√E[φ(Z)²] with Z ~ N(0, 1), computed by Gauss–Hermite
 * quadrature (piecewise Gauss–Legendre for activations with kinks). Use it wherever PyTorch's `calculate_gain`
 * has no entry: `kaimingNormal_`-style std = gain/√fan_in.
 *
 * COMPUTED, NOT PYTORCH'S TABLE. For relu, linear and leaky_relu the two agree (√2, 1, √(2/(1 + slope²))). For the
 * others they differ on purpose: PyTorch's `calculate_gain('tanh')` is the convention 5/3 and `'sigmoid'` is 1, while
 * the variance-preserving values are 1.5925… and 1.8462…; PyTorch's `'selu'` is 3/4 (chosen empirically, PR #50664)
 * while SELU's own fixed point gives 1. Use {@link calculateGain} to reproduce PyTorch, this to preserve variance.
 *
 * Paper: He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", https://arxiv.org/abs/1502.01852 (the
 * derivation); quadrature: Golub & Welsch (1969), https://doi.org/10.1090/S0025-5718-69-99647-1.
 *
 * @param activation one of {@link ACTIVATIONS} (`'linear'`, `'relu'`, `'leaky_relu'`, `'tanh'`, `'sigmoid'`,
 *   `'gelu'`, `'gelu_tanh'`, `'silu'`, `'mish'`, `'elu'`, `'selu'`, `'celu'`, `'softplus'`, `'hardtanh'`,
 *   `'softsign'`, `'relu6'`, `'hardswish'`, `'hardsigmoid'`, `'logsigmoid'`) or an alias (`'identity'`, `'swish'`).
 * @param options `param`: leaky_relu's negative_slope (0.01), elu/celu's alpha (1), softplus's beta (1).
 * @returns the gain, a number > 0.
 * @throws InitError for an unknown activation (lists the valid ones) or an invalid `param`.
 *
 * @example
 * ```ts
 * computeGain('relu');                 // 1.4142135623730951 (= calculateGain('relu'))
 * computeGain('gelu');                 // 1.5335304411955…
 * const [fanIn] = calculateFanInAndFanOut(w);
 * init.normal_(w, 0, computeGain('silu') / Math.sqrt(fanIn));   // He-style init for a SiLU network
 * ```
 */
export function computeGain(activation: ActivationName, options?: ComputeGainOptions): number {
  return momentsImpl('computeGain', activation, options).gain;
}
