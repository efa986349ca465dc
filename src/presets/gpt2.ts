/**
 * The `gpt2` preset: Hugging Face GPT-2's `_init_weights` (transformers/models/gpt2/modeling_gpt2.py), mapped onto
 * PyTorch's modules: every Linear (and Conv1D-like projection) weight and every Embedding N(0, initializer_range²)
 * with initializer_range = 0.02, biases 0, LayerNorm 1/0, and the residual projections — GPT-2's `c_proj`, here
 * also MultiheadAttention's `out_proj` and a transformer layer's `linear2` — N(0, (0.02/√(2·n_layer))²)
 * (Radford et al. 2019, "Language Models are Unsupervised Multitask Learners", §2.3).
 */
import { num } from './dist.js';
import { constPlan } from './keras.js';
import { resolveCall } from './registry.js';
import { LINEAR_LIKE, NORM_TYPES, callPlan, torchPlan } from './torch.js';
import type { InitPlan, ParamSite, Preset, PresetContext } from './types.js';

/** Parameter paths treated as residual projections (scaled by 1/√(2·n_layer)). */
export const GPT2_RESIDUAL_PATTERN = /(^|\.)(c_proj|out_proj|linear2)\.weight$/;

export function gpt2Plan(site: ParamSite, ctx: PresetContext): InitPlan {
  if (site.kind === 'buffer') return torchPlan(site);
  const r = ctx.options.initializerRange ?? 0.02;
  const { type, name, shape } = site;
  const normal = (std: number, why: string): InitPlan =>
    callPlan(resolveCall('gpt2 preset', 'normal_', { mean: 0, std }), shape, { formula: `N(0, σ²), σ = ${why} = ${num(std)}` });
  const isMatrix = shape.length >= 2;
  if (isMatrix && GPT2_RESIDUAL_PATTERN.test(site.path)) {
    const std = r / Math.sqrt(2 * ctx.nLayer);
    return normal(std, `initializer_range/sqrt(2·n_layer) = ${r}/sqrt(2·${ctx.nLayer})`);
  }
  if ((LINEAR_LIKE.has(type) || type === 'Bilinear') && name === 'weight') return normal(r, 'initializer_range');
  if (type === 'MultiheadAttention' && name.endsWith('_weight')) return normal(r, 'initializer_range');
  if (type === 'MultiheadAttention' && (name === 'bias_k' || name === 'bias_v')) return normal(r, 'initializer_range');
  if ((type === 'Embedding' || type === 'EmbeddingBag') && name === 'weight') {
    const p = normal(r, 'initializer_range');
    const pad = site.cfg['padding_idx'];
    if (typeof pad === 'number') {
      const row = pad < 0 ? pad + shape[0]! : pad;
      return {
        ...p,
        zeroRows: [row],
        dist: {
          kind: 'rows',
          parts: [
            { start: 0, end: row, dist: p.dist },
            { start: row, end: row + 1, dist: { kind: 'constant', value: 0 } },
            { start: row + 1, end: shape[0]!, dist: p.dist },
          ].filter((x) => x.end > x.start) as { start: number; end: number; dist: typeof p.dist }[],
        },
        formula: `${p.formula}; padding row ${row} = 0`,
      };
    }
    return p;
  }
  if (shape.length === 1 && (name === 'bias' || name === 'in_proj_bias' || name.startsWith('bias_'))) return constPlan(0, 'zeros_ (bias)');
  if (NORM_TYPES.has(type)) return constPlan(name === 'weight' ? 1 : 0, name === 'weight' ? 'ones_ (LayerNorm weight)' : 'zeros_ (LayerNorm bias)');
  return { ...torchPlan(site), torchDefault: true, note: 'GPT-2 defines no init for this parameter: PyTorch\'s default kept' };
}

export const gpt2Preset: Preset = {
  name: 'gpt2',
  title: 'Hugging Face GPT-2: N(0, 0.02²) weights and embeddings, zero biases, residual projections 0.02/√(2·n_layer)',
  source: 'huggingface/transformers modeling_gpt2.py GPT2PreTrainedModel._init_weights; Radford et al. 2019 §2.3',
  plan: gpt2Plan,
  moduleNote(type, _m, sites, ctx) {
    const r = ctx.options.initializerRange ?? 0.02;
    if (sites.some((s) => GPT2_RESIDUAL_PATTERN.test(s.path))) {
      return `residual projection scaled to ${num(r / Math.sqrt(2 * ctx.nLayer))} = ${r}/sqrt(2·${ctx.nLayer}) so the residual stream does not grow with depth`;
    }
    if (LINEAR_LIKE.has(type) || type === 'MultiheadAttention' || type === 'Embedding') return `N(0, ${r}²) regardless of width`;
    return null;
  },
};
