/**
 * Pooling layers (`torch/nn/modules/pooling.py`): no state. Arguments are kept as given (an int stays an int,
 * a tuple a tuple), as PyTorch keeps them, except where PyTorch itself normalizes (`AvgPool1d`, `MaxUnpool*d`).
 */
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, FLOAT, type Signature, arg, ntuple, size } from './signature.js';
import { Stateless } from './stateless.js';

type Size = number | readonly number[];

export interface MaxPoolOptions {
  /** Default: kernelSize. */
  stride?: Size | null;
  padding?: Size;
  dilation?: Size;
  returnIndices?: boolean;
  ceilMode?: boolean;
}

function maxPoolSig(type: string, n: number): Signature {
  return {
    type,
    factory: false,
    params: [
      arg('kernel_size', size(n, 1)),
      arg('stride', size(n, 1), null, { nullable: true }),
      arg('padding', size(n), 0),
      arg('dilation', size(n, 1), 1),
      arg('return_indices', BOOL, false),
      arg('ceil_mode', BOOL, false),
    ],
  };
}

/** PyTorch's `_MaxPoolNd`. */
export abstract class MaxPoolNd extends Stateless {
  get kernelSize(): Size {
    return this.arg('kernel_size');
  }
  get stride(): Size {
    return this.arg<Size | null>('stride') ?? this.kernelSize;
  }
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.arg('padding'))}, dilation=${pyStr(this.arg('dilation'))}, ceil_mode=${pyStr(this.arg('ceil_mode'))}`;
  }
}

/** PyTorch: `torch.nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)`. @example `new nn.MaxPool1d(2)` */
export class MaxPool1d extends MaxPoolNd {
  static override readonly signature = maxPoolSig('MaxPool1d', 1);
  constructor(kernelSize: Size, options?: MaxPoolOptions) {
    super(MaxPool1d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)`. @example `new nn.MaxPool2d(2)` */
export class MaxPool2d extends MaxPoolNd {
  static override readonly signature = maxPoolSig('MaxPool2d', 2);
  constructor(kernelSize: Size, options?: MaxPoolOptions) {
    super(MaxPool2d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.MaxPool3d(kernel_size, ...)`. @example `new nn.MaxPool3d(2)` */
export class MaxPool3d extends MaxPoolNd {
  static override readonly signature = maxPoolSig('MaxPool3d', 3);
  constructor(kernelSize: Size, options?: MaxPoolOptions) {
    super(MaxPool3d.signature, [kernelSize], options);
  }
}

export interface AvgPoolOptions {
  stride?: Size | null;
  padding?: Size;
  ceilMode?: boolean;
  countIncludePad?: boolean;
  /** AvgPool2d/3d only. */
  divisorOverride?: number | null;
}

function avgPoolSig(type: string, n: number): Signature {
  const params = [
    arg('kernel_size', size(n, 1)),
    arg('stride', size(n, 1), null, { nullable: true }),
    arg('padding', size(n), 0),
    arg('ceil_mode', BOOL, false),
    arg('count_include_pad', BOOL, true),
  ];
  if (n > 1) params.push(arg('divisor_override', { t: 'int', min: 1 }, null, { nullable: true }));
  return { type, factory: false, params };
}

/** PyTorch's `_AvgPoolNd`. */
export abstract class AvgPoolNd extends Stateless {
  /** AvgPool1d stores `_single(...)` tuples; 2d/3d keep the arguments as given. */
  protected abstract readonly normalizeTo: number | null;
  get kernelSize(): Size {
    const k = this.arg<Size>('kernel_size');
    return this.normalizeTo === null ? k : ntuple(k, this.normalizeTo);
  }
  get stride(): Size {
    const s = this.arg<Size | null>('stride') ?? this.arg<Size>('kernel_size');
    return this.normalizeTo === null ? s : ntuple(s, this.normalizeTo);
  }
  get padding(): Size {
    const p = this.arg<Size>('padding');
    return this.normalizeTo === null ? p : ntuple(p, this.normalizeTo);
  }
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/** PyTorch: `torch.nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)`. @example `new nn.AvgPool1d(2)` */
export class AvgPool1d extends AvgPoolNd {
  static override readonly signature = avgPoolSig('AvgPool1d', 1);
  protected readonly normalizeTo = 1;
  constructor(kernelSize: Size, options?: Omit<AvgPoolOptions, 'divisorOverride'>) {
    super(AvgPool1d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)`. @example `new nn.AvgPool2d(2)` */
export class AvgPool2d extends AvgPoolNd {
  static override readonly signature = avgPoolSig('AvgPool2d', 2);
  protected readonly normalizeTo = null;
  constructor(kernelSize: Size, options?: AvgPoolOptions) {
    super(AvgPool2d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.AvgPool3d(kernel_size, ...)`. @example `new nn.AvgPool3d(2)` */
export class AvgPool3d extends AvgPoolNd {
  static override readonly signature = avgPoolSig('AvgPool3d', 3);
  protected readonly normalizeTo = null;
  constructor(kernelSize: Size, options?: AvgPoolOptions) {
    super(AvgPool3d.signature, [kernelSize], options);
  }
}

function unpoolSig(type: string, n: number): Signature {
  return {
    type,
    factory: false,
    params: [arg('kernel_size', size(n, 1)), arg('stride', size(n, 1), null, { nullable: true }), arg('padding', size(n), 0)],
  };
}

/** PyTorch's `_MaxUnpoolNd` (arguments normalized to tuples). */
export abstract class MaxUnpoolNd extends Stateless {
  protected abstract readonly n: number;
  override extraRepr(): string {
    const k = ntuple(this.arg('kernel_size'), this.n);
    const s = ntuple(this.arg<Size | null>('stride') ?? this.arg('kernel_size'), this.n);
    return `kernel_size=${pyStr(k)}, stride=${pyStr(s)}, padding=${pyStr(ntuple(this.arg('padding'), this.n))}`;
  }
}

/** PyTorch: `torch.nn.MaxUnpool1d(kernel_size, stride=None, padding=0)`. @example `new nn.MaxUnpool1d(2)` */
export class MaxUnpool1d extends MaxUnpoolNd {
  static override readonly signature = unpoolSig('MaxUnpool1d', 1);
  protected readonly n = 1;
  constructor(kernelSize: Size, options?: { stride?: Size | null; padding?: Size }) {
    super(MaxUnpool1d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.MaxUnpool2d(kernel_size, stride=None, padding=0)`. @example `new nn.MaxUnpool2d(2)` */
export class MaxUnpool2d extends MaxUnpoolNd {
  static override readonly signature = unpoolSig('MaxUnpool2d', 2);
  protected readonly n = 2;
  constructor(kernelSize: Size, options?: { stride?: Size | null; padding?: Size }) {
    super(MaxUnpool2d.signature, [kernelSize], options);
  }
}

/** PyTorch: `torch.nn.MaxUnpool3d(kernel_size, stride=None, padding=0)`. @example `new nn.MaxUnpool3d(2)` */
export class MaxUnpool3d extends MaxUnpoolNd {
  static override readonly signature = unpoolSig('MaxUnpool3d', 3);
  protected readonly n = 3;
  constructor(kernelSize: Size, options?: { stride?: Size | null; padding?: Size }) {
    super(MaxUnpool3d.signature, [kernelSize], options);
  }
}

type OutSize = number | readonly (number | null)[];

function adaptiveSig(type: string, n: number, max: boolean): Signature {
  const params = [arg('output_size', { t: 'size', n, min: 0, allowNull: n > 1 })];
  if (max) params.push(arg('return_indices', BOOL, false));
  return { type, factory: false, params };
}

/** PyTorch's `_AdaptiveAvgPoolNd` / `_AdaptiveMaxPoolNd`. */
export abstract class AdaptivePoolNd extends Stateless {
  get outputSize(): OutSize {
    return this.arg('output_size');
  }
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

/** PyTorch: `torch.nn.AdaptiveAvgPool1d(output_size)`. @example `new nn.AdaptiveAvgPool1d(1)` */
export class AdaptiveAvgPool1d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveAvgPool1d', 1, false);
  constructor(outputSize: OutSize) {
    super(AdaptiveAvgPool1d.signature, [outputSize], undefined);
  }
}

/** PyTorch: `torch.nn.AdaptiveAvgPool2d(output_size)` (a null entry keeps that input size). @example `new nn.AdaptiveAvgPool2d([1, 1])` */
export class AdaptiveAvgPool2d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveAvgPool2d', 2, false);
  constructor(outputSize: OutSize) {
    super(AdaptiveAvgPool2d.signature, [outputSize], undefined);
  }
}

/** PyTorch: `torch.nn.AdaptiveAvgPool3d(output_size)`. @example `new nn.AdaptiveAvgPool3d(1)` */
export class AdaptiveAvgPool3d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveAvgPool3d', 3, false);
  constructor(outputSize: OutSize) {
    super(AdaptiveAvgPool3d.signature, [outputSize], undefined);
  }
}

/** PyTorch: `torch.nn.AdaptiveMaxPool1d(output_size, return_indices=False)`. @example `new nn.AdaptiveMaxPool1d(4)` */
export class AdaptiveMaxPool1d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveMaxPool1d', 1, true);
  constructor(outputSize: OutSize, options?: { returnIndices?: boolean }) {
    super(AdaptiveMaxPool1d.signature, [outputSize], options);
  }
}

/** PyTorch: `torch.nn.AdaptiveMaxPool2d(output_size, return_indices=False)`. @example `new nn.AdaptiveMaxPool2d(7)` */
export class AdaptiveMaxPool2d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveMaxPool2d', 2, true);
  constructor(outputSize: OutSize, options?: { returnIndices?: boolean }) {
    super(AdaptiveMaxPool2d.signature, [outputSize], options);
  }
}

/** PyTorch: `torch.nn.AdaptiveMaxPool3d(output_size, return_indices=False)`. @example `new nn.AdaptiveMaxPool3d(2)` */
export class AdaptiveMaxPool3d extends AdaptivePoolNd {
  static override readonly signature = adaptiveSig('AdaptiveMaxPool3d', 3, true);
  constructor(outputSize: OutSize, options?: { returnIndices?: boolean }) {
    super(AdaptiveMaxPool3d.signature, [outputSize], options);
  }
}

function lpSig(type: string, n: number): Signature {
  return {
    type,
    factory: false,
    params: [arg('norm_type', FLOAT), arg('kernel_size', size(n, 1)), arg('stride', size(n, 1), null, { nullable: true }), arg('ceil_mode', BOOL, false)],
  };
}

/** PyTorch's `_LPPoolNd` (stride printed as given, None included). */
export abstract class LPPoolNd extends Stateless {
  override extraRepr(): string {
    return `norm_type=${pyFloat(this.arg('norm_type'))}, kernel_size=${pyStr(this.arg('kernel_size'))}, stride=${pyStr(this.arg('stride'))}, ceil_mode=${pyStr(this.arg('ceil_mode'))}`;
  }
}

/** PyTorch: `torch.nn.LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False)`. @example `new nn.LPPool1d(2, 3)` */
export class LPPool1d extends LPPoolNd {
  static override readonly signature = lpSig('LPPool1d', 1);
  constructor(normType: number, kernelSize: Size, options?: { stride?: Size | null; ceilMode?: boolean }) {
    super(LPPool1d.signature, [normType, kernelSize], options);
  }
}

/** PyTorch: `torch.nn.LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False)`. @example `new nn.LPPool2d(2, 3)` */
export class LPPool2d extends LPPoolNd {
  static override readonly signature = lpSig('LPPool2d', 2);
  constructor(normType: number, kernelSize: Size, options?: { stride?: Size | null; ceilMode?: boolean }) {
    super(LPPool2d.signature, [normType, kernelSize], options);
  }
}

