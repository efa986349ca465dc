/**
 * Recurrent layers (`torch/nn/modules/rnn.py`): RNN, LSTM, GRU (`RNNBase`) and RNNCell, LSTMCell, GRUCell
 * (`RNNCellBase`). Initialization: `stdv = 1/√hidden_size` (0 when hidden_size = 0), then `uniform_(p, -stdv, stdv)`
 * for every parameter in registration order: per layer, per direction (forward, then `_reverse`),
 * `weight_ih_l{k}`, `weight_hh_l{k}`, `bias_ih_l{k}`, `bias_hh_l{k}`, and `weight_hr_l{k}` when `proj_size > 0`.
 * Gate rows: 4·hidden (LSTM), 3·hidden (GRU), hidden (RNN).
 */
import { fail } from '../errors.js';
import { uniform_ } from '../init/uniform.js';
import { drawOptions, emptyParam, resolveFactory } from './factory.js';
import { Module, type ResetOptions } from './module.js';
import type { Parameter } from './parameter.js';
import { pyFloat, pyStr } from './pyrepr.js';
import { BOOL, FACTORY_ARGS, type FactoryOptions, NONNEG, type Signature, arg, bindOptions, choice } from './signature.js';

export interface RNNBaseOptions extends FactoryOptions {
  /** Stacked layers (default 1). */
  numLayers?: number;
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Stored only. Default false. */
  batchFirst?: boolean;
  /** Dropout between layers, in [0, 1] (default 0). */
  dropout?: number;
  /** Add a reverse direction (`*_reverse` parameters). Default false. */
  bidirectional?: boolean;
}

export interface LSTMOptions extends RNNBaseOptions {
  /** Project the hidden state to this size (`weight_hr`); 0 (default) disables. Must be < hiddenSize. */
  projSize?: number;
}

export const RNN_NONLINEARITIES = ['tanh', 'relu'] as const;

export interface RNNOptions extends RNNBaseOptions {
  /** `'tanh'` (default) or `'relu'`. */
  nonlinearity?: (typeof RNN_NONLINEARITIES)[number];
}

function rnnSignature(type: string, mode: 'RNN' | 'LSTM' | 'GRU'): Signature {
  const params = [
    arg('input_size', NONNEG),
    arg('hidden_size', NONNEG),
    arg('num_layers', { t: 'int', min: 1 }, 1),
    arg('bias', BOOL, true),
    arg('batch_first', BOOL, false),
    arg('dropout', { t: 'float', min: 0, max: 1 }, 0.0),
    arg('bidirectional', BOOL, false),
  ];
  if (mode === 'LSTM') params.push(arg('proj_size', NONNEG, 0));
  if (mode === 'RNN') params.push(arg('nonlinearity', choice(...RNN_NONLINEARITIES), 'tanh', { kwOnly: true }));
  // RNN's positional order differs between PyTorch 1.13 (num_layers, bias, ...) and 2.x (num_layers, nonlinearity,
  // bias, ...): a spec passes everything after num_layers by keyword.
  const sig: Signature = { type, factory: true, params: [...params, ...FACTORY_ARGS] };
  return mode === 'RNN' ? { ...sig, maxPositional: 3 } : sig;
}

/**
 * `reset_parameters` of both `RNNBase` and `RNNCellBase`: `stdv = 1/√hidden_size` (0 when hidden_size = 0), then
 * `uniform_(p, -stdv, stdv)` for every parameter of `m`, in `parameters()` order.
 */
function resetUniform(m: Module, hiddenSize: number, options: ResetOptions): void {
  const stdv = hiddenSize > 0 ? 1.0 / Math.sqrt(hiddenSize) : 0;
  const g = drawOptions(options);
  for (const p of m.parameters()) uniform_(p, -stdv, stdv, g);
}

/** PyTorch's `RNNBase`. */
export abstract class RNNBase extends Module {
  readonly mode: 'RNN_TANH' | 'RNN_RELU' | 'LSTM' | 'GRU';
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly bidirectional: boolean;
  readonly projSize: number;
  /** Parameter names per layer and direction (`_all_weights`). */
  readonly allWeightNames: readonly (readonly string[])[];

  protected constructor(sig: Signature, kind: 'RNN' | 'LSTM' | 'GRU', positional: unknown[], options: unknown) {
    super();
    const { cfg, generator } = bindOptions(sig, positional, options);
    this._config = cfg;
    const type = sig.type;
    this.inputSize = cfg['input_size'] as number;
    this.hiddenSize = cfg['hidden_size'] as number;
    this.numLayers = cfg['num_layers'] as number;
    this.bias = cfg['bias'] as boolean;
    this.batchFirst = cfg['batch_first'] as boolean;
    this.dropout = cfg['dropout'] as number;
    this.bidirectional = cfg['bidirectional'] as boolean;
    this.projSize = kind === 'LSTM' ? (cfg['proj_size'] as number) : 0;
    this.mode = kind === 'RNN' ? (cfg['nonlinearity'] === 'relu' ? 'RNN_RELU' : 'RNN_TANH') : kind;
    // PyTorch checks `proj_size >= hidden_size` unconditionally, so hidden_size = 0 is rejected even without projections.
    if (this.projSize >= this.hiddenSize) {
      if (this.projSize > 0) {
        fail({
          code: 'INVALID_ARGUMENT',
          where: type,
          param: 'projSize',
          expected: `projSize to be an integer smaller than hiddenSize=${this.hiddenSize} (0 disables projections)`,
          received: this.projSize,
        });
      }
      fail({
        code: 'INVALID_ARGUMENT',
        where: type,
        param: 'hiddenSize',
        expected: 'hiddenSize to be an integer >= 1 (PyTorch: "proj_size has to be smaller than hidden_size")',
        received: this.hiddenSize,
      });
    }
    const gateSize = (kind === 'LSTM' ? 4 : kind === 'GRU' ? 3 : 1) * this.hiddenSize;
    const numDirections = this.bidirectional ? 2 : 1;
    const f = resolveFactory(cfg, generator);
    const realHidden = this.projSize > 0 ? this.projSize : this.hiddenSize;
    const all: string[][] = [];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let direction = 0; direction < numDirections; direction++) {
        const layerInput = layer === 0 ? this.inputSize : realHidden * numDirections;
        const suffix = direction === 1 ? '_reverse' : '';
        const names: string[] = [];
        const add = (name: string, shape: number[]): void => {
          const full = `${name}_l${layer}${suffix}`;
          this.registerParameter(full, emptyParam(f, shape));
          names.push(full);
        };
        add('weight_ih', [gateSize, layerInput]); // [gates·hidden, input]
        add('weight_hh', [gateSize, realHidden]); // [gates·hidden, hidden or proj]
        if (this.bias) {
          add('bias_ih', [gateSize]);
          add('bias_hh', [gateSize]);
        }
        if (this.projSize > 0) add('weight_hr', [this.projSize, this.hiddenSize]); // [proj, hidden]
        all.push(names);
      }
    }
    this.allWeightNames = all;
    this.resetParameters({ generator: f.generator });
  }

  /** `uniform_(p, ±1/√hidden_size)` for every parameter, in `parameters()` order. */
  override resetParameters(options: ResetOptions = {}): this {
    resetUniform(this, this.hiddenSize, options);
    return this;
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (this.bias !== true) s += `, bias=${pyStr(this.bias)}`;
    if (this.batchFirst !== false) s += `, batch_first=${pyStr(this.batchFirst)}`;
    // PyTorch stores float(dropout).
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional !== false) s += `, bidirectional=${pyStr(this.bidirectional)}`;
    return s;
  }
}

/**
 * An Elman RNN with tanh or ReLU. All parameters `U(±1/√hidden)`.
 *
 * PyTorch equivalent: `torch.nn.RNN(input_size, hidden_size, num_layers=1, nonlinearity='tanh', bias=True,
 * batch_first=False, dropout=0.0, bidirectional=False)`.
 *
 * @example
 * ```ts
 * const rnn = new nn.RNN(10, 20, { numLayers: 2, nonlinearity: 'relu' });
 * ```
 */
export class RNN extends RNNBase {
  static override readonly signature = rnnSignature('RNN', 'RNN');
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions) {
    super(RNN.signature, 'RNN', [inputSize, hiddenSize], options);
  }
  get nonlinearity(): string {
    return this.mode === 'RNN_RELU' ? 'relu' : 'tanh';
  }
}

/**
 * Long short-term memory (Hochreiter & Schmidhuber 1997), with optional projections (Sak et al. 2014,
 * https://arxiv.org/abs/1402.1128). All parameters `U(±1/√hidden)`; gate rows are `[i, f, g, o]` × hidden.
 *
 * PyTorch equivalent: `torch.nn.LSTM(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
 * dropout=0.0, bidirectional=False, proj_size=0)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const lstm = new nn.LSTM(32, 64, { numLayers: 2, bidirectional: true, projSize: 16 });
 * ```
 */
export class LSTM extends RNNBase {
  static override readonly signature = rnnSignature('LSTM', 'LSTM');
  constructor(inputSize: number, hiddenSize: number, options?: LSTMOptions) {
    super(LSTM.signature, 'LSTM', [inputSize, hiddenSize], options);
  }
}

/**
 * Gated recurrent unit (Cho et al. 2014, https://arxiv.org/abs/1406.1078). All parameters `U(±1/√hidden)`; gate
 * rows are `[r, z, n]` × hidden.
 *
 * PyTorch equivalent: `torch.nn.GRU(input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
 * dropout=0.0, bidirectional=False)`.
 *
 * @example
 * ```ts
 * const gru = new nn.GRU(8, 16, { bidirectional: true });
 * ```
 */
export class GRU extends RNNBase {
  static override readonly signature = rnnSignature('GRU', 'GRU');
  constructor(inputSize: number, hiddenSize: number, options?: RNNBaseOptions) {
    super(GRU.signature, 'GRU', [inputSize, hiddenSize], options);
  }
}

export interface RNNCellOptions extends FactoryOptions {
  /** Learn `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
}

function cellSignature(type: string, withNonlinearity: boolean): Signature {
  const params = [arg('input_size', NONNEG), arg('hidden_size', NONNEG), arg('bias', BOOL, true)];
  if (withNonlinearity) params.push(arg('nonlinearity', choice(...RNN_NONLINEARITIES), 'tanh'));
  return { type, factory: true, params: [...params, ...FACTORY_ARGS] };
}

/** PyTorch's `RNNCellBase`: `weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`, all `U(±1/√hidden)`. */
export abstract class RNNCellBase extends Module {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly bias: boolean;
  /** `[chunks·hidden, input]` */
  declare weight_ih: Parameter;
  /** `[chunks·hidden, hidden]` */
  declare weight_hh: Parameter;
  declare bias_ih: Parameter | null;
  declare bias_hh: Parameter | null;

  protected constructor(sig: Signature, chunks: number, positional: unknown[], options: unknown) {
    super();
    const { cfg, generator } = bindOptions(sig, positional, options);
    this._config = cfg;
    this.inputSize = cfg['input_size'] as number;
    this.hiddenSize = cfg['hidden_size'] as number;
    this.bias = cfg['bias'] as boolean;
    const f = resolveFactory(cfg, generator);
    const rows = chunks * this.hiddenSize;
    this.registerParameter('weight_ih', emptyParam(f, [rows, this.inputSize]));
    this.registerParameter('weight_hh', emptyParam(f, [rows, this.hiddenSize]));
    this.registerParameter('bias_ih', this.bias ? emptyParam(f, [rows]) : null);
    this.registerParameter('bias_hh', this.bias ? emptyParam(f, [rows]) : null);
    this.resetParameters({ generator: f.generator });
  }

  /** `uniform_(p, ±1/√hidden_size)` for every parameter, in order. */
  override resetParameters(options: ResetOptions = {}): this {
    resetUniform(this, this.hiddenSize, options);
    return this;
  }

  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.bias !== true) s += `, bias=${pyStr(this.bias)}`;
    const nl = (this._config as Record<string, unknown>)['nonlinearity'];
    if (nl !== undefined && nl !== 'tanh') s += `, nonlinearity=${String(nl)}`;
    return s;
  }
}

/**
 * One Elman RNN step. Parameters `U(±1/√hidden)`.
 *
 * PyTorch equivalent: `torch.nn.RNNCell(input_size, hidden_size, bias=True, nonlinearity='tanh')`.
 *
 * @example
 * ```ts
 * const cell = new nn.RNNCell(10, 20);
 * ```
 */
export class RNNCell extends RNNCellBase {
  static override readonly signature = cellSignature('RNNCell', true);
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions & { nonlinearity?: (typeof RNN_NONLINEARITIES)[number] }) {
    super(RNNCell.signature, 1, [inputSize, hiddenSize], options);
  }
}

/**
 * One LSTM step: gate rows 4·hidden. Parameters `U(±1/√hidden)`.
 *
 * PyTorch equivalent: `torch.nn.LSTMCell(input_size, hidden_size, bias=True)`.
 *
 * @example
 * ```ts
 * const cell = new nn.LSTMCell(10, 20);
 * ```
 */
export class LSTMCell extends RNNCellBase {
  static override readonly signature = cellSignature('LSTMCell', false);
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions) {
    super(LSTMCell.signature, 4, [inputSize, hiddenSize], options);
  }
}

/**
 * One GRU step: gate rows 3·hidden. Parameters `U(±1/√hidden)`.
 *
 * PyTorch equivalent: `torch.nn.GRUCell(input_size, hidden_size, bias=True)`.
 *
 * @example
 * ```ts
 * const cell = new nn.GRUCell(10, 20, { bias: false });
 * ```
 */
export class GRUCell extends RNNCellBase {
  static override readonly signature = cellSignature('GRUCell', false);
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions) {
    super(GRUCell.signature, 3, [inputSize, hiddenSize], options);
  }
}
