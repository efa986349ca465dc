/**
 * Embedding and EmbeddingBag: `torch/nn/modules/sparse.py`. Both initialize `weight ~ N(0, 1)` with `normal_`
 * (PyTorch's vectorized 16-block Box–Muller path when num·dim >= 16, the per-element path otherwise), then zero the
 * `padding_idx` row; the row's draws are still consumed.
 */
import { fail } from '../errors.js';
import { normal_ } from '../init/normal.js';
import type { RandomEngine } from '../rng/engine.js';
import { drawOptions, emptyParam, resolveFactory } from './factory.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, FLOAT, type FactoryOptions, INT, NONNEG, type Signature, arg, bindOptions, choice } from './signature.js';

export interface EmbeddingOptions extends FactoryOptions {
  /** A row kept at zero (and out of the gradient); negative counts from the end. Default none. */
  paddingIdx?: number | null;
  /** Renormalize looked-up rows to this norm at forward time (stored only). */
  maxNorm?: number | null;
  /** The p of the max_norm norm (default 2). */
  normType?: number;
  scaleGradByFreq?: boolean;
  sparse?: boolean;
}

function checkPaddingIdx(type: string, v: unknown, num: number): number | null {
  if (v === null) return null;
  const idx = v as number;
  if (idx < -num || idx >= num) {
    fail({
      code: 'INVALID_ARGUMENT',
      where: type,
      param: 'paddingIdx',
      expected: `paddingIdx to be an integer in [${-num}, ${num}) for numEmbeddings=${num}`,
      received: idx,
    });
  }
  return idx < 0 ? num + idx : idx;
}

/**
 * What Embedding and EmbeddingBag share (`sparse.py`): the table's arguments, a `[numEmbeddings, embeddingDim]`
 * weight and its initialization.
 */
export abstract class EmbeddingBase extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** Normalized to a non-negative index (PyTorch stores `num + idx` for negatives). */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  readonly sparse: boolean;
  /** `[numEmbeddings, embeddingDim]` */
  declare weight: Parameter;

  /** Stores the bound `cfg`, reads the shared arguments, then builds and draws the weight. */
  protected constructor(type: string, cfg: Record<string, unknown>, generator: RandomEngine | undefined) {
    super();
    this._config = cfg;
    this.numEmbeddings = cfg['num_embeddings'] as number;
    this.embeddingDim = cfg['embedding_dim'] as number;
    this.paddingIdx = checkPaddingIdx(type, cfg['padding_idx'], this.numEmbeddings);
    this.maxNorm = cfg['max_norm'] as number | null;
    this.normType = cfg['norm_type'] as number;
    this.scaleGradByFreq = cfg['scale_grad_by_freq'] as boolean;
    this.sparse = cfg['sparse'] as boolean;
    const f = resolveFactory(cfg, generator);
    this.registerParameter('weight', emptyParam(f, [this.numEmbeddings, this.embeddingDim]));
    this.resetParameters({ generator: f.generator });
  }

  /** `normal_(weight)`, then the padding row filled with 0. */
  override resetParameters(options: ResetOptions = {}): this {
    normal_(this.weight, 0, 1, drawOptions(options));
    if (this.paddingIdx !== null) this.weight.select(0, this.paddingIdx).fill_(0);
    return this;
  }
}

function embeddingRepr(m: Embedding | EmbeddingBag, bag: boolean): string {
  let s = `${m.numEmbeddings}, ${m.embeddingDim}`;
  if (!bag && m.paddingIdx !== null) s += `, padding_idx=${m.paddingIdx}`;
  if (m.maxNorm !== null) s += `, max_norm=${pyFloat(m.maxNorm)}`;
  if (m.normType !== 2) s += `, norm_type=${pyFloat(m.normType)}`;
  if (m.scaleGradByFreq) s += `, scale_grad_by_freq=${pyStr(m.scaleGradByFreq)}`;
  if (!bag && m.sparse) s += ', sparse=True';
  if (bag) {
    s += `, mode=${(m as EmbeddingBag).mode}`;
    if (m.paddingIdx !== null) s += `, padding_idx=${m.paddingIdx}`;
  }
  return s;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`, initialized `N(0, 1)`, with the `paddingIdx`
 * row zeroed.
 *
 * PyTorch equivalent: `torch.nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
 * norm_type=2.0, scale_grad_by_freq=False, sparse=False)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const emb = new nn.Embedding(10, 3, { paddingIdx: -1 }); // row 9 is zero
 * ```
 */
export class Embedding extends EmbeddingBase {
  static override readonly signature: Signature = {
    type: 'Embedding',
    factory: true,
    maxPositional: 7,
    params: [
      arg('num_embeddings', NONNEG),
      arg('embedding_dim', NONNEG),
      arg('padding_idx', INT, null, { nullable: true }),
      arg('max_norm', FLOAT, null, { nullable: true }),
      arg('norm_type', FLOAT, 2.0),
      arg('scale_grad_by_freq', BOOL, false),
      arg('sparse', BOOL, false),
      ...FACTORY_ARGS,
    ],
  };

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingOptions) {
    const { cfg, generator } = bindOptions(Embedding.signature, [numEmbeddings, embeddingDim], options);
    super('Embedding', cfg, generator);
  }

  override extraRepr(): string {
    return embeddingRepr(this, false);
  }
}

export const EMBEDDING_BAG_MODES = ['sum', 'mean', 'max'] as const;

export interface EmbeddingBagOptions extends EmbeddingOptions {
  /** How bags are reduced: `'sum'`, `'mean'` (default) or `'max'`. */
  mode?: (typeof EMBEDDING_BAG_MODES)[number];
  includeLastOffset?: boolean;
}

/**
 * Sums or averages bags of embeddings; initialized like {@link Embedding}: `N(0, 1)`, padding row zeroed.
 *
 * PyTorch equivalent: `torch.nn.EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
 * scale_grad_by_freq=False, mode='mean', sparse=False, include_last_offset=False, padding_idx=None)`.
 *
 * @example
 * ```ts
 * const bag = new nn.EmbeddingBag(100, 8, { mode: 'sum' });
 * ```
 */
export class EmbeddingBag extends EmbeddingBase {
  static override readonly signature: Signature = {
    type: 'EmbeddingBag',
    factory: true,
    maxPositional: 7,
    params: [
      arg('num_embeddings', NONNEG),
      arg('embedding_dim', NONNEG),
      arg('max_norm', FLOAT, null, { nullable: true }),
      arg('norm_type', FLOAT, 2.0),
      arg('scale_grad_by_freq', BOOL, false),
      arg('mode', choice(...EMBEDDING_BAG_MODES), 'mean'),
      arg('sparse', BOOL, false),
      arg('include_last_offset', BOOL, false),
      arg('padding_idx', INT, null, { nullable: true }),
      ...FACTORY_ARGS,
    ],
  };
  readonly mode: string;
  readonly includeLastOffset: boolean;

  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingBagOptions) {
    const { cfg, generator } = bindOptions(EmbeddingBag.signature, [numEmbeddings, embeddingDim], options);
    super('EmbeddingBag', cfg, generator);
    this.mode = cfg['mode'] as string;
    this.includeLastOffset = cfg['include_last_offset'] as boolean;
  }

  override extraRepr(): string {
    return embeddingRepr(this, true);
  }
}
