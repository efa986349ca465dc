/**
 * The textbook schemes as presets, zero biases: `lecun` (LeCun et al. 1998, N(0, 1/fan_in)), `he` (He et al. 2015,
 * `kaiming_normal_(mode='fan_in', nonlinearity='relu')`, N(0, 2/fan_in)) and `xavier` (Glorot & Bengio 2010,
 * `xavier_uniform_`, U(±√(6/(fan_in + fan_out)))). Fans are PyTorch's (`(out, in, *k)`); MultiheadAttention's
 * stacked Q/K/V matrix is initialized block by block (fans E, E) so each projection gets the scheme's variance.
 * Recurrent weights (input and hidden) take the scheme; embeddings, norms and PReLU keep PyTorch's defaults.
 */
import { calculateFanInAndFanOut } from '../init/fan.js';
import { perBlock } from './layout.js';
import { constPlan } from './keras.js';
import { type InitCall, planCall, resolveCall } from './registry.js';
import { CONV_TRANSPOSE_TYPES, CONV_TYPES, LINEAR_LIKE, RNN_TYPES, callPlan, torchPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset, PresetName } from './types.js';

type Scheme = 'lecun' | 'he' | 'xavier';

const CALLS: Record<Scheme, InitCall> = {
  lecun: resolveCall('lecun preset', 'lecun_normal_', { distribution: 'untruncated_normal' }),
  he: resolveCall('he preset', 'kaiming_normal_', { mode: 'fan_in', nonlinearity: 'relu' }),
  xavier: resolveCall('xavier preset', 'xavier_uniform_'),
};

function isWeightOfScheme(site: ParamSite): boolean {
  const { type, name } = site;
  if (LINEAR_LIKE.has(type) || CONV_TYPES.has(type) || CONV_TRANSPOSE_TYPES.has(type) || type === 'Bilinear') return name === 'weight';
  if (RNN_TYPES.has(type)) return name.startsWith('weight_');
  if (type === 'MultiheadAttention') return name.endsWith('_weight');
  return false;
}

function isBias(site: ParamSite): boolean {
  return site.kind === 'parameter' && site.shape.length === 1 && (site.name === 'bias' || site.name.startsWith('bias_') || site.name === 'in_proj_bias');
}

export function textbookPlan(scheme: Scheme, site: ParamSite): InitPlan {
  if (site.kind === 'buffer') return torchPlan(site);
  const call = CALLS[scheme];
  if (isWeightOfScheme(site) && site.shape.length >= 2) {
    if (site.type === 'MultiheadAttention' && site.name === 'in_proj_weight') {
      const e = site.shape[1]!;
      const block = planCall(call, [e, e]);
      return {
        init: `${call.fn} per Q/K/V block`,
        call: null,
        dist: perBlock(block.dist, site.shape[0]!, 3),
        formula: `${block.formula} on each [E, E] block`,
        fans: calculateFanInAndFanOut([e, e]),
        covered: true,
      };
    }
    return callPlan(call, site.shape);
  }
  if (isBias(site) && site.type !== 'PReLU') return constPlan(0, 'zeros_ (bias)');
  const p = torchPlan(site);
  return { ...p, torchDefault: true, note: `not a weight this scheme defines: PyTorch's default kept` };
}

function makeTextbook(name: PresetName & Scheme, title: string, source: string): Preset {
  return {
    name,
    title,
    source,
    plan: (site) => textbookPlan(name, site),
    moduleNote(type, _m, sites) {
      const w = sites.find((s) => isWeightOfScheme(s));
      if (!w) return null;
      if (name === 'lecun') return 'N(0, 1/fan_in): keeps the forward variance through linear/tanh-like layers';
      if (name === 'he') return 'N(0, 2/fan_in): keeps the forward second moment through ReLU layers';
      return `U(±sqrt(6/(fan_in + fan_out))): balances forward and backward variance${type === 'MultiheadAttention' ? ' (per Q/K/V block)' : ''}`;
    },
  };
}

export const lecunPreset = makeTextbook(
  'lecun',
  'LeCun: N(0, 1/fan_in) weights, zero biases',
  'LeCun, Bottou, Orr & Müller (1998), "Efficient BackProp", https://doi.org/10.1007/3-540-49430-8_2',
);
export const hePreset = makeTextbook(
  'he',
  "He: kaiming_normal_(mode='fan_in', nonlinearity='relu'), N(0, 2/fan_in), zero biases",
  'He, Zhang, Ren & Sun (2015), "Delving Deep into Rectifiers", https://arxiv.org/abs/1502.01852',
);
export const xavierPreset = makeTextbook(
  'xavier',
  'Xavier/Glorot: xavier_uniform_, U(±sqrt(6/(fan_in + fan_out))), zero biases',
  'Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward neural networks", https://proceedings.mlr.press/v9/glorot10a.html',
);
