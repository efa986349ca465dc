/** Recommended gains for nonlinearities: PyTorch's `torch.nn.init.calculate_gain`. */
import { fail } from '../errors.js';

export const NONLINEARITIES = [
  'linear',
  'conv1d',
  'conv2d',
  'conv3d',
  'conv_transpose1d',
  'conv_transpose2d',
  'conv_transpose3d',
  'sigmoid',
  'tanh',
  'relu',
  'leaky_relu',
  'selu',
] as const;
export type Nonlinearity = (typeof NONLINEARITIES)[number];

/**
 * The recommended gain for a nonlinearity: PyTorch's `calculate_gain`, the same doubles.
 *
 * | nonlinearity | gain |
 * |---|---|
 * | linear, conv*, sigmoid | 1 |
 * | tanh | 5/3 |
 * | relu | √2 (He et al. 2015) |
 * | leaky_relu | √(2 / (1 + slope²)), slope = `param` ?? 0.01 |
 * | selu | 3/4 (chosen empirically to keep gradients stable; pytorch/pytorch#50345) |
 *
 * These are PyTorch's table, not derived gains: sigmoid's 1 and tanh's 5/3 are conventions. For the
 * variance-preserving gain of any activation use {@link computeGain}.
 *
 * @param nonlinearity one of {@link NONLINEARITIES}.
 * @param param the negative slope for `'leaky_relu'` (default 0.01); ignored otherwise.
 * @throws InitError for an unknown nonlinearity (lists the valid ones) or a slope that is not a finite number.
 *
 * @example
 * ```ts
 * calculateGain('leaky_relu', Math.sqrt(5)); // 0.5773502691896257 = √(1/3), nn.Linear's kaiming gain
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  const where = 'calculateGain';
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5.0 / 3;
    case 'relu':
      return Math.sqrt(2.0);
    case 'leaky_relu': {
      let slope = 0.01;
      if (param !== undefined && param !== null) {
        if (typeof param !== 'number' || !Number.isFinite(param)) {
          fail({
            code: 'INVALID_ARGUMENT',
            where,
            param: 'param',
            expected: "param (the negative slope of 'leaky_relu') to be a finite number",
            received: param,
          });
        }
        slope = param;
      }
      return Math.sqrt(2.0 / (1 + slope * slope));
    }
    case 'selu':
      return 3.0 / 4;
    default:
      return fail({
        code: 'UNKNOWN_NAME',
        where,
        param: 'nonlinearity',
        expected: `nonlinearity to be one of ${NONLINEARITIES.map((x) => `'${x}'`).join(', ')}`,
        received: nonlinearity,
        fix:
          typeof nonlinearity === 'string' && ['gelu', 'silu', 'swish', 'mish', 'elu', 'softplus'].includes(nonlinearity)
            ? `PyTorch has no gain for '${nonlinearity}'; computeGain('${nonlinearity}') computes the variance-preserving one.`
            : '',
      });
  }
}
