/** CLI plumbing: error rendering, exit codes, option parsing helpers. */
import { InitError } from '../errors.js';
import type { Command } from 'commander';
import { CommanderError } from 'commander';

/** Exit codes: 0 ok, 1 findings (lint errors, unhealthy diagnosis), 2 bad input, 3 internal error. */
export const EXIT = { ok: 0, findings: 1, badInput: 2, internal: 3 } as const;

export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function renderError(e: unknown): { text: string; code: number } {
  if (e instanceof InitError) return { text: `initkit: error: ${e.message}`, code: EXIT.badInput };
  if (e instanceof CliExit) return { text: '', code: e.code };
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    text: `initkit: internal error (please report it): ${err.message}\n${err.stack ?? ''}`,
    code: EXIT.internal,
  };
}

export async function runMain(build: () => Command, argv: string[] = process.argv): Promise<void> {
  const program = build();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message (or help/version).
      process.exitCode = e.exitCode === 0 ? 0 : EXIT.badInput;
      return;
    }
    const { text, code } = renderError(e);
    if (text) process.stderr.write(`${text}\n`);
    process.exitCode = code;
  }
}

/** Parse an integer option (seeds accept bigints beyond 2^53). */
export function parseSeedOption(value: string): number | bigint {
  const s = value.trim();
  if (!/^-?\d+$/.test(s)) {
    throw new InitError({
      code: 'INVALID_SEED',
      where: '--seed',
      param: 'seed',
      expected: 'an integer in [-2^63, 2^64 - 1]',
      received: value,
    });
  }
  const big = BigInt(s);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

export function parseIntOption(name: string, min = -Infinity): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) {
      throw new InitError({
        code: 'INVALID_ARGUMENT',
        where: name,
        param: name,
        expected: `an integer${min > -Infinity ? ` >= ${min}` : ''}`,
        received: value,
      });
    }
    return n;
  };
}

export function parseNumberOption(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) {
      throw new InitError({ code: 'INVALID_ARGUMENT', where: name, param: name, expected: 'a finite number', received: value });
    }
    return n;
  };
}

/** `4`, `3,32,32` or `3x32x32` → [3, 32, 32]. */
export function parseDims(flag: string): (v: string) => number[] {
  return (v: string) => {
    const parts = v.split(/[,x×\s]+/).filter(Boolean);
    const dims = parts.map((p) => Number(p));
    if (parts.length === 0 || dims.some((d) => !Number.isSafeInteger(d) || d < 1)) {
      throw new InitError({ code: 'INVALID_ARGUMENT', where: flag, param: flag, expected: 'positive integers separated by commas, e.g. 3,32,32', received: v });
    }
    return dims;
  };
}

/** Is stdout a colour-capable terminal? (`NO_COLOR` and `FORCE_COLOR` respected.) */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env['NO_COLOR'] !== undefined) return false;
  if (process.env['FORCE_COLOR'] !== undefined && process.env['FORCE_COLOR'] !== '0') return true;
  return stream.isTTY === true;
}
