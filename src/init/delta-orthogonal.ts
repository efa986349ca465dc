import { fail } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { type Tensor, empty } from '../tensor/tensor.js';
import { checkFloatTensor, checkOptions, resolveGenerator } from './common.js';
import { type OrthogonalOptions, checkQrDType, orthogonal_, orthogonalGain } from './orthogonal.js';

/**
 * Delta-orthogonal init for convolution kernels, in place: zero everywhere except the spatial centre tap, which
 * holds an orthogonal (out, in) matrix scaled by `gain`. Not in PyTorch; JAX's `jax.nn.initializers.delta_orthogonal`
 * in PyTorch's layout.
 *
 * Paper: Xiao, Bahri, Sohl-Dickstein, Schoenholz & Pennington (2018), "Dynamical Isometry and a Mean Field Theory of
 * CNNs: How to Train 10,000-Layer Vanilla Convolutional Neural Networks", ICML, https://arxiv.org/abs/1806.05393.
 * A convolution initialized this way is, at initialization, an orthogonal 1×1 map applied at every position, so the
 * input–output Jacobian is norm-preserving (dynamical isometry) however deep the network.
 *
 * Formula: for a kernel `W` of shape (out, in, k₁[, k₂[, k₃]]) with out >= in,
 * `W[:, :, c₁, c₂, c₃] = Q` at the centre `c_d = ⌊(k_d − 1)/2⌋` and 0 elsewhere, where Q (out × in, Qᵀ·Q = gain²·I)
 * is exactly what `orthogonal_(empty([out, in]), { gain, generator })` returns.
 *
 * Draws: exactly those of that `orthogonal_` call, i.e. one `normal_(0, 1)` of out·in elements (for float32 with
 * out·in >= 16: out·in 32-bit words, plus 16 when out·in is not a multiple of 16). So in PyTorch the same kernel is
 * `q = torch.empty(out, in); nn.init.orthogonal_(q, gain); w.zero_(); w[:, :, c₁, c₂] = q` after the same seed.
 *
 * Layout: PyTorch's `(out, in, *k)`. JAX uses Keras's `(*k, in, out)` and writes Qᵀ (in × out, orthonormal rows):
 * for the same normal draws `W_ours[:, :, c] = W_jax[c]ᵀ`. JAX's requirement `shape[-2] <= shape[-1]` (in <= out) is
 * our `out >= in`. Even kernel sizes: JAX accepts them and uses the centre index ⌊(k − 1)/2⌋ (k = 4 → 1); we do the
 * same (the "centre" of an even kernel is then off by half a pixel; the paper uses odd kernels).
 *
 * Zero-element tensors: a no-op without draws. Meta tensors: a no-op.
 *
 * @param tensor a float32 or float64 tensor with 3, 4 or 5 dimensions (Conv1d/2d/3d weight), size(0) >= size(1).
 * @param options `gain` (1; must be >= 0), `generator` (the default generator).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, fewer than 3 or more than 5 dimensions, out_channels < in_channels, a
 *   float16/bfloat16 or integer tensor, a negative or non-finite gain, or a bad generator.
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const w = init.deltaOrthogonal_(empty([64, 32, 3, 3]), { gain: calculateGain('relu'), generator: g });
 * // w[:, :, 1, 1] is 64 × 32 with orthogonal columns of norm √2; all other taps are 0.
 * ```
 */
export function deltaOrthogonal_(tensor: Tensor, options?: OrthogonalOptions): Tensor {
  const where = 'deltaOrthogonal_';
  const t = checkFloatTensor(where, tensor);
  const opts = checkOptions<OrthogonalOptions>(where, options) ?? {};
  const gain = orthogonalGain(where, opts);
  const nd = t.dim();
  if (nd < 3 || nd > 5) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'tensor to be a convolution kernel with 3, 4 or 5 dimensions (out, in, *k)',
      receivedText: `shape ${formatShape(t.shape)} (${nd}-D)`,
      fix: nd === 2 ? 'For a 2-D weight use orthogonal_.' : 'Pass a Conv1d/Conv2d/Conv3d weight.',
    });
  }
  const out = t.shape[0]!;
  const inC = t.shape[1]!;
  if (out < inC) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'tensor with out_channels >= in_channels (size(0) >= size(1)), so the centre tap can have orthonormal columns',
      receivedText: `shape ${formatShape(t.shape)} with ${out} < ${inC}`,
      fix: 'Use at least as many output as input channels, or orthogonal_ (which makes the rows orthonormal instead).',
    });
  }
  checkQrDType(where, t);
  const gen = resolveGenerator(where, opts);
  if (t.numel === 0 || t.isMeta) return t;

  // [out, in]
  const q = orthogonal_(empty([out, inC], { dtype: t.dtype }), { gain, generator: gen });
  t.zero_();
  let taps = 1; // prod(k)
  let centre = 0; // flat offset of the centre tap within one (o, i) kernel
  for (let d = 2; d < nd; d++) {
    const k = t.shape[d]!;
    centre = centre * k + ((k - 1) >> 1);
    taps *= k;
  }
  const d = t.data;
  const qd = q.data;
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inC; i++) d[(o * inC + i) * taps + centre] = qd[o * inC + i]!;
  }
  return t;
}
