/** Catching the library's errors in tests: the InitError a call throws, or a failed assertion. */
import { expect } from 'vitest';
import { InitError } from '../../src/errors.js';

/** The InitError `fn` throws; the test fails when `fn` throws something else or nothing. */
export function thrown(fn: () => unknown): InitError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InitError);
    return e as InitError;
  }
  throw new Error('expected an InitError');
}

function checkError(e: unknown, code: string, fragments: readonly string[]): InitError {
  expect(e).toBeInstanceOf(InitError);
  const err = e as InitError;
  expect(err.code, err.message).toBe(code);
  for (const f of fragments) expect(err.message).toContain(f);
  return err;
}

/** Expect `fn` to throw an InitError with `code` whose message contains every fragment; returns the error. */
export function expectError(fn: () => unknown, code: string, ...fragments: string[]): InitError {
  try {
    fn();
  } catch (e) {
    return checkError(e, code, fragments);
  }
  throw new Error(`expected InitError ${code}`);
}

/** {@link expectError} for a promise that must reject. */
export async function expectReject(p: Promise<unknown>, code: string, ...fragments: string[]): Promise<InitError> {
  try {
    await p;
  } catch (e) {
    return checkError(e, code, fragments);
  }
  throw new Error(`expected InitError ${code}`);
}
