/**
 * The `tfjs` preset: TensorFlow.js 4.22 as it really behaves (tfjs-layers/src/initializers.ts and the layer
 * constructors): `glorotNormal` kernels sampled as a normal truncated to ±2σ WITHOUT the 0.8796 correction (the
 * realized std is 0.88× the intended one), orthogonal recurrent kernels, zero biases, LSTM `unitForgetBias` off,
 * `randomUniform(-0.05, 0.05)` embeddings. Its other quirks (seed 0 means unseeded; `VarianceScaling` with
 * `distribution: 'truncatedNormal'` samples a uniform) are documented in docs/PRESETS.md.
 */
import { num } from './dist.js';
import { type KernelView, kerasFans, perBlock, shapeText } from './layout.js';
import { kerasLikePlan } from './keras.js';
import { kerasKernel } from './layout.js';
import type { InitPlan, ParamSite, Preset } from './types.js';

/** TF.js `glorotNormal`: truncatedNormal(0, √(1/n)) with n = max(1, (fan_in + fan_out)/2), cut at ±2σ, uncorrected. */
export function tfjsGlorotNormalPlan(site: ParamSite, k: KernelView): InitPlan {
  const [fi, fo] = kerasFans(k.shape, true);
  const n = Math.max(1, (fi + fo) / 2);
  const std = Math.sqrt(1 / n);
  const isMha = site.type === 'MultiheadAttention' || k.layer.startsWith('MultiHeadAttention');
  if (isMha) {
    // tfjs-layers' NLP MultiHeadAttention uses glorotUniform EinsumDense kernels.
    const b = Math.sqrt(3 / n);
    return {
      init: `glorotUniform (TF.js ${k.layer})`,
      call: null,
      dist: perBlock({ kind: 'uniform', low: -b, high: b }, site.shape[0]!, k.blocks),
      formula: `U(-b, b), b = sqrt(6/(fan_in + fan_out)) = ${num(b)} on the kernel ${shapeText(k.shape)}`,
      fans: [fi, fo],
      covered: true,
    };
  }
  return {
    init: `glorotNormal (TF.js ${k.layer})`,
    call: null,
    dist: perBlock({ kind: 'truncated_normal', mean: 0, std, a: -2 * std, b: 2 * std }, site.shape[0]!, k.blocks),
    formula: `TN(0, σ²; ±2σ), σ = sqrt(2/(fan_in + fan_out)) = ${num(std)}, NOT corrected: realized std ${num(std * 0.8796256610342398)} (0.88×)`,
    fans: [fi, fo],
    covered: true,
  };
}

export const tfjsPreset: Preset = {
  name: 'tfjs',
  title: 'TensorFlow.js 4.22 layer defaults as they behave: uncorrected truncated glorotNormal, LSTM unitForgetBias off',
  source: 'tensorflow/tfjs 4.22 tfjs-layers/src/initializers.ts and layers/*.ts, per ../shared/reference/framework-defaults.md §2.2',
  plan: (site) => kerasLikePlan(site, 'TF.js', tfjsGlorotNormalPlan),
  moduleNote(type, _m, sites) {
    const w = sites.find((s) => s.name === 'weight' || s.name.startsWith('weight_ih'));
    if (!w) return null;
    const k = kerasKernel(w);
    if (!k) return null;
    if (type === 'LSTM' || type === 'LSTMCell') return 'glorotNormal input kernel (uncorrected truncation), orthogonal recurrent, unitForgetBias off: all biases 0';
    return `glorotNormal truncated at ±2σ without correction: realized std 0.88× Glorot's on the kernel ${shapeText(k.shape)}`;
  },
};
