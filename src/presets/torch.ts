/**
 * The `torch` preset: PyTorch's own defaults, each module's `reset_parameters` as PyTorch 1.13–2.x writes it
 * (torch/nn/modules/*.py). As plans these describe the distributions; `initialize` reproduces them bit for bit by
 * replaying PyTorch's construction order.
 */
import type { Module } from '../nn/module.js';
import { calculateFanInAndFanOut } from '../init/fan.js';
import { type Dist, num } from './dist.js';
import { type InitCall, callText, planCall, resolveCall } from './registry.js';
import type { InitPlan, ParamSite, Preset, PresetContext } from './types.js';

/** A plan from an exact call. */
export function callPlan(call: InitCall, shape: readonly number[], extra: Partial<InitPlan> = {}): InitPlan {
  const p = planCall(call, shape);
  return { init: callText(call), call, dist: p.dist, formula: p.formula, fans: p.fans, covered: true, ...extra };
}

const call = (fn: string, args: Record<string, unknown> = {}): InitCall => resolveCall('torch preset', fn, args);

/** Modules whose weight/bias follow Linear's reset_parameters (kaiming_uniform_(a=√5), bias U(±1/√fan_in)). */
export const LINEAR_LIKE = new Set([
  'Linear',
  'NonDynamicallyQuantizableLinear',
  'LazyLinear',
  'Conv1d',
  'Conv2d',
  'Conv3d',
  'ConvTranspose1d',
  'ConvTranspose2d',
  'ConvTranspose3d',
]);
export const CONV_TYPES = new Set(['Conv1d', 'Conv2d', 'Conv3d']);
export const CONV_TRANSPOSE_TYPES = new Set(['ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d']);
export const RNN_TYPES = new Set(['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell']);
export const NORM_TYPES = new Set([
  'BatchNorm1d',
  'BatchNorm2d',
  'BatchNorm3d',
  'SyncBatchNorm',
  'InstanceNorm1d',
  'InstanceNorm2d',
  'InstanceNorm3d',
  'LayerNorm',
  'GroupNorm',
  'RMSNorm',
]);

/** The weight of the module owning a bias (Linear-like), to compute the bias bound from. */
function siblingWeightShape(site: ParamSite): readonly number[] | null {
  const w = site.module._parameters.get('weight');
  return w ? w.shape : null;
}

function constantPlan(value: number, shape: readonly number[], init?: string): InitPlan {
  const c = value === 0 ? call('zeros_') : value === 1 ? call('ones_') : call('constant_', { val: value });
  return callPlan(c, shape, init !== undefined ? { init } : {});
}

/** The default plan of one parameter or buffer, exactly as PyTorch's constructor leaves it. */
export function torchPlan(site: ParamSite): InitPlan {
  const { type, name, shape, cfg } = site;
  // Transformer's own pass: xavier_uniform_ on every parameter with dim > 1, after construction.
  if (site.kind === 'parameter' && shape.length > 1 && site.ancestors.some((a) => a.type === 'Transformer')) {
    return callPlan(call('xavier_uniform_'), shape, { note: "Transformer._reset_parameters re-initializes every matrix with xavier_uniform_" });
  }
  if (site.kind === 'buffer') {
    if (name === 'running_var') return constantPlan(1, shape);
    if (name === 'num_batches_tracked') return constantPlan(0, shape);
    return constantPlan(0, shape);
  }
  // MultiheadAttention zeroes out_proj.bias (constant_(0)) in its _reset_parameters.
  const parent = site.ancestors[site.ancestors.length - 1];
  if (parent?.type === 'MultiheadAttention' && name === 'bias' && site.modulePath.endsWith('out_proj')) {
    return constantPlan(0, shape, 'constant_(val=0)');
  }
  if (LINEAR_LIKE.has(type)) {
    if (name === 'weight') return callPlan(call('kaiming_uniform_', { a: Math.sqrt(5) }), shape);
    if (name === 'bias') {
      const w = siblingWeightShape(site);
      const fanIn = w && w.length >= 2 ? calculateFanInAndFanOut(w)[0] : 0;
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      const c = call('uniform_', { a: -bound, b: bound });
      return callPlan(c, shape, { formula: `U(-b, b), b = 1/sqrt(fan_in) = ${num(bound)}`, fans: w && w.length >= 2 ? calculateFanInAndFanOut(w) : null });
    }
  }
  if (type === 'Bilinear') {
    const bound = 1 / Math.sqrt((cfg['in1_features'] as number) ?? shape[1] ?? 1);
    return callPlan(call('uniform_', { a: -bound, b: bound }), shape, { formula: `U(-b, b), b = 1/sqrt(in1_features) = ${num(bound)}` });
  }
  if ((type === 'Embedding' || type === 'EmbeddingBag') && name === 'weight') {
    const c = call('normal_');
    const p = callPlan(c, shape);
    const pad = cfg['padding_idx'];
    if (typeof pad === 'number') {
      const row = pad < 0 ? pad + (shape[0] ?? 0) : pad;
      return {
        ...p,
        dist: {
          kind: 'rows',
          parts: [
            { start: 0, end: row, dist: p.dist },
            { start: row, end: row + 1, dist: { kind: 'constant', value: 0 } as Dist },
            { start: row + 1, end: shape[0] ?? 0, dist: p.dist },
          ].filter((x) => x.end > x.start),
        },
        formula: `N(0, 1); row padding_idx=${row} zeroed after the draw`,
        zeroRows: [row],
      };
    }
    return p;
  }
  if (RNN_TYPES.has(type)) {
    const h = cfg['hidden_size'] as number;
    const stdv = h > 0 ? 1 / Math.sqrt(h) : 0;
    return callPlan(call('uniform_', { a: -stdv, b: stdv }), shape, { formula: `U(-b, b), b = 1/sqrt(hidden_size) = ${num(stdv)}` });
  }
  if (NORM_TYPES.has(type)) return constantPlan(name === 'weight' ? 1 : 0, shape);
  if (type === 'PReLU') return constantPlan((cfg['init'] as number) ?? 0.25, shape);
  if (type === 'MultiheadAttention') {
    if (name === 'in_proj_weight' || name === 'q_proj_weight' || name === 'k_proj_weight' || name === 'v_proj_weight') {
      return callPlan(call('xavier_uniform_'), shape, name === 'in_proj_weight' ? { note: 'xavier_uniform_ on the stacked [3E, E] matrix: fan_out = 3E' } : {});
    }
    if (name === 'in_proj_bias') return constantPlan(0, shape);
    if (name === 'bias_k' || name === 'bias_v') return callPlan(call('xavier_normal_'), shape);
  }
  // Anything else keeps what its module's constructor set (no PyTorch layer here has other random parameters).
  return { init: 'module default', call: null, dist: { kind: 'keep' }, formula: 'set by the module constructor', fans: null, covered: false };
}

const S = (x: number): string => x.toFixed(2);

export const torchPreset: Preset = {
  name: 'torch',
  title: "PyTorch's own defaults (each module's reset_parameters), bit-exact",
  source: 'torch/nn/modules/{linear,conv,sparse,rnn,batchnorm,normalization,activation,transformer}.py, PyTorch 1.13–2.x',
  plan: (site) => torchPlan(site),
  moduleNote(type: string, _m: Module, sites: ParamSite[], _ctx: PresetContext): string | null {
    const w = sites.find((s) => s.name === 'weight');
    if (LINEAR_LIKE.has(type) && w) {
      const transposed = CONV_TRANSPOSE_TYPES.has(type) ? ' (ConvTranspose: fan_in is taken from dim 1 = out/groups·∏k)' : '';
      return `kaiming_uniform_ with a=√5 gives std 1/sqrt(3·fan_in): ${S(1 / Math.sqrt(3))}x LeCun, ${S(1 / Math.sqrt(6))}x He${transposed}; bias U(±1/sqrt(fan_in))`;
    }
    if (type === 'Embedding' || type === 'EmbeddingBag') return 'normal_(0, 1): std 1 whatever the embedding width';
    if (RNN_TYPES.has(type)) return 'every weight and bias U(±1/sqrt(hidden_size)); no orthogonal recurrent matrix, no forget-gate bias';
    if (type === 'MultiheadAttention') {
      return 'in_proj_weight: xavier_uniform_ on the stacked [3E, E] matrix (std sqrt(2/(4E)), 0.71x a separate Q/K/V Xavier); out_proj keeps Linear\'s default; biases 0';
    }
    if (NORM_TYPES.has(type)) return 'weight 1, bias 0';
    if (type === 'PReLU') return 'slope 0.25';
    if (type === 'TransformerEncoder' || type === 'TransformerDecoder') {
      return 'layers are deep copies of one layer: every layer starts with identical weights';
    }
    if (type === 'Transformer') return 'after construction, xavier_uniform_ on every parameter with more than one dimension';
    return null;
  },
};
