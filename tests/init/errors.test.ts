// One test per validation branch of the init functions: each checks the error is an InitError with its stable code,
// that the message names the function and the parameter, and that it echoes the offending value.
import { describe, expect, it } from 'vitest';
import { Generator, InitError, empty, fromArray, init } from '../../src/index.js';
import { calculateCorrectFan } from '../../src/init/fan.js';

interface Expect {
  code: string;
  where: string;
  param: string;
  /** Substrings the message must contain (the echoed value, the fix, the valid values, ...). */
  includes: string[];
}

function expectInitError(fn: () => unknown, e: Expect): InitError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected an InitError').toBeInstanceOf(InitError);
  const err = caught as InitError;
  expect(err.code).toBe(e.code);
  expect(err.where).toBe(e.where);
  expect(err.param).toBe(e.param);
  expect(err.message.startsWith(`${e.where}: expected `), err.message).toBe(true);
  for (const s of e.includes) expect(err.message, `message should contain ${JSON.stringify(s)}`).toContain(s);
  return err;
}

const w = (): ReturnType<typeof empty> => empty([4, 3]);
// The JavaScript twin of `self.fc(x).apply(init_weights)`: a module-like object instead of its weight.
const moduleLike = (): { weight: ReturnType<typeof empty>; bias: ReturnType<typeof empty> } => ({ weight: empty([4, 3]), bias: empty([4]) });

describe('non-Tensor arguments (every init function)', () => {
  const calls: [string, (x: never) => unknown][] = [
    ['uniform_', (x) => init.uniform_(x)],
    ['normal_', (x) => init.normal_(x)],
    ['truncNormal_', (x) => init.truncNormal_(x)],
    ['constant_', (x) => init.constant_(x, 1)],
    ['ones_', (x) => init.ones_(x)],
    ['zeros_', (x) => init.zeros_(x)],
    ['eye_', (x) => init.eye_(x)],
    ['dirac_', (x) => init.dirac_(x)],
    ['xavierUniform_', (x) => init.xavierUniform_(x)],
    ['xavierNormal_', (x) => init.xavierNormal_(x)],
    ['kaimingUniform_', (x) => init.kaimingUniform_(x)],
    ['kaimingNormal_', (x) => init.kaimingNormal_(x)],
    ['sparse_', (x) => init.sparse_(x, 0.5)],
    ['varianceScaling_', (x) => init.varianceScaling_(x)],
    ['lecunUniform_', (x) => init.lecunUniform_(x)],
    ['lecunNormal_', (x) => init.lecunNormal_(x)],
  ];
  for (const [where, call] of calls) {
    it(`${where}: a module-like { weight } says to pass its parameter`, () => {
      expectInitError(() => call(moduleLike() as never), {
        code: 'NOT_A_TENSOR',
        where,
        param: 'tensor',
        includes: ['expected tensor to be a Tensor', 'got {weight: Tensor(shape [4, 3], float32)', `${where}(layer.weight)`],
      });
    });
  }
  it('a plain array says to wrap it with fromArray', () => {
    expectInitError(() => init.uniform_([1, 2, 3] as never), {
      code: 'NOT_A_TENSOR',
      where: 'uniform_',
      param: 'tensor',
      includes: ['got [1, 2, 3]', 'fromArray(values, { shape })'],
    });
  });
  it('undefined (e.g. a missing bias) is echoed', () => {
    expectInitError(() => init.zeros_(undefined as never), { code: 'NOT_A_TENSOR', where: 'zeros_', param: 'tensor', includes: ['got undefined'] });
  });
});

describe('fans of tensors with fewer than 2 dimensions', () => {
  it('calculateFanInAndFanOut echoes the shape and suggests zeros_/uniform_', () => {
    expectInitError(() => init.calculateFanInAndFanOut(empty([128])), {
      code: 'INVALID_SHAPE',
      where: 'calculateFanInAndFanOut',
      param: 'tensor',
      includes: ['got shape [128]', 'Use zeros_ or uniform_ for bias vectors'],
    });
  });
  for (const where of ['kaimingUniform_', 'kaimingNormal_', 'xavierUniform_', 'xavierNormal_', 'varianceScaling_', 'lecunUniform_', 'lecunNormal_'] as const) {
    it(`${where} on a bias vector names itself, echoes the shape and suggests zeros_/uniform_`, () => {
      const fn = init[where] as (t: ReturnType<typeof empty>) => unknown;
      expectInitError(() => fn(empty([128])), {
        code: 'INVALID_SHAPE',
        where,
        param: 'tensor',
        includes: ['fan-in is undefined for 1-D', 'got shape [128]', 'Use zeros_ or uniform_ for bias vectors'],
      });
    });
  }
  it('a 0-D tensor too', () => {
    expectInitError(() => init.xavierNormal_(fromArray([[1]]).view([])), {
      code: 'INVALID_SHAPE',
      where: 'xavierNormal_',
      param: 'tensor',
      includes: ['undefined for 0-D', 'got shape []'],
    });
  });
  it('calculateFanInAndFanOut rejects what is neither a Tensor nor a shape', () => {
    expectInitError(() => init.calculateFanInAndFanOut('64x3' as never), {
      code: 'NOT_A_TENSOR',
      where: 'calculateFanInAndFanOut',
      param: 'tensor',
      includes: ['got "64x3"'],
    });
  });
});

describe('gains and nonlinearities', () => {
  it('unknown nonlinearity lists every valid one', () => {
    const err = expectInitError(() => init.calculateGain('softmax' as never), {
      code: 'UNKNOWN_NAME',
      where: 'calculateGain',
      param: 'nonlinearity',
      includes: ['got "softmax"', "'linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d'", "'leaky_relu', 'selu'"],
    });
    expect(err.fix ?? '').toBe('');
  });
  it("an activation PyTorch lacks points to computeGain", () => {
    expectInitError(() => init.calculateGain('gelu' as never), {
      code: 'UNKNOWN_NAME',
      where: 'calculateGain',
      param: 'nonlinearity',
      includes: ['got "gelu"', "computeGain('gelu')"],
    });
  });
  it('kaiming with an unknown nonlinearity', () => {
    expectInitError(() => init.kaimingNormal_(w(), { nonlinearity: 'gelu' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'calculateGain',
      param: 'nonlinearity',
      includes: ['got "gelu"'],
    });
  });
  it('a leaky_relu slope that is not a finite number', () => {
    expectInitError(() => init.calculateGain('leaky_relu', Number.NaN), {
      code: 'INVALID_ARGUMENT',
      where: 'calculateGain',
      param: 'param',
      includes: ['negative slope', 'finite number', 'got NaN'],
    });
  });
  it('kaiming a = Infinity with leaky_relu', () => {
    expectInitError(() => init.kaimingUniform_(w(), { a: Infinity }), {
      code: 'INVALID_ARGUMENT',
      where: 'calculateGain',
      param: 'param',
      includes: ['got Infinity'],
    });
  });
  it('unknown kaiming mode lists the valid ones', () => {
    expectInitError(() => init.kaimingUniform_(w(), { mode: 'fan_avg' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'kaimingUniform_',
      param: 'mode',
      includes: ["'fan_in', 'fan_out'", 'got "fan_avg"'],
    });
  });
  it('calculateCorrectFan echoes a non-string mode', () => {
    expectInitError(() => calculateCorrectFan('kaimingNormal_', w(), 3), { code: 'UNKNOWN_NAME', where: 'kaimingNormal_', param: 'mode', includes: ['got 3'] });
  });
  it('negative xavier gain', () => {
    expectInitError(() => init.xavierUniform_(w(), { gain: -1 }), {
      code: 'INVALID_ARGUMENT',
      where: 'xavierUniform_',
      param: 'gain',
      includes: ['gain to be a finite number >= 0', 'got -1'],
    });
  });
  it('xavier with fan_in + fan_out = 0', () => {
    expectInitError(() => init.xavierNormal_(empty([0, 0])), {
      code: 'INVALID_SHAPE',
      where: 'xavierNormal_',
      param: 'tensor',
      includes: ['fan_in + fan_out > 0', 'shape [0, 0]'],
    });
  });
});

describe('fan layouts and groups', () => {
  it('groups that are not a positive integer', () => {
    expectInitError(() => init.calculateFanInAndFanOut([8, 4, 3, 3], { groups: 0 }), {
      code: 'INVALID_ARGUMENT',
      where: 'calculateFanInAndFanOut',
      param: 'groups',
      includes: ['positive integer', 'got 0'],
    });
  });
  it('groups not dividing the out-channels (torch layout)', () => {
    expectInitError(() => init.calculateFanInAndFanOut([8, 4, 3, 3], { groups: 3 }), {
      code: 'INVALID_ARGUMENT',
      where: 'calculateFanInAndFanOut',
      param: 'groups',
      includes: ['dividing the output channels (8)', 'got 3'],
    });
  });
  it('groups not dividing the out size (explicit axes)', () => {
    expectInitError(() => init.calculateFanInAndFanOut([3, 3, 4, 10], { layout: { inAxis: 2, outAxis: 3 }, groups: 4 }), {
      code: 'INVALID_ARGUMENT',
      where: 'calculateFanInAndFanOut',
      param: 'groups',
      includes: ['output size (10)', 'got 4'],
    });
  });
  it('an unknown layout name', () => {
    expectInitError(() => init.calculateFanInAndFanOut([3, 4], { layout: 'jax' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'calculateFanInAndFanOut',
      param: 'layout',
      includes: ["'torch', 'keras'", 'got "jax"'],
    });
  });
  it('an axis out of range', () => {
    expectInitError(() => init.varianceScaling_(w(), { inAxis: 2 }), {
      code: 'INVALID_ARGUMENT',
      where: 'varianceScaling_',
      param: 'inAxis',
      includes: ['axes in [-2, 1] for a 2-D tensor', 'got 2'],
    });
  });
  it('an axis that is not an integer or a list', () => {
    expectInitError(() => init.varianceScaling_(w(), { outAxis: '0' as never }), {
      code: 'INVALID_ARGUMENT',
      where: 'varianceScaling_',
      param: 'outAxis',
      includes: ['integer or an array of integers', 'got "0"'],
    });
  });
  it('overlapping axes', () => {
    expectInitError(() => init.varianceScaling_(empty([3, 4, 5]), { inAxis: 0, outAxis: 0 }), {
      code: 'INVALID_ARGUMENT',
      where: 'varianceScaling_',
      param: 'layout',
      includes: ['disjoint', 'inAxis: 0'],
    });
  });
  it('layout together with axes', () => {
    expectInitError(() => init.lecunUniform_(w(), { layout: 'keras', inAxis: 0 }), {
      code: 'INVALID_ARGUMENT',
      where: 'lecunUniform_',
      param: 'layout',
      includes: ['either layout or inAxis/outAxis/batchAxis', 'layout "keras" with inAxis 0'],
    });
  });
});

describe('uniform_, normal_, truncNormal_, constant_', () => {
  it('uniform_ a > b', () => {
    expectInitError(() => init.uniform_(w(), 1, -1), { code: 'INVALID_ARGUMENT', where: 'uniform_', param: 'a', includes: ['a=1 > b=-1', 'Swap'] });
  });
  it('uniform_ non-finite bound', () => {
    expectInitError(() => init.uniform_(w(), 0, Infinity), { code: 'INVALID_ARGUMENT', where: 'uniform_', param: 'b', includes: ['finite number', 'got Infinity'] });
  });
  it('uniform_ range overflowing float32', () => {
    expectInitError(() => init.uniform_(w(), -3e38, 3e38), { code: 'INVALID_ARGUMENT', where: 'uniform_', param: 'b', includes: ['a=-3e+38, b=3e+38'] });
  });
  it('normal_ negative std', () => {
    expectInitError(() => init.normal_(w(), 0, -0.02), { code: 'INVALID_ARGUMENT', where: 'normal_', param: 'std', includes: ['std >= 0', 'got -0.02', 'absolute value'] });
  });
  it('normal_ NaN mean', () => {
    expectInitError(() => init.normal_(w(), Number.NaN), { code: 'INVALID_ARGUMENT', where: 'normal_', param: 'mean', includes: ['got NaN'] });
  });
  it('normal_ on float16', () => {
    expectInitError(() => init.normal_(empty([3], { dtype: 'float16' })), { code: 'UNSUPPORTED', where: 'normal_', param: 'tensor', includes: ['dtype float16', "to('float16')"] });
  });
  it('a non-float tensor', () => {
    expectInitError(() => init.uniform_(empty([3], { dtype: 'int64' })), { code: 'INVALID_DTYPE', where: 'uniform_', param: 'tensor', includes: ['dtype int64'] });
  });
  it('truncNormal_ std <= 0', () => {
    expectInitError(() => init.truncNormal_(w(), { std: 0 }), { code: 'INVALID_ARGUMENT', where: 'truncNormal_', param: 'std', includes: ['std > 0', 'got 0'] });
  });
  it('truncNormal_ a >= b', () => {
    expectInitError(() => init.truncNormal_(w(), { a: 2, b: -2 }), { code: 'INVALID_ARGUMENT', where: 'truncNormal_', param: 'a', includes: ['a=2, b=-2'] });
  });
  it('truncNormal_ interval excluding nearly all the mass', () => {
    expectInitError(() => init.truncNormal_(w(), { mean: 0, std: 0.02, a: 1, b: 2 }), {
      code: 'INVALID_ARGUMENT',
      where: 'truncNormal_',
      param: 'a, b',
      includes: ['[1, 2]', '50.0 std from the mean 0', 'cover the mean'],
    });
  });
  it('constant_ NaN', () => {
    expectInitError(() => init.constant_(w(), Number.NaN), { code: 'INVALID_ARGUMENT', where: 'constant_', param: 'val', includes: ['got NaN'] });
  });
  it('constant_ overflowing the dtype (PyTorch: "value cannot be converted ... without overflow")', () => {
    expectInitError(() => init.constant_(w(), 1e40), { code: 'INVALID_ARGUMENT', where: 'constant_', param: 'val', includes: ['range of float32', 'got 1e+40'] });
  });
  it('options that are not an object', () => {
    expectInitError(() => init.uniform_(w(), 0, 1, 42 as never), { code: 'INVALID_ARGUMENT', where: 'uniform_', param: 'options', includes: ['got 42'] });
  });
  it('a generator that is not one', () => {
    expectInitError(() => init.normal_(w(), 0, 1, { generator: 42 as never }), {
      code: 'INVALID_ARGUMENT',
      where: 'normal_',
      param: 'generator',
      includes: ['Generator or PhiloxGenerator', 'got 42'],
    });
  });
});

describe('eye_ and dirac_', () => {
  it('eye_ on a 1-D tensor', () => {
    expectInitError(() => init.eye_(empty([5])), { code: 'INVALID_SHAPE', where: 'eye_', param: 'tensor', includes: ['2-D tensor', 'shape [5] (1-D)', 'shape [out, in]'] });
  });
  it('eye_ on a conv kernel suggests dirac_', () => {
    expectInitError(() => init.eye_(empty([4, 4, 3, 3])), { code: 'INVALID_SHAPE', where: 'eye_', param: 'tensor', includes: ['shape [4, 4, 3, 3] (4-D)', 'dirac_'] });
  });
  it('dirac_ on a matrix suggests eye_', () => {
    expectInitError(() => init.dirac_(empty([4, 4])), { code: 'INVALID_SHAPE', where: 'dirac_', param: 'tensor', includes: ['3-, 4- or 5-D', 'shape [4, 4] (2-D)', 'eye_'] });
  });
  it('dirac_ on a 6-D tensor', () => {
    expectInitError(() => init.dirac_(empty([2, 2, 1, 1, 1, 1])), { code: 'INVALID_SHAPE', where: 'dirac_', param: 'tensor', includes: ['(6-D)', 'Conv1d, Conv2d or Conv3d'] });
  });
  it('dirac_ groups not a positive integer', () => {
    expectInitError(() => init.dirac_(empty([4, 4, 3]), 1.5), { code: 'INVALID_ARGUMENT', where: 'dirac_', param: 'groups', includes: ['positive integer', 'got 1.5'] });
  });
  it('dirac_ out-channels not divisible by groups', () => {
    expectInitError(() => init.dirac_(empty([10, 2, 3, 3]), 3), {
      code: 'INVALID_ARGUMENT',
      where: 'dirac_',
      param: 'groups',
      includes: ['out-channels (size(0) = 10)', 'shape [10, 2, 3, 3]', 'got 3'],
    });
  });
});

describe('sparse_', () => {
  it('not 2-D', () => {
    expectInitError(() => init.sparse_(empty([4, 4, 4]), 0.5), { code: 'INVALID_SHAPE', where: 'sparse_', param: 'tensor', includes: ['2-D tensor', 'shape [4, 4, 4] (3-D)', 'view'] });
  });
  it('sparsity above 1 (a percentage) suggests the fraction', () => {
    expectInitError(() => init.sparse_(w(), 90), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'sparsity', includes: ['in [0, 1]', 'got 90', 'For 90% pass 0.9'] });
  });
  it('negative sparsity', () => {
    expectInitError(() => init.sparse_(w(), -0.1), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'sparsity', includes: ['got -0.1'] });
  });
  it('NaN sparsity', () => {
    expectInitError(() => init.sparse_(w(), Number.NaN), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'sparsity', includes: ['got NaN'] });
  });
  it('negative std', () => {
    expectInitError(() => init.sparse_(w(), 0.5, { std: -0.01 }), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'std', includes: ['std >= 0', 'got -0.01'] });
  });
  it('non-finite std', () => {
    expectInitError(() => init.sparse_(w(), 0.5, { std: Infinity }), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'std', includes: ['finite number', 'got Infinity'] });
  });
  it('options not an object', () => {
    expectInitError(() => init.sparse_(w(), 0.5, 0.01 as never), { code: 'INVALID_ARGUMENT', where: 'sparse_', param: 'options', includes: ['got 0.01'] });
  });
});

describe('varianceScaling_ and lecun*', () => {
  it('scale <= 0', () => {
    expectInitError(() => init.varianceScaling_(w(), { scale: -2 }), { code: 'INVALID_ARGUMENT', where: 'varianceScaling_', param: 'scale', includes: ['finite number > 0', 'got -2'] });
  });
  it('non-finite scale', () => {
    expectInitError(() => init.varianceScaling_(w(), { scale: Infinity }), { code: 'INVALID_ARGUMENT', where: 'varianceScaling_', param: 'scale', includes: ['got Infinity'] });
  });
  it('unknown mode lists the valid ones; camelCase gets a hint', () => {
    expectInitError(() => init.varianceScaling_(w(), { mode: 'fanAvg' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'varianceScaling_',
      param: 'mode',
      includes: ["'fan_in', 'fan_out', 'fan_avg'", 'got "fanAvg"', 'snake_case'],
    });
  });
  it("'normal' is ambiguous between JAX and Keras", () => {
    expectInitError(() => init.varianceScaling_(w(), { distribution: 'normal' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'varianceScaling_',
      param: 'distribution',
      includes: ["'truncated_normal', 'untruncated_normal', 'uniform'", 'got "normal"', "JAX's 'normal' is 'untruncated_normal'"],
    });
  });
  it("TF.js's camelCase 'truncatedNormal' gets the snake_case spelling", () => {
    expectInitError(() => init.varianceScaling_(w(), { distribution: 'truncatedNormal' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'varianceScaling_',
      param: 'distribution',
      includes: ['got "truncatedNormal"', "'truncated_normal'"],
    });
  });
  it("lecunNormal_ with 'uniform' points to lecunUniform_", () => {
    expectInitError(() => init.lecunNormal_(w(), { distribution: 'uniform' as never }), {
      code: 'UNKNOWN_NAME',
      where: 'lecunNormal_',
      param: 'distribution',
      includes: ["'truncated_normal', 'untruncated_normal'", 'got "uniform"', 'lecunUniform_'],
    });
  });
  it('options not an object (varianceScaling_, lecunUniform_, lecunNormal_, varianceScalingParams)', () => {
    for (const [where, fn] of [
      ['varianceScaling_', () => init.varianceScaling_(w(), 2 as never)],
      ['lecunUniform_', () => init.lecunUniform_(w(), 2 as never)],
      ['lecunNormal_', () => init.lecunNormal_(w(), 2 as never)],
      ['varianceScalingParams', () => init.varianceScalingParams([3, 4], 2 as never)],
    ] as const) {
      expectInitError(fn, { code: 'INVALID_ARGUMENT', where, param: 'options', includes: ['got 2'] });
    }
  });
  it('varianceScaling_ on float16 with a normal distribution', () => {
    expectInitError(() => init.varianceScaling_(empty([4, 4], { dtype: 'float16' }), { distribution: 'untruncated_normal' }), {
      code: 'UNSUPPORTED',
      where: 'normal_',
      param: 'tensor',
      includes: ['dtype float16'],
    });
  });
});

describe('computeGain and the activation table', () => {
  it('unknown activation lists the valid ones and the aliases', () => {
    expectInitError(() => init.computeGain('swiglu' as never), {
      code: 'UNKNOWN_NAME',
      where: 'computeGain',
      param: 'activation',
      includes: ['got "swiglu"', "'linear', 'relu', 'leaky_relu'", "'logsigmoid'", "'swish'"],
    });
  });
  it('a param for an activation without one', () => {
    expectInitError(() => init.computeGain('tanh', { param: 2 }), {
      code: 'INVALID_ARGUMENT',
      where: 'computeGain',
      param: 'param',
      includes: ["'tanh' has no parameter", 'got 2', 'Omit param'],
    });
  });
  it('a non-finite slope', () => {
    expectInitError(() => init.activationMoments('leaky_relu', { param: Number.NaN }), {
      code: 'INVALID_ARGUMENT',
      where: 'activationMoments',
      param: 'param',
      includes: ["negative_slope of 'leaky_relu'", 'got NaN'],
    });
  });
  it('celu alpha = 0 (it divides)', () => {
    expectInitError(() => init.computeGain('celu', { param: 0 }), {
      code: 'INVALID_ARGUMENT',
      where: 'computeGain',
      param: 'param',
      includes: ["alpha of 'celu'", 'other than 0', 'got 0'],
    });
  });
  it('options not an object', () => {
    expectInitError(() => init.computeGain('relu', 0.2 as never), { code: 'INVALID_ARGUMENT', where: 'computeGain', param: 'options', includes: ['got 0.2'] });
  });
  it('activationFunction with an unknown name', () => {
    expectInitError(() => init.activationFunction('prelu' as never), { code: 'UNKNOWN_NAME', where: 'activationFunction', param: 'activation', includes: ['got "prelu"'] });
  });
  it('activationInfo with a non-string', () => {
    expectInitError(() => init.activationInfo(7 as never), { code: 'UNKNOWN_NAME', where: 'activationInfo', param: 'activation', includes: ['got 7'] });
  });
});

describe('quadrature', () => {
  it('gaussHermite node count out of range', () => {
    expectInitError(() => init.gaussHermite(500), { code: 'INVALID_ARGUMENT', where: 'gaussHermite', param: 'n', includes: ['[1, 180]', 'got 500'] });
  });
  it('gaussLegendre node count not an integer', () => {
    expectInitError(() => init.gaussLegendre(2.5), { code: 'INVALID_ARGUMENT', where: 'gaussLegendre', param: 'n', includes: ['got 2.5'] });
  });
  it('gaussianExpectation with a non-function', () => {
    expectInitError(() => init.gaussianExpectation(3 as never), { code: 'INVALID_ARGUMENT', where: 'gaussianExpectation', param: 'f', includes: ['got 3'] });
  });
  it('gaussianExpectation with a non-finite breakpoint', () => {
    expectInitError(() => init.gaussianExpectation((z) => z, { breakpoints: [Number.NaN] }), {
      code: 'INVALID_ARGUMENT',
      where: 'gaussianExpectation',
      param: 'breakpoints',
      includes: ['finite numbers', 'got [NaN]'],
    });
  });
});

describe('errors leave the generator untouched', () => {
  it('a rejected call draws nothing', () => {
    const g = new Generator().manualSeed(0);
    const before = g.getState();
    expect(() => init.sparse_(w(), 2, { generator: g })).toThrow(InitError);
    expect(() => init.varianceScaling_(w(), { scale: 0, generator: g })).toThrow(InitError);
    expect(() => init.truncNormal_(w(), { a: 5, b: 6, generator: g })).toThrow(InitError);
    expect(g.getState()).toEqual(before);
  });
});
