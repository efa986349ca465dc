/**
 * Dropout layers (`torch/nn/modules/dropout.py`): no state; `p` must be in [0, 1].
 */
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, type Signature, arg } from './signature.js';
import { Stateless } from './stateless.js';

export interface DropoutOptions {
  /** Probability of zeroing an element (default 0.5). */
  p?: number;
  /** Stored only. Default false. */
  inplace?: boolean;
}

function dropoutSig(type: string): Signature {
  return { type, factory: false, params: [arg('p', { t: 'float', min: 0, max: 1 }, 0.5), arg('inplace', BOOL, false)] };
}

/** PyTorch's `_DropoutNd`. */
export abstract class DropoutNd extends Stateless {
  get p(): number {
    return this.arg('p');
  }
  get inplace(): boolean {
    return this.arg('inplace');
  }
  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=${pyStr(this.inplace)}`;
  }
}

/** PyTorch: `torch.nn.Dropout(p=0.5, inplace=False)`. @example `new nn.Dropout({ p: 0.1 })` */
export class Dropout extends DropoutNd {
  static override readonly signature = dropoutSig('Dropout');
  constructor(options?: DropoutOptions) {
    super(Dropout.signature, [], options);
  }
}

/** PyTorch: `torch.nn.Dropout1d(p=0.5, inplace=False)`. @example `new nn.Dropout1d()` */
export class Dropout1d extends DropoutNd {
  static override readonly signature = dropoutSig('Dropout1d');
  constructor(options?: DropoutOptions) {
    super(Dropout1d.signature, [], options);
  }
}

/** PyTorch: `torch.nn.Dropout2d(p=0.5, inplace=False)`. @example `new nn.Dropout2d({ p: 0.2 })` */
export class Dropout2d extends DropoutNd {
  static override readonly signature = dropoutSig('Dropout2d');
  constructor(options?: DropoutOptions) {
    super(Dropout2d.signature, [], options);
  }
}

/** PyTorch: `torch.nn.Dropout3d(p=0.5, inplace=False)`. @example `new nn.Dropout3d()` */
export class Dropout3d extends DropoutNd {
  static override readonly signature = dropoutSig('Dropout3d');
  constructor(options?: DropoutOptions) {
    super(Dropout3d.signature, [], options);
  }
}

/** PyTorch: `torch.nn.AlphaDropout(p=0.5, inplace=False)` (for SELU networks). @example `new nn.AlphaDropout({ p: 0.05 })` */
export class AlphaDropout extends DropoutNd {
  static override readonly signature = dropoutSig('AlphaDropout');
  constructor(options?: DropoutOptions) {
    super(AlphaDropout.signature, [], options);
  }
}

/** PyTorch: `torch.nn.FeatureAlphaDropout(p=0.5, inplace=False)`. @example `new nn.FeatureAlphaDropout()` */
export class FeatureAlphaDropout extends DropoutNd {
  static override readonly signature = dropoutSig('FeatureAlphaDropout');
  constructor(options?: DropoutOptions) {
    super(FeatureAlphaDropout.signature, [], options);
  }
}
