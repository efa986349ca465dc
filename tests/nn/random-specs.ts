/**
 * Random valid model specs (small dims) for the property tests and the live-PyTorch oracle. Deterministic in the
 * seed, so a failure replays. Float64 is not used for normal-initialized layers (Embedding, add_bias_kv), whose
 * float64 values are only within a few ulps of PyTorch (see helpers.ts).
 */
import { Generator, type nn } from '../../src/index.js';

export class Rng {
  private readonly g: Generator;
  constructor(seed: number) {
    this.g = new Generator().manualSeed(seed);
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.g.random() / 2 ** 32;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
}

type Node = nn.SpecNode;

function node(type: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Node {
  const n: Node = { type };
  if (args.length) n.args = args;
  if (Object.keys(kwargs).length) n.kwargs = kwargs;
  return n;
}

function maybe(r: Rng, kwargs: Record<string, unknown>, key: string, value: unknown, p = 0.4): void {
  if (r.bool(p)) kwargs[key] = value;
}

function dtype(r: Rng, kwargs: Record<string, unknown>): void {
  if (r.bool(0.15)) kwargs['dtype'] = 'float64';
}

/** One random layer (possibly a small composite). */
export function randomLayer(r: Rng, depth = 0): Node {
  const kinds = [
    'Linear',
    'Bilinear',
    'Conv',
    'ConvTranspose',
    'Embedding',
    'EmbeddingBag',
    'RNN',
    'Cell',
    'BatchNorm',
    'InstanceNorm',
    'LayerNorm',
    'GroupNorm',
    'RMSNorm',
    'PReLU',
    'MultiheadAttention',
    'EncoderLayer',
    'DecoderLayer',
    'TransformerEncoder',
    'Activation',
  ];
  if (depth < 1) kinds.push('Sequential', 'Module', 'Transformer');
  const kind = r.pick(kinds);
  const kw: Record<string, unknown> = {};
  switch (kind) {
    case 'Linear':
      maybe(r, kw, 'bias', false, 0.3);
      dtype(r, kw);
      return node('Linear', [r.int(0, 9), r.int(0, 9)], kw);
    case 'Bilinear':
      maybe(r, kw, 'bias', false, 0.3);
      dtype(r, kw);
      return node('Bilinear', [r.int(1, 5), r.int(0, 5), r.int(0, 5)], kw);
    case 'Conv':
    case 'ConvTranspose': {
      const n = r.int(1, 3);
      const groups = r.pick([1, 1, 2, 3]);
      const inC = groups * r.int(1, 3);
      const outC = groups * r.int(1, 3);
      const k = r.bool() ? r.int(1, 3) : Array.from({ length: n }, () => r.int(1, 3));
      if (groups > 1) kw['groups'] = groups;
      maybe(r, kw, 'bias', false, 0.3);
      maybe(r, kw, 'stride', r.int(1, 2));
      maybe(r, kw, 'dilation', r.int(1, 2), 0.2);
      dtype(r, kw);
      if (kind === 'Conv') {
        maybe(r, kw, 'padding', r.int(0, 2));
        maybe(r, kw, 'padding_mode', r.pick(['zeros', 'reflect', 'replicate', 'circular']), 0.2);
        return node(`Conv${n}d`, [inC, outC, k], kw);
      }
      maybe(r, kw, 'output_padding', 0, 0.2);
      return node(`ConvTranspose${n}d`, [inC, outC, k], kw);
    }
    case 'Embedding':
    case 'EmbeddingBag': {
      const num = r.int(1, 12);
      maybe(r, kw, 'padding_idx', r.int(-num, num - 1));
      if (kind === 'EmbeddingBag') maybe(r, kw, 'mode', r.pick(['sum', 'mean', 'max']));
      else maybe(r, kw, 'max_norm', 1.5, 0.2);
      return node(kind, [num, r.int(1, 7)], kw);
    }
    case 'RNN': {
      const type = r.pick(['RNN', 'LSTM', 'GRU']);
      const hidden = r.int(1, 6);
      maybe(r, kw, 'num_layers', r.int(1, 3));
      maybe(r, kw, 'bias', false, 0.25);
      maybe(r, kw, 'bidirectional', true);
      maybe(r, kw, 'batch_first', true, 0.2);
      if (type === 'LSTM' && hidden > 1) maybe(r, kw, 'proj_size', r.int(1, hidden - 1), 0.3);
      if (type === 'RNN') maybe(r, kw, 'nonlinearity', 'relu', 0.3);
      dtype(r, kw);
      return node(type, [r.int(1, 5), hidden], kw);
    }
    case 'Cell': {
      const type = r.pick(['RNNCell', 'LSTMCell', 'GRUCell']);
      maybe(r, kw, 'bias', false, 0.3);
      dtype(r, kw);
      return node(type, [r.int(1, 5), r.int(1, 6)], kw);
    }
    case 'BatchNorm':
    case 'InstanceNorm': {
      maybe(r, kw, 'affine', r.bool());
      maybe(r, kw, 'track_running_stats', r.bool());
      maybe(r, kw, 'momentum', r.pick([null, 0.01]), 0.2);
      dtype(r, kw);
      return node(`${kind}${r.int(1, 3)}d`, [r.int(1, 6)], kw);
    }
    case 'LayerNorm':
      maybe(r, kw, 'elementwise_affine', false, 0.25);
      maybe(r, kw, 'eps', 1e-6, 0.25);
      dtype(r, kw);
      return node('LayerNorm', [r.bool() ? r.int(1, 6) : [r.int(1, 3), r.int(1, 3)]], kw);
    case 'GroupNorm': {
      const g = r.int(1, 3);
      maybe(r, kw, 'affine', false, 0.3);
      return node('GroupNorm', [g, g * r.int(1, 3)], kw);
    }
    case 'RMSNorm':
      maybe(r, kw, 'eps', 1e-6, 0.3);
      maybe(r, kw, 'elementwise_affine', false, 0.2);
      return node('RMSNorm', [r.int(1, 6)], kw);
    case 'PReLU':
      maybe(r, kw, 'num_parameters', r.int(1, 4));
      maybe(r, kw, 'init', 0.1);
      return node('PReLU', [], kw);
    case 'MultiheadAttention': {
      const heads = r.int(1, 3);
      const e = heads * r.int(1, 6);
      maybe(r, kw, 'bias', false, 0.3);
      maybe(r, kw, 'add_bias_kv', true, 0.3);
      if (r.bool(0.4)) {
        kw['kdim'] = r.int(1, 7);
        kw['vdim'] = r.int(1, 7);
      }
      maybe(r, kw, 'batch_first', true, 0.2);
      if (kw['add_bias_kv'] === undefined) dtype(r, kw);
      return node('MultiheadAttention', [e, heads], kw);
    }
    case 'EncoderLayer':
    case 'DecoderLayer': {
      const heads = r.int(1, 2);
      maybe(r, kw, 'activation', r.pick(['relu', 'gelu']));
      maybe(r, kw, 'norm_first', true, 0.3);
      maybe(r, kw, 'dropout', 0.0, 0.2);
      return node(kind === 'EncoderLayer' ? 'TransformerEncoderLayer' : 'TransformerDecoderLayer', [heads * r.int(1, 4), heads, r.int(1, 12)], kw);
    }
    case 'TransformerEncoder': {
      const heads = r.int(1, 2);
      const d = heads * r.int(1, 4);
      const layer = node('TransformerEncoderLayer', [d, heads, r.int(1, 10)]);
      if (r.bool()) kw['norm'] = node('LayerNorm', [d]);
      return node('TransformerEncoder', [layer, r.int(1, 3)], kw);
    }
    case 'Transformer': {
      const heads = r.int(1, 2);
      return node('Transformer', [], { d_model: heads * r.int(1, 3), nhead: heads, num_encoder_layers: r.int(0, 2), num_decoder_layers: r.int(0, 2), dim_feedforward: r.int(1, 8) });
    }
    case 'Sequential':
      return { type: 'Sequential', children: Array.from({ length: r.int(1, 4) }, () => randomLayer(r, depth + 1)) };
    case 'Module': {
      const children: Record<string, Node> = {};
      const n = r.int(1, 3);
      for (let i = 0; i < n; i++) children[`m${i}_${r.pick(['enc', 'head', 'body'])}`] = randomLayer(r, depth + 1);
      return { type: 'Module', children };
    }
    default:
      return node(r.pick(['ReLU', 'GELU', 'Tanh', 'SiLU', 'Dropout', 'Flatten', 'Identity', 'Softmax']));
  }
}

/** A random model: a Sequential or a user Module of a few random layers. */
export function randomModel(seed: number): Node {
  const r = new Rng(seed);
  const n = r.int(1, 4);
  const layers = Array.from({ length: n }, () => randomLayer(r));
  if (n === 1 && r.bool()) return layers[0]!;
  return r.bool() ? { type: 'Sequential', children: layers } : { type: 'Module', children: Object.fromEntries(layers.map((l, i) => [`layer${i}`, l])) };
}
