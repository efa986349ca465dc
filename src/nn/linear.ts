/**
 * Identity, Linear, Bilinear: `torch/nn/modules/linear.py`, initialized exactly as their `reset_parameters`.
 */
import { calculateFanInAndFanOut } from '../init/fan.js';
import { kaimingUniform_ } from '../init/kaiming.js';
import { uniform_ } from '../init/uniform.js';
import { drawOptions, emptyParam, resolveFactory } from './factory.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, type FactoryOptions, NONNEG, POSINT, type Signature, arg, bindOptions } from './signature.js';

/**
 * A placeholder that returns its input; accepts and ignores any arguments.
 *
 * PyTorch equivalent: `torch.nn.Identity(*args, **kwargs)`.
 *
 * @example
 * ```ts
 * const skip = new nn.Identity();
 * ```
 */
export class Identity extends Module {
  static override readonly signature: Signature = { type: 'Identity', factory: false, varargs: true, params: [] };

  constructor(..._ignored: unknown[]) {
    super();
    this._config = {};
  }
}

/**
 * The default `reset_parameters` of `Linear` and `_ConvNd`: `kaiming_uniform_(weight, a=√5)`, then, with a bias,
 * `uniform_(bias, -1/√fan_in, 1/√fan_in)`. At fan_in = 0 the two differ, as in PyTorch: Linear still draws the bias
 * from U(0, 0) (`'zero-bound'`), _ConvNd leaves it undrawn (`'skip'`).
 */
export function resetKaimingUniform(weight: Parameter, bias: Parameter | null, options: ResetOptions, atZeroFanIn: 'zero-bound' | 'skip'): void {
  const g = drawOptions(options);
  kaimingUniform_(weight, { a: Math.sqrt(5), ...g });
  if (bias === null) return;
  const [fanIn] = calculateFanInAndFanOut(weight);
  if (fanIn === 0 && atZeroFanIn === 'skip') return;
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  uniform_(bias, -bound, bound, g);
}

export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * `y = x Wᵀ + b`, with PyTorch's default initialization: `W ~ U(-1/√in, 1/√in)` via
 * `kaiming_uniform_(W, a=√5)` (He et al. 2015, "Delving Deep into Rectifiers", https://arxiv.org/abs/1502.01852;
 * gain `√(2/(1+5))`, bound `gain·√(3/fan_in)`), then `b ~ U(-1/√fan_in, 1/√fan_in)` (bound 0 when fan_in = 0).
 * Layout: `weight` is `[outFeatures, inFeatures]` (fan_in = inFeatures).
 *
 * PyTorch equivalent: `torch.nn.Linear(in_features, out_features, bias=True, device=None, dtype=None)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const fc = new nn.Linear(4, 3); // fc.weight bits equal torch.manual_seed(0); nn.Linear(4, 3).weight
 * ```
 */
export class Linear extends Module {
  static override readonly signature: Signature = {
    type: 'Linear',
    factory: true,
    params: [arg('in_features', NONNEG), arg('out_features', NONNEG), arg('bias', BOOL, true), ...FACTORY_ARGS],
  };
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** `[outFeatures, inFeatures]` */
  declare weight: Parameter;
  /** `[outFeatures]`, or null with `bias: false`. */
  declare bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions) {
    super();
    const { cfg, generator } = bindOptions(Linear.signature, [inFeatures, outFeatures], options);
    this._config = cfg;
    const f = resolveFactory(cfg, generator);
    this.inFeatures = cfg['in_features'] as number;
    this.outFeatures = cfg['out_features'] as number;
    this.registerParameter('weight', emptyParam(f, [this.outFeatures, this.inFeatures]));
    this.registerParameter('bias', cfg['bias'] ? emptyParam(f, [this.outFeatures]) : null);
    this.resetParameters({ generator: f.generator });
  }

  /** `kaiming_uniform_(weight, a=√5)`, then `uniform_(bias, ±1/√fan_in)` (bound 0 when fan_in = 0). */
  override resetParameters(options: ResetOptions = {}): this {
    resetKaimingUniform(this.weight, this.bias, options, 'zero-bound');
    return this;
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyStr(this.bias !== null)}`;
  }
}

/**
 * The Linear that MultiheadAttention uses for `out_proj` (a Linear that PyTorch's quantization leaves alone);
 * identical initialization, its own name in `repr`.
 *
 * PyTorch equivalent: `torch.nn.modules.linear.NonDynamicallyQuantizableLinear`.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}

export interface BilinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * `y = x₁ᵀ W x₂ + b`, with PyTorch's default initialization `W, b ~ U(-1/√in1, 1/√in1)` (weight first).
 * Layout: `weight` is `[outFeatures, in1Features, in2Features]`.
 *
 * PyTorch equivalent: `torch.nn.Bilinear(in1_features, in2_features, out_features, bias=True)`.
 *
 * @example
 * ```ts
 * const bil = new nn.Bilinear(3, 4, 2, { bias: false });
 * ```
 */
export class Bilinear extends Module {
  static override readonly signature: Signature = {
    type: 'Bilinear',
    factory: true,
    params: [arg('in1_features', POSINT), arg('in2_features', NONNEG), arg('out_features', NONNEG), arg('bias', BOOL, true), ...FACTORY_ARGS],
  };
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  /** `[outFeatures, in1Features, in2Features]` */
  declare weight: Parameter;
  declare bias: Parameter | null;

  constructor(in1Features: number, in2Features: number, outFeatures: number, options?: BilinearOptions) {
    super();
    const { cfg, generator } = bindOptions(Bilinear.signature, [in1Features, in2Features, outFeatures], options);
    this._config = cfg;
    const f = resolveFactory(cfg, generator);
    this.in1Features = cfg['in1_features'] as number;
    this.in2Features = cfg['in2_features'] as number;
    this.outFeatures = cfg['out_features'] as number;
    this.registerParameter('weight', emptyParam(f, [this.outFeatures, this.in1Features, this.in2Features]));
    this.registerParameter('bias', cfg['bias'] ? emptyParam(f, [this.outFeatures]) : null);
    this.resetParameters({ generator: f.generator });
  }

  /** `bound = 1/√in1`; `uniform_(weight, ±bound)`, then `uniform_(bias, ±bound)`. */
  override resetParameters(options: ResetOptions = {}): this {
    const g = drawOptions(options);
    const bound = 1 / Math.sqrt(this.weight.shape[1]!);
    uniform_(this.weight, -bound, bound, g);
    if (this.bias !== null) uniform_(this.bias, -bound, bound, g);
    return this;
  }

  override extraRepr(): string {
    return `in1_features=${this.in1Features}, in2_features=${this.in2Features}, out_features=${this.outFeatures}, bias=${pyStr(this.bias !== null)}`;
  }
}
