/**
 * Fan computation: how many inputs (fan-in) and outputs (fan-out) each weight connects, the quantity every
 * variance-preserving init divides by.
 */
import { fail } from '../errors.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** Named weight layouts: PyTorch `(out, in, *k)` and Keras/TF.js `(*k, in, out)`. */
export const FAN_LAYOUTS = ['torch', 'keras'] as const;
export type FanLayoutName = (typeof FAN_LAYOUTS)[number];

/** Explicit axes, JAX style (`jax.nn.initializers.variance_scaling`): every other axis is a receptive-field axis. */
export interface FanAxes {
  /** Axis or axes of the inputs (JAX default -2). */
  inAxis?: number | readonly number[];
  /** Axis or axes of the outputs (JAX default -1). */
  outAxis?: number | readonly number[];
  /** Axes that are neither fan nor receptive field (e.g. a stacked-heads axis); default none. */
  batchAxis?: number | readonly number[];
}

export type FanLayout = FanLayoutName | FanAxes;

export interface FanOptions {
  /** `'torch'` (default): `(out, in, *k)`; `'keras'`: `(*k, in, out)`; or explicit `{ inAxis, outAxis, batchAxis }`. */
  layout?: FanLayout;
  /**
   * Groups of a grouped or depthwise convolution. PyTorch stores `(out, in/groups, *k)` and counts
   * fan_out = out·∏k, although each input channel reaches only out/groups outputs (pytorch/pytorch#23854). With
   * `groups`, fan_out = (out / groups)·∏k, the true count. Default 1 (PyTorch's numbers).
   */
  groups?: number;
}

/**
 * `[fanIn, fanOut]` of a weight tensor (or shape): PyTorch's `torch.nn.init._calculate_fan_in_and_fan_out`.
 *
 * For the `'torch'` layout `(out, in, *k)`: fanIn = in·∏k, fanOut = out·∏k. For `'keras'` `(*k, in, out)`:
 * fanIn = in·∏k, fanOut = out·∏k. With explicit axes, the receptive field is the product of the axes that are
 * neither in, out nor batch. Tensors with fewer than 2 dimensions have no fans.
 *
 * @throws InitError for fewer than 2 dimensions (biases: use zeros_ or uniform_), bad axes or groups.
 *
 * @example
 * ```ts
 * calculateFanInAndFanOut(empty([64, 3, 7, 7]));                       // [147, 3136]
 * calculateFanInAndFanOut([7, 7, 3, 64], { layout: 'keras' });          // [147, 3136]
 * calculateFanInAndFanOut([32, 1, 3, 3], { groups: 32 });                // depthwise: [9, 9]
 * ```
 */
export function calculateFanInAndFanOut(tensor: Tensor | readonly number[], options: FanOptions = {}): [number, number] {
  return fansImpl('calculateFanInAndFanOut', tensor, options);
}

/**
 * {@link calculateFanInAndFanOut} with errors attributed to `where`; `forInit` words the fewer-than-2-D error for an
 * init function (fan-in undefined) rather than for the fan computation itself.
 */
function fansImpl(where: string, tensor: Tensor | readonly number[], options: FanOptions, forInit = false): [number, number] {
  const shape = shapeOf(where, tensor);
  if (shape.length < 2) {
    fail({
      code: 'INVALID_SHAPE',
      where,
      param: 'tensor',
      expected: forInit
        ? `tensor with at least 2 dimensions (fan-in is undefined for ${shape.length}-D)`
        : 'tensor with at least 2 dimensions (fan in and fan out can not be computed for fewer)',
      receivedText: `shape ${formatShape(shape)}`,
      fix: forInit ? 'Use zeros_ or uniform_ for bias vectors.' : 'Use zeros_ or uniform_ for bias vectors, or pass the weight the bias belongs to.',
    });
  }
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'groups', expected: 'groups to be a positive integer', received: groups });
  }
  const layout = options.layout ?? 'torch';
  let fanIn: number;
  let fanOut: number;
  if (layout === 'torch' || layout === 'keras') {
    const inAx = layout === 'torch' ? 1 : shape.length - 2;
    const outAx = layout === 'torch' ? 0 : shape.length - 1;
    let rf = 1;
    for (let i = 0; i < shape.length; i++) if (i !== inAx && i !== outAx) rf *= shape[i]!;
    fanIn = shape[inAx]! * rf;
    fanOut = shape[outAx]! * rf;
    if (groups !== 1) {
      if (shape[outAx]! % groups !== 0) {
        fail({
          code: 'INVALID_ARGUMENT',
          where,
          param: 'groups',
          expected: `groups dividing the output channels (${shape[outAx]})`,
          received: groups,
        });
      }
      fanOut = (shape[outAx]! / groups) * rf;
    }
  } else if (typeof layout === 'object' && layout !== null) {
    const inAxes = normAxes(where, 'inAxis', layout.inAxis ?? -2, shape.length);
    const outAxes = normAxes(where, 'outAxis', layout.outAxis ?? -1, shape.length);
    const batchAxes = normAxes(where, 'batchAxis', layout.batchAxis ?? [], shape.length);
    const used = new Set<number>();
    for (const a of [...inAxes, ...outAxes, ...batchAxes]) {
      if (used.has(a)) {
        fail({ code: 'INVALID_ARGUMENT', where, param: 'layout', expected: 'inAxis, outAxis and batchAxis to be disjoint', received: layout });
      }
      used.add(a);
    }
    let rf = 1;
    for (let i = 0; i < shape.length; i++) if (!used.has(i)) rf *= shape[i]!;
    const prod = (axes: number[]): number => axes.reduce((p, a) => p * shape[a]!, 1);
    fanIn = prod(inAxes) * rf;
    fanOut = prod(outAxes) * rf;
    if (groups !== 1) {
      const outN = prod(outAxes);
      if (outN % groups !== 0) {
        fail({ code: 'INVALID_ARGUMENT', where, param: 'groups', expected: `groups dividing the output size (${outN})`, received: groups });
      }
      fanOut = (outN / groups) * rf;
    }
  } else {
    return fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'layout',
      expected: "layout to be 'torch', 'keras' or { inAxis, outAxis, batchAxis }",
      received: layout,
    });
  }
  return [fanIn, fanOut];
}

/** The fan a `mode` selects: PyTorch's `_calculate_correct_fan`. */
export const FAN_MODES = ['fan_in', 'fan_out'] as const;
export type FanMode = (typeof FAN_MODES)[number];

export function calculateCorrectFan(where: string, tensor: Tensor | readonly number[], mode: unknown, options: FanOptions = {}): number {
  const m = typeof mode === 'string' ? mode.toLowerCase() : mode;
  if (m !== 'fan_in' && m !== 'fan_out') {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'mode',
      expected: `mode to be one of ${FAN_MODES.map((x) => `'${x}'`).join(', ')}`,
      received: mode,
    });
  }
  const [fanIn, fanOut] = fanOrFail(where, tensor, options);
  return m === 'fan_in' ? fanIn : fanOut;
}

/** {@link calculateFanInAndFanOut} with errors attributed to the calling init function. */
export function fanOrFail(where: string, tensor: Tensor | readonly number[], options: FanOptions = {}): [number, number] {
  return fansImpl(where, tensor, options, true);
}

function shapeOf(where: string, tensor: unknown): readonly number[] {
  if (tensor instanceof Tensor) return tensor.shape;
  if (Array.isArray(tensor) && tensor.every((d) => Number.isInteger(d) && d >= 0)) return tensor as number[];
  return fail({
    code: 'NOT_A_TENSOR',
    where,
    param: 'tensor',
    expected: 'tensor to be a Tensor or a shape (array of non-negative integers)',
    received: tensor,
  });
}

function normAxes(where: string, param: string, v: number | readonly number[], ndim: number): number[] {
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? v : null;
  if (list === null) {
    return fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be an integer or an array of integers`, received: v });
  }
  return list.map((a: unknown) => {
    if (typeof a !== 'number' || !Number.isInteger(a) || a < -ndim || a >= ndim) {
      fail({ code: 'INVALID_ARGUMENT', where, param, expected: `axes in [${-ndim}, ${ndim - 1}] for a ${ndim}-D tensor`, received: v });
    }
    return a < 0 ? a + ndim : a;
  });
}
