/** Reading spec and rules files for the CLI: errors name the file, never a stack trace. */
import { readFile } from 'node:fs/promises';
import { InitError } from '../errors.js';
import type { Module } from '../nn/module.js';
import { fromSpec, parseSpecJson } from '../nn/spec.js';
import type { RandomEngine } from '../rng/engine.js';
import type { Device } from '../tensor/tensor.js';

export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InitError({
      code: 'IO_ERROR',
      where: what,
      param: 'path',
      expected: `a readable ${what} file`,
      receivedText: `${JSON.stringify(path)} (${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)})`,
    });
  }
}

/** Parse JSON with an InitError naming the file and position. */
export function parseJsonFile(text: string, path: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InitError({
      code: 'SPEC_ERROR',
      where: path,
      param: what,
      expected: `valid JSON in the ${what} file`,
      receivedText: (e as Error).message,
    });
  }
}

export async function loadModel(path: string, options: { device?: Device; generator?: RandomEngine } = {}): Promise<{ model: Module; spec: unknown }> {
  const text = await readTextFile(path, 'spec');
  const spec = parseSpecJson(text);
  const model = fromSpec(spec, { ...(options.device ? { device: options.device } : {}), ...(options.generator ? { generator: options.generator } : {}) });
  return { model, spec };
}

export async function loadRules(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  const text = await readTextFile(path, 'rules');
  return parseJsonFile(text, path, 'rules');
}
