/**
 * Pooling (PyTorch's `F.max_pool1d/2d`, `F.avg_pool1d/2d`, `F.adaptive_avg_pool1d/2d`), forward and backward.
 *
 * Each follows PyTorch's CPU kernels (aten/src/ATen/native/cpu/MaxPoolKernel.cpp, AvgPoolKernel.cpp,
 * AdaptiveAvgPoolKernel.cpp): output sizes from `pooling_output_shape` (with `ceil_mode`'s rule that the last
 * window must start inside the input or left padding), max pooling keeps the first maximum in row-major window
 * order (NaN wins), average pooling sums in float32 and divides by the window size PyTorch uses
 * (`count_include_pad`, `divisor_override`). A 1-D pool is the 2-D one over a height-1 image, as in PyTorch.
 */
import { checkInteger, fail } from '../../errors.js';
import { type Buf, checkBuf, checkGradShape, perDim, shapeText } from './buffer.js';

const f = Math.fround;

/** Options of max pooling (PyTorch's names camelCased). */
export interface MaxPoolOptions {
  /** Window size: an integer or one per spatial dimension. Required. */
  kernelSize: number | readonly number[];
  /** Step; default: kernelSize. */
  stride?: number | readonly number[];
  /** Implicit −∞ padding per side; at most half the kernel; default 0. */
  padding?: number | readonly number[];
  /** Spacing between window elements; default 1. */
  dilation?: number | readonly number[];
  /** Round the output size up instead of down; default false. */
  ceilMode?: boolean;
}

/** Options of average pooling. */
export interface AvgPoolOptions {
  kernelSize: number | readonly number[];
  stride?: number | readonly number[];
  padding?: number | readonly number[];
  ceilMode?: boolean;
  /** Count the zero padding in the divisor; default true. */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (2-D only in PyTorch); default none. */
  divisorOverride?: number;
}

/** {@link maxPool2d}'s result: the output and, per output element, the flat index of its maximum in the plane. */
export interface MaxPoolResult {
  output: Buf;
  indices: Int32Array;
}

interface PoolGeometry {
  planes: number;
  h: number;
  w: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
  oh: number;
  ow: number;
  inShape: readonly number[];
  outShape: readonly number[];
}

/**
 * PyTorch's `pooling_output_shape` along one dimension: ⌊(size + 2·pad − dilation·(k − 1) − 1 (+ stride − 1 with
 * `ceil`)) / stride⌋ + 1, less one when `ceil` would start the last window past the input and its left padding.
 * Without `ceil` it is also a convolution's output size. @internal
 */
export function outSize(size: number, k: number, pad: number, stride: number, dilation: number, ceil: boolean): number {
  const num = size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
  let o = Math.floor(num / stride) + 1;
  if (ceil && (o - 1) * stride >= size + pad) o--;
  return o;
}

function poolGeometry(
  where: string,
  dims: 1 | 2,
  x: Buf,
  o: { kernelSize: unknown; stride?: unknown; padding?: unknown; dilation?: unknown; ceilMode?: unknown },
): PoolGeometry {
  const r = x.shape.length;
  if (r !== dims + 1 && r !== dims + 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'input',
      expected: `input of ${dims + 1} or ${dims + 2} dimensions ([N, C, ${dims === 1 ? 'L' : 'H, W'}])`,
      receivedText: shapeText(x.shape),
    });
  }
  if (typeof o !== 'object' || o === null || o.kernelSize === undefined) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'kernelSize', expected: 'options with a kernelSize', received: o });
  }
  const k = perDim(where, 'kernelSize', o.kernelSize, dims, null, 1);
  const s = perDim(where, 'stride', o.stride, dims, k, 1);
  const p = perDim(where, 'padding', o.padding, dims, Array<number>(dims).fill(0), 0);
  const d = perDim(where, 'dilation', o.dilation, dims, Array<number>(dims).fill(1), 1);
  const ceil = o.ceilMode === undefined ? false : o.ceilMode === true;
  k.forEach((kv, i) => {
    if (p[i]! > Math.floor(kv / 2)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'padding',
        expected: `padding at most half the kernel size (${Math.floor(kv / 2)} for kernel ${kv})`,
        received: o.padding,
      });
    }
  });
  const spatial = x.shape.slice(r - dims);
  const h = dims === 2 ? spatial[0]! : 1;
  const w = spatial[dims - 1]!;
  const [kh, sh, ph, dh] = dims === 2 ? [k[0]!, s[0]!, p[0]!, d[0]!] : [1, 1, 0, 1];
  const [kw, sw, pw, dw] = [k[dims - 1]!, s[dims - 1]!, p[dims - 1]!, d[dims - 1]!];
  const oh = outSize(h, kh, ph, sh, dh, ceil);
  const ow = outSize(w, kw, pw, sw, dw, ceil);
  if (oh < 1 || ow < 1) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected: `an input large enough for kernel ${shapeText(k)} (output size ≥ 1)`,
      receivedText: `input ${shapeText(x.shape)}`,
    });
  }
  const lead = x.shape.slice(0, r - dims);
  const planes = lead.reduce((a, b) => a * b, 1);
  const outShape = Object.freeze([...lead, ...(dims === 2 ? [oh, ow] : [ow])]);
  return { planes, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow, inShape: x.shape, outShape };
}

function maxPool(where: string, dims: 1 | 2, x: Buf, options: MaxPoolOptions): MaxPoolResult {
  const xb = checkBuf(where, 'input', x);
  const g = poolGeometry(where, dims, xb, options);
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const out = new Float32Array(g.planes * oplane);
  const indices = new Int32Array(g.planes * oplane);
  const src = xb.data;
  for (let pl = 0; pl < g.planes; pl++) {
    const xo = pl * plane;
    for (let a = 0; a < g.oh; a++) {
      let h0 = a * g.sh - g.ph;
      const h1 = Math.min(h0 + (g.kh - 1) * g.dh + 1, g.h);
      while (h0 < 0) h0 += g.dh;
      for (let b = 0; b < g.ow; b++) {
        let w0 = b * g.sw - g.pw;
        const w1 = Math.min(w0 + (g.kw - 1) * g.dw + 1, g.w);
        while (w0 < 0) w0 += g.dw;
        let maxIndex = h0 * g.w + w0;
        let maxVal = -Infinity;
        for (let ih = h0; ih < h1; ih += g.dh) {
          for (let iw = w0; iw < w1; iw += g.dw) {
            const idx = ih * g.w + iw;
            const v = src[xo + idx]!;
            if (v > maxVal || v !== v) {
              maxVal = v;
              maxIndex = idx;
            }
          }
        }
        const o = pl * oplane + a * g.ow + b;
        out[o] = maxVal;
        indices[o] = maxIndex;
      }
    }
  }
  return { output: { data: out, shape: g.outShape }, indices };
}

function maxPoolBackward(
  where: string,
  dims: 1 | 2,
  x: Buf,
  indices: Int32Array,
  gradOutput: Buf,
  options: MaxPoolOptions,
): Buf {
  const xb = checkBuf(where, 'input', x);
  const g = poolGeometry(where, dims, xb, options);
  const gy = checkBuf(where, 'gradOutput', gradOutput);
  checkGradShape(where, gy, g.outShape);
  if (!(indices instanceof Int32Array) || indices.length !== gy.data.length) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'indices',
      expected: `the forward's indices (Int32Array of ${gy.data.length})`,
      received: indices,
    });
  }
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const gx = new Float64Array(xb.data.length);
  for (let pl = 0; pl < g.planes; pl++) {
    for (let o = 0; o < oplane; o++) gx[pl * plane + indices[pl * oplane + o]!]! += gy.data[pl * oplane + o]!;
  }
  return { data: Float32Array.from(gx), shape: xb.shape };
}

/**
 * 2-D max pooling (PyTorch's `F.max_pool2d`, `nn.MaxPool2d`), with the argmax per output element.
 *
 * Formula: y[.., i, j] = max over the window rows i·sH − pH + u·dH, columns j·sW − pW + v·dW (inside the input).
 * Layout: x `[N, C, H, W]` or `[C, H, W]`; indices are flat positions in each H×W plane (PyTorch's).
 *
 * @param options `kernelSize` (required), `stride` (kernelSize), `padding` (0), `dilation` (1), `ceilMode` (false).
 * @throws InitError for a padding above half the kernel, an output smaller than 1, or a bad rank.
 * @example
 * ```ts
 * const { output } = maxPool2d(x, { kernelSize: 2 }); // [8, 16, 32, 32] → [8, 16, 16, 16]
 * ```
 */
export function maxPool2d(x: Buf, options: MaxPoolOptions): MaxPoolResult {
  return maxPool('maxPool2d', 2, x, options);
}

/** 1-D max pooling (`F.max_pool1d`): {@link maxPool2d} over a height-1 image. x `[N, C, L]` or `[C, L]`. */
export function maxPool1d(x: Buf, options: MaxPoolOptions): MaxPoolResult {
  return maxPool('maxPool1d', 1, x, options);
}

/** {@link maxPool2d}'s backward: each output gradient goes to its window's maximum (summed where windows share it). */
export function maxPool2dBackward(x: Buf, indices: Int32Array, gradOutput: Buf, options: MaxPoolOptions): Buf {
  return maxPoolBackward('maxPool2dBackward', 2, x, indices, gradOutput, options);
}

/** {@link maxPool1d}'s backward. */
export function maxPool1dBackward(x: Buf, indices: Int32Array, gradOutput: Buf, options: MaxPoolOptions): Buf {
  return maxPoolBackward('maxPool1dBackward', 1, x, indices, gradOutput, options);
}

/** Window bounds and divisor of average pooling's output (a, b), as PyTorch's cpu_avg_pool. */
function avgWindow(
  g: PoolGeometry,
  a: number,
  b: number,
  countIncludePad: boolean,
  divisorOverride: number | undefined,
): [number, number, number, number, number] {
  let h0 = a * g.sh - g.ph;
  let w0 = b * g.sw - g.pw;
  let h1 = Math.min(h0 + g.kh, g.h + g.ph);
  let w1 = Math.min(w0 + g.kw, g.w + g.pw);
  const poolSize = (h1 - h0) * (w1 - w0);
  h0 = Math.max(h0, 0);
  w0 = Math.max(w0, 0);
  h1 = Math.min(h1, g.h);
  w1 = Math.min(w1, g.w);
  const divisor =
    divisorOverride !== undefined ? divisorOverride : countIncludePad ? poolSize : (h1 - h0) * (w1 - w0);
  return [h0, h1, w0, w1, divisor];
}

function avgOptions(where: string, o: AvgPoolOptions): [boolean, number | undefined] {
  const countIncludePad = o.countIncludePad === undefined ? true : o.countIncludePad === true;
  const div = o.divisorOverride === undefined ? undefined : checkInteger(where, 'divisorOverride', o.divisorOverride, 1);
  return [countIncludePad, div];
}

function avgPool(where: string, dims: 1 | 2, x: Buf, options: AvgPoolOptions): Buf {
  const xb = checkBuf(where, 'input', x);
  const g = poolGeometry(where, dims, xb, options);
  const [cip, div] = avgOptions(where, options);
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const out = new Float32Array(g.planes * oplane);
  const src = xb.data;
  for (let pl = 0; pl < g.planes; pl++) {
    const xo = pl * plane;
    for (let a = 0; a < g.oh; a++) {
      for (let b = 0; b < g.ow; b++) {
        const [h0, h1, w0, w1, divisor] = avgWindow(g, a, b, cip, div);
        const o = pl * oplane + a * g.ow + b;
        if (h0 >= h1 || w0 >= w1) {
          out[o] = 0;
          continue;
        }
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s = f(s + src[xo + ih * g.w + iw]!);
        out[o] = s / divisor;
      }
    }
  }
  return { data: out, shape: g.outShape };
}

function avgPoolBackward(where: string, dims: 1 | 2, x: Buf, gradOutput: Buf, options: AvgPoolOptions): Buf {
  const xb = checkBuf(where, 'input', x);
  const g = poolGeometry(where, dims, xb, options);
  const gy = checkBuf(where, 'gradOutput', gradOutput);
  checkGradShape(where, gy, g.outShape);
  const [cip, div] = avgOptions(where, options);
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const gx = new Float64Array(xb.data.length);
  for (let pl = 0; pl < g.planes; pl++) {
    const xo = pl * plane;
    for (let a = 0; a < g.oh; a++) {
      for (let b = 0; b < g.ow; b++) {
        const [h0, h1, w0, w1, divisor] = avgWindow(g, a, b, cip, div);
        const gv = f(gy.data[pl * oplane + a * g.ow + b]! / divisor);
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) gx[xo + ih * g.w + iw]! += gv;
      }
    }
  }
  return { data: Float32Array.from(gx), shape: xb.shape };
}

/**
 * 2-D average pooling (PyTorch's `F.avg_pool2d`, `nn.AvgPool2d`).
 *
 * Formula: y = (Σ window ∩ input) / divisor; divisor = divisorOverride, else the window clipped to the padded
 * input (countIncludePad) or to the input.
 * Layout: x `[N, C, H, W]` or `[C, H, W]`.
 *
 * @param options `kernelSize` (required), `stride` (kernelSize), `padding` (0), `ceilMode` (false),
 *   `countIncludePad` (true), `divisorOverride`.
 * @throws InitError as {@link maxPool2d}, and for a divisorOverride that is not a positive integer.
 * @example
 * ```ts
 * const y = avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 });
 * ```
 */
export function avgPool2d(x: Buf, options: AvgPoolOptions): Buf {
  return avgPool('avgPool2d', 2, x, options);
}

/** 1-D average pooling (`F.avg_pool1d`): {@link avgPool2d} over a height-1 image. x `[N, C, L]` or `[C, L]`. */
export function avgPool1d(x: Buf, options: Omit<AvgPoolOptions, 'divisorOverride'>): Buf {
  return avgPool('avgPool1d', 1, x, options);
}

/** {@link avgPool2d}'s backward: each output gradient / divisor added to its window's inputs. */
export function avgPool2dBackward(x: Buf, gradOutput: Buf, options: AvgPoolOptions): Buf {
  return avgPoolBackward('avgPool2dBackward', 2, x, gradOutput, options);
}

/** {@link avgPool1d}'s backward. */
export function avgPool1dBackward(x: Buf, gradOutput: Buf, options: Omit<AvgPoolOptions, 'divisorOverride'>): Buf {
  return avgPoolBackward('avgPool1dBackward', 1, x, gradOutput, options);
}

interface AdaptiveGeometry {
  planes: number;
  h: number;
  w: number;
  oh: number;
  ow: number;
  outShape: readonly number[];
}

function adaptiveGeometry(where: string, dims: 1 | 2, x: Buf, outputSize: unknown): AdaptiveGeometry {
  const r = x.shape.length;
  if (r !== dims + 1 && r !== dims + 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'input',
      expected: `input of ${dims + 1} or ${dims + 2} dimensions`,
      receivedText: shapeText(x.shape),
    });
  }
  const os = perDim(where, 'outputSize', outputSize, dims, null, 1);
  const spatial = x.shape.slice(r - dims);
  const h = dims === 2 ? spatial[0]! : 1;
  const w = spatial[dims - 1]!;
  const oh = dims === 2 ? os[0]! : 1;
  const ow = os[dims - 1]!;
  if (h === 0 || w === 0) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'input',
      expected: 'non-empty spatial dimensions',
      receivedText: shapeText(x.shape),
    });
  }
  const lead = x.shape.slice(0, r - dims);
  return {
    planes: lead.reduce((a, b) => a * b, 1),
    h,
    w,
    oh,
    ow,
    outShape: Object.freeze([...lead, ...(dims === 2 ? [oh, ow] : [ow])]),
  };
}

function adaptiveAvgPool(where: string, dims: 1 | 2, x: Buf, outputSize: number | readonly number[]): Buf {
  const xb = checkBuf(where, 'input', x);
  const g = adaptiveGeometry(where, dims, xb, outputSize);
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const out = new Float32Array(g.planes * oplane);
  const src = xb.data;
  for (let pl = 0; pl < g.planes; pl++) {
    const xo = pl * plane;
    for (let a = 0; a < g.oh; a++) {
      const h0 = Math.floor((a * g.h) / g.oh);
      const h1 = Math.ceil(((a + 1) * g.h) / g.oh);
      for (let b = 0; b < g.ow; b++) {
        const w0 = Math.floor((b * g.w) / g.ow);
        const w1 = Math.ceil(((b + 1) * g.w) / g.ow);
        let s = 0;
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) s = f(s + src[xo + ih * g.w + iw]!);
        out[pl * oplane + a * g.ow + b] = f(s / (h1 - h0)) / (w1 - w0);
      }
    }
  }
  return { data: out, shape: g.outShape };
}

function adaptiveAvgPoolBackward(
  where: string,
  dims: 1 | 2,
  x: Buf,
  gradOutput: Buf,
  outputSize: number | readonly number[],
): Buf {
  const xb = checkBuf(where, 'input', x);
  const g = adaptiveGeometry(where, dims, xb, outputSize);
  const gy = checkBuf(where, 'gradOutput', gradOutput);
  checkGradShape(where, gy, g.outShape);
  const plane = g.h * g.w;
  const oplane = g.oh * g.ow;
  const gx = new Float64Array(xb.data.length);
  for (let pl = 0; pl < g.planes; pl++) {
    const xo = pl * plane;
    for (let a = 0; a < g.oh; a++) {
      const h0 = Math.floor((a * g.h) / g.oh);
      const h1 = Math.ceil(((a + 1) * g.h) / g.oh);
      for (let b = 0; b < g.ow; b++) {
        const w0 = Math.floor((b * g.w) / g.ow);
        const w1 = Math.ceil(((b + 1) * g.w) / g.ow);
        const gv = f(f(gy.data[pl * oplane + a * g.ow + b]! / (h1 - h0)) / (w1 - w0));
        for (let ih = h0; ih < h1; ih++) for (let iw = w0; iw < w1; iw++) gx[xo + ih * g.w + iw]! += gv;
      }
    }
  }
  return { data: Float32Array.from(gx), shape: xb.shape };
}

/**
 * 2-D adaptive average pooling (PyTorch's `F.adaptive_avg_pool2d`, `nn.AdaptiveAvgPool2d`).
 *
 * Formula: output (i, j) averages rows ⌊i·H/oH⌋ … ⌈(i+1)·H/oH⌉ − 1 and columns likewise.
 * Layout: x `[N, C, H, W]` or `[C, H, W]` → `[…, oH, oW]`.
 *
 * @param outputSize an integer or [oH, oW] (PyTorch's None entries are not supported: pass the input size).
 * @throws InitError for a bad rank, an empty input, or a non-positive output size.
 * @example
 * ```ts
 * const y = adaptiveAvgPool2d(x, 1); // global average pooling: [N, C, 1, 1]
 * ```
 */
export function adaptiveAvgPool2d(x: Buf, outputSize: number | readonly number[]): Buf {
  return adaptiveAvgPool('adaptiveAvgPool2d', 2, x, outputSize);
}

/** 1-D adaptive average pooling (`F.adaptive_avg_pool1d`). x `[N, C, L]` or `[C, L]`. */
export function adaptiveAvgPool1d(x: Buf, outputSize: number | readonly number[]): Buf {
  return adaptiveAvgPool('adaptiveAvgPool1d', 1, x, outputSize);
}

/** {@link adaptiveAvgPool2d}'s backward. */
export function adaptiveAvgPool2dBackward(x: Buf, gradOutput: Buf, outputSize: number | readonly number[]): Buf {
  return adaptiveAvgPoolBackward('adaptiveAvgPool2dBackward', 2, x, gradOutput, outputSize);
}

/** {@link adaptiveAvgPool1d}'s backward. */
export function adaptiveAvgPool1dBackward(x: Buf, gradOutput: Buf, outputSize: number | readonly number[]): Buf {
  return adaptiveAvgPoolBackward('adaptiveAvgPool1dBackward', 1, x, gradOutput, outputSize);
}
