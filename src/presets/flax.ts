/**
 * The `flax` preset: Flax linen defaults (flax/linen/{linear,recurrent,attention,normalization}.py):
 * `lecun_normal` kernels (truncated at ±2σ and corrected, realized std 1/√fan_in) counted on the Flax kernel,
 * zero biases, `Embed` N(0, 1/features), orthogonal recurrent kernels (one per gate), norms 1/0, PReLU slope 0.01.
 */
import { TRUNCATED_NORMAL_STD_FACTOR } from '../init/variance-scaling.js';
import { num } from './dist.js';
import { flaxKernel, perBlock, shapeText } from './layout.js';
import { constPlan, orthogonalPlan, uncovered } from './keras.js';
import { NORM_TYPES, RNN_TYPES, torchPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset } from './types.js';

function lecunNormalFlax(site: ParamSite): InitPlan | null {
  const k = flaxKernel(site);
  if (k === null) return null;
  if (k.role === 'recurrent') return orthogonalPlan(site, k, 'Flax');
  const fanIn = k.shape.slice(0, -1).reduce((p, x) => p * x, 1);
  const realized = Math.sqrt(1 / Math.max(1, fanIn));
  const std = realized / TRUNCATED_NORMAL_STD_FACTOR;
  return {
    init: `lecun_normal (Flax ${k.layer})`,
    call: null,
    dist: perBlock({ kind: 'truncated_normal', mean: 0, std, a: -2 * std, b: 2 * std }, site.shape[0]!, k.blocks),
    formula: `TN(0, σ²; ±2σ), σ = sqrt(1/fan_in)/0.8796 = ${num(std)}, realized std ${num(realized)}; kernel ${shapeText(k.shape)}${k.blocks > 1 ? ` (×${k.blocks})` : ''}`,
    fans: [fanIn, k.shape[k.shape.length - 1]!],
    covered: true,
  };
}

export function flaxPlan(site: ParamSite): InitPlan {
  if (site.kind === 'buffer') return torchPlan(site);
  const { type, name, shape } = site;
  const kernel = lecunNormalFlax(site);
  if (kernel !== null) return kernel;
  if ((type === 'Embedding' || type === 'EmbeddingBag') && name === 'weight') {
    const std = Math.sqrt(1 / Math.max(1, shape[1] ?? 1));
    return {
      init: "variance_scaling(1, 'fan_in', 'normal', out_axis=0) (Flax Embed)",
      call: null,
      dist: { kind: 'normal', mean: 0, std },
      formula: `N(0, 1/features), σ = ${num(std)}`,
      fans: null,
      covered: true,
    };
  }
  if (name === 'bias' || name.startsWith('bias_ih') || name.startsWith('bias_hh') || name === 'in_proj_bias') {
    if (type === 'Bilinear') return uncovered(site, 'Flax');
    return constPlan(0, 'zeros (Flax bias)');
  }
  if (NORM_TYPES.has(type)) return constPlan(name === 'weight' ? 1 : 0, name === 'weight' ? 'ones (Flax scale)' : 'zeros (Flax bias)');
  if (type === 'PReLU') return constPlan(0.01, 'constant 0.01 (Flax PReLU negative_slope_init)');
  if (RNN_TYPES.has(type)) return constPlan(0, 'zeros (Flax bias)');
  return uncovered(site, 'Flax');
}

export const flaxPreset: Preset = {
  name: 'flax',
  title: 'Flax linen defaults: lecun_normal kernels, zero biases, Embed N(0, 1/features), orthogonal recurrent',
  source: 'google/flax linen (flax/linen/linear.py default_kernel_init, recurrent.py, attention.py), per framework-defaults.md §2.4',
  plan: (site) => flaxPlan(site),
  moduleNote(type, _m, sites) {
    const w = sites.find((s) => s.name === 'weight' || s.name.startsWith('weight_ih') || s.name === 'in_proj_weight');
    if (!w) return null;
    if (type === 'Embedding') return 'N(0, 1/features): std shrinks with the embedding width (PyTorch: 1)';
    const k = flaxKernel(w);
    if (!k) return null;
    if (k.layer === 'ConvTranspose') return 'lecun_normal with fan_in = in·∏k: Flax stores (k…, in, out), so a transposed conv\'s fans are not swapped';
    return `lecun_normal: realized std 1/sqrt(fan_in) = 1.73x PyTorch's default`;
  },
};
