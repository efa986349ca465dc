/**
 * Normalization layers: BatchNorm1d/2d/3d and InstanceNorm1d/2d/3d (`_NormBase`), LayerNorm, GroupNorm, RMSNorm,
 * LocalResponseNorm, CrossMapLRN2d. None of them draws random numbers: affine weights start at 1, biases at 0,
 * running means at 0, running variances at 1, and `num_batches_tracked` is an int64 scalar 0.
 */
import { ones_, zeros_ } from '../init/constant.js';
import { emptyParam, emptyTensor, resolveFactory } from './factory.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import type { Tensor } from '../tensor/tensor.js';
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, FLOAT, type FactoryOptions, NONNEG, POSINT, type Signature, arg, bindOptions, checkMultipleOf } from './signature.js';

export interface NormOptions extends FactoryOptions {
  /** Added to the variance for stability (default 1e-5). */
  eps?: number;
  /** Running-average momentum (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (BatchNorm default true, InstanceNorm default false). */
  affine?: boolean;
  /** Keep running statistics as buffers (BatchNorm default true, InstanceNorm default false). */
  trackRunningStats?: boolean;
}

/** A read-only camelCase alias of a registered buffer (not itself registered: the state dict keeps PyTorch's name). */
function defineBufferAlias(m: Module, alias: string, name: string): void {
  Object.defineProperty(m, alias, {
    get(this: Module) {
      return this._buffers.get(name) ?? null;
    },
    enumerable: false,
    configurable: true,
  });
}

function normSignature(type: string, instance: boolean): Signature {
  return {
    type,
    factory: true,
    params: [
      arg('num_features', NONNEG),
      arg('eps', FLOAT, 1e-5),
      arg('momentum', FLOAT, 0.1, { nullable: true }),
      arg('affine', BOOL, !instance),
      arg('track_running_stats', BOOL, !instance),
      ...FACTORY_ARGS,
    ],
  };
}

/**
 * PyTorch's `_NormBase`: optional affine `weight`/`bias` (ones/zeros) and, when tracking, the buffers
 * `running_mean` (zeros), `running_var` (ones) and `num_batches_tracked` (int64 0), in that order.
 */
export abstract class NormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  protected constructor(sig: Signature, numFeatures: number, options: unknown) {
    super();
    const { cfg, generator } = bindOptions(sig, [numFeatures], options);
    this._config = cfg;
    this.numFeatures = cfg['num_features'] as number;
    this.eps = cfg['eps'] as number;
    this.momentum = cfg['momentum'] as number | null;
    this.affine = cfg['affine'] as boolean;
    this.trackRunningStats = cfg['track_running_stats'] as boolean;
    const f = resolveFactory(cfg, generator);
    const n = this.numFeatures;
    this.registerParameter('weight', this.affine ? emptyParam(f, [n]) : null);
    this.registerParameter('bias', this.affine ? emptyParam(f, [n]) : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? emptyTensor(f, [n]) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? emptyTensor(f, [n]).fill_(1) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? emptyTensor(f, [], 'int64') : null);
    // camelCase aliases of the buffers for TypeScript users (not registered: the state dict keeps PyTorch's names).
    defineBufferAlias(this, 'runningMean', 'running_mean');
    defineBufferAlias(this, 'runningVar', 'running_var');
    defineBufferAlias(this, 'numBatchesTracked', 'num_batches_tracked');
    this.resetParameters();
  }

  /** PyTorch's `reset_running_stats()`: running_mean 0, running_var 1, num_batches_tracked 0. */
  resetRunningStats(): this {
    this._buffers.get('running_mean')?.zero_();
    this._buffers.get('running_var')?.fill_(1);
    this._buffers.get('num_batches_tracked')?.zero_();
    return this;
  }

  /** Running statistics reset; weight 1, bias 0. No random draws. */
  override resetParameters(_options: ResetOptions = {}): this {
    this.resetRunningStats();
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
    return this;
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyStr(this.affine)}, track_running_stats=${pyStr(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalization over a 2-D or 3-D input (Ioffe & Szegedy 2015, "Batch Normalization",
 * https://arxiv.org/abs/1502.03167). Weight 1, bias 0, running_mean 0, running_var 1, num_batches_tracked 0 (int64).
 *
 * PyTorch equivalent: `torch.nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True,
 * track_running_stats=True)`.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm1d(64);
 * [...bn.stateDict().keys()]; // weight, bias, running_mean, running_var, num_batches_tracked
 * ```
 */
export class BatchNorm1d extends NormBase {
  static override readonly signature = normSignature('BatchNorm1d', false);
  constructor(numFeatures: number, options?: NormOptions) {
    super(BatchNorm1d.signature, numFeatures, options);
  }
}

/**
 * Batch normalization over a 4-D input (N, C, H, W). Same state as {@link BatchNorm1d}.
 *
 * PyTorch equivalent: `torch.nn.BatchNorm2d(num_features, ...)`.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(16, { momentum: null });
 * ```
 */
export class BatchNorm2d extends NormBase {
  static override readonly signature = normSignature('BatchNorm2d', false);
  constructor(numFeatures: number, options?: NormOptions) {
    super(BatchNorm2d.signature, numFeatures, options);
  }
}

/**
 * Batch normalization over a 5-D input. Same state as {@link BatchNorm1d}.
 *
 * PyTorch equivalent: `torch.nn.BatchNorm3d(num_features, ...)`.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm3d(8, { affine: false });
 * ```
 */
export class BatchNorm3d extends NormBase {
  static override readonly signature = normSignature('BatchNorm3d', false);
  constructor(numFeatures: number, options?: NormOptions) {
    super(BatchNorm3d.signature, numFeatures, options);
  }
}

/**
 * Instance normalization (Ulyanov et al. 2016, https://arxiv.org/abs/1607.08022); by default no affine parameters
 * and no running statistics, so no state at all.
 *
 * PyTorch equivalent: `torch.nn.InstanceNorm1d(num_features, eps=1e-05, momentum=0.1, affine=False,
 * track_running_stats=False)`.
 *
 * @example
 * ```ts
 * const inorm = new nn.InstanceNorm1d(8, { affine: true });
 * ```
 */
export class InstanceNorm1d extends NormBase {
  static override readonly signature = normSignature('InstanceNorm1d', true);
  constructor(numFeatures: number, options?: NormOptions) {
    super(InstanceNorm1d.signature, numFeatures, options);
  }
}

/**
 * Instance normalization over a 4-D input. See {@link InstanceNorm1d}.
 *
 * PyTorch equivalent: `torch.nn.InstanceNorm2d(num_features, ...)`.
 *
 * @example
 * ```ts
 * const inorm = new nn.InstanceNorm2d(3);
 * ```
 */
export class InstanceNorm2d extends NormBase {
  static override readonly signature = normSignature('InstanceNorm2d', true);
  constructor(numFeatures: number, options?: NormOptions) {
    super(InstanceNorm2d.signature, numFeatures, options);
  }
}

/**
 * Instance normalization over a 5-D input. See {@link InstanceNorm1d}.
 *
 * PyTorch equivalent: `torch.nn.InstanceNorm3d(num_features, ...)`.
 *
 * @example
 * ```ts
 * const inorm = new nn.InstanceNorm3d(4, { trackRunningStats: true });
 * ```
 */
export class InstanceNorm3d extends NormBase {
  static override readonly signature = normSignature('InstanceNorm3d', true);
  constructor(numFeatures: number, options?: NormOptions) {
    super(InstanceNorm3d.signature, numFeatures, options);
  }
}

function shapeTuple(v: unknown): readonly number[] {
  return typeof v === 'number' ? Object.freeze([v]) : (v as readonly number[]);
}

export interface LayerNormOptions extends FactoryOptions {
  /** Default 1e-5. */
  eps?: number;
  /** Learn weight (ones) and bias (zeros) of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** Learn the bias too (default true; PyTorch 2.1+, accepted here for any version). */
  bias?: boolean;
}

/**
 * Layer normalization (Ba et al. 2016, https://arxiv.org/abs/1607.06450) over the trailing `normalizedShape`.
 * Weight 1, bias 0, no draws.
 *
 * PyTorch equivalent: `torch.nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)`
 * (`bias` is 2.1+).
 *
 * @example
 * ```ts
 * const ln = new nn.LayerNorm(768);
 * const ln2 = new nn.LayerNorm([4, 8], { bias: false });
 * ```
 */
export class LayerNorm extends Module {
  static override readonly signature: Signature = {
    type: 'LayerNorm',
    factory: true,
    // 1.13: (normalized_shape, eps, elementwise_affine, device, dtype); 2.1+ inserts bias before device.
    maxPositional: 3,
    params: [
      arg('normalized_shape', { t: 'shape' }),
      arg('eps', FLOAT, 1e-5),
      arg('elementwise_affine', BOOL, true),
      arg('bias', BOOL, true, { since: '2.1' }),
      ...FACTORY_ARGS,
    ],
  };
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options?: LayerNormOptions) {
    super();
    const { cfg, generator } = bindOptions(LayerNorm.signature, [normalizedShape], options);
    this._config = cfg;
    this.normalizedShape = shapeTuple(cfg['normalized_shape']);
    this.eps = cfg['eps'] as number;
    this.elementwiseAffine = cfg['elementwise_affine'] as boolean;
    const f = resolveFactory(cfg, generator);
    this.registerParameter('weight', this.elementwiseAffine ? emptyParam(f, this.normalizedShape) : null);
    this.registerParameter('bias', this.elementwiseAffine && cfg['bias'] ? emptyParam(f, this.normalizedShape) : null);
    this.resetParameters();
  }

  /** weight 1, bias 0. */
  override resetParameters(_options: ResetOptions = {}): this {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
    return this;
  }

  override extraRepr(): string {
    return `${pyStr(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyStr(this.elementwiseAffine)}`;
  }
}

export interface GroupNormOptions extends FactoryOptions {
  eps?: number;
  /** Learn per-channel weight (ones) and bias (zeros) (default true). */
  affine?: boolean;
}

/**
 * Group normalization (Wu & He 2018, https://arxiv.org/abs/1803.08494). Weight 1, bias 0, no draws.
 *
 * PyTorch equivalent: `torch.nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True)`.
 *
 * @example
 * ```ts
 * const gn = new nn.GroupNorm(4, 32);
 * ```
 */
export class GroupNorm extends Module {
  static override readonly signature: Signature = {
    type: 'GroupNorm',
    factory: true,
    params: [arg('num_groups', POSINT), arg('num_channels', NONNEG), arg('eps', FLOAT, 1e-5), arg('affine', BOOL, true), ...FACTORY_ARGS],
  };
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  declare weight: Parameter | null;
  declare bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options?: GroupNormOptions) {
    super();
    const { cfg, generator } = bindOptions(GroupNorm.signature, [numGroups, numChannels], options);
    this._config = cfg;
    this.numGroups = cfg['num_groups'] as number;
    this.numChannels = cfg['num_channels'] as number;
    checkMultipleOf('GroupNorm', 'numChannels', this.numChannels, 'numGroups', this.numGroups);
    this.eps = cfg['eps'] as number;
    this.affine = cfg['affine'] as boolean;
    const f = resolveFactory(cfg, generator);
    this.registerParameter('weight', this.affine ? emptyParam(f, [this.numChannels]) : null);
    this.registerParameter('bias', this.affine ? emptyParam(f, [this.numChannels]) : null);
    this.resetParameters();
  }

  /** weight 1, bias 0. */
  override resetParameters(_options: ResetOptions = {}): this {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
    return this;
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyStr(this.affine)}`;
  }
}

export interface RMSNormOptions extends FactoryOptions {
  /** Default null (PyTorch then uses the dtype's machine epsilon at forward time). */
  eps?: number | null;
  /** Learn a weight (ones) of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Root-mean-square layer normalization (Zhang & Sennrich 2019, https://arxiv.org/abs/1910.07467): a weight of
 * ones, no bias, no draws. Added in PyTorch 2.4 (implemented from its source; `scripts/spec_to_torch.py` shims it
 * on older PyTorch).
 *
 * PyTorch equivalent: `torch.nn.RMSNorm(normalized_shape, eps=None, elementwise_affine=True)`.
 *
 * @example
 * ```ts
 * const norm = new nn.RMSNorm(4096, { eps: 1e-6 });
 * ```
 */
export class RMSNorm extends Module {
  static override readonly signature: Signature = {
    type: 'RMSNorm',
    factory: true,
    params: [
      arg('normalized_shape', { t: 'shape' }),
      arg('eps', FLOAT, null, { nullable: true }),
      arg('elementwise_affine', BOOL, true),
      ...FACTORY_ARGS,
    ],
  };
  readonly normalizedShape: readonly number[];
  readonly eps: number | null;
  readonly elementwiseAffine: boolean;
  declare weight: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options?: RMSNormOptions) {
    super();
    const { cfg, generator } = bindOptions(RMSNorm.signature, [normalizedShape], options);
    this._config = cfg;
    this.normalizedShape = shapeTuple(cfg['normalized_shape']);
    this.eps = cfg['eps'] as number | null;
    this.elementwiseAffine = cfg['elementwise_affine'] as boolean;
    const f = resolveFactory(cfg, generator);
    this.registerParameter('weight', this.elementwiseAffine ? emptyParam(f, this.normalizedShape) : null);
    this.resetParameters();
  }

  /** weight 1. */
  override resetParameters(_options: ResetOptions = {}): this {
    if (this.weight !== null) ones_(this.weight);
    return this;
  }

  override extraRepr(): string {
    return `${pyStr(this.normalizedShape)}, eps=${this.eps === null ? 'None' : pyFloat(this.eps)}, elementwise_affine=${pyStr(this.elementwiseAffine)}`;
  }
}

export interface LocalResponseNormOptions {
  alpha?: number;
  beta?: number;
  k?: number;
}

/**
 * Local response normalization (Krizhevsky et al. 2012). No state.
 *
 * PyTorch equivalent: `torch.nn.LocalResponseNorm(size, alpha=0.0001, beta=0.75, k=1.0)`.
 *
 * @example
 * ```ts
 * const lrn = new nn.LocalResponseNorm(5);
 * ```
 */
export class LocalResponseNorm extends Module {
  static override readonly signature: Signature = {
    type: 'LocalResponseNorm',
    factory: false,
    params: [arg('size', NONNEG), arg('alpha', FLOAT, 0.0001), arg('beta', FLOAT, 0.75), arg('k', FLOAT, 1.0)],
  };
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, options?: LocalResponseNormOptions) {
    super();
    const { cfg } = bindOptions(LocalResponseNorm.signature, [size], options);
    this._config = cfg;
    this.size = cfg['size'] as number;
    this.alpha = cfg['alpha'] as number;
    this.beta = cfg['beta'] as number;
    this.k = cfg['k'] as number;
  }

  override extraRepr(): string {
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${pyFloat(this.k)}`;
  }
}

/**
 * The legacy cross-map LRN. No state.
 *
 * PyTorch equivalent: `torch.nn.CrossMapLRN2d(size, alpha=0.0001, beta=0.75, k=1)`.
 *
 * @example
 * ```ts
 * const lrn = new nn.CrossMapLRN2d(3);
 * ```
 */
export class CrossMapLRN2d extends Module {
  static override readonly signature: Signature = {
    type: 'CrossMapLRN2d',
    factory: false,
    params: [arg('size', NONNEG), arg('alpha', FLOAT, 0.0001), arg('beta', FLOAT, 0.75), arg('k', { t: 'float', int: true }, 1)],
  };
  readonly size: number;
  readonly alpha: number;
  readonly beta: number;
  readonly k: number;

  constructor(size: number, options?: LocalResponseNormOptions) {
    super();
    const { cfg } = bindOptions(CrossMapLRN2d.signature, [size], options);
    this._config = cfg;
    this.size = cfg['size'] as number;
    this.alpha = cfg['alpha'] as number;
    this.beta = cfg['beta'] as number;
    this.k = cfg['k'] as number;
  }

  override extraRepr(): string {
    // PyTorch's default k is the int 1 (printed `k=1`); a given k is a float (scripts/spec_to_torch.py coerces).
    return `${this.size}, alpha=${pyFloat(this.alpha)}, beta=${pyFloat(this.beta)}, k=${this.k === 1 ? '1' : pyFloat(this.k)}`;
  }
}
