/**
 * Padding layers (`torch/nn/modules/padding.py`): no state; the padding is normalized to a tuple of 2, 4 or 6
 * (`_pair`, `_quadruple`, `_ntuple(6)`), as PyTorch stores it.
 */
import { pyFloat, pyStr } from './pyrepr.js';
import { FLOAT, type Signature, arg, ntuple, size } from './signature.js';
import { Stateless } from './stateless.js';

type Pad = number | readonly number[];

function padSig(type: string, n: number, withValue: boolean): Signature {
  const params = [arg('padding', size(n, -Infinity))];
  if (withValue) params.push(arg('value', FLOAT));
  return { type, factory: false, params };
}

/** Padding with a constant value (PyTorch's `_ConstantPadNd`). */
export abstract class ConstantPadNd extends Stateless {
  protected abstract readonly n: number;
  get padding(): readonly number[] {
    return ntuple(this.arg('padding'), this.n);
  }
  get value(): number {
    return this.arg<number | undefined>('value') ?? 0;
  }
  override extraRepr(): string {
    return `padding=${pyStr(this.padding)}, value=${pyFloat(this.value)}`;
  }
}

/** PyTorch: `torch.nn.ConstantPad1d(padding, value)`. @example `new nn.ConstantPad1d(2, 3.5)` */
export class ConstantPad1d extends ConstantPadNd {
  static override readonly signature = padSig('ConstantPad1d', 2, true);
  protected readonly n = 2;
  constructor(padding: Pad, value: number) {
    super(ConstantPad1d.signature, [padding, value], undefined);
  }
}

/** PyTorch: `torch.nn.ConstantPad2d(padding, value)`. @example `new nn.ConstantPad2d(1, 0.5)` */
export class ConstantPad2d extends ConstantPadNd {
  static override readonly signature = padSig('ConstantPad2d', 4, true);
  protected readonly n = 4;
  constructor(padding: Pad, value: number) {
    super(ConstantPad2d.signature, [padding, value], undefined);
  }
}

/** PyTorch: `torch.nn.ConstantPad3d(padding, value)`. @example `new nn.ConstantPad3d(1, 0)` */
export class ConstantPad3d extends ConstantPadNd {
  static override readonly signature = padSig('ConstantPad3d', 6, true);
  protected readonly n = 6;
  constructor(padding: Pad, value: number) {
    super(ConstantPad3d.signature, [padding, value], undefined);
  }
}

/** PyTorch: `torch.nn.ZeroPad2d(padding)` (ConstantPad2d with value 0, printed as its padding). @example `new nn.ZeroPad2d([1, 1, 2, 0])` */
export class ZeroPad2d extends ConstantPadNd {
  static override readonly signature = padSig('ZeroPad2d', 4, false);
  protected readonly n = 4;
  constructor(padding: Pad) {
    super(ZeroPad2d.signature, [padding], undefined);
  }
  override extraRepr(): string {
    return pyStr(this.padding);
  }
}

/** Reflection and replication padding: printed as the padding tuple. */
export abstract class TuplePadNd extends Stateless {
  protected abstract readonly n: number;
  get padding(): readonly number[] {
    return ntuple(this.arg('padding'), this.n);
  }
  override extraRepr(): string {
    return pyStr(this.padding);
  }
}

/** PyTorch: `torch.nn.ReflectionPad1d(padding)`. @example `new nn.ReflectionPad1d(2)` */
export class ReflectionPad1d extends TuplePadNd {
  static override readonly signature = padSig('ReflectionPad1d', 2, false);
  protected readonly n = 2;
  constructor(padding: Pad) {
    super(ReflectionPad1d.signature, [padding], undefined);
  }
}

/** PyTorch: `torch.nn.ReflectionPad2d(padding)`. @example `new nn.ReflectionPad2d(1)` */
export class ReflectionPad2d extends TuplePadNd {
  static override readonly signature = padSig('ReflectionPad2d', 4, false);
  protected readonly n = 4;
  constructor(padding: Pad) {
    super(ReflectionPad2d.signature, [padding], undefined);
  }
}

/** PyTorch: `torch.nn.ReflectionPad3d(padding)`. @example `new nn.ReflectionPad3d(1)` */
export class ReflectionPad3d extends TuplePadNd {
  static override readonly signature = padSig('ReflectionPad3d', 6, false);
  protected readonly n = 6;
  constructor(padding: Pad) {
    super(ReflectionPad3d.signature, [padding], undefined);
  }
}

/** PyTorch: `torch.nn.ReplicationPad1d(padding)`. @example `new nn.ReplicationPad1d(2)` */
export class ReplicationPad1d extends TuplePadNd {
  static override readonly signature = padSig('ReplicationPad1d', 2, false);
  protected readonly n = 2;
  constructor(padding: Pad) {
    super(ReplicationPad1d.signature, [padding], undefined);
  }
}

/** PyTorch: `torch.nn.ReplicationPad2d(padding)`. @example `new nn.ReplicationPad2d(1)` */
export class ReplicationPad2d extends TuplePadNd {
  static override readonly signature = padSig('ReplicationPad2d', 4, false);
  protected readonly n = 4;
  constructor(padding: Pad) {
    super(ReplicationPad2d.signature, [padding], undefined);
  }
}

/** PyTorch: `torch.nn.ReplicationPad3d(padding)`. @example `new nn.ReplicationPad3d(1)` */
export class ReplicationPad3d extends TuplePadNd {
  static override readonly signature = padSig('ReplicationPad3d', 6, false);
  protected readonly n = 6;
  constructor(padding: Pad) {
    super(ReplicationPad3d.signature, [padding], undefined);
  }
}
