/**
 * Transformer layers (`torch/nn/modules/transformer.py`):
 *
 * - `TransformerEncoderLayer`: `self_attn` (MultiheadAttention), then `linear1` (d→ff), then `linear2` (ff→d) draw;
 *   the LayerNorms and Dropouts draw nothing.
 * - `TransformerDecoderLayer`: `self_attn`, `multihead_attn`, `linear1`, `linear2`.
 * - `TransformerEncoder` / `TransformerDecoder`: `copy.deepcopy` of the given layer N times: no draws, all N
 *   layers identical, plus the optional final `norm`.
 * - `Transformer`: builds encoder then decoder as above, then its own `xavier_uniform_` over every parameter with
 *   more than one dimension, in `parameters()` order (so the deep-copied layers end up different).
 */
import { fail } from '../errors.js';
import { xavierUniform_ } from '../init/xavier.js';
import { ModuleList } from './containers.js';
import { Dropout } from './dropout.js';
import { chargeBudget, currentDefaults, drawOptions, resolveFactory, withDefaults } from './factory.js';
import { Linear } from './linear.js';
import { Module, type ResetOptions } from './module.js';
import { LayerNorm } from './norm.js';
import { MultiheadAttention } from './attention.js';
import { BOOL, FACTORY_ARGS, FLOAT, type FactoryOptions, MODULE, NONNEG, POSINT, type Signature, arg, bindOptions, checkMultipleOf } from './signature.js';

/** `'relu'`, `'gelu'`, or an activation module (registered as the child `activation`). */
export type TransformerActivation = 'relu' | 'gelu' | Module;

export interface TransformerLayerOptions extends FactoryOptions {
  /** Feed-forward width (default 2048). */
  dimFeedforward?: number;
  /** Dropout probability (default 0.1). */
  dropout?: number;
  /** Default 'relu'. */
  activation?: TransformerActivation;
  /** LayerNorm eps (default 1e-5). */
  layerNormEps?: number;
  batchFirst?: boolean;
  /** Pre-norm (default false). */
  normFirst?: boolean;
  /** Biases in attention, linear and LayerNorm (default true; PyTorch 2.1+). */
  bias?: boolean;
}

function layerSignature(type: string): Signature {
  return {
    type,
    factory: true,
    // 2.1 inserted `bias` before device/dtype; positional use stops at norm_first.
    maxPositional: 8,
    params: [
      arg('d_model', NONNEG),
      arg('nhead', POSINT),
      arg('dim_feedforward', NONNEG, 2048),
      arg('dropout', { t: 'float', min: 0, max: 1 }, 0.1),
      arg('activation', { t: 'activation' }, 'relu'),
      arg('layer_norm_eps', FLOAT, 1e-5),
      arg('batch_first', BOOL, false),
      arg('norm_first', BOOL, false),
      arg('bias', BOOL, true, { since: '2.1' }),
      ...FACTORY_ARGS,
    ],
  };
}

function checkActivation(type: string, v: unknown): TransformerActivation {
  if (v === 'relu' || v === 'gelu' || v instanceof Module) return v;
  return fail({
    code: 'INVALID_ARGUMENT',
    where: type,
    param: 'activation',
    expected: "activation to be 'relu', 'gelu' or a module (PyTorch: \"activation should be relu/gelu\")",
    received: v,
  });
}

/**
 * The body of both transformer layers, in PyTorch's construction order (which fixes the draws and the state-dict
 * order): the attention blocks named in `attention`, `linear1`, `dropout`, `linear2`, then `norm1..normK` and
 * `dropout1..dropoutK` for K = `blocks`, and the activation when it is a module. Returns `norm_first`.
 */
function buildLayer(m: Module, sig: Signature, positional: unknown[], options: unknown, attention: readonly string[], blocks: number): boolean {
  const type = sig.type;
  const { cfg, generator } = bindOptions(sig, positional, options);
  m._config = cfg;
  const d = cfg['d_model'] as number;
  const heads = cfg['nhead'] as number;
  checkMultipleOf(type, 'dModel', d, 'nhead', heads);
  const activation = checkActivation(type, cfg['activation']);
  const f = resolveFactory(cfg, generator);
  const fk = { device: f.device, dtype: f.dtype, generator: f.generator };
  const ff = cfg['dim_feedforward'] as number;
  const p = cfg['dropout'] as number;
  const bias = cfg['bias'] as boolean;
  const eps = cfg['layer_norm_eps'] as number;
  const batchFirst = cfg['batch_first'] as boolean;
  for (const name of attention) m.registerModule(name, new MultiheadAttention(d, heads, { dropout: p, bias, batchFirst, ...fk }));
  m.registerModule('linear1', new Linear(d, ff, { bias, ...fk }));
  m.registerModule('dropout', new Dropout({ p }));
  m.registerModule('linear2', new Linear(ff, d, { bias, ...fk }));
  for (let i = 1; i <= blocks; i++) m.registerModule(`norm${i}`, new LayerNorm(d, { eps, bias, ...fk }));
  for (let i = 1; i <= blocks; i++) m.registerModule(`dropout${i}`, new Dropout({ p }));
  if (activation instanceof Module) m.registerModule('activation', activation);
  return cfg['norm_first'] as boolean;
}

/**
 * One encoder block: self-attention and a feed-forward network, each with a LayerNorm and dropout.
 *
 * PyTorch equivalent: `torch.nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=relu, layer_norm_eps=1e-05, batch_first=False, norm_first=False)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const layer = new nn.TransformerEncoderLayer(512, 8, { dimFeedforward: 2048 });
 * ```
 */
export class TransformerEncoderLayer extends Module {
  static override readonly signature = layerSignature('TransformerEncoderLayer');
  readonly normFirst: boolean;
  declare self_attn: MultiheadAttention;
  declare linear1: Linear;
  declare linear2: Linear;
  declare norm1: LayerNorm;
  declare norm2: LayerNorm;

  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions) {
    super();
    this.normFirst = buildLayer(this, TransformerEncoderLayer.signature, [dModel, nhead], options, ['self_attn'], 2);
  }
}

/**
 * One decoder block: self-attention, cross-attention and a feed-forward network.
 *
 * PyTorch equivalent: `torch.nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=2048, dropout=0.1,
 * activation=relu, layer_norm_eps=1e-05, batch_first=False, norm_first=False)`.
 *
 * @example
 * ```ts
 * const layer = new nn.TransformerDecoderLayer(256, 4);
 * ```
 */
export class TransformerDecoderLayer extends Module {
  static override readonly signature = layerSignature('TransformerDecoderLayer');
  readonly normFirst: boolean;
  declare self_attn: MultiheadAttention;
  declare multihead_attn: MultiheadAttention;
  declare linear1: Linear;
  declare linear2: Linear;

  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions) {
    super();
    this.normFirst = buildLayer(this, TransformerDecoderLayer.signature, [dModel, nhead], options, ['self_attn', 'multihead_attn'], 3);
  }
}

function checkLayer(type: string, param: string, v: unknown, want: string): Module {
  if (!(v instanceof Module)) {
    fail({ code: 'INVALID_ARGUMENT', where: type, param, expected: `${param} to be a module (a ${want})`, received: v });
  }
  return v;
}

/** `self.norm = norm`: registered when a module, a plain `None` attribute otherwise (absent from repr). */
function setNorm(m: Module, norm: Module | null): void {
  if (norm !== null) m.registerModule('norm', norm);
  else Object.defineProperty(m, 'norm', { value: null, writable: true, enumerable: true, configurable: true });
}

/**
 * The body of TransformerEncoder and TransformerDecoder: `layers`, `num_layers` deep copies of the `{kind}_layer`
 * argument, then the optional `norm`. Returns `num_layers`.
 */
function buildStack(m: Module, sig: Signature, positional: unknown[], options: unknown, kind: 'encoder' | 'decoder'): number {
  const type = sig.type;
  const { cfg } = bindOptions(sig, positional, options);
  m._config = cfg;
  const layerType = kind === 'encoder' ? 'TransformerEncoderLayer' : 'TransformerDecoderLayer';
  const layer = checkLayer(type, `${kind}Layer`, cfg[`${kind}_layer`], layerType);
  const norm = cfg['norm'] === null ? null : checkLayer(type, 'norm', cfg['norm'], 'LayerNorm');
  const numLayers = cfg['num_layers'] as number;
  m.registerModule('layers', cloneLayers(layer, numLayers));
  setNorm(m, norm);
  return numLayers;
}

export interface TransformerEncoderOptions {
  /** A final normalization module (PyTorch's `norm`), default none. */
  norm?: Module | null;
  enableNestedTensor?: boolean;
  maskCheck?: boolean;
}

/**
 * A stack of `numLayers` deep copies of `encoderLayer` (no random draws: every layer starts identical), then the
 * optional `norm`.
 *
 * PyTorch equivalent: `torch.nn.TransformerEncoder(encoder_layer, num_layers, norm=None,
 * enable_nested_tensor=True, mask_check=True)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const layer = new nn.TransformerEncoderLayer(768, 12, { dimFeedforward: 3072 });
 * const encoder = new nn.TransformerEncoder(layer, 12); // 12 identical copies; `layer` itself is not part of it
 * ```
 */
export class TransformerEncoder extends Module {
  static override readonly signature: Signature = {
    type: 'TransformerEncoder',
    factory: false,
    params: [
      arg('encoder_layer', MODULE),
      arg('num_layers', NONNEG),
      arg('norm', MODULE, null, { nullable: true }),
      arg('enable_nested_tensor', BOOL, true),
      arg('mask_check', BOOL, true),
    ],
  };
  readonly numLayers: number;
  declare layers: ModuleList;
  declare norm: Module | null;

  constructor(encoderLayer: Module, numLayers: number, options?: TransformerEncoderOptions) {
    super();
    this.numLayers = buildStack(this, TransformerEncoder.signature, [encoderLayer, numLayers], options, 'encoder');
  }
}

export interface TransformerDecoderOptions {
  /** A final normalization module, default none. */
  norm?: Module | null;
}

/**
 * A stack of `numLayers` deep copies of `decoderLayer`, then the optional `norm`.
 *
 * PyTorch equivalent: `torch.nn.TransformerDecoder(decoder_layer, num_layers, norm=None)`.
 *
 * @example
 * ```ts
 * const decoder = new nn.TransformerDecoder(new nn.TransformerDecoderLayer(64, 4), 3, { norm: new nn.LayerNorm(64) });
 * ```
 */
export class TransformerDecoder extends Module {
  static override readonly signature: Signature = {
    type: 'TransformerDecoder',
    factory: false,
    params: [arg('decoder_layer', MODULE), arg('num_layers', NONNEG), arg('norm', MODULE, null, { nullable: true })],
  };
  readonly numLayers: number;
  declare layers: ModuleList;
  declare norm: Module | null;

  constructor(decoderLayer: Module, numLayers: number, options?: TransformerDecoderOptions) {
    super();
    this.numLayers = buildStack(this, TransformerDecoder.signature, [decoderLayer, numLayers], options, 'decoder');
  }
}

/** PyTorch's `_get_clones`: `ModuleList([copy.deepcopy(module) for i in range(N)])`. */
function cloneLayers(layer: Module, n: number): ModuleList {
  const members = layer.modules().reduce((k, m) => k + 1 + m._parameters.size + m._buffers.size, 0);
  chargeBudget(n * members);
  const copies: Module[] = [];
  const shareStorage = currentDefaults().shareCopies === true;
  for (let i = 0; i < n; i++) copies.push(layer.deepCopy({ shareStorage }));
  return new ModuleList(copies);
}

export interface TransformerOptions extends FactoryOptions {
  /** Default 512. */
  dModel?: number;
  /** Default 8. */
  nhead?: number;
  /** Default 6. */
  numEncoderLayers?: number;
  /** Default 6. */
  numDecoderLayers?: number;
  /** Default 2048. */
  dimFeedforward?: number;
  /** Default 0.1. */
  dropout?: number;
  activation?: TransformerActivation;
  /** Used instead of the built encoder (still re-initialized by the xavier pass). */
  customEncoder?: Module | null;
  customDecoder?: Module | null;
  layerNormEps?: number;
  batchFirst?: boolean;
  normFirst?: boolean;
  /** Default true (PyTorch 2.1+). */
  bias?: boolean;
}

/**
 * The full encoder–decoder Transformer. After building the encoder (layer, LayerNorm, N deep copies) and the
 * decoder likewise, PyTorch's `_reset_parameters` runs `xavier_uniform_(p)` (Glorot & Bengio 2010,
 * "Understanding the difficulty of training deep feedforward neural networks",
 * https://proceedings.mlr.press/v9/glorot10a.html) on every parameter with more than one dimension, in
 * `parameters()` order.
 *
 * PyTorch equivalent: `torch.nn.Transformer(d_model=512, nhead=8, num_encoder_layers=6, num_decoder_layers=6,
 * dim_feedforward=2048, dropout=0.1, activation=relu, custom_encoder=None, custom_decoder=None,
 * layer_norm_eps=1e-05, batch_first=False, norm_first=False)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const t = new nn.Transformer({ dModel: 32, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 64 });
 * ```
 */
export class Transformer extends Module {
  static override readonly signature: Signature = {
    type: 'Transformer',
    factory: true,
    maxPositional: 12,
    params: [
      arg('d_model', NONNEG, 512),
      arg('nhead', POSINT, 8),
      arg('num_encoder_layers', NONNEG, 6),
      arg('num_decoder_layers', NONNEG, 6),
      arg('dim_feedforward', NONNEG, 2048),
      arg('dropout', { t: 'float', min: 0, max: 1 }, 0.1),
      arg('activation', { t: 'activation' }, 'relu'),
      arg('custom_encoder', MODULE, null, { nullable: true }),
      arg('custom_decoder', MODULE, null, { nullable: true }),
      arg('layer_norm_eps', FLOAT, 1e-5),
      arg('batch_first', BOOL, false),
      arg('norm_first', BOOL, false),
      arg('bias', BOOL, true, { since: '2.1' }),
      ...FACTORY_ARGS,
    ],
  };
  declare readonly dModel: number;
  declare readonly nhead: number;
  declare readonly batchFirst: boolean;
  declare encoder: Module;
  declare decoder: Module;

  constructor(options?: TransformerOptions) {
    super();
    // The xavier pass below rewrites every layer, so the layer copies must own their storage.
    withDefaults({ shareCopies: false }, () => this.build(options));
  }

  private build(options: TransformerOptions | undefined): void {
    const { cfg, generator } = bindOptions(Transformer.signature, [], options);
    this._config = cfg;
    const f = resolveFactory(cfg, generator);
    const fk = { device: f.device, dtype: f.dtype, generator: f.generator };
    const d = cfg['d_model'] as number;
    const nhead = cfg['nhead'] as number;
    const eps = cfg['layer_norm_eps'] as number;
    const bias = cfg['bias'] as boolean;
    const layerOpts: TransformerLayerOptions = {
      dimFeedforward: cfg['dim_feedforward'] as number,
      dropout: cfg['dropout'] as number,
      activation: checkActivation('Transformer', cfg['activation']),
      layerNormEps: eps,
      batchFirst: cfg['batch_first'] as boolean,
      normFirst: cfg['norm_first'] as boolean,
      bias,
      ...fk,
    };
    const customEncoder = cfg['custom_encoder'];
    if (customEncoder !== null) {
      this.registerModule('encoder', checkLayer('Transformer', 'customEncoder', customEncoder, 'module'));
    } else {
      checkMultipleOf('Transformer', 'dModel', d, 'nhead', nhead);
      const encoderLayer = new TransformerEncoderLayer(d, nhead, layerOpts);
      const encoderNorm = new LayerNorm(d, { eps, bias, ...fk });
      this.registerModule('encoder', new TransformerEncoder(encoderLayer, cfg['num_encoder_layers'] as number, { norm: encoderNorm }));
    }
    const customDecoder = cfg['custom_decoder'];
    if (customDecoder !== null) {
      this.registerModule('decoder', checkLayer('Transformer', 'customDecoder', customDecoder, 'module'));
    } else {
      checkMultipleOf('Transformer', 'dModel', d, 'nhead', nhead);
      const decoderLayer = new TransformerDecoderLayer(d, nhead, layerOpts);
      const decoderNorm = new LayerNorm(d, { eps, bias, ...fk });
      this.registerModule('decoder', new TransformerDecoder(decoderLayer, cfg['num_decoder_layers'] as number, { norm: decoderNorm }));
    }
    this.xavierPass({ generator: f.generator });
    Object.defineProperty(this, 'dModel', { value: d, enumerable: true });
    Object.defineProperty(this, 'nhead', { value: nhead, enumerable: true });
    Object.defineProperty(this, 'batchFirst', { value: cfg['batch_first'] as boolean, enumerable: true });
  }

  /** PyTorch's `Transformer._reset_parameters`: `xavier_uniform_(p)` for each parameter with `dim() > 1`. */
  private xavierPass(options: ResetOptions): void {
    const g = drawOptions(options);
    for (const p of this.parameters()) if (p.dim() > 1) xavierUniform_(p, g);
  }

  /** PyTorch's `_reset_parameters` (the xavier pass only; norms and biases are left as they are). */
  override resetParameters(options: ResetOptions = {}): this {
    this.xavierPass(options);
    return this;
  }
}
