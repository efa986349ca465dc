/**
 * The `keras` preset: Keras 3 layer defaults (keras/src/layers/*, keras/src/initializers/*), with fans counted on
 * the Keras kernel (see ./layout.ts): glorot_uniform kernels, orthogonal recurrent kernels, zero biases, LSTM
 * forget-gate bias 1 (`unit_forget_bias=True`), `RandomUniform(-0.05, 0.05)` embeddings, norms 1/0, PReLU alpha 0.
 */
import { num } from './dist.js';
import { type KernelView, kerasFans, kerasKernel, perBlock, shapeText } from './layout.js';
import { NORM_TYPES, RNN_TYPES, torchPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset } from './types.js';
import type { Dist } from './dist.js';

/** Keras `GlorotUniform` on a kernel: U(±√(6/(fan_in + fan_out))) (VarianceScaling(1, fan_avg, uniform)). */
export function glorotUniformPlan(site: ParamSite, k: KernelView, framework: string, tfjs = false): InitPlan {
  const [fi, fo] = kerasFans(k.shape, tfjs);
  const n = Math.max(1, (fi + fo) / 2);
  const b = Math.sqrt(3 / n);
  return {
    init: `glorot_uniform (${framework} ${k.layer})`,
    call: null,
    dist: perBlock({ kind: 'uniform', low: -b, high: b }, site.shape[0]!, k.blocks),
    formula: `U(-b, b), b = sqrt(6/(fan_in + fan_out)) = ${num(b)} on the ${framework} kernel ${shapeText(k.shape)}${k.blocks > 1 ? ` (×${k.blocks})` : ''}`,
    fans: [fi, fo],
    covered: true,
  };
}

export function orthogonalPlan(site: ParamSite, k: KernelView, framework: string): InitPlan {
  return {
    init: `orthogonal (${framework} ${k.layer} recurrent kernel)`,
    call: null,
    dist: perBlock({ kind: 'orthogonal', gain: 1 }, site.shape[0]!, k.blocks),
    formula: `Q from QR of N(0, 1) on the recurrent kernel ${shapeText(k.shape)}${k.blocks > 1 ? ` (×${k.blocks}, one per gate)` : ''}`,
    fans: null,
    covered: true,
  };
}

export function constPlan(value: number, init: string): InitPlan {
  return { init, call: null, dist: { kind: 'constant', value }, formula: `constant ${num(value)}`, fans: null, covered: true };
}

export function uncovered(site: ParamSite, framework: string): InitPlan {
  const p = torchPlan(site);
  return { ...p, covered: false, torchDefault: true, note: `${framework} has no equivalent of ${site.type}.${site.name}: PyTorch's default kept` };
}

/** LSTM forget gate: PyTorch's gate order is (i, f, g, o), Keras's (i, f, c, o); the forget slice is rows h..2h. */
function lstmForgetBias(site: ParamSite, value: number, framework: string): InitPlan {
  const rows = site.shape[0]!;
  const h = rows / 4;
  const zero: Dist = { kind: 'constant', value: 0 };
  return {
    init: `zeros, forget-gate bias ${value} (${framework} unit_forget_bias)`,
    call: null,
    dist: { kind: 'rows', parts: [{ start: 0, end: h, dist: zero }, { start: h, end: 2 * h, dist: { kind: 'constant', value } }, { start: 2 * h, end: rows, dist: zero }] },
    formula: `0, with rows ${h}:${2 * h} (forget gate) = ${value}; PyTorch's second bias (bias_hh) stays 0 so the sum is ${value}`,
    fans: null,
    covered: true,
  };
}

export function kerasLikePlan(site: ParamSite, framework: 'Keras' | 'TF.js', kernelPlan: (site: ParamSite, k: KernelView) => InitPlan): InitPlan {
  if (site.kind === 'buffer') return torchPlan(site);
  const { type, name } = site;
  const k = kerasKernel(site);
  if (k !== null) return k.role === 'recurrent' ? orthogonalPlan(site, k, framework) : kernelPlan(site, k);
  if (name === 'bias' || name.startsWith('bias_ih') || name.startsWith('bias_hh') || name === 'in_proj_bias') {
    if (framework === 'Keras' && (type === 'LSTM' || type === 'LSTMCell') && name.startsWith('bias_ih')) return lstmForgetBias(site, 1, framework);
    if (type === 'Bilinear') return uncovered(site, framework);
    return constPlan(0, `zeros (${framework} bias)`);
  }
  if ((type === 'Embedding' || type === 'EmbeddingBag') && name === 'weight') {
    return { init: `RandomUniform(-0.05, 0.05) (${framework} Embedding)`, call: null, dist: { kind: 'uniform', low: -0.05, high: 0.05 }, formula: 'U(-0.05, 0.05)', fans: null, covered: true };
  }
  if (NORM_TYPES.has(type)) return constPlan(name === 'weight' ? 1 : 0, name === 'weight' ? `ones (${framework} gamma)` : `zeros (${framework} beta)`);
  if (type === 'PReLU') return constPlan(0, `zeros (${framework} PReLU alpha)`);
  if (RNN_TYPES.has(type)) return constPlan(0, `zeros (${framework} bias)`);
  return uncovered(site, framework);
}

export const kerasPreset: Preset = {
  name: 'keras',
  title: 'Keras 3 layer defaults: glorot_uniform kernels, zero biases, orthogonal recurrent, LSTM forget bias 1',
  source: 'keras-team/keras 3 (keras/src/layers, keras/src/initializers), per ../shared/reference/framework-defaults.md §2.3',
  plan: (site) => kerasLikePlan(site, 'Keras', (s, k) => glorotUniformPlan(s, k, 'Keras')),
  moduleNote(type, _m, sites) {
    const w = sites.find((s) => s.name === 'weight' || s.name === 'in_proj_weight' || s.name.startsWith('weight_ih'));
    if (!w) return null;
    const k = kerasKernel(w);
    if (type === 'MultiheadAttention' && k) {
      const [fi, fo] = kerasFans(k.shape);
      return `Keras counts fans on the 3-D EinsumDense kernel ${shapeText(k.shape)}: fan_in=${fi}, fan_out=${fo}, a far smaller Glorot bound than a 2-D (E, E) kernel would give`;
    }
    if (k && k.layer.startsWith('Depthwise')) return `as Keras DepthwiseConv: kernel ${shapeText(k.shape)} counts fan_in = in·∏k (keras#11773 over-count)`;
    if (k && k.layer.includes('Transpose')) return `as Keras ${k.layer}: kernel ${shapeText(k.shape)} puts filters before inputs, so fan_in and fan_out are swapped`;
    if (type === 'LSTM' || type === 'LSTMCell') return 'glorot_uniform input kernel, orthogonal recurrent kernel, forget-gate bias 1';
    if (k) return `glorot_uniform on the Keras kernel ${shapeText(k.shape)}, zero bias`;
    return null;
  },
};
