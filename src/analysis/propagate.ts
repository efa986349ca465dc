/**
 * Analytic signal propagation: predict, per layer, the second moment and std of activations and the scale of
 * gradients, from the init distributions alone (no data, no allocation: works on meta models).
 *
 * Mean-field moment propagation (Poole, Lahiri, Raghu, Sohl-Dickstein & Ganguli 2016, "Exponential expressivity in
 * deep neural networks through transient chaos", https://arxiv.org/abs/1606.05340; Schoenholz, Gilmer, Ganguli &
 * Sohl-Dickstein 2017, "Deep Information Propagation", https://arxiv.org/abs/1611.01232). Each pre-activation is
 * treated as Gaussian with the propagated mean and variance, weights as independent of activations:
 * - Linear / Conv: q_out = fan_in·E[w²]·q_in + E[b²] (fan_in = in/groups·∏k); gradients: g_in = fan_out'·E[w²]·g_out,
 *   fan_out' the number of outputs each input reaches (out/groups·∏k/∏stride for convolutions).
 * - Activation φ: q_out = E[φ(m + √v·z)²], g_in = E[φ'(m + √v·z)²]·g_out, z ~ N(0, 1), by quadrature.
 * - BatchNorm / LayerNorm / GroupNorm / InstanceNorm: output E[γ²] + E[β²]; g_in = E[γ²]·g_out / Var_in.
 *   RMSNorm: E[γ²]; g_in = E[γ²]·g_out / q_in.
 * - Residual: q_out = q_shortcut + q_body (independent branches); g_in = g_out·(shortcut factor + body factor).
 * - Embedding: q_out = E[w²]; Dropout, Flatten, Identity: unchanged; AvgPool over k: Var/k + mean²;
 *   MaxPool: E[max of k Gaussians], by quadrature.
 * - MultiheadAttention (approximate): the value projection, attention weights treated as uniform over the L
 *   positions of the input (q/L; L = 1 when the shape is unknown, an upper bound), then the output projection.
 *   TransformerEncoderLayer: its sub-layers with residual sums and LayerNorms (post-norm or norm_first).
 * Layers not modelled (recurrent layers, Bilinear, …) stop the prediction: later layers report null.
 */
import { fail } from '../errors.js';
import { type ActivationName, activationInfo } from '../init/activations.js';
import { gaussianExpectation } from '../init/quadrature.js';
import { normCdf } from '../math/erf.js';
import type { Module } from '../nn/module.js';
import { ntuple } from '../nn/signature.js';
import { type Dist, distStats } from '../presets/dist.js';
import { type PlanOptions, planModel } from '../presets/plan.js';
import { type GraphNode, buildGraph } from './graph.js';
import { outSize } from './ops/pool.js';

/** Mean-field state of the activations entering or leaving a layer. */
export interface MeanField {
  /** E[x]. */
  mean: number;
  /** E[x²], the second moment. */
  q: number;
  /** Shape without the batch dimension, when known. */
  shape: number[] | null;
}

export interface PropagatedLayer {
  name: string;
  module: string;
  index: number;
  /** Predicted output second moment E[y²] (null after an unmodelled layer). */
  secondMoment: number | null;
  predictedMean: number | null;
  predictedStd: number | null;
  /** Predicted std of the gradient with respect to the layer's output (the last output's is 1). */
  predictedGradStd: number | null;
  /** Output shape without batch, when known. */
  shape: number[] | null;
  /** Why a layer is not modelled, or an approximation note. */
  note: string | null;
}

export interface PropagateOptions extends PlanOptions {
  /** Std of the input (zero mean); default 1. */
  inputStd?: number;
  /** Input shape without the batch dimension (enables shape checks, pooling and attention lengths). */
  inputShape?: readonly number[];
}

export interface Propagation {
  layers: PropagatedLayer[];
  inputStd: number;
  /** Output std over input std (null if not modelled to the end). */
  gain: number | null;
}

interface Moments {
  /** E[w²] and E[w] of a parameter (null if absent). */
  m2: number;
  mean: number;
}

/** Gradient propagation factor: g_in² = factor·g_out² for a layer given its input state. */
type Backward = (gOut: number) => number;

interface Step {
  out: MeanField;
  back: Backward;
}

const ACT_TYPES: Record<string, ActivationName> = {
  ReLU: 'relu',
  LeakyReLU: 'leaky_relu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  GELU: 'gelu',
  SiLU: 'silu',
  Mish: 'mish',
  ELU: 'elu',
  SELU: 'selu',
  CELU: 'celu',
  Softplus: 'softplus',
  Hardtanh: 'hardtanh',
  ReLU6: 'relu6',
  Softsign: 'softsign',
  Hardswish: 'hardswish',
  Hardsigmoid: 'hardsigmoid',
  LogSigmoid: 'logsigmoid',
};

const IDENTITY_TYPES = new Set(['Identity', 'Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout', 'Flatten', 'Unflatten']);

class Unmodelled extends Error {}

/** E[f(m + √v z)] with kinks mapped to z space. */
function gaussExp(f: (x: number) => number, m: number, v: number, kinks: readonly number[]): number {
  const s = Math.sqrt(Math.max(v, 0));
  if (s === 0) return f(m);
  return gaussianExpectation((z) => f(m + s * z), { breakpoints: kinks.map((b) => (b - m) / s) });
}

function activationStep(name: ActivationName, param: number | undefined, inp: MeanField): Step {
  const info = activationInfo(name);
  const p = info.param === null ? 0 : (param ?? info.param.default);
  const f = info.make(p);
  const kinks = info.breakpoints(p);
  const v = inp.q - inp.mean * inp.mean;
  const mean = gaussExp(f, inp.mean, v, kinks);
  const q = gaussExp((x) => f(x) ** 2, inp.mean, v, kinks);
  const df = (x: number): number => {
    const h = 1e-5 * Math.max(1, Math.abs(x));
    return (f(x + h) - f(x - h)) / (2 * h);
  };
  const d2 = gaussExp((x) => df(x) ** 2, inp.mean, v, kinks);
  return { out: { mean, q, shape: inp.shape }, back: (g) => g * d2 };
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
/** {@link ntuple} of a config value, `dflt` repeated when the value is neither an int nor a tuple. */
const tuple = (v: unknown, n: number, dflt: number): readonly number[] => ntuple(typeof v === 'number' || Array.isArray(v) ? v : dflt, n);

function shapeError(name: string, type: string, expected: string, got: readonly number[]): never {
  return fail({
    code: 'SHAPE_MISMATCH',
    where: name === '' ? type : `${name} (${type})`,
    param: 'input',
    expected,
    receivedText: `input of shape [${got.join(', ')}] (batch dimension excluded)`,
    fix: 'Check --input-shape against the first layer, e.g. --input-shape 3,32,32 for Conv2d(3, ...).',
  });
}

/**
 * Predict each layer's activation and gradient scale under a preset and rules.
 *
 * @example
 * ```ts
 * const p = propagate(nn.fromSpec(spec, { device: 'meta' }), { preset: 'he', inputShape: [784] });
 * p.layers.at(-1)?.predictedStd;
 * ```
 */
export function propagate(model: Module, options: PropagateOptions = {}): Propagation {
  const plan = planModel(model, options);
  const dists = new Map<string, { dist: Dist; shape: readonly number[] }>();
  for (const s of plan.sites) dists.set(s.site.path, { dist: s.plan.dist, shape: s.site.shape });
  const inputStd = options.inputStd ?? 1;
  if (!(inputStd >= 0) || !Number.isFinite(inputStd)) {
    fail({ code: 'INVALID_ARGUMENT', where: 'propagate', param: 'inputStd', expected: 'inputStd to be a finite number >= 0', received: inputStd });
  }
  const moments = (path: string): Moments | null => {
    const d = dists.get(path);
    if (!d || d.dist.kind === 'keep') return null;
    const st = distStats(d.dist, d.shape);
    return { m2: st.std * st.std + st.mean * st.mean, mean: st.mean };
  };
  const paramPath = (layer: string, p: string): string => (layer === '' ? p : `${layer}.${p}`);

  const records: PropagatedLayer[] = [];
  const backs: { index: number; back: Backward | null }[] = [];
  let broken = false;

  const leaf = (name: string, type: string, m: Module, inp: MeanField): Step => {
    const cfg = (m._config ?? {}) as Record<string, unknown>;
    const w = moments(paramPath(name, 'weight'));
    const b = moments(paramPath(name, 'bias'));
    const shape = inp.shape;
    if (type in ACT_TYPES) {
      const param = type === 'LeakyReLU' ? (cfg['negative_slope'] as number) : type === 'ELU' || type === 'CELU' ? (cfg['alpha'] as number) : type === 'Softplus' ? (cfg['beta'] as number) : undefined;
      const name2: ActivationName = type === 'GELU' && cfg['approximate'] === 'tanh' ? 'gelu_tanh' : ACT_TYPES[type]!;
      if (type === 'Hardtanh' && ((cfg['min_val'] ?? -1) !== -1 || (cfg['max_val'] ?? 1) !== 1)) throw new Unmodelled('Hardtanh with non-default bounds is not modelled');
      return activationStep(name2, param, inp);
    }
    if (type === 'PReLU') {
      if (!w || w.m2 !== w.mean * w.mean) throw new Unmodelled('PReLU with a non-constant slope is not modelled');
      return activationStep('leaky_relu', w.mean, inp);
    }
    if (IDENTITY_TYPES.has(type)) {
      let outShape = shape;
      if (type === 'Flatten' && shape) {
        const sd = (cfg['start_dim'] as number) ?? 1;
        const ed = (cfg['end_dim'] as number) ?? -1;
        const full = [0, ...shape]; // with a batch axis
        const s0 = sd < 0 ? sd + full.length : sd;
        const e0 = ed < 0 ? ed + full.length : ed;
        const merged = full.slice(s0, e0 + 1);
        outShape = [...full.slice(0, s0), prod(merged), ...full.slice(e0 + 1)].slice(1);
      }
      return { out: { ...inp, shape: outShape }, back: (g) => g };
    }
    if (type === 'Linear' || type === 'NonDynamicallyQuantizableLinear') {
      const fi = cfg['in_features'] as number;
      const fo = cfg['out_features'] as number;
      if (shape && shape[shape.length - 1] !== fi) shapeError(name, type, `a last dimension of ${fi} (in_features)`, shape);
      if (!w) throw new Unmodelled('weight not initialized by the plan');
      const q = fi * w.m2 * inp.q + (b ? b.m2 : 0);
      return { out: { mean: b ? b.mean : 0, q, shape: shape ? [...shape.slice(0, -1), fo] : null }, back: (g) => g * fo * w.m2 };
    }
    if (/^Conv(Transpose)?[123]d$/.test(type)) {
      const transposed = type.startsWith('ConvTranspose');
      const nd = Number(type.match(/([123])d$/)![1]);
      const cin = cfg['in_channels'] as number;
      const cout = cfg['out_channels'] as number;
      const g = (cfg['groups'] as number) ?? 1;
      const k = tuple(cfg['kernel_size'], nd, 1);
      const s = tuple(cfg['stride'], nd, 1);
      const d = tuple(cfg['dilation'], nd, 1);
      const padCfg = cfg['padding'];
      let outShape: number[] | null = null;
      if (shape) {
        if (shape.length !== nd + 1 || shape[0] !== cin) shapeError(name, type, `[${cin}, ${Array.from({ length: nd }, () => 'L').join(', ')}] (in_channels=${cin})`, shape);
        const spatial = shape.slice(1).map((len, i) => {
          if (transposed) {
            const p = tuple(padCfg, nd, 0)[i]!;
            const op = tuple(cfg['output_padding'], nd, 0)[i]!;
            return (len - 1) * s[i]! - 2 * p + d[i]! * (k[i]! - 1) + op + 1;
          }
          if (padCfg === 'same') return len;
          const p = padCfg === 'valid' ? 0 : tuple(padCfg, nd, 0)[i]!;
          return outSize(len, k[i]!, p, s[i]!, d[i]!, false);
        });
        if (spatial.some((x) => x <= 0)) shapeError(name, type, 'a spatial size large enough for the kernel', shape);
        outShape = [cout, ...spatial];
      }
      if (!w) throw new Unmodelled('weight not initialized by the plan');
      const taps = prod(k);
      const strides = prod(s);
      // Forward fan: inputs per output. Backward fan: outputs each input reaches.
      const fwd = transposed ? ((cin / g) * taps) / strides : (cin / g) * taps;
      const bwd = transposed ? (cout / g) * taps : ((cout / g) * taps) / strides;
      return { out: { mean: b ? b.mean : 0, q: fwd * w.m2 * inp.q + (b ? b.m2 : 0), shape: outShape }, back: (gr) => gr * bwd * w.m2 };
    }
    if (/^(BatchNorm|InstanceNorm)[123]d$/.test(type) || type === 'LayerNorm' || type === 'GroupNorm') {
      const gm2 = w ? w.m2 : 1;
      const bm2 = b ? b.m2 : 0;
      const v = Math.max(inp.q - inp.mean * inp.mean, 1e-300);
      return { out: { mean: b ? b.mean : 0, q: gm2 + bm2, shape }, back: (g) => (g * gm2) / v };
    }
    if (type === 'RMSNorm') {
      const gm2 = w ? w.m2 : 1;
      return { out: { mean: 0, q: gm2, shape }, back: (g) => (g * gm2) / Math.max(inp.q, 1e-300) };
    }
    if (type === 'Embedding' || type === 'EmbeddingBag') {
      if (!w) throw new Unmodelled('weight not initialized by the plan');
      const dim = cfg['embedding_dim'] as number;
      return { out: { mean: w.mean, q: w.m2, shape: shape ? [...shape, dim] : null }, back: () => 0 };
    }
    const pool = type.match(/^(Max|Avg)Pool([123])d$/);
    if (pool) {
      const nd = Number(pool[2]);
      const k = tuple(cfg['kernel_size'], nd, 1);
      const s = cfg['stride'] === null || cfg['stride'] === undefined ? k : tuple(cfg['stride'], nd, 1);
      const p = tuple(cfg['padding'], nd, 0);
      const d = pool[1] === 'Max' ? tuple(cfg['dilation'], nd, 1) : k.map(() => 1);
      const outShape = shape ? [shape[0]!, ...shape.slice(1).map((len, i) => outSize(len, k[i]!, p[i]!, s[i]!, d[i]!, cfg['ceil_mode'] === true))] : null;
      const n = prod(k);
      const v = Math.max(inp.q - inp.mean * inp.mean, 0);
      const cover = n / prod(s); // average number of windows an input falls in
      if (pool[1] === 'Avg') return { out: { mean: inp.mean, q: v / n + inp.mean ** 2, shape: outShape }, back: (g) => (g * cover) / n };
      // Max of n Gaussians N(m, v): E[max²] = ∫ x² n φ(z) Φ(z)^(n-1) dz, x = m + √v z.
      const sd = Math.sqrt(v);
      const mean = gaussianExpectation((z) => (inp.mean + sd * z) * n * normCdf(z) ** (n - 1));
      const q = gaussianExpectation((z) => (inp.mean + sd * z) ** 2 * n * normCdf(z) ** (n - 1));
      return { out: { mean, q, shape: outShape }, back: (g) => (g * cover) / n };
    }
    const adaptive = type.match(/^Adaptive(Avg|Max)Pool([123])d$/);
    if (adaptive && adaptive[1] === 'Avg') {
      const nd = Number(adaptive[2]);
      const os = tuple(cfg['output_size'], nd, 1);
      if (!shape) throw new Unmodelled('needs the input shape');
      const n = prod(shape.slice(1)) / prod(os.map((o, i) => o ?? shape[i + 1]!));
      const v = Math.max(inp.q - inp.mean * inp.mean, 0);
      return { out: { mean: inp.mean, q: v / n + inp.mean ** 2, shape: [shape[0]!, ...os.map((o, i) => o ?? shape[i + 1]!)] }, back: (g) => g / n };
    }
    if (type === 'MultiheadAttention') return attentionStep(name, cfg, inp, moments, paramPath);
    if (type === 'TransformerEncoderLayer') return encoderLayerStep(name, m, cfg, inp, moments, paramPath);
    throw new Unmodelled(`${type} is not modelled`);
  };

  const run = (g: GraphNode, inp: MeanField): Step => {
    if (g.kind === 'leaf') {
      const index = records.length;
      let step: Step | null = null;
      let note: string | null = null;
      if (!broken) {
        try {
          step = leaf(g.name, g.type, g.module, inp);
          if (g.type === 'MultiheadAttention' || g.type === 'TransformerEncoderLayer') {
            note = `attention approximated: uniform weights over L = ${inp.shape && inp.shape.length >= 2 ? inp.shape[inp.shape.length - 2] : 1} positions`;
          }
        } catch (e) {
          if (!(e instanceof Unmodelled)) throw e;
          broken = true;
          note = e.message;
        }
      } else note = 'after a layer that is not modelled';
      const out = step?.out ?? { mean: NaN, q: NaN, shape: null };
      records.push({
        name: g.name,
        module: g.type,
        index,
        secondMoment: step ? out.q : null,
        predictedMean: step ? out.mean : null,
        predictedStd: step ? Math.sqrt(Math.max(out.q - out.mean * out.mean, 0)) : null,
        predictedGradStd: null,
        shape: out.shape,
        note,
      });
      backs.push({ index, back: step?.back ?? null });
      return { out, back: step?.back ?? ((x) => x * NaN) };
    }
    if (g.kind === 'seq') {
      let cur = inp;
      const bs: Backward[] = [];
      for (const c of g.children) {
        const s = run(c, cur);
        cur = s.out;
        bs.push(s.back);
      }
      return { out: cur, back: (gr) => bs.reduceRight((acc, b) => b(acc), gr) };
    }
    // residual: body and shortcut from the same input, summed
    const body = run(g.body, inp);
    const sc = g.shortcut ? run(g.shortcut, inp) : { out: inp, back: (x: number) => x };
    const out: MeanField = {
      mean: body.out.mean + sc.out.mean,
      q: body.out.q + sc.out.q + 2 * body.out.mean * sc.out.mean,
      shape: body.out.shape ?? sc.out.shape,
    };
    return { out, back: (gr) => body.back(gr) + sc.back(gr) };
  };

  const graph = buildGraph(model);
  const input: MeanField = { mean: 0, q: inputStd * inputStd, shape: options.inputShape ? [...options.inputShape] : null };
  run(graph, input);

  // Backward: the gradient of L = sum(y ⊙ g), g ~ N(0, 1), is 1 at the last output; walk the layers in reverse.
  // For layers inside residual branches this is the chain along execution order (a documented simplification).
  let gsq = 1;
  for (let i = backs.length - 1; i >= 0; i--) {
    const r = records[i]!;
    if (r.secondMoment === null) {
      gsq = NaN;
      continue;
    }
    r.predictedGradStd = Number.isFinite(gsq) ? Math.sqrt(gsq) : null;
    const b = backs[i]!.back;
    gsq = b ? b(gsq) : NaN;
  }
  const last = records[records.length - 1];
  return {
    layers: records,
    inputStd,
    gain: last && last.predictedStd !== null && inputStd > 0 ? last.predictedStd / inputStd : null,
  };
}

function attentionStep(
  name: string,
  cfg: Record<string, unknown>,
  inp: MeanField,
  moments: (p: string) => Moments | null,
  paramPath: (l: string, p: string) => string,
): Step {
  const e = cfg['embed_dim'] as number;
  const w = moments(paramPath(name, 'in_proj_weight')) ?? moments(paramPath(name, 'v_proj_weight'));
  const b = moments(paramPath(name, 'in_proj_bias'));
  const wo = moments(paramPath(name, 'out_proj.weight'));
  const bo = moments(paramPath(name, 'out_proj.bias'));
  if (!w || !wo) throw new Unmodelled('attention weights not initialized by the plan');
  const shape = inp.shape;
  if (shape && shape[shape.length - 1] !== e) shapeError(name, 'MultiheadAttention', `a last dimension of ${e} (embed_dim)`, shape);
  const len = shape && shape.length >= 2 ? shape[shape.length - 2]! : 1;
  const qv = e * w.m2 * inp.q + (b ? b.m2 : 0);
  const qa = qv / len; // uniform attention averages L independent values
  const q = e * wo.m2 * qa + (bo ? bo.m2 : 0);
  return { out: { mean: bo ? bo.mean : 0, q, shape }, back: (g) => (g * e * wo.m2 * e * w.m2) / len };
}

function encoderLayerStep(
  name: string,
  m: Module,
  cfg: Record<string, unknown>,
  inp: MeanField,
  moments: (p: string) => Moments | null,
  paramPath: (l: string, p: string) => string,
): Step {
  const normFirst = cfg['norm_first'] === true;
  const act = typeof cfg['activation'] === 'string' ? (cfg['activation'] as string) : 'relu';
  const sa = m._modules.get('self_attn')!;
  const saStep = (x: MeanField): Step => attentionStep(paramPath(name, 'self_attn'), (sa._config ?? {}) as Record<string, unknown>, x, moments, paramPath);
  const lin = (sub: string, x: MeanField): Step => {
    const w = moments(paramPath(name, `${sub}.weight`));
    const b = moments(paramPath(name, `${sub}.bias`));
    const lc = (m._modules.get(sub)!._config ?? {}) as Record<string, unknown>;
    if (!w) throw new Unmodelled('linear weights not initialized by the plan');
    const fi = lc['in_features'] as number;
    const fo = lc['out_features'] as number;
    return { out: { mean: b ? b.mean : 0, q: fi * w.m2 * x.q + (b ? b.m2 : 0), shape: x.shape ? [...x.shape.slice(0, -1), fo] : null }, back: (g) => g * fo * w.m2 };
  };
  const norm = (sub: string, x: MeanField): Step => {
    const w = moments(paramPath(name, `${sub}.weight`));
    const b = moments(paramPath(name, `${sub}.bias`));
    const gm2 = w ? w.m2 : 1;
    const v = Math.max(x.q - x.mean * x.mean, 1e-300);
    return { out: { mean: b ? b.mean : 0, q: gm2 + (b ? b.m2 : 0), shape: x.shape }, back: (g) => (g * gm2) / v };
  };
  const ff = (x: MeanField): Step => {
    const a = lin('linear1', x);
    const h = activationStep(act === 'gelu' ? 'gelu' : 'relu', undefined, a.out);
    const o = lin('linear2', h.out);
    return { out: o.out, back: (g) => a.back(h.back(o.back(g))) };
  };
  const add = (x: MeanField, y: Step): Step => ({
    out: { mean: x.mean + y.out.mean, q: x.q + y.out.q + 2 * x.mean * y.out.mean, shape: x.shape },
    back: (g) => g + y.back(g),
  });
  if (normFirst) {
    const n1 = norm('norm1', inp);
    const s1 = saStep(n1.out);
    const r1 = add(inp, { out: s1.out, back: (g) => n1.back(s1.back(g)) });
    const n2 = norm('norm2', r1.out);
    const f2 = ff(n2.out);
    const r2 = add(r1.out, { out: f2.out, back: (g) => n2.back(f2.back(g)) });
    return { out: r2.out, back: (g) => r1.back(r2.back(g)) };
  }
  const s1 = saStep(inp);
  const r1 = add(inp, s1);
  const n1 = norm('norm1', r1.out);
  const f2 = ff(n1.out);
  const r2 = add(n1.out, f2);
  const n2 = norm('norm2', r2.out);
  return { out: n2.out, back: (g) => r1.back(n1.back(r2.back(n2.back(g)))) };
}
