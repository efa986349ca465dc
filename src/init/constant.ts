import { fail } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { checkFloatTensor } from './common.js';

/**
 * Fills `tensor` with `val`, in place (`torch.nn.init.constant_`). No random draws.
 * @throws InitError for a non-Tensor or a value that is not a number.
 * @example `init.constant_(linear.bias, 0.01)`
 */
export function constant_(tensor: Tensor, val: number): Tensor {
  const t = checkFloatTensor('constant_', tensor);
  if (typeof val !== 'number' || Number.isNaN(val)) {
    fail({ code: 'INVALID_ARGUMENT', where: 'constant_', param: 'val', expected: 'val to be a number', received: val });
  }
  return t.fill_(val);
}

/** Fills `tensor` with 1 (`torch.nn.init.ones_`). No random draws. */
export function ones_(tensor: Tensor): Tensor {
  return checkFloatTensor('ones_', tensor).fill_(1);
}

/** Fills `tensor` with 0 (`torch.nn.init.zeros_`). No random draws. */
export function zeros_(tensor: Tensor): Tensor {
  return checkFloatTensor('zeros_', tensor).fill_(0);
}
