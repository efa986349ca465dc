/**
 * `linear`: PyTorch's `F.linear` (the `nn.Linear` forward), y = x·Wᵀ + b, and its backward.
 */
import { fail } from '../../errors.js';
import { type Buf, checkBias, checkBuf, checkGradShape, shapeText } from './buffer.js';
import { type GemmBackend, resolveGemm } from './gemm.js';

/** Which gradients a backward call computes; each defaults to true (bias only when there is a bias). */
export interface GradNeeds {
  input?: boolean;
  weight?: boolean;
  bias?: boolean;
}

/** Options of the GEMM-based ops. */
export interface GemmOptions {
  /** The matrix-product backend for this call; default: the process-wide one ({@link setGemmBackend}). */
  gemm?: GemmBackend;
}

/** Gradients of a layer with a weight and an optional bias; null where not requested. */
export interface ParamGrads {
  gradInput: Buf | null;
  gradWeight: Buf | null;
  gradBias: Buf | null;
}

function checkLinear(where: string, x: unknown, weight: unknown, bias: unknown): [Buf, Buf, Buf | null] {
  const xb = checkBuf(where, 'input', x, 1);
  const w = checkBuf(where, 'weight', weight, 2, 2);
  const inF = w.shape[1]!;
  if (xb.shape[xb.shape.length - 1] !== inF) {
    fail({
      code: 'SHAPE_MISMATCH',
      where,
      param: 'input',
      expected: `input's last dimension to equal in_features = ${inF} (weight ${shapeText(w.shape)})`,
      receivedText: `input ${shapeText(xb.shape)}`,
      fix: 'Check the input shape against the layer, or the layer sizes of the model spec.',
    });
  }
  return [xb, w, checkBias(where, bias, w, 'out_features')];
}

/**
 * Linear layer forward: y = x·Wᵀ + b (PyTorch's `torch.nn.functional.linear`).
 *
 * Formula: y[..., o] = Σ_i x[..., i]·W[o, i] + b[o].
 * Layout: x `[*, in]`, W `[out, in]` (PyTorch's), b `[out]` or null; y `[*, out]`.
 *
 * @param options `gemm`: the matrix-product backend (default: {@link getGemmBackend}).
 * @throws InitError (SHAPE_MISMATCH) when x's last dimension is not W's in_features, naming both shapes.
 * @example
 * ```ts
 * const y = linear(buf([256, 784]), buf([128, 784]), buf([128])); // y.shape: [256, 128]
 * ```
 */
export function linear(x: Buf, weight: Buf, bias: Buf | null, options: GemmOptions = {}): Buf {
  const where = 'linear';
  const [xb, w, b] = checkLinear(where, x, weight, bias);
  const gemm = resolveGemm(where, options.gemm);
  const outF = w.shape[0]!;
  const inF = w.shape[1]!;
  const outShape = [...xb.shape.slice(0, -1), outF];
  const batch = outShape.slice(0, -1).reduce((p, d) => p * d, 1);
  const y = new Float32Array(batch * outF);
  if (b !== null) {
    for (let r = 0; r < batch; r++) y.set(b.data, r * outF);
  }
  gemm.sgemm(false, true, batch, outF, inF, xb.data, w.data, y, b !== null);
  return { data: y, shape: Object.freeze(outShape) };
}

/**
 * Linear layer backward, given the gradient `gradOutput` of the loss with respect to y.
 *
 * Formula: ∂x = ∂y·W, ∂W = ∂yᵀ·x (summed over all leading dimensions), ∂b = Σ ∂y (float64 sum).
 * Layout: as {@link linear}; gradOutput has y's shape.
 *
 * @param options `needs` ({ input, weight, bias }, all true by default), `gemm`.
 * @throws InitError when gradOutput's shape is not y's.
 */
export function linearBackward(
  x: Buf,
  weight: Buf,
  gradOutput: Buf,
  options: GemmOptions & { needs?: GradNeeds; hasBias?: boolean } = {},
): ParamGrads {
  const where = 'linearBackward';
  const [xb, w] = checkLinear(where, x, weight, null);
  const gemm = resolveGemm(where, options.gemm);
  const outF = w.shape[0]!;
  const inF = w.shape[1]!;
  const gy = checkBuf(where, 'gradOutput', gradOutput, 1);
  const yShape = [...xb.shape.slice(0, -1), outF];
  checkGradShape(where, gy, yShape);
  const needs = options.needs ?? {};
  const rows = yShape.slice(0, -1).reduce((p, d) => p * d, 1);
  let gradInput: Buf | null = null;
  let gradWeight: Buf | null = null;
  let gradBias: Buf | null = null;
  if (needs.input ?? true) {
    const gx = new Float32Array(rows * inF);
    gemm.sgemm(false, false, rows, inF, outF, gy.data, w.data, gx, false);
    gradInput = { data: gx, shape: xb.shape };
  }
  if (needs.weight ?? true) {
    const gw = new Float32Array(outF * inF);
    gemm.sgemm(true, false, outF, inF, rows, gy.data, xb.data, gw, false);
    gradWeight = { data: gw, shape: w.shape };
  }
  if ((options.hasBias ?? true) && (needs.bias ?? true)) {
    gradBias = { data: sumRows(gy.data, rows, outF), shape: Object.freeze([outF]) };
  }
  return { gradInput, gradWeight, gradBias };
}

/** Column sums of a `[rows, cols]` matrix in float64, rounded once. @internal */
export function sumRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const acc = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) acc[j]! += data[o + j]!;
  }
  return Float32Array.from(acc);
}
