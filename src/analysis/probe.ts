/**
 * The empirical probe: a real forward and backward pass through a model on CPU, recording for every leaf layer (in
 * execution order, named as PyTorch's `named_modules()`) the output's mean, std, range, zero fraction and histogram,
 * the std of the gradient with respect to the output and to each of the layer's own parameters.
 *
 * It is reproducible in PyTorch exactly (`scripts/probe_torch.py`, docs/DIAGNOSE.md):
 * ```python
 * torch.manual_seed(seed); model = build(spec)            # + the init's pass, if any
 * x = torch.randn(batch, *input_shape)                     # the next draws of the same generator
 * y = model(x)                                             # BatchNorm in training mode, Dropout as identity
 * g = torch.randn_like(y)                                  # drawn next
 * (y * g).sum().backward()                                 # so dL/dy = g
 * ```
 * With an `Embedding` first, the input is `torch.randint(0, num_embeddings, (batch, *input_shape))` instead.
 *
 * The forward follows initkit's graph conventions (./graph.ts): containers run their children in order; a
 * `Residual` computes `shortcut(x) + body(x)` (body first). The model is never modified: BatchNorm uses the batch's
 * statistics without touching `running_mean` / `running_var`, and gradients live on the probe's own arrays.
 * Everything is computed in float32 (float64 parameters are rounded to float32 for the pass); statistics are
 * accumulated in float64.
 */
import { InitError, checkInteger, fail } from '../errors.js';
import { normal_ } from '../init/normal.js';
import { drawOptions, resolveGenerator } from '../init/common.js';
import type { Module } from '../nn/module.js';
import { ntuple } from '../nn/signature.js';
import type { RandomEngine } from '../rng/engine.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor, empty } from '../tensor/tensor.js';
import { type GraphNode, buildGraph, leaves } from './graph.js';
import type { Activation, ActivationOptions } from './ops/activation.js';
import { type Buf, bufFromTensor } from './ops/buffer.js';
import { type GemmBackend, resolveGemm } from './ops/gemm.js';
import type { Indices } from './ops/embedding.js';
import { type Histogram, histogram, std } from './ops/stats.js';
import { type Param, Tape, type TapeNode, type Var, param as makeParam } from './ops/tape.js';
import type { ProbeOptions, ProbeResult, ProbedLayer } from './probe-types.js';

export type { ProbeOptions, ProbeResult, ProbedLayer, ProbeFn } from './probe-types.js';

/** Activation modules the probe runs, by PyTorch class name → the ops kind. */
const ACTIVATION_KINDS: Readonly<Record<string, Activation>> = Object.freeze({
  ReLU: 'relu',
  LeakyReLU: 'leaky_relu',
  GELU: 'gelu',
  SiLU: 'silu',
  Tanh: 'tanh',
  Sigmoid: 'sigmoid',
  ELU: 'elu',
  SELU: 'selu',
  CELU: 'celu',
  Softplus: 'softplus',
  Mish: 'mish',
  Hardtanh: 'hardtanh',
  ReLU6: 'relu6',
  Softsign: 'softsign',
});

const DROPOUT_TYPES = ['Dropout', 'Dropout1d', 'Dropout2d', 'Dropout3d', 'AlphaDropout', 'FeatureAlphaDropout'] as const;
const CONTAINER_TYPES = ['Sequential', 'ModuleList', 'ModuleDict', 'Module'] as const;

/** Every leaf layer type the probe runs (containers and Residual are walked, not run). */
export const PROBE_LAYERS: readonly string[] = Object.freeze([
  'Linear',
  'Conv1d',
  'Conv2d',
  ...Object.keys(ACTIVATION_KINDS),
  'BatchNorm1d',
  'BatchNorm2d',
  'LayerNorm',
  'GroupNorm',
  'RMSNorm',
  'Embedding',
  ...DROPOUT_TYPES,
  'Flatten',
  'Identity',
  'MaxPool1d',
  'MaxPool2d',
  'AvgPool1d',
  'AvgPool2d',
  'AdaptiveAvgPool1d',
  'AdaptiveAvgPool2d',
]);

/** Types whose weight LSUV rescales (the layers with a fan-in: Linear and the convolutions). */
export const WEIGHTED_LAYERS: readonly string[] = Object.freeze(['Linear', 'NonDynamicallyQuantizableLinear', 'Conv1d', 'Conv2d']);

const SUPPORTED = new Set<string>([...PROBE_LAYERS, 'NonDynamicallyQuantizableLinear', ...CONTAINER_TYPES]);

type Leaf = Extract<GraphNode, { kind: 'leaf' }>;

/** Integer indices flowing into a first Embedding layer. */
interface IndexValue {
  readonly indices: Indices;
}

/** What flows between layers: activations on the tape, or the raw token ids. */
type Value = Var | IndexValue;

function isIndexValue(v: Value): v is IndexValue {
  return (v as IndexValue).indices !== undefined;
}

/** `fc1 (Linear)`; the root module is `model`. */
function layerWhere(leaf: { name: string; type: string }): string {
  return `${leaf.name === '' ? 'model' : leaf.name} (${leaf.type})`;
}

function shapeFail(leaf: Leaf, expected: string, shape: readonly number[], fix?: string): never {
  return fail({
    code: 'SHAPE_MISMATCH',
    where: layerWhere(leaf),
    param: 'input',
    expected,
    receivedText: `input shape ${formatShape(shape)}`,
    fix: fix ?? 'Check the input shape (batch first) against the layer, or the layer sizes in the model spec.',
  });
}

/** The "got ..." text of an InitError's message. */
function receivedText(e: InitError): string {
  const head = `${e.where}: expected ${e.expected}, got `;
  const tail = `.${e.fix !== undefined && e.fix !== '' ? ` ${e.fix}` : ''}`;
  if (e.message.startsWith(head) && e.message.endsWith(tail)) return e.message.slice(head.length, e.message.length - tail.length);
  return String(e.received);
}

/** Execution state of one pass. */
interface Pass {
  /** The tape ops record on; a forward-only pass records each leaf on a throwaway tape. */
  readonly tape: Tape;
  readonly forwardOnly: boolean;
  readonly gemm: GemmBackend | undefined;
  /** One Param per parameter tensor (a tensor used by two layers accumulates both gradients, as autograd). */
  readonly params: Map<Tensor, Param>;
  /** Outputs of the leaves, in execution order. */
  readonly outputs: { leaf: Leaf; output: Var }[];
  /** Called for every leaf with its input and a function that runs it (LSUV reruns rescaled layers). */
  readonly onLeaf: ((leaf: Leaf, input: Value, run: () => Var) => Var) | undefined;
}

function cfgOf(m: Module): Record<string, unknown> {
  return (m._config ?? {}) as Record<string, unknown>;
}

/** The Param for a module's parameter (null when absent). @internal */
function paramFor(pass: Pass, leaf: Leaf, name: string): Param | null {
  const t = leaf.module._parameters.get(name);
  if (t === undefined || t === null) return null;
  const path = leaf.name === '' ? name : `${leaf.name}.${name}`;
  // Forward-only passes (LSUV) read the tensor afresh every time: a float64 weight's float32 copy must follow its
  // in-place rescaling.
  if (pass.forwardOnly) return makeParam(path, bufFromTensor(t), { requiresGrad: false });
  let p = pass.params.get(t);
  if (p === undefined) {
    p = makeParam(path, bufFromTensor(t), { requiresGrad: t.requiresGrad });
    pass.params.set(t, p);
  }
  return p;
}

function floatInput(leaf: Leaf, x: Value): Var {
  if (isIndexValue(x)) {
    return fail({
      code: 'INVALID_ARGUMENT',
      where: layerWhere(leaf),
      param: 'input',
      expected: 'float activations (integer token ids can only feed an Embedding that comes first)',
      receivedText: `integer indices of shape ${formatShape(x.indices.shape)}`,
      fix: 'Put the Embedding first, or give a float input.',
    });
  }
  return x;
}

function checkRank(leaf: Leaf, x: Var, ranks: readonly number[], layout: string): void {
  if (!ranks.includes(x.shape.length)) shapeFail(leaf, `input ${layout} (${ranks.join(' or ')} dimensions, batch first)`, x.shape);
}

function checkChannels(leaf: Leaf, x: Var, channels: number, what: string): void {
  if (x.shape[1] !== channels) shapeFail(leaf, `input with ${channels} channels in dimension 1 (${what})`, x.shape);
}

/** Run one leaf layer. */
function runLeaf(pass: Pass, tape: Tape, leaf: Leaf, xin: Value): Var {
  const { type, module: m } = leaf;
  const cfg = cfgOf(m);
  const name = leaf.name;
  if (type === 'Embedding') {
    if (!isIndexValue(xin)) {
      return fail({
        code: 'INVALID_ARGUMENT',
        where: layerWhere(leaf),
        param: 'input',
        expected: 'integer token ids (an Embedding can only be the first layer the input reaches)',
        receivedText: `float activations of shape ${formatShape(xin.shape)}`,
      });
    }
    if (cfg['max_norm'] !== null && cfg['max_norm'] !== undefined) {
      fail({
        code: 'UNSUPPORTED',
        where: layerWhere(leaf),
        param: 'max_norm',
        expected: 'max_norm=None (with max_norm the forward renormalizes the weight in place, which a probe must not do)',
        received: cfg['max_norm'],
      });
    }
    const padding = cfg['padding_idx'];
    return tape.embedding(xin.indices, paramFor(pass, leaf, 'weight')!, {
      name,
      ...(typeof padding === 'number' ? { paddingIdx: padding } : {}),
      scaleGradByFreq: cfg['scale_grad_by_freq'] === true,
    });
  }
  const x = floatInput(leaf, xin);
  if (type === 'Linear' || type === 'NonDynamicallyQuantizableLinear') {
    const inF = cfg['in_features'] as number;
    if (x.shape.length < 1 || x.shape[x.shape.length - 1] !== inF) {
      shapeFail(leaf, `input with last dimension ${inF} (in_features)`, x.shape);
    }
    return tape.linear(x, paramFor(pass, leaf, 'weight')!, paramFor(pass, leaf, 'bias'), { name });
  }
  if (type === 'Conv1d' || type === 'Conv2d') {
    const dims = type === 'Conv1d' ? 1 : 2;
    const inC = cfg['in_channels'] as number;
    checkRank(leaf, x, [dims + 2], dims === 1 ? `[N, ${inC}, L]` : `[N, ${inC}, H, W]`);
    checkChannels(leaf, x, inC, 'in_channels');
    const padding = cfg['padding'];
    const opts = {
      name,
      stride: ntuple(cfg['stride'], dims),
      padding: typeof padding === 'string' ? (padding as 'same' | 'valid') : ntuple(padding, dims),
      dilation: ntuple(cfg['dilation'], dims),
      groups: cfg['groups'] as number,
      paddingMode: cfg['padding_mode'] as 'zeros',
    };
    const w = paramFor(pass, leaf, 'weight')!;
    const b = paramFor(pass, leaf, 'bias');
    return dims === 1 ? tape.conv1d(x, w, b, opts) : tape.conv2d(x, w, b, opts);
  }
  const kind = ACTIVATION_KINDS[type];
  if (kind !== undefined) {
    const o: ActivationOptions = {};
    if (type === 'LeakyReLU') o.negativeSlope = cfg['negative_slope'] as number;
    if (type === 'GELU') o.approximate = cfg['approximate'] as 'none' | 'tanh';
    if (type === 'ELU' || type === 'CELU') o.alpha = cfg['alpha'] as number;
    if (type === 'Softplus') {
      o.beta = cfg['beta'] as number;
      o.threshold = cfg['threshold'] as number;
    }
    if (type === 'Hardtanh') {
      o.minVal = cfg['min_val'] as number;
      o.maxVal = cfg['max_val'] as number;
    }
    return tape.activation(x, kind, { ...o, name });
  }
  if (type === 'BatchNorm1d' || type === 'BatchNorm2d') {
    const c = cfg['num_features'] as number;
    checkRank(leaf, x, type === 'BatchNorm1d' ? [2, 3] : [4], type === 'BatchNorm1d' ? `[N, ${c}] or [N, ${c}, L]` : `[N, ${c}, H, W]`);
    checkChannels(leaf, x, c, 'num_features');
    return tape.batchNorm(x, paramFor(pass, leaf, 'weight'), paramFor(pass, leaf, 'bias'), { name, eps: cfg['eps'] as number });
  }
  if (type === 'LayerNorm' || type === 'RMSNorm') {
    const ns = (m as unknown as { normalizedShape: readonly number[] }).normalizedShape;
    const tail = x.shape.slice(x.shape.length - ns.length);
    if (x.shape.length < ns.length || tail.some((d, i) => d !== ns[i])) {
      shapeFail(leaf, `input whose last dimensions are ${formatShape(ns)} (normalized_shape)`, x.shape);
    }
    if (type === 'LayerNorm') {
      return tape.layerNorm(x, ns, paramFor(pass, leaf, 'weight'), paramFor(pass, leaf, 'bias'), { name, eps: cfg['eps'] as number });
    }
    const eps = cfg['eps'];
    return tape.rmsNorm(x, ns, paramFor(pass, leaf, 'weight'), { name, ...(typeof eps === 'number' ? { eps } : {}) });
  }
  if (type === 'GroupNorm') {
    const c = cfg['num_channels'] as number;
    if (x.shape.length < 2) shapeFail(leaf, `input [N, ${c}, *] (at least 2 dimensions)`, x.shape);
    checkChannels(leaf, x, c, 'num_channels');
    return tape.groupNorm(x, cfg['num_groups'] as number, paramFor(pass, leaf, 'weight'), paramFor(pass, leaf, 'bias'), {
      name,
      eps: cfg['eps'] as number,
    });
  }
  if ((DROPOUT_TYPES as readonly string[]).includes(type)) return tape.identity(x, { name, op: 'dropout' });
  if (type === 'Identity' || (CONTAINER_TYPES as readonly string[]).includes(type)) return tape.identity(x, { name });
  if (type === 'Flatten') return tape.flatten(x, { name, startDim: cfg['start_dim'] as number, endDim: cfg['end_dim'] as number });
  const pool = /^(Max|Avg)Pool([12])d$/.exec(type);
  if (pool) {
    const dims = Number(pool[2]) as 1 | 2;
    checkRank(leaf, x, [dims + 1, dims + 2], dims === 1 ? '[N, C, L]' : '[N, C, H, W]');
    const stride = cfg['stride'] ?? cfg['kernel_size'];
    const common = {
      name,
      kernelSize: ntuple(cfg['kernel_size'], dims),
      stride: ntuple(stride, dims),
      padding: ntuple(cfg['padding'], dims),
      ceilMode: cfg['ceil_mode'] === true,
    };
    if (pool[1] === 'Max') {
      if (cfg['return_indices'] === true) {
        fail({
          code: 'UNSUPPORTED',
          where: layerWhere(leaf),
          param: 'return_indices',
          expected: 'return_indices=False (with True the layer returns a tuple, which no next layer takes)',
          received: true,
        });
      }
      return tape.maxPool(x, dims, { ...common, dilation: ntuple(cfg['dilation'], dims) });
    }
    const divisor = cfg['divisor_override'];
    return tape.avgPool(x, dims, {
      ...common,
      countIncludePad: cfg['count_include_pad'] !== false,
      ...(typeof divisor === 'number' ? { divisorOverride: divisor } : {}),
    });
  }
  const adaptive = /^AdaptiveAvgPool([12])d$/.exec(type);
  if (adaptive) {
    const dims = Number(adaptive[1]) as 1 | 2;
    checkRank(leaf, x, [dims + 1, dims + 2], dims === 1 ? '[N, C, L]' : '[N, C, H, W]');
    const spatial = x.shape.slice(x.shape.length - dims);
    // PyTorch's None entries keep that dimension's size.
    const size = ntuple(cfg['output_size'], dims).map((o, i) => (o === null || o === undefined ? spatial[i]! : o));
    return tape.adaptiveAvgPool(x, dims, size, { name });
  }
  return unsupported(leaf);
}

function unsupported(leaf: { name: string; type: string }): never {
  return fail({
    code: 'UNSUPPORTED',
    where: layerWhere(leaf),
    param: 'module',
    expected: `a layer the probe runs (${PROBE_LAYERS.join(', ')}; in Sequential, ModuleList, ModuleDict, Module or Residual containers)`,
    received: leaf.type,
    fix: 'propagate() still predicts the scale of many layers the probe cannot run; or probe a sub-model made of supported layers.',
  });
}

/** Run a leaf, turning the ops' errors into errors that name the layer. */
function leafStep(pass: Pass, leaf: Leaf, x: Value): Var {
  const run = (): Var => {
    const tape = pass.forwardOnly ? new Tape(pass.gemm === undefined ? {} : { gemm: pass.gemm }) : pass.tape;
    try {
      return runLeaf(pass, tape, leaf, x);
    } catch (e) {
      if (!(e instanceof InitError) || e.where === layerWhere(leaf)) throw e;
      throw new InitError({
        code: e.code,
        where: layerWhere(leaf),
        param: e.param,
        expected: e.expected,
        receivedText: receivedText(e),
        ...(e.fix !== undefined ? { fix: e.fix } : {}),
      });
    }
  };
  const y = pass.onLeaf ? pass.onLeaf(leaf, x, run) : run();
  pass.outputs.push({ leaf, output: y });
  return y;
}

function residualSum(pass: Pass, g: Extract<GraphNode, { kind: 'residual' }>, skip: Value, body: Value): Var {
  const where = layerWhere(g);
  const a = isIndexValue(skip) ? null : skip;
  const b = isIndexValue(body) ? null : body;
  if (a === null || b === null) {
    return fail({ code: 'INVALID_ARGUMENT', where, param: 'input', expected: 'float activations on both paths of the residual sum', receivedText: 'integer token ids' });
  }
  if (!sameShape(a.shape, b.shape)) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected: `the shortcut and the body to give the same shape (shortcut(x) + body(x))`,
      receivedText: `shortcut ${formatShape(a.shape)} and body ${formatShape(b.shape)}`,
      fix: 'Give the block a child named "shortcut" that maps x to the body\'s output shape (e.g. a 1x1 Conv2d or a Linear).',
    });
  }
  const tape = pass.forwardOnly ? new Tape() : pass.tape;
  return tape.add(a, b, { name: g.name === '' ? 'residual' : `${g.name}.+` });
}

function runGraph(pass: Pass, g: GraphNode, x: Value): Value {
  if (g.kind === 'leaf') return leafStep(pass, g, x);
  if (g.kind === 'seq') {
    let cur = x;
    for (const c of g.children) cur = runGraph(pass, c, cur);
    return cur;
  }
  const body = runGraph(pass, g.body, x);
  const skip = g.shortcut ? runGraph(pass, g.shortcut, x) : x;
  return residualSum(pass, g, skip, body);
}

/** Does any leaf's output need the input to require a gradient to get one (a parameter-free layer fed by x)? */
function inputNeedsGrad(g: GraphNode): boolean {
  let needed = false;
  const walk = (n: GraphNode, flag: boolean): boolean => {
    if (n.kind === 'leaf') {
      const own = [...n.module._parameters.values()].some((p) => p !== null && p.requiresGrad);
      const out = flag || own;
      if (!out) needed = true;
      return out;
    }
    if (n.kind === 'seq') return n.children.reduce((f, c) => walk(c, f), flag);
    const b = walk(n.body, flag);
    const s = n.shortcut ? walk(n.shortcut, flag) : flag;
    return b || s;
  };
  walk(g, false);
  return needed;
}

// ---- statistics -----------------------------------------------------------------------------------------------
// The probe summarizes 2 arrays per layer (output, output gradient); at the benchmark's 40 layers × 256 × 1024 that is
// a tenth of the pass, so these are fused, four-accumulator versions of ./ops/stats.ts's summarize + histogram and
// std (same definitions: float64 sums, two-pass variance, torch.histc binning; only the float64 summation order
// differs, by ~1e-16 relative).

/** @internal */
export interface OutputStats {
  mean: number;
  std: number;
  min: number;
  max: number;
  zeroFraction: number;
  histogram: Histogram;
}

/**
 * Mean, Bessel std, min, max, zero fraction and a `torch.histc(x, bins, min, max)` histogram, in two passes.
 * Each pass is its own small function: V8 then optimizes each hot loop whole, where one function holding both
 * (plus their remainder loops) was compiled on stack per loop and deoptimized on reaching the code after it, on
 * every call (4x slower). @internal
 */
export function outputStats(d: Float32Array, bins: number): OutputStats {
  const n = d.length;
  const m = PASS;
  firstPass(d, m);
  const mean = m[0]! / n;
  const lo = m[1]!;
  const hi = m[2]!;
  const zeros = m[3]!;
  // NaN or infinite values: the reference path (min/max NaN; histogram over the finite range, as torch.histc).
  if (!Number.isFinite(mean) || !Number.isFinite(lo) || !Number.isFinite(hi)) {
    const nan = d.some((x) => x !== x);
    return {
      mean,
      std: std(d),
      min: nan ? NaN : lo,
      max: nan ? NaN : hi,
      zeroFraction: zeros / n,
      histogram: histogram(d, { bins }),
    };
  }
  let left = lo;
  let right = hi;
  if (left === right) {
    left -= 1;
    right += 1;
  }
  const width = right - left;
  const lanes = new Int32Array(4 * (bins + 1));
  const v = secondPass(d, mean, left, width, bins, lanes);
  const counts = Array.from({ length: bins }, (_, k) => lanes[k]! + lanes[bins + 1 + k]! + lanes[2 * (bins + 1) + k]! + lanes[3 * (bins + 1) + k]!);
  counts[bins - 1]! += lanes[bins]! + lanes[2 * bins + 1]! + lanes[3 * bins + 2]! + lanes[4 * bins + 3]!;
  const edges = Array.from({ length: bins + 1 }, (_, k) => left + (width * k) / bins);
  return { mean, std: n > 1 ? Math.sqrt(v / (n - 1)) : NaN, min: lo, max: hi, zeroFraction: zeros / n, histogram: { edges, counts } };
}

/** Scratch for {@link firstPass}: sum, min, max, zero count. */
const PASS = new Float64Array(4);

/** Sum (four lanes), min, max and the number of exact zeros of `d`, into `out`. */
function firstPass(d: Float32Array, out: Float64Array): void {
  const n = d.length;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let lo = Infinity;
  let hi = -Infinity;
  let zeros = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = d[i]!;
    const b = d[i + 1]!;
    const c = d[i + 2]!;
    const e = d[i + 3]!;
    s0 += a;
    s1 += b;
    s2 += c;
    s3 += e;
    if (a < lo) lo = a;
    if (a > hi) hi = a;
    if (b < lo) lo = b;
    if (b > hi) hi = b;
    if (c < lo) lo = c;
    if (c > hi) hi = c;
    if (e < lo) lo = e;
    if (e > hi) hi = e;
    // Branch-free: after a ReLU, zero or not is a coin flip a branch predictor cannot learn (5x slower).
    zeros += Number(a === 0) + Number(b === 0) + Number(c === 0) + Number(e === 0);
  }
  for (; i < n; i++) {
    const a = d[i]!;
    s0 += a;
    if (a < lo) lo = a;
    if (a > hi) hi = a;
    zeros += Number(a === 0);
  }
  out[0] = s0 + s1 + (s2 + s3);
  out[1] = lo;
  out[2] = hi;
  out[3] = zeros;
}

/**
 * Σ (x − mean)² (even indices and odd indices summed separately, then added) and the histogram counts: bin
 * k = floor((x − left)·bins / width) in [0, bins] of lane i % 4, lane l's counts at `lanes[l·(bins + 1) + k]`. Four
 * lanes: consecutive increments of one counter (half a ReLU output is in bin 0) would wait on each other's store.
 */
function secondPass(d: Float32Array, mean: number, left: number, width: number, bins: number, lanes: Int32Array): number {
  const n = d.length;
  const o1 = bins + 1;
  const o2 = 2 * (bins + 1);
  const o3 = 3 * (bins + 1);
  let v0 = 0;
  let v1 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = d[i]!;
    const b = d[i + 1]!;
    const c = d[i + 2]!;
    const e = d[i + 3]!;
    v0 += (a - mean) * (a - mean);
    v1 += (b - mean) * (b - mean);
    v0 += (c - mean) * (c - mean);
    v1 += (e - mean) * (e - mean);
    lanes[Math.floor(((a - left) * bins) / width)]!++;
    lanes[o1 + Math.floor(((b - left) * bins) / width)]!++;
    lanes[o2 + Math.floor(((c - left) * bins) / width)]!++;
    lanes[o3 + Math.floor(((e - left) * bins) / width)]!++;
  }
  for (; i < n; i++) {
    const a = d[i]!;
    if (i % 2 === 0) v0 += (a - mean) * (a - mean);
    else v1 += (a - mean) * (a - mean);
    lanes[Math.floor(((a - left) * bins) / width)]!++;
  }
  return v0 + v1;
}

/**
 * Bessel std, as `Tensor.std()`, in one float64 pass with the shifted-data formula (K = the first element):
 * var = (Σ(x−K)² − (Σ(x−K))²/n)/(n−1), whose relative error is about 2⁻⁵³·(1 + (mean−K)²/var); when that factor
 * exceeds 1e6 (a far-off K), the two-pass formula is used instead. @internal
 */
export function stdOf(d: Float32Array): number {
  const n = d.length;
  if (n < 2) return NaN;
  const k = d[0]!;
  let s0 = 0;
  let s1 = 0;
  let q0 = 0;
  let q1 = 0;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const a = d[i]! - k;
    const b = d[i + 1]! - k;
    s0 += a;
    s1 += b;
    q0 += a * a;
    q1 += b * b;
  }
  for (; i < n; i++) {
    const a = d[i]! - k;
    s0 += a;
    q0 += a * a;
  }
  const s = s0 + s1;
  const q = q0 + q1;
  const shift = (s * s) / n;
  const v = q - shift;
  if (Number.isFinite(v) && v > 1e-6 * shift) return Math.sqrt(Math.max(v, 0) / (n - 1));
  if (q === 0) return 0;
  return std(d);
}

// ---- inputs ---------------------------------------------------------------------------------------------------

/**
 * `torch.randint(low, high, size)` on PyTorch's CPU generator: one `random()` per element (two, as `random64()`,
 * when high − low ≥ 2³²), reduced as `v % range + low` (aten `random_from_to`, `uniform_int_from_to_distribution`).
 * @internal
 */
export function randintInto(gen: RandomEngine, out: Int32Array, low: number, high: number): Int32Array {
  const range = high - low;
  if (range < 2 ** 32) {
    for (let i = 0; i < out.length; i++) out[i] = (gen.random() % range) + low;
  } else {
    const r = BigInt(range);
    for (let i = 0; i < out.length; i++) {
      const hi = BigInt(gen.random());
      const lo = BigInt(gen.random());
      out[i] = Number(((hi << 32n) | lo) % r) + low;
    }
  }
  return out;
}

/** A resolved probe input: the float batch or the token ids, with its shape. @internal */
export interface PreparedInput {
  /** Full shape, batch first. */
  shape: number[];
  /** A float input (null for token ids). */
  float: Buf | null;
  /** Token ids for a first Embedding (null for a float input). */
  indices: Indices | null;
}

/** Validate batch / inputShape / input and draw the input if needed. @internal */
export function prepareInput(
  where: string,
  model: Module,
  graph: GraphNode,
  opts: { batch?: number | undefined; inputShape?: readonly number[] | undefined; input?: Tensor | undefined },
  gen: RandomEngine,
): PreparedInput {
  const first = leaves(graph)[0];
  const embedding = first !== undefined && first.type === 'Embedding' ? first : null;
  if (opts.input !== undefined) {
    const t = opts.input;
    if (!(t instanceof Tensor)) {
      fail({ code: 'NOT_A_TENSOR', where, param: 'input', expected: 'input to be a Tensor (batch first)', received: t });
    }
    if (t.isMeta) fail({ code: 'INVALID_ARGUMENT', where, param: 'input', expected: 'an input with data (device cpu)', receivedText: t.describe() });
    if (t.dim() < 1 || t.shape[0] === 0) {
      fail({ code: 'INVALID_SHAPE', where, param: 'input', expected: 'an input with a batch dimension of at least 1', receivedText: `shape ${formatShape(t.shape)}` });
    }
    if (opts.inputShape !== undefined) {
      const rest = t.shape.slice(1);
      if (rest.length !== opts.inputShape.length || rest.some((d, i) => d !== opts.inputShape![i])) {
        fail({
          code: 'SHAPE_MISMATCH',
          where,
          param: 'inputShape',
          expected: `inputShape to match the input's shape without the batch dimension, ${formatShape(rest)}`,
          received: opts.inputShape,
          fix: 'Pass either input or inputShape.',
        });
      }
    }
    if (opts.batch !== undefined && opts.batch !== t.shape[0]) {
      fail({ code: 'SHAPE_MISMATCH', where, param: 'batch', expected: `batch to equal the input's first dimension, ${t.shape[0]}`, received: opts.batch, fix: 'Pass either input or batch.' });
    }
    if (embedding !== null) {
      const rows = cfgOf(embedding.module)['num_embeddings'] as number;
      if (t.dtype !== 'int64' && t.dtype !== 'int32') {
        fail({
          code: 'INVALID_DTYPE',
          where,
          param: 'input',
          expected: `integer token ids (an int64 or int32 tensor) for the first layer ${layerWhere(embedding)}`,
          receivedText: `dtype ${t.dtype}`,
          fix: `Build it with fromArray(ids, { dtype: 'int64' }), or omit input to draw torch.randint(0, ${rows}, (batch, *inputShape)).`,
        });
      }
      return { indices: { data: Int32Array.from(t.data), shape: [...t.shape] }, shape: [...t.shape], float: null };
    }
    if (t.dtype !== 'float32' && t.dtype !== 'float64' && t.dtype !== 'float16' && t.dtype !== 'bfloat16') {
      fail({ code: 'INVALID_DTYPE', where, param: 'input', expected: 'a floating-point input', receivedText: `dtype ${t.dtype}` });
    }
    return { float: bufFromTensor(t), shape: [...t.shape], indices: null };
  }
  const batch = checkInteger(where, 'batch', opts.batch ?? 256, 1);
  const shape = opts.inputShape;
  if (shape === undefined) {
    return fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'inputShape',
      expected: 'inputShape (the input shape without the batch dimension) or an input tensor',
      received: undefined,
      fix: `Pass e.g. { inputShape: [${firstInputHint(first)}] }.`,
    });
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 1)) {
    fail({ code: 'INVALID_SHAPE', where, param: 'inputShape', expected: 'inputShape to be an array of positive integers (batch excluded)', received: shape });
  }
  const full = [batch, ...shape];
  if (embedding !== null) {
    const rows = cfgOf(embedding.module)['num_embeddings'] as number;
    if (rows < 1) {
      fail({ code: 'INVALID_ARGUMENT', where: layerWhere(embedding), param: 'num_embeddings', expected: 'at least one embedding row to draw token ids from', received: rows });
    }
    const ids = randintInto(gen, new Int32Array(full.reduce((a, d) => a * d, 1)), 0, rows);
    return { indices: { data: ids, shape: full }, shape: full, float: null };
  }
  const t = normal_(empty(full), 0, 1, { generator: gen });
  return { float: { data: t.data as Float32Array, shape: full }, shape: full, indices: null };
}

/** The input as it enters the graph: token ids, or a tape leaf. */
function inputValue(tape: Tape, input: PreparedInput, requiresGrad: boolean): Value {
  return input.indices !== null ? { indices: input.indices } : tape.input(input.float!, { requiresGrad });
}

function firstInputHint(first: Leaf | undefined): string {
  if (first === undefined) return '4';
  const cfg = cfgOf(first.module);
  if (first.type === 'Linear') return String(cfg['in_features']);
  if (first.type === 'Conv2d') return `${String(cfg['in_channels'])}, 32, 32`;
  if (first.type === 'Conv1d') return `${String(cfg['in_channels'])}, 128`;
  if (first.type === 'Embedding') return '16';
  return '4';
}

/** Fail early, before any work, for a layer the probe cannot run or a model without data. @internal */
export function checkProbeable(where: string, model: Module, graph: GraphNode): void {
  for (const leaf of leaves(graph)) {
    if (!SUPPORTED.has(leaf.type)) unsupported(leaf);
  }
  for (const [name, p] of model.namedParameters()) {
    if (p.isMeta) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'model',
        expected: 'a model with data (built on the cpu device)',
        receivedText: `parameter ${name} on the meta device`,
        fix: 'Build it without device "meta" to probe it; propagate() works on meta models.',
      });
    }
  }
}

/** The options object, validated. */
function checkProbeOptions(where: string, options: unknown): ProbeOptions {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'options', expected: 'an options object such as { batch: 256, inputShape: [784] }', received: options });
  }
  return options as ProbeOptions;
}

/**
 * Forward `model` once (no backward), calling `onLeaf` for every leaf with a function that runs it; for LSUV.
 * Returns the leaf outputs in execution order. @internal
 */
export function forwardPass(
  model: Module,
  graph: GraphNode,
  input: PreparedInput,
  options: { gemm?: GemmBackend | undefined; onLeaf?: Pass['onLeaf'] },
): { leaf: Leaf; output: Var }[] {
  const pass: Pass = {
    tape: new Tape(options.gemm === undefined ? {} : { gemm: options.gemm }),
    forwardOnly: true,
    gemm: options.gemm,
    params: new Map(),
    outputs: [],
    onLeaf: options.onLeaf,
  };
  runGraph(pass, graph, inputValue(pass.tape, input, false));
  return pass.outputs;
}

/** Validate the model argument. @internal */
export function checkModel(where: string, model: unknown): Module {
  const m = model as Module | null;
  if (typeof m !== 'object' || m === null || !(m._modules instanceof Map) || !(m._parameters instanceof Map)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'model', expected: 'a Module (e.g. nn.fromSpec(spec))', received: model });
  }
  return m;
}

/**
 * Measure every layer of `model` with a real forward and backward pass on CPU.
 *
 * The input is `options.input`, else `randn(batch, ...inputShape)` drawn from `options.generator` with PyTorch's
 * exact stream (`torch.randn(batch, *shape)`); when the first layer is an `Embedding`, the input is token ids
 * `torch.randint(0, num_embeddings, (batch, *inputShape))`. The output gradient g = `randn_like(y)` is drawn next
 * from the same generator and L = Σ y ⊙ g is backpropagated, so every gradient is that of unit-variance output
 * noise. Per leaf layer (PyTorch's `named_modules()` names, execution order): output mean, std (Bessel-corrected,
 * as `Tensor.std()`), min, max, fraction of exact zeros, a histogram (`torch.histc(y, bins, y.min(), y.max())`),
 * std of dL/d(output), std of dL/d(parameter) for each of the layer's own parameters, and the output shape.
 * `inputStd` is the std of the float input; for token ids it is that of the first (Embedding) layer's output.
 *
 * Conventions (docs/DIAGNOSE.md): containers run their children in order; `Residual` is `shortcut(x) + body(x)`;
 * BatchNorm normalizes with the batch's statistics (a fresh PyTorch model in training mode) but does not update the
 * model's running statistics; Dropout is the identity. The model is not modified. The matrix products use
 * `options.gemm` (default: the current default backend); results agree with PyTorch's float32 CPU pass to about
 * 1e-6 relative per layer.
 *
 * @param model a module tree of supported layers (`PROBE_LAYERS`) on the cpu device.
 * @param options `batch` (256), `inputShape` (required without `input`), `input` (a batch-first Tensor; integer
 *   token ids for an Embedding first), `generator` (the default generator), `bins` (30), `gemm`.
 * @throws InitError naming the layer for an unsupported layer (listing the supported ones), an input shape that
 *   does not fit a layer (naming both shapes: `0 (Linear): expected input with last dimension 4 (in_features), got
 *   input shape [256, 5].`), a bad batch / inputShape / bins, or a meta-device model.
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const model = nn.fromSpec(dqnSpec, { generator: g });
 * const r = probe(model, { batch: 256, inputShape: [4], generator: g });
 * r.layers.map((l) => [l.name, l.outputStd.toFixed(3), l.gradOutputStd.toFixed(3)]);
 * // torch.manual_seed(0); m = build(spec); x = torch.randn(256, 4); ... gives the same numbers
 * ```
 */
export function probe(model: Module, options: ProbeOptions = {}): ProbeResult {
  const where = 'probe';
  const m = checkModel(where, model);
  const opts = checkProbeOptions(where, options);
  const bins = checkInteger(where, 'bins', opts.bins ?? 30, 1);
  const gemm = opts.gemm === undefined ? undefined : resolveGemm(where, opts.gemm);
  const gen = resolveGenerator(where, drawOptions(opts));
  const graph = buildGraph(m);
  checkProbeable(where, m, graph);
  const input = prepareInput(where, m, graph, opts, gen);

  const tape = new Tape(gemm === undefined ? {} : { gemm });
  const pass: Pass = { tape, forwardOnly: false, gemm, params: new Map(), outputs: [], onLeaf: undefined };
  const out = runGraph(pass, graph, inputValue(tape, input, inputNeedsGrad(graph)));
  if (isIndexValue(out)) {
    return fail({ code: 'INVALID_ARGUMENT', where, param: 'model', expected: 'a model with at least one layer', receivedText: 'a model that returns its input' });
  }

  // Forward statistics, recorded before the backward pass (which frees gradients as it goes).
  const layers: ProbedLayer[] = pass.outputs.map(({ leaf, output }, index) => {
    const s = outputStats(output.data, bins);
    return {
      name: leaf.name,
      module: leaf.type,
      index,
      outputMean: s.mean,
      outputStd: s.std,
      outputMin: s.min,
      outputMax: s.max,
      zeroFraction: s.zeroFraction,
      histogram: s.histogram,
      gradOutputStd: NaN,
      paramGradStd: {},
      shape: [...output.shape],
    };
  });

  // g = randn_like(y), drawn after the input; L = Σ y ⊙ g.
  const g = normal_(empty(out.shape), 0, 1, { generator: gen }).data as Float32Array;
  const byVar = new Map<Var, number[]>();
  pass.outputs.forEach(({ output }, i) => byVar.set(output, [...(byVar.get(output) ?? []), i]));
  const onGrad = (node: TapeNode, grad: Float32Array): void => {
    const idx = byVar.get(node.output);
    if (idx === undefined) return;
    const s = stdOf(grad);
    for (const i of idx) layers[i]!.gradOutputStd = s;
  };
  if (out.requiresGrad) tape.backward(out, g, { onGrad, retainGrad: false });

  pass.outputs.forEach(({ leaf }, i) => {
    const grads: Record<string, number> = {};
    for (const [pname, t] of leaf.module._parameters) {
      if (t === null) continue;
      const p = pass.params.get(t);
      if (p?.grad) grads[pname] = stdOf(p.grad);
    }
    layers[i]!.paramGradStd = grads;
  });

  const inputStd = input.float !== null ? stdOf(input.float.data) : (layers[0]?.outputStd ?? NaN);
  return { inputStd, inputShape: input.shape.slice(1), batch: input.shape[0]!, layers };
}
