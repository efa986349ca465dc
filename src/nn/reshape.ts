/**
 * Shape layers: Flatten, Unflatten, Upsample (+ UpsamplingNearest2d / UpsamplingBilinear2d), PixelShuffle,
 * PixelUnshuffle, ChannelShuffle, Fold, Unfold, and the distance layers PairwiseDistance, CosineSimilarity.
 * No state.
 */
import { fail } from '../errors.js';
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, FLOAT, INT, POSINT, type Signature, arg, choice, size } from './signature.js';
import { Stateless } from './stateless.js';

type Size = number | readonly number[];

/** PyTorch: `torch.nn.Flatten(start_dim=1, end_dim=-1)`. @example `new nn.Flatten()` */
export class Flatten extends Stateless {
  static override readonly signature: Signature = { type: 'Flatten', factory: false, params: [arg('start_dim', INT, 1), arg('end_dim', INT, -1)] };
  constructor(options?: { startDim?: number; endDim?: number }) {
    super(Flatten.signature, [], options);
  }
  override extraRepr(): string {
    return `start_dim=${this.arg<number>('start_dim')}, end_dim=${this.arg<number>('end_dim')}`;
  }
}

/** PyTorch: `torch.nn.Unflatten(dim, unflattened_size)` (integer dims). @example `new nn.Unflatten(1, [2, 5])` */
export class Unflatten extends Stateless {
  static override readonly signature: Signature = {
    type: 'Unflatten',
    factory: false,
    params: [arg('dim', INT), arg('unflattened_size', { t: 'size', min: -1 })],
  };
  constructor(dim: number, unflattenedSize: readonly number[]) {
    super(Unflatten.signature, [dim, unflattenedSize], undefined);
    if (!Array.isArray(this.arg('unflattened_size'))) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: 'Unflatten',
        param: 'unflattenedSize',
        expected: 'unflattenedSize to be an array of integers (PyTorch requires a tuple or list)',
        received: unflattenedSize,
      });
    }
  }
  override extraRepr(): string {
    return `dim=${this.arg<number>('dim')}, unflattened_size=${pyStr(this.arg('unflattened_size'))}`;
  }
}

export const UPSAMPLE_MODES = ['nearest', 'linear', 'bilinear', 'bicubic', 'trilinear', 'area', 'nearest-exact'] as const;

function upsampleSig(type: string, full: boolean): Signature {
  const params = [arg('size', size(undefined, 0), null, { nullable: true }), arg('scale_factor', { t: 'floats' }, null, { nullable: true })];
  if (full) {
    params.push(
      arg('mode', choice(...UPSAMPLE_MODES), 'nearest'),
      arg('align_corners', BOOL, null, { nullable: true }),
      arg('recompute_scale_factor', BOOL, null, { nullable: true }),
    );
  }
  return { type, factory: false, params };
}

/** Upsample's repr: the scale factor (as Python floats) or the size, then the mode. */
abstract class UpsampleBase extends Stateless {
  protected abstract readonly fixedMode: string | null;
  get mode(): string {
    return this.fixedMode ?? this.arg<string>('mode');
  }
  /** `float(scale_factor) if scale_factor else None` (a tuple is converted element-wise). */
  get scaleFactor(): number | readonly number[] | null {
    const s = this.arg<number | readonly number[] | null>('scale_factor');
    if (Array.isArray(s)) return s;
    return s === null || s === 0 ? null : s;
  }
  override extraRepr(): string {
    const sf = this.scaleFactor;
    const info = sf !== null ? `scale_factor=${Array.isArray(sf) ? pyStr(sf, true) : pyFloat(sf as number)}` : `size=${pyStr(this.arg('size'))}`;
    return `${info}, mode=${this.mode}`;
  }
}

/** PyTorch: `torch.nn.Upsample(size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None)`. @example `new nn.Upsample({ scaleFactor: 2, mode: 'bilinear' })` */
export class Upsample extends UpsampleBase {
  static override readonly signature = upsampleSig('Upsample', true);
  protected readonly fixedMode = null;
  constructor(options?: {
    size?: Size | null;
    scaleFactor?: number | readonly number[] | null;
    mode?: (typeof UPSAMPLE_MODES)[number];
    alignCorners?: boolean | null;
    recomputeScaleFactor?: boolean | null;
  }) {
    super(Upsample.signature, [], options);
  }
}

/** PyTorch: `torch.nn.UpsamplingNearest2d(size=None, scale_factor=None)`. @example `new nn.UpsamplingNearest2d({ scaleFactor: 2 })` */
export class UpsamplingNearest2d extends UpsampleBase {
  static override readonly signature = upsampleSig('UpsamplingNearest2d', false);
  protected readonly fixedMode = 'nearest';
  constructor(options?: { size?: Size | null; scaleFactor?: number | readonly number[] | null }) {
    super(UpsamplingNearest2d.signature, [], options);
  }
}

/** PyTorch: `torch.nn.UpsamplingBilinear2d(size=None, scale_factor=None)`. @example `new nn.UpsamplingBilinear2d({ scaleFactor: 2 })` */
export class UpsamplingBilinear2d extends UpsampleBase {
  static override readonly signature = upsampleSig('UpsamplingBilinear2d', false);
  protected readonly fixedMode = 'bilinear';
  constructor(options?: { size?: Size | null; scaleFactor?: number | readonly number[] | null }) {
    super(UpsamplingBilinear2d.signature, [], options);
  }
}

/** PyTorch: `torch.nn.PixelShuffle(upscale_factor)`. @example `new nn.PixelShuffle(2)` */
export class PixelShuffle extends Stateless {
  static override readonly signature: Signature = { type: 'PixelShuffle', factory: false, params: [arg('upscale_factor', POSINT)] };
  constructor(upscaleFactor: number) {
    super(PixelShuffle.signature, [upscaleFactor], undefined);
  }
  override extraRepr(): string {
    return `upscale_factor=${this.arg<number>('upscale_factor')}`;
  }
}

/** PyTorch: `torch.nn.PixelUnshuffle(downscale_factor)`. @example `new nn.PixelUnshuffle(2)` */
export class PixelUnshuffle extends Stateless {
  static override readonly signature: Signature = { type: 'PixelUnshuffle', factory: false, params: [arg('downscale_factor', POSINT)] };
  constructor(downscaleFactor: number) {
    super(PixelUnshuffle.signature, [downscaleFactor], undefined);
  }
  override extraRepr(): string {
    return `downscale_factor=${this.arg<number>('downscale_factor')}`;
  }
}

/** PyTorch: `torch.nn.ChannelShuffle(groups)`. @example `new nn.ChannelShuffle(4)` */
export class ChannelShuffle extends Stateless {
  static override readonly signature: Signature = { type: 'ChannelShuffle', factory: false, params: [arg('groups', POSINT)] };
  constructor(groups: number) {
    super(ChannelShuffle.signature, [groups], undefined);
  }
  override extraRepr(): string {
    return `groups=${this.arg<number>('groups')}`;
  }
}

/** PyTorch: `torch.nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)`. @example `new nn.Fold([4, 5], [2, 2])` */
export class Fold extends Stateless {
  static override readonly signature: Signature = {
    type: 'Fold',
    factory: false,
    params: [arg('output_size', size(2, 1)), arg('kernel_size', size(2, 1)), arg('dilation', size(2, 1), 1), arg('padding', size(2), 0), arg('stride', size(2, 1), 1)],
  };
  constructor(outputSize: Size, kernelSize: Size, options?: { dilation?: Size; padding?: Size; stride?: Size }) {
    super(Fold.signature, [outputSize, kernelSize], options);
  }
  override extraRepr(): string {
    const a = (n: string): string => pyStr(this.arg(n));
    return `output_size=${a('output_size')}, kernel_size=${a('kernel_size')}, dilation=${a('dilation')}, padding=${a('padding')}, stride=${a('stride')}`;
  }
}

/** PyTorch: `torch.nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)`. @example `new nn.Unfold([2, 3])` */
export class Unfold extends Stateless {
  static override readonly signature: Signature = {
    type: 'Unfold',
    factory: false,
    params: [arg('kernel_size', size(2, 1)), arg('dilation', size(2, 1), 1), arg('padding', size(2), 0), arg('stride', size(2, 1), 1)],
  };
  constructor(kernelSize: Size, options?: { dilation?: Size; padding?: Size; stride?: Size }) {
    super(Unfold.signature, [kernelSize], options);
  }
  override extraRepr(): string {
    const a = (n: string): string => pyStr(this.arg(n));
    return `kernel_size=${a('kernel_size')}, dilation=${a('dilation')}, padding=${a('padding')}, stride=${a('stride')}`;
  }
}

/** PyTorch: `torch.nn.PairwiseDistance(p=2.0, eps=1e-06, keepdim=False)`. @example `new nn.PairwiseDistance()` */
export class PairwiseDistance extends Stateless {
  static override readonly signature: Signature = {
    type: 'PairwiseDistance',
    factory: false,
    params: [arg('p', FLOAT, 2.0), arg('eps', FLOAT, 1e-6), arg('keepdim', BOOL, false)],
  };
  constructor(options?: { p?: number; eps?: number; keepdim?: boolean }) {
    super(PairwiseDistance.signature, [], options);
  }
}

/** PyTorch: `torch.nn.CosineSimilarity(dim=1, eps=1e-08)`. @example `new nn.CosineSimilarity({ dim: 0 })` */
export class CosineSimilarity extends Stateless {
  static override readonly signature: Signature = { type: 'CosineSimilarity', factory: false, params: [arg('dim', INT, 1), arg('eps', FLOAT, 1e-8)] };
  constructor(options?: { dim?: number; eps?: number }) {
    super(CosineSimilarity.signature, [], options);
  }
}
