/**
 * Identity-preserving inits: `eye_` for linear layers, `dirac_` for convolutions. No random draws.
 */
import { fail } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { type Tensor, checkTensor } from '../tensor/tensor.js';

/**
 * Fills a 2-D tensor with the identity matrix, in place: W[i][j] = 1 if i = j else 0; PyTorch's
 * `torch.nn.init.eye_`. Non-square matrices are allowed: a `Linear(in, out)` layer with this weight passes through
 * the first min(in, out) inputs unchanged (y = W·x with W of shape `[out, in]`).
 *
 * Layout: `(out, in)`, as `nn.Linear.weight`. No random draws. A zero-element tensor is a no-op.
 *
 * @param tensor a 2-D tensor (any dtype).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor (including a module passed instead of its weight) or a tensor that is not 2-D
 *   (use {@link dirac_} for convolution kernels).
 *
 * @example
 * ```ts
 * init.eye_(empty([3, 5])).tolist(); // [[1,0,0,0,0],[0,1,0,0,0],[0,0,1,0,0]]
 * ```
 */
export function eye_(tensor: Tensor): Tensor {
  const where = 'eye_';
  const t = checkTensor(where, tensor);
  if (t.dim() !== 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'a 2-D tensor (eye_ fills a matrix)',
      receivedText: `shape ${formatShape(t.shape)} (${t.dim()}-D)`,
      fix: t.dim() >= 3 && t.dim() <= 5 ? 'For a convolution kernel use dirac_.' : 'Pass a weight matrix of shape [out, in].',
    });
  }
  if (t.isMeta) return t;
  t.fill_(0);
  const rows = t.shape[0]!;
  const cols = t.shape[1]!;
  const d = t.data;
  for (let i = 0; i < Math.min(rows, cols); i++) d[i * cols + i] = 1;
  return t;
}

/**
 * Fills a 3-, 4- or 5-D convolution kernel with the Dirac delta, in place; PyTorch's `torch.nn.init.dirac_`. A
 * convolution with this kernel (odd kernel sizes, "same" padding) copies its input channels to its output channels:
 * as many channels as possible are preserved, per group.
 *
 * Exactly PyTorch's rule: with `outPerGroup = size(0) / groups`, for every group g and every
 * d < min(outPerGroup, size(1)), W[g·outPerGroup + d, d, k₂//2, k₃//2, k₄//2] = 1; every other entry is 0. The centre
 * tap is `k // 2` (for even kernel sizes the later of the two middle taps).
 *
 * Layout: PyTorch's `(out, in / groups, *k)`. No random draws. A zero-element tensor is a no-op (PyTorch raises an
 * IndexError when a kernel dimension is 0 but channels are not; initkit leaves such a tensor as it is).
 *
 * Paper: Zagoruyko & Komodakis (2017), "DiracNets: Training Very Deep Neural Networks Without Skip-Connections",
 * https://arxiv.org/abs/1706.00388.
 *
 * @param tensor a 3-D (`Conv1d`), 4-D (`Conv2d`) or 5-D (`Conv3d`) weight, any dtype.
 * @param groups the convolution's groups (default 1); must divide size(0).
 * @returns `tensor`.
 * @throws InitError for a non-Tensor, a tensor that is not 3-, 4- or 5-D, groups that is not a positive integer, or
 *   out-channels (size(0)) not divisible by groups.
 *
 * @example
 * ```ts
 * const w = init.dirac_(empty([16, 16, 3, 3]));       // conv2d(x, w, padding=1) == x
 * init.dirac_(empty([24, 8, 3, 3]), 3);                // grouped: each group passes its 8 channels through
 * ```
 */
export function dirac_(tensor: Tensor, groups = 1): Tensor {
  const where = 'dirac_';
  const t = checkTensor(where, tensor);
  const dims = t.dim();
  if (dims < 3 || dims > 5) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: 'a 3-, 4- or 5-D convolution kernel [out, in / groups, *k]',
      receivedText: `shape ${formatShape(t.shape)} (${dims}-D)`,
      fix: dims === 2 ? 'For a Linear weight use eye_.' : 'Pass the weight of a Conv1d, Conv2d or Conv3d.',
    });
  }
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'groups', expected: 'groups to be a positive integer', received: groups });
  }
  const outChannels = t.shape[0]!;
  if (outChannels % groups !== 0) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'groups',
      expected: `groups dividing the out-channels (size(0) = ${outChannels}) of shape ${formatShape(t.shape)}`,
      received: groups,
      fix: 'Pass the groups of the convolution this weight belongs to.',
    });
  }
  if (t.isMeta || t.numel === 0) return t;
  t.fill_(0);
  const inPerGroup = t.shape[1]!;
  const spatial = t.shape.slice(2);
  let kernel = 1;
  for (const k of spatial) kernel *= k;
  // Row-major offset of the centre tap (k // 2 in every spatial dimension).
  let centre = 0;
  for (const k of spatial) centre = centre * k + Math.floor(k / 2);
  const outPerGroup = outChannels / groups;
  const minDim = Math.min(outPerGroup, inPerGroup);
  const d = t.data;
  for (let g = 0; g < groups; g++) {
    for (let c = 0; c < minDim; c++) {
      const oc = g * outPerGroup + c;
      d[(oc * inPerGroup + c) * kernel + centre] = 1;
    }
  }
  return t;
}
