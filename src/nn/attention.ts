/**
 * MultiheadAttention (`torch/nn/modules/activation.py`), built in PyTorch's exact order (torch-cpu-rng.md §8):
 *
 * 1. `out_proj = NonDynamicallyQuantizableLinear(E, E, bias)` is constructed in `__init__`, so Linear's draws run
 *    first (weight, then bias);
 * 2. `_reset_parameters`: `xavier_uniform_(in_proj_weight[3E, E])` (fan_in = E, fan_out = 3E), or with
 *    kdim/vdim ≠ E `xavier_uniform_` of `q_proj_weight`, `k_proj_weight`, `v_proj_weight` in turn;
 * 3. `in_proj_bias` and `out_proj.bias` are set to 0 (the out_proj bias draws were consumed for nothing);
 * 4. with `add_bias_kv`, `xavier_normal_(bias_k[1, 1, E])` then `xavier_normal_(bias_v)` (std = 1/√E).
 */
import { constant_ } from '../init/constant.js';
import { xavierNormal_, xavierUniform_ } from '../init/xavier.js';
import { drawOptions, emptyParam, resolveFactory } from './factory.js';
import { NonDynamicallyQuantizableLinear } from './linear.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { BOOL, FACTORY_ARGS, type FactoryOptions, NONNEG, POSINT, type Signature, arg, bindOptions, checkMultipleOf } from './signature.js';

export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Attention dropout (stored only). Default 0. */
  dropout?: number;
  /** Learn `in_proj_bias` and `out_proj.bias` (zero-initialized). Default true. */
  bias?: boolean;
  /** Learn `bias_k` and `bias_v` of shape [1, 1, E] (xavier_normal_). Default false. */
  addBiasKv?: boolean;
  addZeroAttn?: boolean;
  /** Key feature size (default embedDim); ≠ embedDim gives separate q/k/v projection weights. */
  kdim?: number | null;
  /** Value feature size (default embedDim). */
  vdim?: number | null;
  batchFirst?: boolean;
}

/**
 * Multi-head attention (Vaswani et al. 2017, "Attention Is All You Need", https://arxiv.org/abs/1706.03762),
 * initialized as PyTorch does: xavier-uniform projections, zero biases, out_proj drawn first.
 *
 * PyTorch equivalent: `torch.nn.MultiheadAttention(embed_dim, num_heads, dropout=0.0, bias=True,
 * add_bias_kv=False, add_zero_attn=False, kdim=None, vdim=None, batch_first=False)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const mha = new nn.MultiheadAttention(64, 8, { kdim: 32, vdim: 32 });
 * mha.namedParameters().map(([n]) => n);
 * // ['q_proj_weight', 'k_proj_weight', 'v_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']
 * ```
 */
export class MultiheadAttention extends Module {
  static override readonly signature: Signature = {
    type: 'MultiheadAttention',
    factory: true,
    params: [
      arg('embed_dim', NONNEG),
      arg('num_heads', POSINT),
      arg('dropout', { t: 'float', min: 0, max: 1 }, 0.0),
      arg('bias', BOOL, true),
      arg('add_bias_kv', BOOL, false),
      arg('add_zero_attn', BOOL, false),
      arg('kdim', NONNEG, null, { nullable: true }),
      arg('vdim', NONNEG, null, { nullable: true }),
      arg('batch_first', BOOL, false),
      ...FACTORY_ARGS,
    ],
  };
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly addZeroAttn: boolean;
  /** kdim = vdim = embedDim: one packed `in_proj_weight`. */
  readonly qkvSameEmbedDim: boolean;
  /** `[3E, E]`, or null with kdim/vdim ≠ E. */
  declare in_proj_weight: Parameter | null;
  declare q_proj_weight: Parameter | null;
  declare k_proj_weight: Parameter | null;
  declare v_proj_weight: Parameter | null;
  declare in_proj_bias: Parameter | null;
  declare out_proj: NonDynamicallyQuantizableLinear;
  declare bias_k: Parameter | null;
  declare bias_v: Parameter | null;

  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions) {
    super();
    const { cfg, generator } = bindOptions(MultiheadAttention.signature, [embedDim, numHeads], options);
    this._config = cfg;
    const E = cfg['embed_dim'] as number;
    const heads = cfg['num_heads'] as number;
    this.embedDim = E;
    this.kdim = (cfg['kdim'] as number | null) ?? E;
    this.vdim = (cfg['vdim'] as number | null) ?? E;
    this.qkvSameEmbedDim = this.kdim === E && this.vdim === E;
    this.numHeads = heads;
    this.dropout = cfg['dropout'] as number;
    this.batchFirst = cfg['batch_first'] as boolean;
    this.headDim = Math.floor(E / heads);
    checkMultipleOf('MultiheadAttention', 'embedDim', E, 'numHeads', heads);
    const f = resolveFactory(cfg, generator);
    const bias = cfg['bias'] as boolean;
    if (!this.qkvSameEmbedDim) {
      this.registerParameter('q_proj_weight', emptyParam(f, [E, E]));
      this.registerParameter('k_proj_weight', emptyParam(f, [E, this.kdim]));
      this.registerParameter('v_proj_weight', emptyParam(f, [E, this.vdim]));
      this.registerParameter('in_proj_weight', null);
    } else {
      this.registerParameter('in_proj_weight', emptyParam(f, [3 * E, E]));
      this.registerParameter('q_proj_weight', null);
      this.registerParameter('k_proj_weight', null);
      this.registerParameter('v_proj_weight', null);
    }
    this.registerParameter('in_proj_bias', bias ? emptyParam(f, [3 * E]) : null);
    // Drawn now, before _reset_parameters: Linear's kaiming weight, then its bias.
    this.registerModule(
      'out_proj',
      new NonDynamicallyQuantizableLinear(E, E, { bias, device: f.device, dtype: f.dtype, generator: f.generator }),
    );
    if (cfg['add_bias_kv']) {
      this.registerParameter('bias_k', emptyParam(f, [1, 1, E]));
      this.registerParameter('bias_v', emptyParam(f, [1, 1, E]));
    } else {
      // PyTorch assigns plain None attributes here (not registered parameters).
      Object.defineProperty(this, 'bias_k', { value: null, writable: true, enumerable: true, configurable: true });
      Object.defineProperty(this, 'bias_v', { value: null, writable: true, enumerable: true, configurable: true });
    }
    this.addZeroAttn = cfg['add_zero_attn'] as boolean;
    this.resetParameters({ generator: f.generator });
  }

  /**
   * PyTorch's `_reset_parameters`: xavier_uniform_ on the input projection(s), zero biases, xavier_normal_ on
   * bias_k/bias_v. out_proj's weight is not redrawn (as in PyTorch).
   */
  override resetParameters(options: ResetOptions = {}): this {
    const g = drawOptions(options);
    if (this.qkvSameEmbedDim) {
      xavierUniform_(this.in_proj_weight!, g);
    } else {
      xavierUniform_(this.q_proj_weight!, g);
      xavierUniform_(this.k_proj_weight!, g);
      xavierUniform_(this.v_proj_weight!, g);
    }
    if (this.in_proj_bias !== null) {
      constant_(this.in_proj_bias, 0.0);
      constant_(this.out_proj.bias!, 0.0);
    }
    if (this.bias_k !== null) xavierNormal_(this.bias_k, g);
    if (this.bias_v !== null) xavierNormal_(this.bias_v, g);
    return this;
  }
}
