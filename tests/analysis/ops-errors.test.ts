// One test per validation branch of the probe ops: each checks the error code, that the message names the
// function and the parameter, and that it echoes the offending value or shape.
import { describe, expect, it } from 'vitest';
import {
  type Buf,
  Tape,
  activation,
  activationBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  add,
  avgPool2d,
  batchNorm,
  batchNormBackward,
  buf,
  bufFromTensor,
  conv1d,
  conv2d,
  conv2dBackward,
  embedding,
  embeddingBackward,
  flatten,
  flattenBackward,
  groupNorm,
  histogram,
  layerNorm,
  layerNormBackward,
  linear,
  linearBackward,
  maxPool2d,
  maxPool2dBackward,
  param,
  rmsNorm,
  std,
  summarize,
} from '../../src/analysis/ops/index.js';
import { InitError } from '../../src/errors.js';
import { empty } from '../../src/tensor/tensor.js';

function expectError(fn: () => unknown, code: string, where: string, param: string, ...patterns: RegExp[]): void {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  expect(err, `${where} should throw`).toBeInstanceOf(InitError);
  const e = err as InitError;
  expect(e.code).toBe(code);
  expect(e.where).toBe(where);
  expect(e.param).toBe(param);
  expect(e.message.startsWith(`${where}: expected`)).toBe(true);
  for (const p of patterns) expect(e.message).toMatch(p);
}

const z = (...shape: number[]): Buf => buf(shape);

describe('buffers', () => {
  it('buf: a bad shape, data of the wrong length', () => {
    expectError(() => buf([2, -1]), 'INVALID_SHAPE', 'buf', 'shape', /-1/);
    expectError(() => buf([2, 3], new Float32Array(5)), 'SHAPE_MISMATCH', 'buf', 'data', /6 elements for shape \[2, 3\], got 5 elements/);
  });
  it('bufFromTensor: a meta tensor; float64 tensors are rounded copies', () => {
    expectError(() => bufFromTensor(empty([2], { device: 'meta' })), 'INVALID_ARGUMENT', 'bufFromTensor', 'tensor', /meta/);
    const t = empty([2], { dtype: 'float64' }).fill_(0.1);
    const b = bufFromTensor(t);
    expect(b.data).toBeInstanceOf(Float32Array);
    expect(b.data[0]).toBe(Math.fround(0.1));
    const f = empty([3]);
    expect(bufFromTensor(f).data).toBe(f.data);
  });
  it('a non-Buf argument, a Buf whose data does not fit its shape, a wrong rank', () => {
    expectError(() => linear({ data: [1, 2], shape: [2] } as unknown as Buf, z(1, 2), null), 'INVALID_ARGUMENT', 'linear', 'input', /Buf/);
    expectError(() => linear({ data: new Float32Array(3), shape: [2, 2] }, z(1, 2), null), 'SHAPE_MISMATCH', 'linear', 'input', /4 elements for shape \[2, 2\], got 3/);
    expectError(() => linear(z(2, 2), z(2, 2, 1), null), 'INVALID_SHAPE', 'linear', 'weight', /2 dimensions, got shape \[2, 2, 1\]/);
  });
});

describe('linear', () => {
  it('input features that do not fit the layer name both shapes', () => {
    expectError(() => linear(z(4, 5), z(3, 6), null), 'SHAPE_MISMATCH', 'linear', 'input', /in_features = 6 \(weight shape \[3, 6\]\)/, /input shape \[4, 5\]/);
  });
  it('a bias that is not [out]', () => {
    expectError(() => linear(z(4, 6), z(3, 6), z(4)), 'SHAPE_MISMATCH', 'linear', 'bias', /\[3\]/, /shape \[4\]/);
  });
  it("a gradient that is not the output's shape", () => {
    expectError(() => linearBackward(z(4, 6), z(3, 6), z(4, 4)), 'SHAPE_MISMATCH', 'linearBackward', 'gradOutput', /\[4, 3\]/, /shape \[4, 4\]/);
  });
});

describe('activation', () => {
  it('an unknown kind lists the valid ones', () => {
    expectError(() => activation('swish' as never, z(2)), 'UNKNOWN_NAME', 'activation', 'kind', /'relu'/, /"swish"/);
  });
  it('a non-finite parameter, an unknown GELU approximation', () => {
    expectError(() => activation('leaky_relu', z(2), { negativeSlope: NaN }), 'INVALID_ARGUMENT', 'activation', 'negativeSlope', /NaN/);
    expectError(() => activation('gelu', z(2), { approximate: 'erf' as never }), 'UNKNOWN_NAME', 'activation', 'approximate', /"erf"/);
  });
  it('celu with alpha 0, hardtanh with maxVal < minVal', () => {
    expectError(() => activation('celu', z(2), { alpha: 0 }), 'INVALID_ARGUMENT', 'activation', 'alpha', /got 0/);
    expectError(() => activation('hardtanh', z(2), { minVal: 1, maxVal: 0 }), 'INVALID_ARGUMENT', 'activation', 'maxVal', /minVal = 1, got 0/);
  });
  it('backward with mismatched shapes', () => {
    expectError(() => activationBackward('relu', z(3), z(3), z(4)), 'SHAPE_MISMATCH', 'activationBackward', 'gradOutput', /shape \[4\]/);
    expectError(() => activationBackward('relu', z(3), z(2), z(3)), 'SHAPE_MISMATCH', 'activationBackward', 'output', /shape \[2\]/);
  });
});

describe('normalization', () => {
  it('batch norm: one value per channel, an affine of the wrong size, a bad eps, bad saved stats', () => {
    expectError(() => batchNorm(z(1, 3), null, null), 'INVALID_SHAPE', 'batchNorm', 'input', /more than 1 value per channel/, /\[1, 3\]/);
    expectError(() => batchNorm(z(4, 3), z(4), null), 'SHAPE_MISMATCH', 'batchNorm', 'weight', /\[3\]/, /shape \[4\]/);
    expectError(() => batchNorm(z(4, 3), null, null, { eps: -1 }), 'INVALID_ARGUMENT', 'batchNorm', 'eps', /got -1/);
    expectError(() => batchNorm(z(4, 3), null, null, { eps: Infinity }), 'INVALID_ARGUMENT', 'batchNorm', 'eps', /Infinity/);
    expectError(
      () => batchNormBackward(z(4, 3), null, z(4, 3), { mean: new Float32Array(2), rstd: new Float32Array(2) }),
      'INVALID_ARGUMENT',
      'batchNormBackward',
      'saved',
      /Float32Array of 3/,
    );
    expectError(() => batchNormBackward(z(4, 3), null, z(4, 2), batchNorm(z(4, 3), null, null)), 'SHAPE_MISMATCH', 'batchNormBackward', 'gradOutput', /\[4, 2\]/);
  });
  it('layer norm: trailing dims that are not normalizedShape, a non-array normalizedShape', () => {
    expectError(() => layerNorm(z(2, 5), [4], null, null), 'SHAPE_MISMATCH', 'layerNorm', 'input', /normalized_shape shape \[4\]/, /input shape \[2, 5\]/);
    expectError(() => layerNorm(z(2, 5), 5 as never, null, null), 'INVALID_ARGUMENT', 'layerNorm', 'normalizedShape', /got 5/);
    expectError(
      () => layerNormBackward(z(2, 5), [5], null, z(2, 5), { mean: new Float32Array(1), rstd: new Float32Array(1) }),
      'INVALID_ARGUMENT',
      'layerNormBackward',
      'saved',
    );
  });
  it('group norm: groups that do not divide the channels, a non-integer group count', () => {
    expectError(() => groupNorm(z(2, 6, 3), 4, null, null), 'SHAPE_MISMATCH', 'groupNorm', 'numGroups', /6 channels/, /got 4/);
    expectError(() => groupNorm(z(2, 6, 3), 1.5, null, null), 'INVALID_ARGUMENT', 'groupNorm', 'numGroups', /1\.5/);
  });
  it('rms norm: a weight of the wrong shape', () => {
    expectError(() => rmsNorm(z(2, 5), [5], z(4)), 'SHAPE_MISMATCH', 'rmsNorm', 'weight', /shape \[4\]/);
  });
});

describe('convolution', () => {
  it('channels that do not fit the weight name both shapes', () => {
    expectError(() => conv2d(z(2, 4, 5, 5), z(6, 3, 3, 3), null), 'SHAPE_MISMATCH', 'conv2d', 'input', /weight shape \[6, 3, 3, 3\]/, /input shape \[2, 4, 5, 5\]/);
  });
  it('ranks of input and weight', () => {
    expectError(() => conv2d(z(4, 5), z(6, 4, 3, 3), null), 'INVALID_SHAPE', 'conv2d', 'input', /shape \[4, 5\]/);
    expectError(() => conv1d(z(1, 4, 5), z(6, 4), null), 'INVALID_SHAPE', 'conv1d', 'weight', /shape \[6, 4\]/);
  });
  it('bad options: stride, groups, paddingMode, padding', () => {
    expectError(() => conv1d(z(1, 2, 5), z(2, 2, 3), null, { stride: 0 }), 'INVALID_ARGUMENT', 'conv1d', 'stride', /got 0/);
    expectError(() => conv1d(z(1, 2, 5), z(2, 2, 3), null, { stride: [1, 2, 3] }), 'INVALID_ARGUMENT', 'conv1d', 'stride', /\[1, 2, 3\]/);
    expectError(() => conv1d(z(1, 2, 5), z(2, 2, 3), null, { groups: 0 }), 'INVALID_ARGUMENT', 'conv1d', 'groups', /got 0/);
    expectError(() => conv1d(z(1, 2, 5), z(2, 2, 3), null, { paddingMode: 'mirror' as never }), 'UNKNOWN_NAME', 'conv1d', 'paddingMode', /'reflect'/);
    expectError(() => conv1d(z(1, 2, 5), z(2, 2, 3), null, { padding: -1 }), 'INVALID_ARGUMENT', 'conv1d', 'padding', /-1/);
  });
  it("'same' with a stride; reflect padding as large as the input", () => {
    expectError(() => conv2d(z(1, 2, 5, 5), z(2, 2, 3, 3), null, { padding: 'same', stride: 2 }), 'INVALID_ARGUMENT', 'conv2d', 'padding', /stride 1/);
    expectError(() => conv1d(z(1, 2, 3), z(2, 2, 3), null, { padding: 3, paddingMode: 'reflect' }), 'INVALID_ARGUMENT', 'conv1d', 'padding', /less than the input size/);
  });
  it('an input smaller than the kernel, a bias of the wrong size, a gradient of the wrong shape', () => {
    expectError(() => conv2d(z(1, 2, 2, 2), z(2, 2, 3, 3), null), 'SHAPE_MISMATCH', 'conv2d', 'input', /kernel shape \[3, 3\]/);
    expectError(() => conv2d(z(1, 2, 4, 4), z(2, 2, 3, 3), z(3)), 'SHAPE_MISMATCH', 'conv2d', 'bias', /\[2\]/, /shape \[3\]/);
    expectError(() => conv2dBackward(z(1, 2, 4, 4), z(2, 2, 3, 3), z(1, 2, 3, 3)), 'SHAPE_MISMATCH', 'conv2dBackward', 'gradOutput', /\[1, 2, 2, 2\]/);
  });
});

describe('pooling', () => {
  it('a missing kernelSize, a padding above half the kernel, a bad rank, an output smaller than 1', () => {
    expectError(() => maxPool2d(z(1, 1, 4, 4), {} as never), 'INVALID_ARGUMENT', 'maxPool2d', 'kernelSize');
    expectError(() => maxPool2d(z(1, 1, 4, 4), { kernelSize: 2, padding: 2 }), 'INVALID_ARGUMENT', 'maxPool2d', 'padding', /half the kernel size/, /got 2/);
    expectError(() => maxPool2d(z(4), { kernelSize: 2 }), 'INVALID_SHAPE', 'maxPool2d', 'input', /shape \[4\]/);
    expectError(() => maxPool2d(z(1, 1, 4, 4), { kernelSize: [1, 2, 3] }), 'INVALID_ARGUMENT', 'maxPool2d', 'kernelSize', /\[1, 2, 3\]/);
    expectError(() => avgPool2d(z(1, 1, 2, 2), { kernelSize: 3 }), 'SHAPE_MISMATCH', 'avgPool2d', 'input', /shape \[1, 1, 2, 2\]/);
  });
  it('a divisorOverride that is not a positive integer; backward indices of the wrong length', () => {
    expectError(() => avgPool2d(z(1, 1, 4, 4), { kernelSize: 2, divisorOverride: 0 }), 'INVALID_ARGUMENT', 'avgPool2d', 'divisorOverride', /got 0/);
    expectError(() => maxPool2dBackward(z(1, 1, 4, 4), new Int32Array(3), z(1, 1, 2, 2), { kernelSize: 2 }), 'INVALID_ARGUMENT', 'maxPool2dBackward', 'indices', /Int32Array of 4/);
    expectError(() => maxPool2dBackward(z(1, 1, 4, 4), new Int32Array(4), z(1, 1, 3, 2), { kernelSize: 2 }), 'SHAPE_MISMATCH', 'maxPool2dBackward', 'gradOutput', /\[1, 1, 2, 2\]/);
  });
  it('adaptive pooling: a bad output size, a bad rank, an empty input', () => {
    expectError(() => adaptiveAvgPool2d(z(1, 1, 4, 4), 0), 'INVALID_ARGUMENT', 'adaptiveAvgPool2d', 'outputSize', /got 0/);
    expectError(() => adaptiveAvgPool2d(z(2), 1), 'INVALID_SHAPE', 'adaptiveAvgPool2d', 'input', /shape \[2\]/);
    expectError(() => adaptiveAvgPool2d(z(1, 0, 3), 1), 'INVALID_SHAPE', 'adaptiveAvgPool2d', 'input', /non-empty/);
    expectError(() => adaptiveAvgPool2dBackward(z(1, 1, 4, 4), z(1, 1, 2), 2), 'SHAPE_MISMATCH', 'adaptiveAvgPool2dBackward', 'gradOutput');
  });
});

describe('embedding', () => {
  const w = z(5, 3);
  it('an index outside the table names it and its position', () => {
    expectError(() => embedding({ data: [1, 5], shape: [2] }, w), 'INVALID_ARGUMENT', 'embedding', 'indices', /\[0, 5\)/, /5 at position 1/);
  });
  it('indices that do not fit their shape, or are not indices at all', () => {
    expectError(() => embedding({ data: [1, 2, 3], shape: [2] }, w), 'SHAPE_MISMATCH', 'embedding', 'indices', /got 3 indices/);
    expectError(() => embedding([1, 2] as never, w), 'INVALID_ARGUMENT', 'embedding', 'indices');
  });
  it('a paddingIdx outside the table; a gradient of the wrong shape', () => {
    expectError(() => embeddingBackward({ data: [1], shape: [1] }, w, z(1, 3), { paddingIdx: 5 }), 'INVALID_ARGUMENT', 'embeddingBackward', 'paddingIdx', /got 5/);
    expectError(() => embeddingBackward({ data: [1], shape: [1] }, w, z(1, 2)), 'SHAPE_MISMATCH', 'embeddingBackward', 'gradOutput', /\[1, 3\]/);
  });
});

describe('shape ops', () => {
  it('flatten: a dimension out of range, endDim before startDim, a gradient with another size', () => {
    expectError(() => flatten(z(2, 3), { startDim: 2 }), 'INVALID_ARGUMENT', 'flatten', 'startDim', /got 2/);
    expectError(() => flatten(z(2, 3, 4), { startDim: 2, endDim: 1 }), 'INVALID_ARGUMENT', 'flatten', 'endDim', /startDim \(2\)/);
    expectError(() => flattenBackward(z(2, 3), z(5)), 'SHAPE_MISMATCH', 'flattenBackward', 'gradOutput', /6 elements/);
  });
  it('add: shapes that differ name both; a non-finite alpha', () => {
    expectError(() => add(z(2, 3), z(3, 2)), 'SHAPE_MISMATCH', 'add', 'other', /input shape \[2, 3\]/, /got shape \[3, 2\]/);
    expectError(() => add(z(2), z(2), { alpha: NaN }), 'INVALID_ARGUMENT', 'add', 'alpha', /NaN/);
  });
});

describe('stats', () => {
  it('data that is not an array of numbers; a bad correction', () => {
    expectError(() => summarize('abc' as never), 'INVALID_ARGUMENT', 'summarize', 'data', /"abc"/);
    expectError(() => std(new Float32Array(3), { correction: -1 }), 'INVALID_ARGUMENT', 'std', 'correction', /-1/);
  });
  it('histogram: bins < 1, a non-finite bound, min > max', () => {
    expectError(() => histogram([1], { bins: 0 }), 'INVALID_ARGUMENT', 'histogram', 'bins', /got 0/);
    expectError(() => histogram([1], { min: -Infinity }), 'INVALID_ARGUMENT', 'histogram', 'min', /-Infinity/);
    expectError(() => histogram([1], { min: 2, max: 1 }), 'INVALID_ARGUMENT', 'histogram', 'max', /min \(2\), got 1/);
  });
});

describe('tape', () => {
  it('an argument that is not a Var of a tape', () => {
    const tape = new Tape();
    expectError(() => tape.linear(z(2, 2) as never, param('w', z(2, 2)), null), 'INVALID_ARGUMENT', 'Tape.linear', 'input', /Var/);
  });
  it('backward: a gradient of the wrong size, an output that is not on this tape', () => {
    const tape = new Tape();
    const y = tape.activation(tape.input(z(2, 3)), 'relu');
    expectError(() => tape.backward(y, new Float32Array(5)), 'SHAPE_MISMATCH', 'Tape.backward', 'gradOutput', /6 elements \(y shape \[2, 3\]\), got 5 elements/);
    const other = new Tape().input(z(2, 3));
    expectError(() => tape.backward(other, new Float32Array(6)), 'INVALID_ARGUMENT', 'Tape.backward', 'y', /recorded on this tape/);
  });
  it('param: a value that is not a Buf', () => {
    expectError(() => param('w', [1, 2] as never), 'INVALID_ARGUMENT', 'param', 'value');
  });
});
