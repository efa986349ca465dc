/**
 * 1-D and 2-D convolutions (PyTorch's `F.conv1d` / `F.conv2d`, `nn.Conv1d` / `nn.Conv2d`) with stride, padding
 * (integers, per-dimension tuples, `'same'`, `'valid'`), dilation, groups and padding modes, forward and backward.
 *
 * Algorithm: im2col + GEMM per sample and group (Chellapilla, Puri & Simard 2006, "High Performance Convolutional
 * Neural Networks for Document Processing", https://hal.inria.fr/inria-00112631): the receptive fields are unrolled
 * into a `[C/G·kH·kW, oH·oW]` matrix so the convolution is one matrix product with the `[O/G, C/G·kH·kW]` weight.
 * The backward uses the same unrolling: ∂W += ∂y·colsᵀ, ∂cols = Wᵀ·∂y scattered back (col2im).
 * A 1-D convolution is the 2-D one with height 1.
 *
 * Padding: `'same'` pads d·(k − 1) in total per dimension, ⌊·/2⌋ before and the rest after (PyTorch puts the odd
 * one at the end); non-`'zeros'` padding modes read the padded input through the index map of `F.pad` (reflect,
 * replicate, circular), as `nn.Conv*d(padding_mode=…)` does.
 */
import { checkEnum, checkInteger, fail } from '../../errors.js';
import { type ConvGeometryOptions, PADDING_MODES, type PaddingMode } from '../../nn/conv.js';
import { type Buf, checkBias, checkBuf, checkGradShape, perDim, shapeText } from './buffer.js';
import { resolveGemm } from './gemm.js';
import type { GemmOptions, GradNeeds, ParamGrads } from './linear.js';

export { PADDING_MODES, type PaddingMode };

/** Convolution options, PyTorch's names camelCased and defaults (those of `nn.Conv*d`), plus the GEMM backend. */
export interface ConvOptions extends GemmOptions, ConvGeometryOptions {}

/** The resolved geometry of a 2-D (or height-1) convolution. @internal */
interface Geometry {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  groups: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  /** Padding before/after per dimension. */
  ph0: number;
  pw0: number;
  oh: number;
  ow: number;
  mode: PaddingMode;
  batched: boolean;
  outShape: readonly number[];
}

/** Resolve shapes and options; `dims` is 1 or 2. */
function geometry(where: string, dims: 1 | 2, x: Buf, weight: Buf, opts: ConvOptions): Geometry {
  const batched = x.shape.length === dims + 2;
  if (!batched && x.shape.length !== dims + 1) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'input',
      expected: `input of ${dims + 2} dimensions [N, C, ${dims === 1 ? 'L' : 'H, W'}] (or ${dims + 1} unbatched)`,
      receivedText: shapeText(x.shape),
    });
  }
  if (weight.shape.length !== dims + 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'weight',
      expected: `weight of ${dims + 2} dimensions [out, in/groups, ${dims === 1 ? 'k' : 'kH, kW'}]`,
      receivedText: shapeText(weight.shape),
    });
  }
  const s = batched ? x.shape : [1, ...x.shape];
  const n = s[0]!;
  const c = s[1]!;
  const h = dims === 2 ? s[2]! : 1;
  const w = dims === 2 ? s[3]! : s[2]!;
  const o = weight.shape[0]!;
  const kh = dims === 2 ? weight.shape[2]! : 1;
  const kw = dims === 2 ? weight.shape[3]! : weight.shape[2]!;
  const groups = checkInteger(where, 'groups', opts.groups ?? 1, 1);
  if (c % groups !== 0 || o % groups !== 0 || weight.shape[1]! * groups !== c) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected:
        `input channels = weight.shape[1]·groups = ${weight.shape[1]}·${groups} = ${weight.shape[1]! * groups}` +
        ` and out channels ${o} divisible by groups (weight ${shapeText(weight.shape)})`,
      receivedText: `input ${shapeText(x.shape)}`,
      fix: 'Check the input shape against the first layer (channels come before the spatial dimensions).',
    });
  }
  const mode = opts.paddingMode === undefined ? 'zeros' : checkEnum(where, 'paddingMode', opts.paddingMode, PADDING_MODES);
  const stride = perDim(where, 'stride', opts.stride, dims, 1, 1);
  const dilation = perDim(where, 'dilation', opts.dilation, dims, 1, 1);
  const [sh, sw] = dims === 2 ? [stride[0]!, stride[1]!] : [1, stride[0]!];
  const [dh, dw] = dims === 2 ? [dilation[0]!, dilation[1]!] : [1, dilation[0]!];
  const ks = dims === 2 ? [kh, kw] : [kw];
  let before: number[];
  let after: number[];
  if (opts.padding === 'same') {
    if (stride.some((v) => v !== 1)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'padding',
        expected: "stride 1 with padding='same' (PyTorch does not support strided 'same' convolutions)",
        received: opts.stride,
      });
    }
    const total = ks.map((k, i) => dilation[i]! * (k - 1));
    before = total.map((t) => Math.floor(t / 2));
    after = total.map((t, i) => t - before[i]!);
  } else if (opts.padding === 'valid') {
    before = Array<number>(dims).fill(0);
    after = before;
  } else {
    before = perDim(where, 'padding', opts.padding, dims, 0, 0);
    after = before;
  }
  const [ph0, ph1] = dims === 2 ? [before[0]!, after[0]!] : [0, 0];
  const [pw0, pw1] = dims === 2 ? [before[1]!, after[1]!] : [before[0]!, after[0]!];
  if (mode !== 'zeros') {
    const limit = mode === 'reflect' ? 'less than' : 'at most';
    const bad = (p: number, size: number): boolean => (mode === 'reflect' ? p >= size : mode === 'circular' && p > size);
    if (bad(ph0, h) || bad(ph1, h) || bad(pw0, w) || bad(pw1, w)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'padding',
        expected: `${mode} padding ${limit} the input size`,
        receivedText: `padding ${JSON.stringify(opts.padding)} for input ${shapeText(x.shape)}`,
      });
    }
  }
  const oh = Math.floor((h + ph0 + ph1 - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + pw0 + pw1 - dw * (kw - 1) - 1) / sw) + 1;
  if (oh <= 0 || ow <= 0) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected: `a (padded) input at least as large as the dilated kernel ${shapeText(ks.map((k, i) => dilation[i]! * (k - 1) + 1))}`,
      receivedText: `input ${shapeText(x.shape)} with padding ${JSON.stringify(opts.padding ?? 0)}`,
    });
  }
  const spatialOut = dims === 2 ? [oh, ow] : [ow];
  const outShape = Object.freeze(batched ? [n, o, ...spatialOut] : [o, ...spatialOut]);
  return { n, c, h, w, o, groups, kh, kw, sh, sw, dh, dw, ph0, pw0, oh, ow, mode, batched, outShape };
}

/** Source index along one dimension for each (kernel tap, output position), or -1 for a zero-padded one. */
function indexMap(
  size: number,
  k: number,
  out: number,
  stride: number,
  dilation: number,
  pad: number,
  mode: PaddingMode,
): Int32Array {
  const map = new Int32Array(k * out);
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < out; p++) {
      let i = p * stride - pad + t * dilation;
      if (i < 0 || i >= size) {
        if (mode === 'zeros') i = -1;
        else if (mode === 'replicate') i = i < 0 ? 0 : size - 1;
        else if (mode === 'reflect') i = i < 0 ? -i : 2 * (size - 1) - i;
        else i = ((i % size) + size) % size;
      }
      map[t * out + p] = i;
    }
  }
  return map;
}

/** Unroll sample n's group-g input into cols `[cg·kh·kw, oh·ow]`. */
function im2col(
  x: Float32Array,
  g: Geometry,
  n: number,
  grp: number,
  hMap: Int32Array,
  wMap: Int32Array,
  cols: Float32Array,
): void {
  const cg = g.c / g.groups;
  const plane = g.h * g.w;
  const P = g.oh * g.ow;
  for (let ci = 0; ci < cg; ci++) {
    const xo = (n * g.c + grp * cg + ci) * plane;
    for (let ti = 0; ti < g.kh; ti++) {
      for (let tj = 0; tj < g.kw; tj++) {
        const row = ((ci * g.kh + ti) * g.kw + tj) * P;
        for (let a = 0; a < g.oh; a++) {
          const r = hMap[ti * g.oh + a]!;
          const dst = row + a * g.ow;
          if (r < 0) {
            cols.fill(0, dst, dst + g.ow);
            continue;
          }
          const src = xo + r * g.w;
          for (let b = 0; b < g.ow; b++) {
            const cIdx = wMap[tj * g.ow + b]!;
            cols[dst + b] = cIdx < 0 ? 0 : x[src + cIdx]!;
          }
        }
      }
    }
  }
}

/** Scatter-add cols `[cg·kh·kw, oh·ow]` back into sample n's group-g input gradient. */
function col2im(
  cols: Float32Array,
  g: Geometry,
  n: number,
  grp: number,
  hMap: Int32Array,
  wMap: Int32Array,
  gx: Float64Array,
): void {
  const cg = g.c / g.groups;
  const plane = g.h * g.w;
  const P = g.oh * g.ow;
  for (let ci = 0; ci < cg; ci++) {
    const xo = (n * g.c + grp * cg + ci) * plane;
    for (let ti = 0; ti < g.kh; ti++) {
      for (let tj = 0; tj < g.kw; tj++) {
        const row = ((ci * g.kh + ti) * g.kw + tj) * P;
        for (let a = 0; a < g.oh; a++) {
          const r = hMap[ti * g.oh + a]!;
          if (r < 0) continue;
          const src = row + a * g.ow;
          const dst = xo + r * g.w;
          for (let b = 0; b < g.ow; b++) {
            const cIdx = wMap[tj * g.ow + b]!;
            if (cIdx >= 0) gx[dst + cIdx]! += cols[src + b]!;
          }
        }
      }
    }
  }
}

/** A 1×1, stride-1, unpadded convolution needs no unrolling: the input plane is the cols matrix. */
function isPointwise(g: Geometry): boolean {
  return g.kh === 1 && g.kw === 1 && g.sh === 1 && g.sw === 1 && g.ph0 === 0 && g.pw0 === 0 && g.oh === g.h && g.ow === g.w;
}

function checkConvArgs(where: string, x: unknown, weight: unknown, bias: unknown): [Buf, Buf, Buf | null] {
  const xb = checkBuf(where, 'input', x);
  const w = checkBuf(where, 'weight', weight);
  return [xb, w, checkBias(where, bias, w, 'out channels')];
}

function convForward(where: string, dims: 1 | 2, x: Buf, weight: Buf, bias: Buf | null, opts: ConvOptions): Buf {
  const [xb, w, b] = checkConvArgs(where, x, weight, bias);
  const g = geometry(where, dims, xb, w, opts);
  const gemm = resolveGemm(where, opts.gemm);
  const og = g.o / g.groups;
  const K = (g.c / g.groups) * g.kh * g.kw;
  const P = g.oh * g.ow;
  const y = new Float32Array(g.n * g.o * P);
  if (b !== null) {
    for (let n = 0; n < g.n; n++) {
      for (let oc = 0; oc < g.o; oc++) y.fill(b.data[oc]!, (n * g.o + oc) * P, (n * g.o + oc + 1) * P);
    }
  }
  const pointwise = isPointwise(g);
  const hMap = indexMap(g.h, g.kh, g.oh, g.sh, g.dh, g.ph0, g.mode);
  const wMap = indexMap(g.w, g.kw, g.ow, g.sw, g.dw, g.pw0, g.mode);
  const cols = pointwise ? null : new Float32Array(K * P);
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      let colsG: Float32Array;
      if (cols === null) {
        const start = (n * g.c + grp * (g.c / g.groups)) * g.h * g.w;
        colsG = xb.data.subarray(start, start + K * P);
      } else {
        im2col(xb.data, g, n, grp, hMap, wMap, cols);
        colsG = cols;
      }
      const wg = w.data.subarray(grp * og * K, (grp + 1) * og * K);
      const yo = (n * g.o + grp * og) * P;
      gemm.sgemm(false, false, og, P, K, wg, colsG, y.subarray(yo, yo + og * P), b !== null);
    }
  }
  return { data: y, shape: g.outShape };
}

function convBackward(
  where: string,
  dims: 1 | 2,
  x: Buf,
  weight: Buf,
  gradOutput: Buf,
  opts: ConvOptions & { needs?: GradNeeds; hasBias?: boolean },
): ParamGrads {
  const [xb, w] = checkConvArgs(where, x, weight, null);
  const g = geometry(where, dims, xb, w, opts);
  const gemm = resolveGemm(where, opts.gemm);
  const gy = checkBuf(where, 'gradOutput', gradOutput);
  checkGradShape(where, gy, g.outShape);
  const needs = opts.needs ?? {};
  const og = g.o / g.groups;
  const cg = g.c / g.groups;
  const K = cg * g.kh * g.kw;
  const P = g.oh * g.ow;
  const pointwise = isPointwise(g);
  const hMap = indexMap(g.h, g.kh, g.oh, g.sh, g.dh, g.ph0, g.mode);
  const wMap = indexMap(g.w, g.kw, g.ow, g.sw, g.dw, g.pw0, g.mode);
  const cols = new Float32Array(K * P);
  const wantX = needs.input ?? true;
  const wantW = needs.weight ?? true;
  const gw = wantW ? new Float32Array(w.data.length) : null;
  // ∂x accumulates overlapping taps; float64 keeps the scatter-add order from mattering.
  const gx64 = wantX && !pointwise ? new Float64Array(xb.data.length) : null;
  const gx = wantX ? new Float32Array(xb.data.length) : null;
  for (let n = 0; n < g.n; n++) {
    for (let grp = 0; grp < g.groups; grp++) {
      const gyo = (n * g.o + grp * og) * P;
      const gyG = gy.data.subarray(gyo, gyo + og * P);
      const wg = w.data.subarray(grp * og * K, (grp + 1) * og * K);
      const xStart = (n * g.c + grp * cg) * g.h * g.w;
      if (gw !== null) {
        let colsG: Float32Array;
        if (pointwise) {
          colsG = xb.data.subarray(xStart, xStart + K * P);
        } else {
          im2col(xb.data, g, n, grp, hMap, wMap, cols);
          colsG = cols;
        }
        gemm.sgemm(false, true, og, K, P, gyG, colsG, gw.subarray(grp * og * K, (grp + 1) * og * K), n > 0);
      }
      if (gx !== null) {
        if (pointwise) {
          gemm.sgemm(true, false, K, P, og, wg, gyG, gx.subarray(xStart, xStart + K * P), false);
        } else {
          gemm.sgemm(true, false, K, P, og, wg, gyG, cols, false);
          col2im(cols, g, n, grp, hMap, wMap, gx64!);
        }
      }
    }
  }
  if (gx !== null && gx64 !== null) gx.set(gx64);
  let gb: Buf | null = null;
  if ((opts.hasBias ?? true) && (needs.bias ?? true)) {
    const acc = new Float64Array(g.o);
    for (let n = 0; n < g.n; n++) {
      for (let oc = 0; oc < g.o; oc++) {
        const o = (n * g.o + oc) * P;
        let s = 0;
        for (let p = 0; p < P; p++) s += gy.data[o + p]!;
        acc[oc]! += s;
      }
    }
    gb = { data: Float32Array.from(acc), shape: Object.freeze([g.o]) };
  }
  return {
    gradInput: gx === null ? null : { data: gx, shape: xb.shape },
    gradWeight: gw === null ? null : { data: gw, shape: w.shape },
    gradBias: gb,
  };
}

/**
 * 2-D convolution (PyTorch's `F.conv2d`; `nn.Conv2d` including its `padding_mode`), a cross-correlation.
 *
 * Formula: y[n, o, i, j] = b[o] + Σ_{c ∈ group(o), u, v} W[o, c, u, v]·x̃[n, c, i·sH − pH + u·dH, j·sW − pW + v·dW],
 * x̃ the input padded per `paddingMode`. Output size ⌊(H + pads − dH·(kH − 1) − 1)/sH⌋ + 1.
 * Layout: x `[N, C, H, W]` or unbatched `[C, H, W]`; W `[O, C/groups, kH, kW]` (PyTorch's); b `[O]` or null.
 *
 * @param options `stride` (1), `padding` (0; `'same'`, `'valid'`, ints or per-dim), `dilation` (1), `groups` (1),
 *   `paddingMode` ('zeros'), `gemm`.
 * @throws InitError for mismatched channels (naming input and weight shapes), an output smaller than 1, a
 *   strided `'same'`, a reflect/circular padding too large for the input, or bad option values.
 * @example
 * ```ts
 * const y = conv2d(x, w, b, { stride: 2, padding: 1 }); // x [8, 3, 32, 32], w [16, 3, 3, 3] → y [8, 16, 16, 16]
 * ```
 */
export function conv2d(x: Buf, weight: Buf, bias: Buf | null, options: ConvOptions = {}): Buf {
  return convForward('conv2d', 2, x, weight, bias, options);
}

/**
 * 1-D convolution (PyTorch's `F.conv1d`, `nn.Conv1d`): {@link conv2d} over a height-1 image.
 *
 * Layout: x `[N, C, L]` or `[C, L]`; W `[O, C/groups, k]`; b `[O]` or null.
 * @throws InitError as {@link conv2d}.
 * @example
 * ```ts
 * const y = conv1d(x, w, null, { padding: 'same', dilation: 2 });
 * ```
 */
export function conv1d(x: Buf, weight: Buf, bias: Buf | null, options: ConvOptions = {}): Buf {
  return convForward('conv1d', 1, x, weight, bias, options);
}

/**
 * {@link conv2d}'s backward: ∂x (col2im of Wᵀ·∂y), ∂W (Σ_n ∂y·colsᵀ), ∂b (Σ ∂y over N and space).
 *
 * @param options the forward's options, plus `needs` ({ input, weight, bias }) and `hasBias` (true).
 */
export function conv2dBackward(
  x: Buf,
  weight: Buf,
  gradOutput: Buf,
  options: ConvOptions & { needs?: GradNeeds; hasBias?: boolean } = {},
): ParamGrads {
  return convBackward('conv2dBackward', 2, x, weight, gradOutput, options);
}

/** {@link conv1d}'s backward; see {@link conv2dBackward}. */
export function conv1dBackward(
  x: Buf,
  weight: Buf,
  gradOutput: Buf,
  options: ConvOptions & { needs?: GradNeeds; hasBias?: boolean } = {},
): ParamGrads {
  return convBackward('conv1dBackward', 1, x, weight, gradOutput, options);
}
