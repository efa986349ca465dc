/**
 * The activation functions initkit knows, as plain scalar functions with their kinks and parameters: the table
 * {@link computeGain} integrates over, and that signal-propagation analysis reuses.
 *
 * Each entry follows PyTorch's `torch.nn` module of the same name (defaults included), written in a numerically
 * stable form. They are reference implementations for moments and plots, not tensor kernels.
 */
import { fail, formatValue } from '../errors.js';
import { erf } from '../math/erf.js';

/** Activation names, as `torch.nn.functional` spells them (plus `gelu_tanh` for `gelu(approximate='tanh')`). */
export const ACTIVATIONS = [
  'linear',
  'relu',
  'leaky_relu',
  'tanh',
  'sigmoid',
  'gelu',
  'gelu_tanh',
  'silu',
  'mish',
  'elu',
  'selu',
  'celu',
  'softplus',
  'hardtanh',
  'softsign',
  'relu6',
  'hardswish',
  'hardsigmoid',
  'logsigmoid',
] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** Other accepted spellings and what they mean. */
export const ACTIVATION_ALIASES = {
  identity: 'linear',
  swish: 'silu',
  gelu_erf: 'gelu',
  hard_swish: 'hardswish',
  hard_sigmoid: 'hardsigmoid',
  log_sigmoid: 'logsigmoid',
} as const satisfies Record<string, Activation>;
export type ActivationAlias = keyof typeof ACTIVATION_ALIASES;
/** Every name {@link activationInfo} accepts. */
export type ActivationName = Activation | ActivationAlias;

/** A parameter of an activation (its name in PyTorch, default, and what values are allowed). */
export interface ActivationParam {
  readonly name: string;
  readonly default: number;
  /** `'finite'`: any finite number; `'nonzero'`: finite and not 0 (it divides). */
  readonly domain: 'finite' | 'nonzero';
}

/** One activation: formula, PyTorch module, parameter, kinks and the scalar function. */
export interface ActivationInfo {
  readonly name: Activation;
  /** The PyTorch module with its defaults, e.g. `nn.ELU(alpha=1.0)`. */
  readonly torch: string;
  /** The formula, in plain text. */
  readonly formula: string;
  /** The parameter (`negative_slope`, `alpha`, `beta`), or null. */
  readonly param: ActivationParam | null;
  /** Points where the function or its derivatives jump (for piecewise quadrature); depends on the parameter. */
  breakpoints(param: number): readonly number[];
  /** The scalar function for a given parameter value (ignored when `param` is null). */
  make(param: number): (x: number) => number;
}

const SQRT1_2 = Math.SQRT1_2;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
/**
 * SELU constants (as in PyTorch's `nn.SELU`): Klambauer, Unterthiner, Mayr & Hochreiter (2017), "Self-Normalizing
 * Neural Networks", NeurIPS, https://arxiv.org/abs/1706.02515. With them N(0, 1) is a fixed point:
 * E[selu(Z)] = 0 and E[selu(Z)²] = 1.
 */
export const SELU_ALPHA = 1.6732632423543772848170429916717;
export const SELU_SCALE = 1.0507009873554804934193349852946;

/**
 * The logistic sigmoid σ(x) = 1 / (1 + e^{-x}), evaluated without overflow for large |x|.
 *
 * @param x any number.
 * @returns σ(x) in [0, 1].
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * ```
 */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * softplus(x) = log(1 + e^x), evaluated as max(x, 0) + log1p(e^{-|x|}) (no overflow, no cancellation).
 *
 * @param x any number.
 * @returns softplus(x) > 0.
 *
 * @example
 * ```ts
 * softplus(0); // 0.6931471805599453 (ln 2)
 * ```
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const relu = (x: number): number => (x > 0 ? x : 0);
const relu6 = (x: number): number => (x <= 0 ? 0 : x >= 6 ? 6 : x);
const none = (): readonly number[] => [];

const TABLE: Readonly<Record<Activation, ActivationInfo>> = {
  linear: { name: 'linear', torch: 'nn.Identity()', formula: 'x', param: null, breakpoints: none, make: () => (x) => x },
  relu: { name: 'relu', torch: 'nn.ReLU()', formula: 'max(0, x)', param: null, breakpoints: () => [0], make: () => relu },
  leaky_relu: {
    name: 'leaky_relu',
    torch: 'nn.LeakyReLU(negative_slope=0.01)',
    formula: 'x if x >= 0 else negative_slope·x',
    param: { name: 'negative_slope', default: 0.01, domain: 'finite' },
    breakpoints: () => [0],
    make: (s) => (x) => (x >= 0 ? x : s * x),
  },
  tanh: { name: 'tanh', torch: 'nn.Tanh()', formula: 'tanh(x)', param: null, breakpoints: none, make: () => Math.tanh },
  sigmoid: { name: 'sigmoid', torch: 'nn.Sigmoid()', formula: '1 / (1 + e^-x)', param: null, breakpoints: none, make: () => sigmoid },
  gelu: {
    name: 'gelu',
    torch: "nn.GELU(approximate='none')",
    formula: 'x·Φ(x) = x/2·(1 + erf(x/√2))',
    param: null,
    breakpoints: none,
    make: () => (x) => 0.5 * x * (1 + erf(x * SQRT1_2)),
  },
  gelu_tanh: {
    name: 'gelu_tanh',
    torch: "nn.GELU(approximate='tanh')",
    formula: 'x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))',
    param: null,
    breakpoints: none,
    make: () => (x) => 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))),
  },
  silu: { name: 'silu', torch: 'nn.SiLU()', formula: 'x·σ(x)', param: null, breakpoints: none, make: () => (x) => x * sigmoid(x) },
  mish: {
    name: 'mish',
    torch: 'nn.Mish()',
    formula: 'x·tanh(softplus(x))',
    param: null,
    breakpoints: none,
    make: () => (x) => x * Math.tanh(softplus(x)),
  },
  elu: {
    name: 'elu',
    torch: 'nn.ELU(alpha=1.0)',
    formula: 'x if x > 0 else alpha·(e^x - 1)',
    param: { name: 'alpha', default: 1, domain: 'finite' },
    breakpoints: () => [0],
    make: (a) => (x) => (x > 0 ? x : a * Math.expm1(x)),
  },
  selu: {
    name: 'selu',
    torch: 'nn.SELU()',
    formula: 'scale·(x if x > 0 else alpha·(e^x - 1)), alpha = 1.6733, scale = 1.0507',
    param: null,
    breakpoints: () => [0],
    make: () => (x) => SELU_SCALE * (x > 0 ? x : SELU_ALPHA * Math.expm1(x)),
  },
  celu: {
    name: 'celu',
    torch: 'nn.CELU(alpha=1.0)',
    formula: 'max(0, x) + min(0, alpha·(e^(x/alpha) - 1))',
    param: { name: 'alpha', default: 1, domain: 'nonzero' },
    breakpoints: () => [0],
    make: (a) => (x) => relu(x) + Math.min(0, a * Math.expm1(x / a)),
  },
  softplus: {
    name: 'softplus',
    torch: 'nn.Softplus(beta=1.0)',
    formula: 'log(1 + e^(beta·x)) / beta',
    param: { name: 'beta', default: 1, domain: 'nonzero' },
    breakpoints: none,
    make: (b) => (x) => softplus(b * x) / b,
  },
  hardtanh: {
    name: 'hardtanh',
    torch: 'nn.Hardtanh(min_val=-1.0, max_val=1.0)',
    formula: 'clamp(x, -1, 1)',
    param: null,
    breakpoints: () => [-1, 1],
    make: () => (x) => (x < -1 ? -1 : x > 1 ? 1 : x),
  },
  softsign: {
    name: 'softsign',
    torch: 'nn.Softsign()',
    formula: 'x / (1 + |x|)',
    param: null,
    breakpoints: () => [0],
    make: () => (x) => x / (1 + Math.abs(x)),
  },
  relu6: { name: 'relu6', torch: 'nn.ReLU6()', formula: 'min(max(0, x), 6)', param: null, breakpoints: () => [0, 6], make: () => relu6 },
  hardswish: {
    name: 'hardswish',
    torch: 'nn.Hardswish()',
    formula: 'x·relu6(x + 3) / 6',
    param: null,
    breakpoints: () => [-3, 3],
    make: () => (x) => (x * relu6(x + 3)) / 6,
  },
  hardsigmoid: {
    name: 'hardsigmoid',
    torch: 'nn.Hardsigmoid()',
    formula: 'relu6(x + 3) / 6',
    param: null,
    breakpoints: () => [-3, 3],
    make: () => (x) => relu6(x + 3) / 6,
  },
  logsigmoid: {
    name: 'logsigmoid',
    torch: 'nn.LogSigmoid()',
    formula: 'log σ(x) = -softplus(-x)',
    param: null,
    breakpoints: none,
    make: () => (x) => -softplus(-x),
  },
};

/**
 * Resolve an activation name (or alias such as `'swish'`, `'identity'`) to its table entry.
 *
 * @param name one of {@link ACTIVATIONS} or a key of {@link ACTIVATION_ALIASES}.
 * @param where the public function to name in errors (default `'activationInfo'`).
 * @throws InitError for an unknown name, listing every valid one.
 *
 * @example
 * ```ts
 * activationInfo('swish').name;   // 'silu'
 * activationInfo('elu').param;    // { name: 'alpha', default: 1, domain: 'finite' }
 * ```
 */
export function activationInfo(name: ActivationName, where = 'activationInfo'): ActivationInfo {
  const key = typeof name === 'string' ? name.toLowerCase() : name;
  const resolved =
    typeof key === 'string' && Object.prototype.hasOwnProperty.call(ACTIVATION_ALIASES, key)
      ? ACTIVATION_ALIASES[key as ActivationAlias]
      : key;
  if (typeof resolved !== 'string' || !(ACTIVATIONS as readonly string[]).includes(resolved)) {
    const aliases = Object.keys(ACTIVATION_ALIASES).map((a) => `'${a}'`);
    return fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'activation',
      expected: `activation to be one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')} (aliases ${aliases.join(', ')})`,
      received: name,
    });
  }
  return TABLE[resolved as Activation];
}

/**
 * Validate an activation's parameter and return the value to use (the default when `param` is undefined, null for
 * activations without a parameter).
 *
 * @param info the activation's table entry ({@link activationInfo}).
 * @param param the user's value, or undefined.
 * @param where the public function to name in errors.
 * @throws InitError when the activation takes no parameter but one was given, or the value is outside its domain.
 *
 * @example
 * ```ts
 * resolveActivationParam(activationInfo('elu'), undefined, 'computeGain'); // 1
 * ```
 */
export function resolveActivationParam(info: ActivationInfo, param: unknown, where: string): number | null {
  if (info.param === null) {
    if (param !== undefined) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'param',
        expected: `no param ('${info.name}' has no parameter)`,
        received: param,
        fix: 'Omit param; only leaky_relu (negative_slope), elu and celu (alpha) and softplus (beta) take one.',
      });
    }
    return null;
  }
  if (param === undefined) return info.param.default;
  const p = info.param;
  if (typeof param !== 'number' || !Number.isFinite(param) || (p.domain === 'nonzero' && param === 0)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'param',
      expected: `param (the ${p.name} of '${info.name}') to be a finite number${p.domain === 'nonzero' ? ' other than 0' : ''}`,
      receivedText: formatValue(param),
    });
  }
  return param;
}

/**
 * The scalar function of an activation, e.g. for plotting or Monte Carlo checks.
 *
 * @param name an activation name or alias (see {@link ACTIVATIONS}).
 * @param param its parameter (leaky_relu: negative_slope = 0.01; elu, celu: alpha = 1; softplus: beta = 1).
 * @throws InitError for an unknown name, a parameter given to an activation without one, or an invalid value.
 *
 * @example
 * ```ts
 * const f = activationFunction('leaky_relu', 0.2);
 * f(-1); // -0.2
 * ```
 */
export function activationFunction(name: ActivationName, param?: number): (x: number) => number {
  const info = activationInfo(name, 'activationFunction');
  const p = resolveActivationParam(info, param, 'activationFunction');
  return info.make(p ?? 0);
}
