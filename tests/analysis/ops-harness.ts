/**
 * Runs a PyTorch reference case (scripts/gen_ops_fixtures.py's format) through initkit's ops and measures the
 * agreement. Shared by the golden test (tests/analysis/ops.test.ts) and the oracle (tests/oracle/ops.test.ts).
 */
import {
  type Activation,
  type ActivationOptions,
  type Buf,
  type GemmBackend,
  type ParamGrads,
  Tape,
  activation,
  activationBackward,
  adaptiveAvgPool1d,
  adaptiveAvgPool1dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  add,
  avgPool1d,
  avgPool1dBackward,
  avgPool2d,
  avgPool2dBackward,
  batchNorm,
  batchNormBackward,
  conv1d,
  conv1dBackward,
  conv2d,
  conv2dBackward,
  embedding,
  embeddingBackward,
  flatten,
  flattenBackward,
  groupNorm,
  groupNormBackward,
  histogram,
  layerNorm,
  layerNormBackward,
  linear,
  linearBackward,
  maxPool1d,
  maxPool1dBackward,
  maxPool2d,
  maxPool2dBackward,
  mean,
  param,
  rmsNorm,
  rmsNormBackward,
  std,
} from '../../src/analysis/ops/index.js';

export interface Encoded {
  shape: number[];
  bits: string;
}

export interface RefCase {
  op: string;
  seed: number;
  inputs: Record<string, number[]>;
  args: Record<string, unknown>;
}

export interface RefResult {
  case: RefCase;
  inputs: Record<string, Encoded | { shape: number[]; values: number[] }>;
  grads: Record<string, Encoded>;
  y: Encoded;
  g: Encoded;
  extra: Record<string, unknown>;
}

/** Decode concatenated 8-hex-digit float32 words. */
export function decode(e: Encoded): Float32Array {
  const n = e.bits.length / 8;
  const u = new Uint32Array(n);
  for (let i = 0; i < n; i++) u[i] = parseInt(e.bits.slice(8 * i, 8 * i + 8), 16);
  return new Float32Array(u.buffer);
}

function asBuf(e: Encoded): Buf {
  return { data: decode(e), shape: e.shape };
}

/** Our outputs for a case: y, the gradient of every float input, and extra values. */
export interface Ours {
  y: Float32Array;
  grads: Record<string, Float32Array>;
  extra: Record<string, Float32Array | Int32Array | number | number[]>;
}

function pick(g: ParamGrads, names: { input?: string; weight?: string; bias?: string }): Record<string, Float32Array> {
  const r: Record<string, Float32Array> = {};
  if (names.input !== undefined && g.gradInput !== null) r[names.input] = g.gradInput.data;
  if (names.weight !== undefined && g.gradWeight !== null) r[names.weight] = g.gradWeight.data;
  if (names.bias !== undefined && g.gradBias !== null) r[names.bias] = g.gradBias.data;
  return r;
}

/** Run a reference case's op and its backward through initkit. */
export function runOurs(ref: RefResult, gemm?: GemmBackend): Ours {
  const c = ref.case;
  const a = c.args;
  const inp = (name: string): Buf => asBuf(ref.inputs[name] as Encoded);
  const opt = (name: string): Buf | null => (ref.inputs[name] === undefined ? null : inp(name));
  const gy = asBuf(ref.g);
  const gemmOpt = gemm === undefined ? {} : { gemm };
  switch (c.op) {
    case 'linear': {
      const x = inp('x');
      const w = inp('weight');
      const b = opt('bias');
      const y = linear(x, w, b, gemmOpt);
      const g = linearBackward(x, w, gy, { ...gemmOpt, hasBias: b !== null });
      return { y: y.data, grads: pick(g, { input: 'x', weight: 'weight', bias: 'bias' }), extra: {} };
    }
    case 'conv1d':
    case 'conv2d': {
      const x = inp('x');
      const w = inp('weight');
      const b = opt('bias');
      const o = { ...a, ...gemmOpt };
      const y = (c.op === 'conv1d' ? conv1d : conv2d)(x, w, b, o);
      const g = (c.op === 'conv1d' ? conv1dBackward : conv2dBackward)(x, w, gy, { ...o, hasBias: b !== null });
      return { y: y.data, grads: pick(g, { input: 'x', weight: 'weight', bias: 'bias' }), extra: {} };
    }
    case 'activation': {
      const kind = a['kind'] as Activation;
      const options = (a['options'] ?? {}) as ActivationOptions;
      const x = inp('x');
      const y = activation(kind, x, options);
      return { y: y.data, grads: { x: activationBackward(kind, x, y, gy, options).data }, extra: {} };
    }
    case 'batch_norm': {
      const x = inp('x');
      const w = opt('weight');
      const b = opt('bias');
      const eps = a['eps'] as number | undefined;
      const r = batchNorm(x, w, b, eps === undefined ? {} : { eps });
      const g = batchNormBackward(x, w, gy, r);
      return {
        y: r.output.data,
        grads: pick(g, { input: 'x', weight: 'weight', bias: 'bias' }),
        extra: { mean: r.mean, rstd: r.rstd, varUnbiased: r.varUnbiased },
      };
    }
    case 'layer_norm': {
      const x = inp('x');
      const w = opt('weight');
      const b = opt('bias');
      const ns = a['normalizedShape'] as number[];
      const eps = a['eps'] as number | undefined;
      const r = layerNorm(x, ns, w, b, eps === undefined ? {} : { eps });
      const g = layerNormBackward(x, ns, w, gy, r);
      return {
        y: r.output.data,
        grads: pick(g, { input: 'x', weight: 'weight', bias: 'bias' }),
        extra: { mean: r.mean, rstd: r.rstd },
      };
    }
    case 'group_norm': {
      const x = inp('x');
      const w = opt('weight');
      const b = opt('bias');
      const G = a['numGroups'] as number;
      const eps = a['eps'] as number | undefined;
      const r = groupNorm(x, G, w, b, eps === undefined ? {} : { eps });
      const g = groupNormBackward(x, G, w, gy, r);
      return {
        y: r.output.data,
        grads: pick(g, { input: 'x', weight: 'weight', bias: 'bias' }),
        extra: { mean: r.mean, rstd: r.rstd },
      };
    }
    case 'rms_norm': {
      const x = inp('x');
      const w = opt('weight');
      const ns = a['normalizedShape'] as number[];
      const eps = a['eps'] as number | undefined;
      const r = rmsNorm(x, ns, w, eps === undefined ? {} : { eps });
      const g = rmsNormBackward(x, ns, w, gy, r);
      return { y: r.output.data, grads: pick(g, { input: 'x', weight: 'weight' }), extra: {} };
    }
    case 'embedding': {
      const idx = ref.inputs['indices'] as { shape: number[]; values: number[] };
      const indices = { data: Int32Array.from(idx.values), shape: idx.shape };
      const w = inp('weight');
      const y = embedding(indices, w);
      const opts = {
        ...(a['paddingIdx'] === undefined ? {} : { paddingIdx: a['paddingIdx'] as number }),
        ...(a['scaleGradByFreq'] === undefined ? {} : { scaleGradByFreq: a['scaleGradByFreq'] as boolean }),
      };
      return { y: y.data, grads: { weight: embeddingBackward(indices, w, gy, opts).data }, extra: {} };
    }
    case 'max_pool1d':
    case 'max_pool2d': {
      const x = inp('x');
      const o = a as unknown as never;
      const r = (c.op === 'max_pool1d' ? maxPool1d : maxPool2d)(x, o);
      const gx = (c.op === 'max_pool1d' ? maxPool1dBackward : maxPool2dBackward)(x, r.indices, gy, o);
      return { y: r.output.data, grads: { x: gx.data }, extra: { indices: r.indices } };
    }
    case 'avg_pool1d':
    case 'avg_pool2d': {
      const x = inp('x');
      const o = a as unknown as never;
      const y = c.op === 'avg_pool1d' ? avgPool1d(x, o) : avgPool2d(x, o);
      const gx = c.op === 'avg_pool1d' ? avgPool1dBackward(x, gy, o) : avgPool2dBackward(x, gy, o);
      return { y: y.data, grads: { x: gx.data }, extra: {} };
    }
    case 'adaptive_avg_pool1d':
    case 'adaptive_avg_pool2d': {
      const x = inp('x');
      const os = a['outputSize'] as number | number[];
      const one = c.op === 'adaptive_avg_pool1d';
      const y = (one ? adaptiveAvgPool1d : adaptiveAvgPool2d)(x, os);
      const gx = (one ? adaptiveAvgPool1dBackward : adaptiveAvgPool2dBackward)(x, gy, os);
      return { y: y.data, grads: { x: gx.data }, extra: {} };
    }
    case 'flatten': {
      const x = inp('x');
      const y = flatten(x, a as unknown as never);
      return { y: y.data, grads: { x: flattenBackward(x, gy).data }, extra: {} };
    }
    case 'add': {
      const alpha = (a['alpha'] as number | undefined) ?? 1;
      const y = add(inp('a'), inp('b'), { alpha });
      return {
        y: y.data,
        grads: { a: gy.data, b: gy.data.map((v) => Math.fround(alpha) * v) },
        extra: { std: std(y.data), mean: mean(y.data), histc: histogram(y.data, { bins: 7 }).counts },
      };
    }
    case 'mlp': {
      // The tape: h = relu(fc0(x)); h = h + relu(fc1(h)); y = fc2(h); L = sum(y ⊙ g).
      const tape = new Tape(gemm === undefined ? {} : { gemm });
      const p = (n: string): ReturnType<typeof param> => param(n, inp(n));
      const [w0, b0, w1, b1, w2, b2] = ['w0', 'b0', 'w1', 'b1', 'w2', 'b2'].map(p) as [
        ReturnType<typeof param>,
        ReturnType<typeof param>,
        ReturnType<typeof param>,
        ReturnType<typeof param>,
        ReturnType<typeof param>,
        ReturnType<typeof param>,
      ];
      const x = tape.input(inp('x'), { requiresGrad: true });
      let h = tape.activation(tape.linear(x, w0, b0, { name: 'fc0' }), 'relu', { name: 'act0' });
      h = tape.add(h, tape.activation(tape.linear(h, w1, b1, { name: 'fc1' }), 'relu', { name: 'act1' }));
      const y = tape.linear(h, w2, b2, { name: 'fc2' });
      tape.backward(y, gy.data);
      const grads: Record<string, Float32Array> = { x: x.grad! };
      for (const q of [w0, b0, w1, b1, w2, b2]) grads[q.name] = q.grad!;
      return { y: y.data, grads, extra: {} };
    }
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

/** Agreement of one array with PyTorch's. */
export interface Agreement {
  /** max_i |ours − ref| / max(|ref_i|, rms(ref)): relative error, measured against the array's scale near 0. */
  maxErr: number;
  /**
   * |std(ours) − std(ref)| / max(std(ref), rms(ref)): the relative error of the std the probe reports, measured
   * against the rms when the mean dominates (a std far below the values' scale inherits their rounding).
   */
  stdErr: number;
  /** Fraction of bit-identical elements. */
  exact: number;
  n: number;
}

export function agreement(ours: ArrayLike<number>, ref: ArrayLike<number>): Agreement {
  const n = ref.length;
  if (ours.length !== n) return { maxErr: Infinity, stdErr: Infinity, exact: 0, n };
  let sq = 0;
  for (let i = 0; i < n; i++) sq += ref[i]! * ref[i]!;
  const rms = Math.sqrt(sq / Math.max(n, 1));
  let maxErr = 0;
  let exact = 0;
  for (let i = 0; i < n; i++) {
    const o = ours[i]!;
    const r = ref[i]!;
    if (Object.is(Math.fround(o), r) || (o === r)) exact++;
    if (o === r || (o !== o && r !== r)) continue;
    const e = Math.abs(o - r) / Math.max(Math.abs(r), rms, 1e-30);
    if (!(e <= maxErr)) maxErr = e;
  }
  const so = n > 1 ? std(Array.from(ours)) : 0;
  const sr = n > 1 ? std(Array.from(ref)) : 0;
  const denom = Math.max(sr, rms);
  const stdErr = denom === 0 ? (so === 0 ? 0 : Infinity) : Math.abs(so - sr) / denom;
  return { maxErr, stdErr, exact: n === 0 ? 1 : exact / n, n };
}

export interface CaseReport {
  label: string;
  /** Per output ('y', 'grad.x', 'grad.weight', ...). */
  parts: Record<string, Agreement>;
  maxErr: number;
  stdErr: number;
}

export function caseLabel(c: RefCase): string {
  const shapes = Object.entries(c.inputs)
    .map(([k, s]) => `${k}[${s.join(',')}]`)
    .join(' ');
  const args = { ...c.args };
  delete args['numEmbeddings'];
  delete args['scale'];
  return `${c.op} ${shapes} ${JSON.stringify(args)}`;
}

/** Compare a reference result with ours: y and every gradient. */
export function compareCase(ref: RefResult, ours: Ours): CaseReport {
  const parts: Record<string, Agreement> = { y: agreement(ours.y, decode(ref.y)) };
  for (const [name, e] of Object.entries(ref.grads)) {
    const mine = ours.grads[name];
    parts[`grad.${name}`] = mine === undefined ? { maxErr: Infinity, stdErr: Infinity, exact: 0, n: 0 } : agreement(mine, decode(e));
  }
  let maxErr = 0;
  let stdErr = 0;
  for (const p of Object.values(parts)) {
    maxErr = Math.max(maxErr, p.maxErr);
    stdErr = Math.max(stdErr, p.stdErr);
  }
  return { label: caseLabel(ref.case), parts, maxErr, stdErr };
}
