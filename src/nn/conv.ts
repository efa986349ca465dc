/**
 * Convolutions: `torch/nn/modules/conv.py` (`_ConvNd`), Conv1d/2d/3d and ConvTranspose1d/2d/3d, initialized as
 * `_ConvNd.reset_parameters`: `kaiming_uniform_(weight, a=√5)` then `bias ~ U(-1/√fan_in, 1/√fan_in)`.
 *
 * Layout: a convolution's weight is `[out, in/groups, *kernel]` (fan_in = in/groups·∏kernel); a transposed
 * convolution's is `[in, out/groups, *kernel]`, so its fan_in is `(out/groups)·∏kernel`: PyTorch's "transposed
 * fan quirk" (the fan is computed from the weight's dims 0 and 1 whatever they mean).
 */
import { fail, formatValue } from '../errors.js';
import { emptyParam, resolveFactory } from './factory.js';
import { resetKaimingUniform } from './linear.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, type FactoryOptions, NONNEG, POSINT, type Signature, arg, bindOptions, checkMultipleOf, choice, ntuple, size } from './signature.js';

/** Padding modes of `nn.Conv*d` (how padded positions read the input). */
export const PADDING_MODES = ['zeros', 'reflect', 'replicate', 'circular'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

/** A convolution's geometry, PyTorch's names camelCased and defaults: `nn.Conv*d` and the probe's `conv1d`/`conv2d`. */
export interface ConvGeometryOptions {
  /** Stride: an integer or one per spatial dimension; default 1. */
  stride?: number | readonly number[];
  /** Zero-based padding per side: an integer, one per dimension, `'same'` (stride 1 only) or `'valid'` (0); default 0. */
  padding?: number | readonly number[] | 'same' | 'valid';
  /** Dilation of the kernel; default 1. */
  dilation?: number | readonly number[];
  /** Channel groups (must divide both channel counts); default 1. */
  groups?: number;
  /** How padded positions read the input; default `'zeros'`. */
  paddingMode?: PaddingMode;
}

export interface ConvOptions extends FactoryOptions, ConvGeometryOptions {
  /** Default true. */
  bias?: boolean;
}

export interface ConvTransposeOptions extends FactoryOptions {
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  /** Extra size added to one side of the output (must be < stride or < dilation). Default 0. */
  outputPadding?: number | readonly number[];
  groups?: number;
  bias?: boolean;
  dilation?: number | readonly number[];
  /** Only `'zeros'` (PyTorch raises otherwise). */
  paddingMode?: 'zeros';
}

function convSignature(type: string, n: number): Signature {
  return {
    type,
    factory: true,
    params: [
      arg('in_channels', NONNEG),
      arg('out_channels', NONNEG),
      arg('kernel_size', size(n)),
      arg('stride', size(n, 1), 1),
      arg('padding', { t: 'padding', n }, 0),
      arg('dilation', size(n, 1), 1),
      arg('groups', POSINT, 1),
      arg('bias', BOOL, true),
      arg('padding_mode', choice(...PADDING_MODES), 'zeros'),
      ...FACTORY_ARGS,
    ],
  };
}

function convTransposeSignature(type: string, n: number): Signature {
  return {
    type,
    factory: true,
    params: [
      arg('in_channels', NONNEG),
      arg('out_channels', NONNEG),
      arg('kernel_size', size(n)),
      arg('stride', size(n, 1), 1),
      arg('padding', size(n), 0),
      arg('output_padding', size(n), 0),
      arg('groups', POSINT, 1),
      arg('bias', BOOL, true),
      arg('dilation', size(n, 1), 1),
      arg('padding_mode', choice(...PADDING_MODES), 'zeros'),
      ...FACTORY_ARGS,
    ],
  };
}

/** The shared body of PyTorch's `_ConvNd`. */
export abstract class ConvNd extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly dilation: readonly number[];
  readonly transposed: boolean;
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  /** Convolution: `[out, in/groups, *kernel]`; transposed: `[in, out/groups, *kernel]`. */
  declare weight: Parameter;
  declare bias: Parameter | null;

  protected constructor(sig: Signature, n: number, transposed: boolean, positional: unknown[], options: unknown) {
    super();
    const { cfg, generator } = bindOptions(sig, positional, options);
    this._config = cfg;
    const type = sig.type;
    const inC = cfg['in_channels'] as number;
    const outC = cfg['out_channels'] as number;
    const groups = cfg['groups'] as number;
    const stride = ntuple(cfg['stride'], n);
    const padding = typeof cfg['padding'] === 'string' ? (cfg['padding'] as 'same' | 'valid') : ntuple(cfg['padding'], n);
    const paddingMode = cfg['padding_mode'] as PaddingMode;
    checkMultipleOf(type, 'inChannels', inC, 'groups', groups);
    checkMultipleOf(type, 'outChannels', outC, 'groups', groups);
    if (padding === 'same' && stride.some((s) => s !== 1)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: type,
        param: 'padding',
        expected: `padding to be an integer or 'valid' with stride ${formatValue(cfg['stride'])} ('same' is not supported for strided convolutions)`,
        received: 'same',
      });
    }
    if (transposed && paddingMode !== 'zeros') {
      fail({
        code: 'INVALID_ARGUMENT',
        where: type,
        param: 'paddingMode',
        expected: `paddingMode to be 'zeros' (the only padding mode ${type} supports)`,
        received: paddingMode,
      });
    }
    this.inChannels = inC;
    this.outChannels = outC;
    this.kernelSize = ntuple(cfg['kernel_size'], n);
    this.stride = stride;
    this.padding = padding;
    this.dilation = ntuple(cfg['dilation'], n);
    this.transposed = transposed;
    this.outputPadding = transposed ? ntuple(cfg['output_padding'], n) : ntuple(0, n);
    this.groups = groups;
    this.paddingMode = paddingMode;
    const f = resolveFactory(cfg, generator);
    const shape = transposed ? [inC, outC / groups, ...this.kernelSize] : [outC, inC / groups, ...this.kernelSize];
    this.registerParameter('weight', emptyParam(f, shape));
    this.registerParameter('bias', cfg['bias'] ? emptyParam(f, [outC]) : null);
    this.resetParameters({ generator: f.generator });
  }

  /** `kaiming_uniform_(weight, a=√5)`; then, if fan_in ≠ 0, `uniform_(bias, ±1/√fan_in)`. */
  override resetParameters(options: ResetOptions = {}): this {
    resetKaimingUniform(this.weight, this.bias, options, 'skip');
    return this;
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}`;
    if (typeof this.padding === 'string' || this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyStr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ', bias=False';
    if (this.paddingMode !== 'zeros') s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}

/**
 * 1-D convolution. Weight `[out, in/groups, k]`, `kaiming_uniform_(a=√5)`, bias `U(±1/√fan_in)`.
 *
 * PyTorch equivalent: `torch.nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
 * groups=1, bias=True, padding_mode='zeros')`.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv1d(16, 33, 3, { stride: 2 });
 * ```
 */
export class Conv1d extends ConvNd {
  static override readonly signature = convSignature('Conv1d', 1);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvOptions) {
    super(Conv1d.signature, 1, false, [inChannels, outChannels, kernelSize], options);
  }
}

/**
 * 2-D convolution. Weight `[out, in/groups, kH, kW]`, `kaiming_uniform_(a=√5)`, bias `U(±1/√fan_in)`.
 *
 * PyTorch equivalent: `torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
 * groups=1, bias=True, padding_mode='zeros')`.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv2d(3, 16, 3, { stride: 2, padding: 1, bias: false });
 * ```
 */
export class Conv2d extends ConvNd {
  static override readonly signature = convSignature('Conv2d', 2);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvOptions) {
    super(Conv2d.signature, 2, false, [inChannels, outChannels, kernelSize], options);
  }
}

/**
 * 3-D convolution. Weight `[out, in/groups, kD, kH, kW]`.
 *
 * PyTorch equivalent: `torch.nn.Conv3d(in_channels, out_channels, kernel_size, ...)`.
 *
 * @example
 * ```ts
 * const conv = new nn.Conv3d(4, 8, [3, 3, 1]);
 * ```
 */
export class Conv3d extends ConvNd {
  static override readonly signature = convSignature('Conv3d', 3);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvOptions) {
    super(Conv3d.signature, 3, false, [inChannels, outChannels, kernelSize], options);
  }
}

/**
 * 1-D transposed convolution. Weight `[in, out/groups, k]`, so fan_in = `(out/groups)·k` (PyTorch's quirk).
 *
 * PyTorch equivalent: `torch.nn.ConvTranspose1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
 * output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros')`.
 *
 * @example
 * ```ts
 * const up = new nn.ConvTranspose1d(8, 4, 4, { stride: 2, padding: 1 });
 * ```
 */
export class ConvTranspose1d extends ConvNd {
  static override readonly signature = convTransposeSignature('ConvTranspose1d', 1);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvTransposeOptions) {
    super(ConvTranspose1d.signature, 1, true, [inChannels, outChannels, kernelSize], options);
  }
}

/**
 * 2-D transposed convolution. Weight `[in, out/groups, kH, kW]`.
 *
 * PyTorch equivalent: `torch.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, ...)`.
 *
 * @example
 * ```ts
 * const up = new nn.ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1, outputPadding: 1 });
 * ```
 */
export class ConvTranspose2d extends ConvNd {
  static override readonly signature = convTransposeSignature('ConvTranspose2d', 2);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvTransposeOptions) {
    super(ConvTranspose2d.signature, 2, true, [inChannels, outChannels, kernelSize], options);
  }
}

/**
 * 3-D transposed convolution. Weight `[in, out/groups, kD, kH, kW]`.
 *
 * PyTorch equivalent: `torch.nn.ConvTranspose3d(in_channels, out_channels, kernel_size, ...)`.
 *
 * @example
 * ```ts
 * const up = new nn.ConvTranspose3d(4, 2, 2, { stride: 2 });
 * ```
 */
export class ConvTranspose3d extends ConvNd {
  static override readonly signature = convTransposeSignature('ConvTranspose3d', 3);
  constructor(inChannels: number, outChannels: number, kernelSize: number | readonly number[], options?: ConvTransposeOptions) {
    super(ConvTranspose3d.signature, 3, true, [inChannels, outChannels, kernelSize], options);
  }
}
