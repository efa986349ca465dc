/**
 * Normalization layers, forward and backward: batch norm in training mode (batch statistics, as a freshly built
 * PyTorch model), layer norm, group norm and RMS norm.
 *
 * Forward passes follow PyTorch's CPU float32 kernels step by step (aten/src/ATen/native/cpu/batch_norm_kernel.cpp,
 * layer_norm_kernel.cpp, group_norm_kernel.cpp): statistics are rounded to float32 where PyTorch stores them in
 * float32, and the affine transform is evaluated in PyTorch's order, `x·scale + shift` with
 * scale = invstd·γ, shift = β − mean·scale, in float32. Reductions use float64 (PyTorch's batch-norm reductions are
 * float64 too; its layer-norm moments are float32 Welford, accurate to about 1e-7). Backward passes are computed in
 * float64 from the float32 saved statistics and rounded once.
 */
import { checkFiniteNumber, checkInteger, fail } from '../../errors.js';
import { fmaf } from '../../rng/fma.js';
import { sameShape } from '../../tensor/shape.js';
import { type Buf, checkBuf, numel, shapeText } from './buffer.js';
import type { GradNeeds, ParamGrads } from './linear.js';

const f = Math.fround;

/** The normalization's epsilon (added to the variance); default 1e-5. */
export interface NormOptions {
  eps?: number;
}

/** Saved statistics of a normalization: per normalized group, the mean and 1/√(var + eps), as float32. */
export interface NormStats {
  mean: Float32Array;
  rstd: Float32Array;
}

/** {@link batchNorm}'s result: the output, the per-channel statistics, and both variances of the batch. */
export interface BatchNormResult extends NormStats {
  output: Buf;
  /** Biased batch variance (divides by N), the one used to normalize. */
  var: Float32Array;
  /** Unbiased batch variance (divides by N − 1), the one PyTorch folds into `running_var`. */
  varUnbiased: Float32Array;
}

function checkEps(where: string, o: NormOptions): number {
  if (o.eps === undefined) return 1e-5;
  const eps = checkFiniteNumber(where, 'eps', o.eps);
  if (eps < 0) fail({ code: 'INVALID_ARGUMENT', where, param: 'eps', expected: 'eps >= 0', received: eps });
  return eps;
}

function checkAffine(where: string, param: string, p: unknown, shape: readonly number[]): Buf | null {
  if (p === null || p === undefined) return null;
  const b = checkBuf(where, param, p);
  if (!sameShape(b.shape, shape)) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param,
      expected: `${param} of ${shapeText(shape)}`,
      receivedText: shapeText(b.shape),
    });
  }
  return b;
}

function checkGrad(where: string, x: Buf, g: unknown): Buf {
  const gb = checkBuf(where, 'gradOutput', g);
  if (!sameShape(gb.shape, x.shape)) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'gradOutput',
      expected: `gradOutput of the input's ${shapeText(x.shape)}`,
      receivedText: shapeText(gb.shape),
    });
  }
  return gb;
}

// ---------------------------------------------------------------------------------------------------------------
// Batch norm

function bnDims(where: string, x: Buf): [number, number, number] {
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  const image = numel(x.shape.slice(2));
  if (n * image <= 1) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'input',
      expected: 'more than 1 value per channel in training mode (batch × spatial size > 1)',
      receivedText: shapeText(x.shape),
      fix: 'Use a batch larger than 1 for the probe, as PyTorch requires in training mode.',
    });
  }
  return [n, c, image];
}

/**
 * Batch normalization in training mode: normalize each channel with the batch's mean and biased variance
 * (PyTorch's `F.batch_norm(x, running_mean, running_var, weight, bias, training=True)`, i.e. a fresh
 * `nn.BatchNorm1d/2d` in `train()` mode).
 *
 * Paper: Ioffe & Szegedy (2015), "Batch Normalization: Accelerating Deep Network Training by Reducing Internal
 * Covariate Shift", ICML, https://arxiv.org/abs/1502.03167.
 * Formula: y = (x − μ_c)/√(σ²_c + eps)·γ_c + β_c, with μ_c, σ²_c (biased) over the batch and spatial axes. The
 * unbiased variance (N − 1) is returned too, for `running_var`.
 * Layout: x `[N, C, *]` (channel axis 1); γ, β `[C]` or null.
 *
 * @param options `eps` (1e-5).
 * @throws InitError for an input with fewer than 2 dimensions, ≤ 1 value per channel, or γ/β not `[C]`.
 * @example
 * ```ts
 * const { output, mean, var: v } = batchNorm(x, gamma, beta); // x [256, 64]
 * ```
 */
export function batchNorm(x: Buf, weight: Buf | null, bias: Buf | null, options: NormOptions = {}): BatchNormResult {
  const where = 'batchNorm';
  const xb = checkBuf(where, 'input', x, 2);
  const eps = checkEps(where, options);
  const [n, c, image] = bnDims(where, xb);
  const w = checkAffine(where, 'weight', weight, [c]);
  const b = checkAffine(where, 'bias', bias, [c]);
  const count = n * image;
  const src = xb.data;
  const mean = new Float32Array(c);
  const varSum = new Float32Array(c);
  if (image === 1) {
    // PyTorch's channels-last path (taken for [N, C]): float32 running sums over the batch.
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = 0; i < n; i++) s = f(s + src[i * c + ch]!);
      mean[ch] = s / count;
      const m = mean[ch]!;
      let v = 0;
      for (let i = 0; i < n; i++) {
        const d = f(src[i * c + ch]! - m);
        v = f(v + f(d * d));
      }
      varSum[ch] = v;
    }
  } else {
    // The contiguous path: float64 sums; (x − mean)² in float32.
    for (let ch = 0; ch < c; ch++) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * image;
        for (let j = 0; j < image; j++) s += src[o + j]!;
      }
      mean[ch] = s / count;
      const m = mean[ch]!;
      let v = 0;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * image;
        for (let j = 0; j < image; j++) {
          const d = f(src[o + j]! - m);
          v += f(d * d);
        }
      }
      varSum[ch] = v;
    }
  }
  const rstd = new Float32Array(c);
  const variance = new Float32Array(c);
  const varUnbiased = new Float32Array(c);
  const out = new Float32Array(src.length);
  for (let ch = 0; ch < c; ch++) {
    const vs = varSum[ch]!;
    rstd[ch] = 1 / Math.sqrt(vs / count + eps);
    variance[ch] = vs / count;
    varUnbiased[ch] = vs / (count - 1);
    const alpha = f(rstd[ch]! * (w === null ? 1 : w.data[ch]!));
    const beta = fmaf(-mean[ch]!, alpha, b === null ? 0 : b.data[ch]!);
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * image;
      for (let j = 0; j < image; j++) out[o + j] = fmaf(src[o + j]!, alpha, beta);
    }
  }
  return { output: { data: out, shape: xb.shape }, mean, rstd, var: variance, varUnbiased };
}

/**
 * Batch normalization's backward in training mode (the batch statistics depend on x).
 *
 * Formula: with x̂ = (x − μ)·r, r = 1/√(σ² + eps), over the M = N·spatial values of channel c:
 * ∂β = Σ g, ∂γ = Σ g·x̂, ∂x = γ·r·(g − ∂β/M − x̂·∂γ/M).
 *
 * @param saved the `mean` and `rstd` returned by {@link batchNorm}.
 * @param options `needs` ({ input, weight, bias }).
 */
export function batchNormBackward(
  x: Buf,
  weight: Buf | null,
  gradOutput: Buf,
  saved: NormStats,
  options: { needs?: GradNeeds } = {},
): ParamGrads {
  const where = 'batchNormBackward';
  const xb = checkBuf(where, 'input', x, 2);
  const [n, c, image] = bnDims(where, xb);
  const w = checkAffine(where, 'weight', weight, [c]);
  const gb = checkGrad(where, xb, gradOutput);
  checkStats(where, saved, c);
  const needs = options.needs ?? {};
  const count = n * image;
  const src = xb.data;
  const g = gb.data;
  const gx = needs.input ?? true ? new Float32Array(src.length) : null;
  const gw = w !== null && (needs.weight ?? true) ? new Float32Array(c) : null;
  const gbias = needs.bias ?? true ? new Float32Array(c) : null;
  for (let ch = 0; ch < c; ch++) {
    const m = saved.mean[ch]!;
    const r = saved.rstd[ch]!;
    let sumG = 0;
    let dot = 0;
    for (let i = 0; i < n; i++) {
      const o = (i * c + ch) * image;
      for (let j = 0; j < image; j++) {
        const gv = g[o + j]!;
        sumG += gv;
        dot += (src[o + j]! - m) * gv;
      }
    }
    if (gw !== null) gw[ch] = dot * r;
    if (gbias !== null) gbias[ch] = sumG;
    if (gx !== null) {
      const gamma = w === null ? 1 : w.data[ch]!;
      const k = (dot * r * r) / count;
      const gMean = sumG / count;
      const scale = r * gamma;
      for (let i = 0; i < n; i++) {
        const o = (i * c + ch) * image;
        for (let j = 0; j < image; j++) gx[o + j] = (g[o + j]! - gMean - (src[o + j]! - m) * k) * scale;
      }
    }
  }
  return {
    gradInput: gx === null ? null : { data: gx, shape: xb.shape },
    gradWeight: gw === null ? null : { data: gw, shape: Object.freeze([c]) },
    gradBias: gbias === null ? null : { data: gbias, shape: Object.freeze([c]) },
  };
}

function checkStats(where: string, saved: NormStats, count: number): void {
  if (
    typeof saved !== 'object' ||
    saved === null ||
    !(saved.mean instanceof Float32Array) ||
    !(saved.rstd instanceof Float32Array) ||
    saved.mean.length !== count ||
    saved.rstd.length !== count
  ) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'saved',
      expected: `the forward's statistics ({ mean, rstd }: Float32Array of ${count})`,
      received: saved,
      fix: 'Pass the object the forward call returned.',
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Layer norm and RMS norm: normalize over the trailing `normalizedShape` dimensions.

function trailing(where: string, x: Buf, normalizedShape: readonly number[]): [number, number] {
  if (!Array.isArray(normalizedShape)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'normalizedShape',
      expected: 'normalizedShape to be an array of dimensions',
      received: normalizedShape,
    });
  }
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.shape.length - k);
  if (k === 0 || k > x.shape.length || tail.some((d, i) => d !== normalizedShape[i])) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected: `input whose trailing dimensions are normalized_shape ${shapeText(normalizedShape)}`,
      receivedText: `input ${shapeText(x.shape)}`,
    });
  }
  const d = numel(normalizedShape);
  return [d === 0 ? 0 : x.data.length / d, d];
}

/** {@link layerNorm}'s result: the output and the per-row statistics. */
export interface LayerNormResult extends NormStats {
  output: Buf;
}

/**
 * Layer normalization over the trailing dimensions (PyTorch's `F.layer_norm`, `nn.LayerNorm`).
 *
 * Paper: Ba, Kiros & Hinton (2016), "Layer Normalization", https://arxiv.org/abs/1607.06450.
 * Formula: y = (x − μ)/√(σ² + eps)·γ + β, μ and σ² (biased) over the last `normalizedShape.length` dimensions.
 * Layout: x `[*, ...normalizedShape]`; γ, β `normalizedShape` or null.
 *
 * @param options `eps` (1e-5).
 * @throws InitError when x's trailing dimensions are not `normalizedShape` or γ/β have another shape.
 * @example
 * ```ts
 * const { output } = layerNorm(x, [768], gamma, beta); // x [B, T, 768]
 * ```
 */
export function layerNorm(
  x: Buf,
  normalizedShape: readonly number[],
  weight: Buf | null,
  bias: Buf | null,
  options: NormOptions = {},
): LayerNormResult {
  const where = 'layerNorm';
  const xb = checkBuf(where, 'input', x, 1);
  const eps = checkEps(where, options);
  const [rows, d] = trailing(where, xb, normalizedShape);
  const w = checkAffine(where, 'weight', weight, normalizedShape);
  const b = checkAffine(where, 'bias', bias, normalizedShape);
  const src = xb.data;
  const out = new Float32Array(src.length);
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const [m, v] = moments(src, o, d);
    mean[r] = m;
    rstd[r] = 1 / f(Math.sqrt(f(f(v) + f(eps))));
    const scale = rstd[r]!;
    const shift = f(-scale * mean[r]!);
    // PyTorch: (x·scale + shift)·γ + β, γ = 1 and β = 0 when absent, each multiply-add fused
    for (let j = 0; j < d; j++) {
      const g = w === null ? 1 : w.data[j]!;
      const bv = b === null ? 0 : b.data[j]!;
      out[o + j] = fmaf(fmaf(src[o + j]!, scale, shift), g, bv);
    }
  }
  return { output: { data: out, shape: xb.shape }, mean, rstd };
}

const VEC = 8; // AVX2 float lanes
const CHUNK = 16; // at::native::utils::kChunkSize
const RECIP = Array.from({ length: CHUNK }, (_, j) => f(1 / (j + 1)));

/**
 * Mean and biased variance of data[o : o+n] as PyTorch's `RowwiseMoments` (aten/src/ATen/native/cpu/
 * moments_utils.h) computes them for float32 on AVX2: Welford updates in 8 lanes (element i in lane i mod 8) over
 * chunks of 16 vectors, chunk results merged by a cascade (pairwise) of Chan et al.'s combination, the < 8 leftover
 * elements by scalar Welford, then the 8 lanes merged in order; float32 throughout, unfused. Used by layer norm and
 * group norm, whose statistics PyTorch computes this way (bit-identical on the golden fixtures).
 */
/** a·b + c in float32, rounded twice (not fused: PyTorch's moments code is not contracted). */
const mulAdd = (a: number, b: number, c: number): number => f(f(a * b) + c);
function moments(data: Float32Array, o: number, N: number): [number, number] {
  const n = Math.floor(N / VEC);
  const chunks = Math.ceil(n / CHUNK);
  const depth = chunks <= 2 ? 1 : Math.ceil(Math.log2(chunks));
  const m0s = new Array<number>(depth).fill(0);
  const m1s = Array.from({ length: depth }, () => new Float64Array(VEC));
  const m2s = Array.from({ length: depth }, () => new Float64Array(VEC));
  const m1 = new Float64Array(VEC);
  const m2 = new Float64Array(VEC);
  // AddMomentsVec(count, m1a, m2a) into level `to`
  const addVec = (count: number, m1a: Float64Array, m2a: Float64Array, to: number): void => {
    const total = m0s[to]! + count;
    const c = total === 0 ? 0 : f(count / total);
    const m0f = m0s[to]!;
    const t1 = m1s[to]!;
    const t2 = m2s[to]!;
    for (let l = 0; l < VEC; l++) {
      const delta = f(m1a[l]! - t1[l]!);
      t1[l] = mulAdd(c, delta, t1[l]!);
      t2[l] = f(t2[l]! + mulAdd(f(f(delta * delta) * c), m0f, m2a[l]!));
    }
    m0s[to] = total;
  };
  for (let i = 0; i < chunks; i++) {
    const base = o + i * CHUNK * VEC;
    const count = Math.min(CHUNK, n - i * CHUNK);
    m1.fill(0);
    m2.fill(0);
    for (let j = 0; j < count; j++) {
      const cj = RECIP[j]!;
      for (let l = 0; l < VEC; l++) {
        const x = data[base + j * VEC + l]!;
        const delta = f(x - m1[l]!);
        m1[l] = mulAdd(delta, cj, m1[l]!);
        m2[l] = mulAdd(delta, f(x - m1[l]!), m2[l]!);
      }
    }
    addVec(count, m1, m2, 0);
    let mask = i + 1;
    for (let j = 1; j < depth && (mask & 1) === 0; j++) {
      addVec(m0s[j - 1]!, m1s[j - 1]!, m2s[j - 1]!, j);
      m0s[j - 1] = 0;
      m1s[j - 1]!.fill(0);
      m2s[j - 1]!.fill(0);
      mask >>= 1;
    }
  }
  for (let i = 1; i < depth; i++) addVec(m0s[i]!, m1s[i]!, m2s[i]!, 0);
  // scalar Welford over the leftover elements, then the lanes (AddMoments)
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  for (let i = n * VEC; i < N; i++) {
    const x = data[o + i]!;
    const delta = f(x - c1);
    c0++;
    c1 = f(c1 + f(delta / c0));
    c2 = mulAdd(delta, f(x - c1), c2);
  }
  const lane1 = m1s[0]!;
  const lane2 = m2s[0]!;
  for (let l = 0; l < VEC; l++) {
    const total = c0 + n;
    const c = total === 0 ? 0 : f(n / total);
    const delta = f(lane1[l]! - c1);
    c1 = mulAdd(c, delta, c1);
    c2 = f(c2 + mulAdd(f(f(delta * delta) * c), c0, lane2[l]!));
    c0 = total;
  }
  return [c1, f(c2 / N)];
}

/**
 * Layer normalization's backward.
 *
 * Formula: with x̂ = (x − μ)·r and h = g·γ over the D normalized values of a row:
 * ∂x = r·(h − mean(h) − x̂·mean(h·x̂)); ∂γ = Σ_rows g·x̂; ∂β = Σ_rows g.
 *
 * @param saved the `mean` and `rstd` returned by {@link layerNorm}.
 */
export function layerNormBackward(
  x: Buf,
  normalizedShape: readonly number[],
  weight: Buf | null,
  gradOutput: Buf,
  saved: NormStats,
  options: { needs?: GradNeeds } = {},
): ParamGrads {
  const where = 'layerNormBackward';
  const xb = checkBuf(where, 'input', x, 1);
  const [rows, d] = trailing(where, xb, normalizedShape);
  const w = checkAffine(where, 'weight', weight, normalizedShape);
  const gb = checkGrad(where, xb, gradOutput);
  checkStats(where, saved, rows);
  const needs = options.needs ?? {};
  const src = xb.data;
  const g = gb.data;
  const gx = needs.input ?? true ? new Float32Array(src.length) : null;
  const gw = w !== null && (needs.weight ?? true) ? new Float64Array(d) : null;
  const gbias = needs.bias ?? true ? new Float64Array(d) : null;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const m = saved.mean[r]!;
    const rs = saved.rstd[r]!;
    let sumH = 0;
    let sumHX = 0;
    for (let j = 0; j < d; j++) {
      const gv = g[o + j]!;
      const xhat = (src[o + j]! - m) * rs;
      const h = gv * (w === null ? 1 : w.data[j]!);
      sumH += h;
      sumHX += h * xhat;
      if (gw !== null) gw[j]! += gv * xhat;
      if (gbias !== null) gbias[j]! += gv;
    }
    if (gx !== null) {
      const mh = sumH / d;
      const mhx = sumHX / d;
      for (let j = 0; j < d; j++) {
        const xhat = (src[o + j]! - m) * rs;
        const h = g[o + j]! * (w === null ? 1 : w.data[j]!);
        gx[o + j] = rs * (h - mh - xhat * mhx);
      }
    }
  }
  const shape = Object.freeze([...normalizedShape]);
  return {
    gradInput: gx === null ? null : { data: gx, shape: xb.shape },
    gradWeight: gw === null ? null : { data: Float32Array.from(gw), shape },
    gradBias: gbias === null ? null : { data: Float32Array.from(gbias), shape },
  };
}

/** {@link rmsNorm}'s result: the output and the per-row 1/RMS. */
export interface RmsNormResult {
  output: Buf;
  rstd: Float32Array;
}

/**
 * RMS normalization over the trailing dimensions (PyTorch ≥ 2.4's `F.rms_norm`, `nn.RMSNorm`).
 *
 * Paper: Zhang & Sennrich (2019), "Root Mean Square Layer Normalization", NeurIPS, https://arxiv.org/abs/1910.07467.
 * Formula: y = x·rsqrt(mean(x²) + eps)·γ, the mean over the last `normalizedShape.length` dimensions.
 * PyTorch's default eps is None, meaning `torch.finfo(float32).eps` = 2⁻²³; pass it explicitly here
 * (the default below is that value).
 * Layout: x `[*, ...normalizedShape]`; γ `normalizedShape` or null.
 *
 * @param options `eps` (default 2⁻²³ = 1.1920928955078125e-7, PyTorch's None).
 * @throws InitError as {@link layerNorm}.
 */
export function rmsNorm(
  x: Buf,
  normalizedShape: readonly number[],
  weight: Buf | null,
  options: NormOptions = {},
): RmsNormResult {
  const where = 'rmsNorm';
  const xb = checkBuf(where, 'input', x, 1);
  const eps = options.eps === undefined ? 2 ** -23 : checkEps(where, options);
  const [rows, d] = trailing(where, xb, normalizedShape);
  const w = checkAffine(where, 'weight', weight, normalizedShape);
  const src = xb.data;
  const out = new Float32Array(src.length);
  const rstd = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let s = 0;
    for (let j = 0; j < d; j++) s += f(src[o + j]! * src[o + j]!);
    rstd[r] = 1 / Math.sqrt(f(f(s / d) + eps));
    const rs = rstd[r]!;
    for (let j = 0; j < d; j++) {
      const v = f(src[o + j]! * rs);
      out[o + j] = w === null ? v : v * w.data[j]!;
    }
  }
  return { output: { data: out, shape: xb.shape }, rstd };
}

/**
 * RMS normalization's backward.
 *
 * Formula: with h = g·γ and r = rsqrt(mean(x²) + eps) per row of D values: ∂x = r·h − x·r³·mean(h·x);
 * ∂γ = Σ_rows g·x·r.
 *
 * @param saved `{ rstd }` returned by {@link rmsNorm}.
 */
export function rmsNormBackward(
  x: Buf,
  normalizedShape: readonly number[],
  weight: Buf | null,
  gradOutput: Buf,
  saved: { rstd: Float32Array },
  options: { needs?: GradNeeds } = {},
): ParamGrads {
  const where = 'rmsNormBackward';
  const xb = checkBuf(where, 'input', x, 1);
  const [rows, d] = trailing(where, xb, normalizedShape);
  const w = checkAffine(where, 'weight', weight, normalizedShape);
  const gb = checkGrad(where, xb, gradOutput);
  checkStats(where, { mean: saved.rstd, rstd: saved.rstd }, rows);
  const needs = options.needs ?? {};
  const src = xb.data;
  const g = gb.data;
  const gx = needs.input ?? true ? new Float32Array(src.length) : null;
  const gw = w !== null && (needs.weight ?? true) ? new Float64Array(d) : null;
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    const rs = saved.rstd[r]!;
    let sumHX = 0;
    for (let j = 0; j < d; j++) {
      const gv = g[o + j]!;
      const xv = src[o + j]!;
      sumHX += gv * (w === null ? 1 : w.data[j]!) * xv;
      if (gw !== null) gw[j]! += gv * xv * rs;
    }
    if (gx !== null) {
      const k = (rs * rs * rs * sumHX) / d;
      for (let j = 0; j < d; j++) {
        const h = g[o + j]! * (w === null ? 1 : w.data[j]!);
        gx[o + j] = rs * h - src[o + j]! * k;
      }
    }
  }
  return {
    gradInput: gx === null ? null : { data: gx, shape: xb.shape },
    gradWeight: gw === null ? null : { data: Float32Array.from(gw), shape: Object.freeze([...normalizedShape]) },
    gradBias: null,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Group norm

function gnDims(where: string, x: Buf, numGroups: unknown): [number, number, number, number] {
  const groups = checkInteger(where, 'numGroups', numGroups, 1);
  const n = x.shape[0]!;
  const c = x.shape[1]!;
  if (c % groups !== 0) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'numGroups',
      expected: `numGroups to divide the ${c} channels of input ${shapeText(x.shape)}`,
      received: groups,
    });
  }
  return [n, c, groups, numel(x.shape.slice(2))];
}

/**
 * Group normalization (PyTorch's `F.group_norm`, `nn.GroupNorm`): normalize each sample's channel groups.
 *
 * Paper: Wu & He (2018), "Group Normalization", ECCV, https://arxiv.org/abs/1803.08494.
 * Formula: y = (x − μ_ng)/√(σ²_ng + eps)·γ_c + β_c, μ and σ² (biased) over the C/G channels and spatial
 * positions of group g in sample n.
 * Layout: x `[N, C, *]`; γ, β `[C]` or null. Returns per-(n, g) statistics, n-major.
 *
 * @param options `eps` (1e-5).
 * @throws InitError when numGroups does not divide C or γ/β are not `[C]`.
 */
export function groupNorm(
  x: Buf,
  numGroups: number,
  weight: Buf | null,
  bias: Buf | null,
  options: NormOptions = {},
): LayerNormResult {
  const where = 'groupNorm';
  const xb = checkBuf(where, 'input', x, 2);
  const eps = checkEps(where, options);
  const [n, c, groups, image] = gnDims(where, xb, numGroups);
  const w = checkAffine(where, 'weight', weight, [c]);
  const b = checkAffine(where, 'bias', bias, [c]);
  const cg = c / groups;
  const d = cg * image;
  const src = xb.data;
  const out = new Float32Array(src.length);
  const mean = new Float32Array(n * groups);
  const rstd = new Float32Array(n * groups);
  for (let ng = 0; ng < n * groups; ng++) {
    const o = ng * d;
    const [m, v] = moments(src, o, d);
    mean[ng] = m;
    rstd[ng] = 1 / f(Math.sqrt(f(Math.max(f(v), 0) + f(eps))));
    const mf = mean[ng]!;
    const rs = rstd[ng]!;
    const g0 = (ng % groups) * cg;
    if (w === null && b === null) {
      // PyTorch: (x − μ)·r without an affine transform
      for (let j = 0; j < d; j++) out[o + j] = f(src[o + j]! - mf) * rs;
      continue;
    }
    for (let ci = 0; ci < cg; ci++) {
      const ch = g0 + ci;
      const scale = f(rs * (w === null ? 1 : w.data[ch]!));
      const shift = fmaf(-scale, mf, b === null ? 0 : b.data[ch]!);
      const oc = o + ci * image;
      for (let j = 0; j < image; j++) out[oc + j] = fmaf(src[oc + j]!, scale, shift);
    }
  }
  return { output: { data: out, shape: xb.shape }, mean, rstd };
}

/**
 * Group normalization's backward.
 *
 * Formula: per (n, g) over its D = C/G·spatial values, with x̂ = (x − μ)·r and h = g·γ_c:
 * ∂x = r·(h − mean(h) − x̂·mean(h·x̂)); ∂γ_c = Σ g·x̂; ∂β_c = Σ g.
 *
 * @param saved the `mean` and `rstd` returned by {@link groupNorm}.
 */
export function groupNormBackward(
  x: Buf,
  numGroups: number,
  weight: Buf | null,
  gradOutput: Buf,
  saved: NormStats,
  options: { needs?: GradNeeds } = {},
): ParamGrads {
  const where = 'groupNormBackward';
  const xb = checkBuf(where, 'input', x, 2);
  const [n, c, groups, image] = gnDims(where, xb, numGroups);
  const w = checkAffine(where, 'weight', weight, [c]);
  const gb = checkGrad(where, xb, gradOutput);
  checkStats(where, saved, n * groups);
  const needs = options.needs ?? {};
  const cg = c / groups;
  const d = cg * image;
  const src = xb.data;
  const g = gb.data;
  const gx = needs.input ?? true ? new Float32Array(src.length) : null;
  const gw = w !== null && (needs.weight ?? true) ? new Float64Array(c) : null;
  const gbias = needs.bias ?? true ? new Float64Array(c) : null;
  for (let ng = 0; ng < n * groups; ng++) {
    const o = ng * d;
    const m = saved.mean[ng]!;
    const rs = saved.rstd[ng]!;
    const g0 = (ng % groups) * cg;
    let sumH = 0;
    let sumHX = 0;
    for (let ci = 0; ci < cg; ci++) {
      const ch = g0 + ci;
      const gamma = w === null ? 1 : w.data[ch]!;
      const oc = o + ci * image;
      let sg = 0;
      let sgx = 0;
      for (let j = 0; j < image; j++) {
        const gv = g[oc + j]!;
        const xhat = (src[oc + j]! - m) * rs;
        sg += gv;
        sgx += gv * xhat;
      }
      sumH += sg * gamma;
      sumHX += sgx * gamma;
      if (gw !== null) gw[ch]! += sgx;
      if (gbias !== null) gbias[ch]! += sg;
    }
    if (gx !== null) {
      const mh = sumH / d;
      const mhx = sumHX / d;
      for (let ci = 0; ci < cg; ci++) {
        const gamma = w === null ? 1 : w.data[g0 + ci]!;
        const oc = o + ci * image;
        for (let j = 0; j < image; j++) {
          const xhat = (src[oc + j]! - m) * rs;
          gx[oc + j] = rs * (g[oc + j]! * gamma - mh - xhat * mhx);
        }
      }
    }
  }
  return {
    gradInput: gx === null ? null : { data: gx, shape: xb.shape },
    gradWeight: gw === null ? null : { data: Float32Array.from(gw), shape: Object.freeze([c]) },
    gradBias: gbias === null ? null : { data: Float32Array.from(gbias), shape: Object.freeze([c]) },
  };
}
