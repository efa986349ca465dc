/**
 * The base of parameter-free layers: it binds the PyTorch signature, keeps the arguments for `toSpec` and `repr`,
 * and draws nothing.
 */
import { Module } from './module.js';
import { type Signature, bindOptions } from './signature.js';

export abstract class Stateless extends Module {
  protected constructor(sig: Signature, positional: readonly unknown[], options: unknown) {
    super();
    this._config = bindOptions(sig, positional, options).cfg;
  }

  /** A bound constructor argument, by PyTorch name. */
  protected arg<T>(name: string): T {
    return (this._config as Record<string, unknown>)[name] as T;
  }
}

/** `', inplace=True'` / `''` (or without the comma when it is the only item), as PyTorch's activations print. */
export function inplaceStr(inplace: boolean, alone: boolean): string {
  if (!inplace) return '';
  return alone ? 'inplace=True' : ', inplace=True';
}
