/**
 * How other frameworks store the kernel of the layer a PyTorch module corresponds to, and how they count fans on
 * it: the facts the keras, tfjs and flax presets compute their distributions from. The distribution is then
 * applied to PyTorch's tensor (only the distribution matters, not the storage order).
 */
import { num } from './dist.js';
import type { Dist } from './dist.js';
import { CONV_TRANSPOSE_TYPES, CONV_TYPES } from './torch.js';
import type { ParamSite } from './types.js';

/** A framework kernel: its shape in that framework, and how many stacked blocks (gates, Q/K/V) share a tensor. */
export interface KernelView {
  /** The framework's kernel shape for one block. */
  shape: number[];
  /** Rows of PyTorch's tensor (dim 0) per block; the tensor has `blocks` such row ranges. */
  blocks: number;
  role: 'kernel' | 'recurrent' | 'projection';
  /** Which framework layer this is, for notes. */
  layer: string;
}

const prod = (xs: readonly number[]): number => xs.reduce((p, x) => p * x, 1);

/** Keras / TF.js `compute_fans`: rank 2 (in, out); rank >= 3 receptive field = ∏shape[:-2]. */
export function kerasFans(shape: readonly number[], tfjsOddRanks = false): [number, number] {
  const r = shape.length;
  if (tfjsOddRanks && (r < 2 || r > 5)) {
    const f = Math.sqrt(prod(shape));
    return [f, f];
  }
  if (r === 0) return [1, 1];
  if (r === 1) return [shape[0]!, shape[0]!];
  if (r === 2) return [shape[0]!, shape[1]!];
  const rf = prod(shape.slice(0, -2));
  return [shape[r - 2]! * rf, shape[r - 1]! * rf];
}

/** Number of gates of a recurrent module (rows per hidden unit). */
export function gateCount(type: string): number {
  if (type === 'LSTM' || type === 'LSTMCell') return 4;
  if (type === 'GRU' || type === 'GRUCell') return 3;
  return 1;
}

/** Heads and the embedding size of a MultiheadAttention site. */
function mhaDims(site: ParamSite): { e: number; heads: number } {
  const e = (site.cfg['embed_dim'] as number) ?? site.shape[1] ?? 1;
  const heads = (site.cfg['num_heads'] as number) ?? 1;
  return { e, heads };
}

/**
 * The Keras 3 / TF.js (channels-last) kernel for a PyTorch weight, or null when there is no such layer.
 * Conv `(out, in/g, *k)` → `(*k, in/g, out)`; depthwise (groups = in_channels) → DepthwiseConv `(*k, in, mult)`;
 * ConvTranspose `(in, out, *k)` → `(*k, out, in)` (filters before inputs: fans swapped relative to a conv);
 * RNN `weight_ih` `(G·h, in)` → `(in, G·h)`, `weight_hh` → `(h, G·h)`; MultiheadAttention Q/K/V → EinsumDense
 * `(E, heads, head_dim)` each, out_proj → `(heads, head_dim, E)`.
 */
export function kerasKernel(site: ParamSite): KernelView | null {
  const { type, name, shape, cfg } = site;
  if ((type === 'Linear' || type === 'NonDynamicallyQuantizableLinear') && name === 'weight') {
    const parent = site.ancestors[site.ancestors.length - 1];
    if (parent?.type === 'MultiheadAttention' && site.modulePath.endsWith('out_proj')) {
      const { e, heads } = mhaDims({ ...site, cfg: (parent.module._config ?? {}) as Record<string, unknown> });
      return { shape: [heads, e / heads, e], blocks: 1, role: 'projection', layer: 'MultiHeadAttention output EinsumDense' };
    }
    return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: 'Dense' };
  }
  if (CONV_TYPES.has(type) && name === 'weight') {
    const k = shape.slice(2);
    const g = (cfg['groups'] as number) ?? 1;
    const inCh = (cfg['in_channels'] as number) ?? shape[1]! * g;
    if (g > 1 && g === inCh) {
      return { shape: [...k, inCh, shape[0]! / inCh], blocks: 1, role: 'kernel', layer: `DepthwiseConv${k.length}D` };
    }
    return { shape: [...k, shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: `Conv${k.length}D${g > 1 ? ` (groups=${g})` : ''}` };
  }
  if (CONV_TRANSPOSE_TYPES.has(type) && name === 'weight') {
    const g = (cfg['groups'] as number) ?? 1;
    if (g > 1) return null;
    const k = shape.slice(2);
    return { shape: [...k, shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: `Conv${k.length}DTranspose` };
  }
  if (['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell'].includes(type)) {
    const layer = type.replace('Cell', '').replace('RNN', 'SimpleRNN');
    if (name.startsWith('weight_ih')) return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer };
    if (name.startsWith('weight_hh')) return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'recurrent', layer };
    if (name.startsWith('weight_hr')) return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'projection', layer: `${layer} projection (no Keras equivalent; Dense)` };
  }
  if (type === 'MultiheadAttention') {
    const { e, heads } = mhaDims(site);
    if (name === 'in_proj_weight') return { shape: [e, heads, e / heads], blocks: 3, role: 'kernel', layer: 'MultiHeadAttention query/key/value EinsumDense' };
    if (name === 'q_proj_weight' || name === 'k_proj_weight' || name === 'v_proj_weight') {
      return { shape: [shape[1]!, heads, shape[0]! / heads], blocks: 1, role: 'kernel', layer: 'MultiHeadAttention EinsumDense' };
    }
  }
  return null;
}

/**
 * The Flax linen kernel for a PyTorch weight. Dense `(in, out)`; Conv `(*k, in/g, out)`; ConvTranspose `(*k, in,
 * out)` (Flax's default, so fans are not swapped); DenseGeneral kernels of attention flattened to `(E, E)` before
 * the initializer runs; LSTM/GRU one Dense per gate: `(in, h)` input and `(h, h)` recurrent kernels.
 */
export function flaxKernel(site: ParamSite): KernelView | null {
  const { type, name, shape, cfg } = site;
  if ((type === 'Linear' || type === 'NonDynamicallyQuantizableLinear') && name === 'weight') {
    return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: 'Dense' };
  }
  if (CONV_TYPES.has(type) && name === 'weight') {
    const k = shape.slice(2);
    return { shape: [...k, shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: 'Conv' };
  }
  if (CONV_TRANSPOSE_TYPES.has(type) && name === 'weight') {
    if (((cfg['groups'] as number) ?? 1) > 1) return null;
    const k = shape.slice(2);
    return { shape: [...k, shape[0]!, shape[1]!], blocks: 1, role: 'kernel', layer: 'ConvTranspose' };
  }
  if (['RNN', 'LSTM', 'GRU', 'RNNCell', 'LSTMCell', 'GRUCell'].includes(type)) {
    const gates = gateCount(type);
    const h = shape[0]! / gates;
    const layer = type === 'LSTM' || type === 'LSTMCell' ? 'LSTMCell' : type === 'GRU' || type === 'GRUCell' ? 'GRUCell' : 'SimpleCell';
    if (name.startsWith('weight_ih')) return { shape: [shape[1]!, h], blocks: gates, role: 'kernel', layer };
    if (name.startsWith('weight_hh')) return { shape: [shape[1]!, h], blocks: gates, role: 'recurrent', layer };
    if (name.startsWith('weight_hr')) return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'projection', layer: `${layer} (projection: Dense)` };
  }
  if (type === 'MultiheadAttention') {
    const e = (cfg['embed_dim'] as number) ?? shape[1]!;
    if (name === 'in_proj_weight') return { shape: [e, e], blocks: 3, role: 'kernel', layer: 'MultiHeadDotProductAttention query/key/value' };
    if (name === 'q_proj_weight' || name === 'k_proj_weight' || name === 'v_proj_weight') {
      return { shape: [shape[1]!, shape[0]!], blocks: 1, role: 'kernel', layer: 'MultiHeadDotProductAttention' };
    }
  }
  return null;
}

/** A distribution repeated over `blocks` equal row ranges of dim 0 (or the plain distribution for one block). */
export function perBlock(dist: Dist, rows: number, blocks: number): Dist {
  if (blocks <= 1) return dist;
  const step = rows / blocks;
  return { kind: 'rows', parts: Array.from({ length: blocks }, (_, i) => ({ start: i * step, end: (i + 1) * step, dist })) };
}

export function shapeText(shape: readonly number[]): string {
  return `(${shape.map((x) => num(x)).join(', ')})`;
}
