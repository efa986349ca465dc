/**
 * Activation layers (`torch/nn/modules/activation.py`): all parameter-free except {@link PReLU}, whose weight is
 * filled with `init` (0.25). MultiheadAttention, from the same PyTorch file, is in attention.ts.
 */
import { fail } from '../errors.js';
import { constant_ } from '../init/constant.js';
import { emptyParam, resolveFactory } from './factory.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { pyFloat, pyReprValue, pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, FLOAT, type FactoryOptions, INT, NONNEG, type Signature, arg, bindOptions, choice } from './signature.js';
import { Stateless, inplaceStr } from './stateless.js';

const INPLACE = arg('inplace', BOOL, false);

function sig(type: string, ...params: Signature['params'][number][]): Signature {
  return { type, factory: false, params };
}

/** Options of activations that only take `inplace`. */
export interface InplaceOptions {
  /** Stored only (initkit runs no forward pass). Default false. */
  inplace?: boolean;
}

/** PyTorch: `torch.nn.ReLU(inplace=False)`. @example `new nn.ReLU()` */
export class ReLU extends Stateless {
  static override readonly signature = sig('ReLU', INPLACE);
  constructor(options?: InplaceOptions) {
    super(ReLU.signature, [], options);
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, true);
  }
}

/** PyTorch: `torch.nn.ReLU6(inplace=False)` (Hardtanh(0, 6)). @example `new nn.ReLU6()` */
export class ReLU6 extends Stateless {
  static override readonly signature = sig('ReLU6', INPLACE);
  constructor(options?: InplaceOptions) {
    super(ReLU6.signature, [], options);
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, true);
  }
}

/** PyTorch: `torch.nn.SELU(inplace=False)`. @example `new nn.SELU()` */
export class SELU extends Stateless {
  static override readonly signature = sig('SELU', INPLACE);
  constructor(options?: InplaceOptions) {
    super(SELU.signature, [], options);
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, true);
  }
}

/** PyTorch: `torch.nn.SiLU(inplace=False)` (swish). @example `new nn.SiLU()` */
export class SiLU extends Stateless {
  static override readonly signature = sig('SiLU', INPLACE);
  constructor(options?: InplaceOptions) {
    super(SiLU.signature, [], options);
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, true);
  }
}

/** PyTorch: `torch.nn.Mish(inplace=False)`. @example `new nn.Mish()` */
export class Mish extends Stateless {
  static override readonly signature = sig('Mish', INPLACE);
  constructor(options?: InplaceOptions) {
    super(Mish.signature, [], options);
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return inplaceStr(this.inplace, true);
  }
}

/** PyTorch: `torch.nn.Hardsigmoid(inplace=False)` (no extra repr). @example `new nn.Hardsigmoid()` */
export class Hardsigmoid extends Stateless {
  static override readonly signature = sig('Hardsigmoid', INPLACE);
  constructor(options?: InplaceOptions) {
    super(Hardsigmoid.signature, [], options);
  }
}

/** PyTorch: `torch.nn.Hardswish(inplace=False)` (no extra repr). @example `new nn.Hardswish()` */
export class Hardswish extends Stateless {
  static override readonly signature = sig('Hardswish', INPLACE);
  constructor(options?: InplaceOptions) {
    super(Hardswish.signature, [], options);
  }
}

function noArgs(type: string): Signature {
  return sig(type);
}

/** PyTorch: `torch.nn.Sigmoid()`. @example `new nn.Sigmoid()` */
export class Sigmoid extends Stateless {
  static override readonly signature = noArgs('Sigmoid');
  constructor() {
    super(Sigmoid.signature, [], undefined);
  }
}

/** PyTorch: `torch.nn.Tanh()`. @example `new nn.Tanh()` */
export class Tanh extends Stateless {
  static override readonly signature = noArgs('Tanh');
  constructor() {
    super(Tanh.signature, [], undefined);
  }
}

/** PyTorch: `torch.nn.Softsign()`. @example `new nn.Softsign()` */
export class Softsign extends Stateless {
  static override readonly signature = noArgs('Softsign');
  constructor() {
    super(Softsign.signature, [], undefined);
  }
}

/** PyTorch: `torch.nn.Tanhshrink()`. @example `new nn.Tanhshrink()` */
export class Tanhshrink extends Stateless {
  static override readonly signature = noArgs('Tanhshrink');
  constructor() {
    super(Tanhshrink.signature, [], undefined);
  }
}

/** PyTorch: `torch.nn.LogSigmoid()`. @example `new nn.LogSigmoid()` */
export class LogSigmoid extends Stateless {
  static override readonly signature = noArgs('LogSigmoid');
  constructor() {
    super(LogSigmoid.signature, [], undefined);
  }
}

/** PyTorch: `torch.nn.Softmax2d()`. @example `new nn.Softmax2d()` */
export class Softmax2d extends Stateless {
  static override readonly signature = noArgs('Softmax2d');
  constructor() {
    super(Softmax2d.signature, [], undefined);
  }
}

export interface AlphaOptions extends InplaceOptions {
  /** Default 1.0. */
  alpha?: number;
}

/** PyTorch: `torch.nn.ELU(alpha=1.0, inplace=False)`. @example `new nn.ELU({ alpha: 0.5 })` */
export class ELU extends Stateless {
  static override readonly signature = sig('ELU', arg('alpha', FLOAT, 1.0), INPLACE);
  constructor(options?: AlphaOptions) {
    super(ELU.signature, [], options);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.arg('alpha'))}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

/** PyTorch: `torch.nn.CELU(alpha=1.0, inplace=False)`. @example `new nn.CELU()` */
export class CELU extends Stateless {
  static override readonly signature = sig('CELU', arg('alpha', FLOAT, 1.0), INPLACE);
  constructor(options?: AlphaOptions) {
    super(CELU.signature, [], options);
  }
  override extraRepr(): string {
    return `alpha=${pyFloat(this.arg('alpha'))}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

/** PyTorch: `torch.nn.LeakyReLU(negative_slope=0.01, inplace=False)`. @example `new nn.LeakyReLU({ negativeSlope: 0.2 })` */
export class LeakyReLU extends Stateless {
  static override readonly signature = sig('LeakyReLU', arg('negative_slope', FLOAT, 0.01), INPLACE);
  constructor(options?: InplaceOptions & { negativeSlope?: number }) {
    super(LeakyReLU.signature, [], options);
  }
  get negativeSlope(): number {
    return this.arg('negative_slope');
  }
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

/** PyTorch: `torch.nn.RReLU(lower=1/8, upper=1/3, inplace=False)`. @example `new nn.RReLU()` */
export class RReLU extends Stateless {
  static override readonly signature = sig('RReLU', arg('lower', FLOAT, 1.0 / 8), arg('upper', FLOAT, 1.0 / 3), INPLACE);
  constructor(options?: InplaceOptions & { lower?: number; upper?: number }) {
    super(RReLU.signature, [], options);
  }
  override extraRepr(): string {
    return `lower=${pyFloat(this.arg('lower'))}, upper=${pyFloat(this.arg('upper'))}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

/** PyTorch: `torch.nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)`. @example `new nn.Hardtanh({ minVal: -2, maxVal: 2 })` */
export class Hardtanh extends Stateless {
  static override readonly signature = sig('Hardtanh', arg('min_val', FLOAT, -1.0), arg('max_val', FLOAT, 1.0), INPLACE);
  constructor(options?: InplaceOptions & { minVal?: number; maxVal?: number }) {
    super(Hardtanh.signature, [], options);
    const lo = this.arg<number>('min_val');
    const hi = this.arg<number>('max_val');
    if (!(hi > lo)) {
      fail({ code: 'INVALID_ARGUMENT', where: 'Hardtanh', param: 'maxVal', expected: `maxVal to be a number greater than minVal=${lo}`, received: hi });
    }
  }
  override extraRepr(): string {
    return `min_val=${pyFloat(this.arg('min_val'))}, max_val=${pyFloat(this.arg('max_val'))}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

/** PyTorch: `torch.nn.Threshold(threshold, value, inplace=False)`. @example `new nn.Threshold(0.1, 20)` */
export class Threshold extends Stateless {
  static override readonly signature = sig('Threshold', arg('threshold', FLOAT), arg('value', FLOAT), INPLACE);
  constructor(threshold: number, value: number, options?: InplaceOptions) {
    super(Threshold.signature, [threshold, value], options);
  }
  override extraRepr(): string {
    return `threshold=${pyFloat(this.arg('threshold'))}, value=${pyFloat(this.arg('value'))}${inplaceStr(this.arg('inplace'), false)}`;
  }
}

export const GELU_APPROXIMATIONS = ['none', 'tanh'] as const;

/** PyTorch: `torch.nn.GELU(approximate='none')`. @example `new nn.GELU({ approximate: 'tanh' })` */
export class GELU extends Stateless {
  static override readonly signature = sig('GELU', arg('approximate', choice(...GELU_APPROXIMATIONS), 'none'));
  constructor(options?: { approximate?: (typeof GELU_APPROXIMATIONS)[number] }) {
    super(GELU.signature, [], options);
  }
  override extraRepr(): string {
    return `approximate=${pyReprValue(this.arg('approximate'))}`;
  }
}

/** PyTorch: `torch.nn.GLU(dim=-1)`. @example `new nn.GLU()` */
export class GLU extends Stateless {
  static override readonly signature = sig('GLU', arg('dim', INT, -1));
  constructor(options?: { dim?: number }) {
    super(GLU.signature, [], options);
  }
  override extraRepr(): string {
    return `dim=${this.arg<number>('dim')}`;
  }
}

/** PyTorch: `torch.nn.Hardshrink(lambd=0.5)`. @example `new nn.Hardshrink()` */
export class Hardshrink extends Stateless {
  static override readonly signature = sig('Hardshrink', arg('lambd', FLOAT, 0.5));
  constructor(options?: { lambd?: number }) {
    super(Hardshrink.signature, [], options);
  }
  override extraRepr(): string {
    return pyFloat(this.arg('lambd'));
  }
}

/** PyTorch: `torch.nn.Softshrink(lambd=0.5)`. @example `new nn.Softshrink()` */
export class Softshrink extends Stateless {
  static override readonly signature = sig('Softshrink', arg('lambd', FLOAT, 0.5));
  constructor(options?: { lambd?: number }) {
    super(Softshrink.signature, [], options);
  }
  override extraRepr(): string {
    return pyFloat(this.arg('lambd'));
  }
}

/** PyTorch: `torch.nn.Softplus(beta=1, threshold=20)`. @example `new nn.Softplus({ beta: 2 })` */
export class Softplus extends Stateless {
  static override readonly signature = sig('Softplus', arg('beta', { t: 'float', int: true }, 1), arg('threshold', { t: 'float', int: true }, 20));
  constructor(options?: { beta?: number; threshold?: number }) {
    super(Softplus.signature, [], options);
  }
  override extraRepr(): string {
    // 1.13's defaults are the ints 1 and 20.
    return `beta=${pyStr(this.arg('beta'))}, threshold=${pyStr(this.arg('threshold'))}`;
  }
}

function dimSig(type: string): Signature {
  return sig(type, arg('dim', INT, null, { nullable: true }));
}

/** PyTorch: `torch.nn.Softmax(dim=None)`. @example `new nn.Softmax({ dim: -1 })` */
export class Softmax extends Stateless {
  static override readonly signature = dimSig('Softmax');
  constructor(options?: { dim?: number | null }) {
    super(Softmax.signature, [], options);
  }
  override extraRepr(): string {
    return `dim=${pyStr(this.arg('dim'))}`;
  }
}

/** PyTorch: `torch.nn.Softmin(dim=None)`. @example `new nn.Softmin({ dim: 1 })` */
export class Softmin extends Stateless {
  static override readonly signature = dimSig('Softmin');
  constructor(options?: { dim?: number | null }) {
    super(Softmin.signature, [], options);
  }
  override extraRepr(): string {
    return `dim=${pyStr(this.arg('dim'))}`;
  }
}

/** PyTorch: `torch.nn.LogSoftmax(dim=None)`. @example `new nn.LogSoftmax({ dim: 1 })` */
export class LogSoftmax extends Stateless {
  static override readonly signature = dimSig('LogSoftmax');
  constructor(options?: { dim?: number | null }) {
    super(LogSoftmax.signature, [], options);
  }
  override extraRepr(): string {
    return `dim=${pyStr(this.arg('dim'))}`;
  }
}

export interface PReLUOptions extends FactoryOptions {
  /** 1 (shared) or the number of channels. Default 1. */
  numParameters?: number;
  /** The initial slope (default 0.25). */
  init?: number;
}

/**
 * Parametric ReLU (He et al. 2015, https://arxiv.org/abs/1502.01852): a learned negative slope, filled with `init`
 * (0.25). No draws.
 *
 * PyTorch equivalent: `torch.nn.PReLU(num_parameters=1, init=0.25)`.
 *
 * @example
 * ```ts
 * const act = new nn.PReLU({ numParameters: 64 });
 * ```
 */
export class PReLU extends Module {
  static override readonly signature: Signature = {
    type: 'PReLU',
    factory: true,
    params: [arg('num_parameters', NONNEG, 1), arg('init', FLOAT, 0.25), ...FACTORY_ARGS],
  };
  // PyTorch's `num_parameters` is `prelu.weight.numel` here (`numParameters()` counts a module's parameters).
  readonly init: number;
  /** `[numParameters]` */
  declare weight: Parameter;

  constructor(options?: PReLUOptions) {
    super();
    const { cfg, generator } = bindOptions(PReLU.signature, [], options);
    this._config = cfg;
    this.init = cfg['init'] as number;
    const f = resolveFactory(cfg, generator);
    this.registerParameter('weight', emptyParam(f, [cfg['num_parameters'] as number]));
    this.resetParameters();
  }

  /** `constant_(weight, init)`. */
  override resetParameters(_options: ResetOptions = {}): this {
    constant_(this.weight, this.init);
    return this;
  }

  override extraRepr(): string {
    return `num_parameters=${String((this._config as Record<string, unknown>)['num_parameters'])}`;
  }
}
