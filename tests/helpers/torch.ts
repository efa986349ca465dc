/**
 * Running live PyTorch from tests (the oracle suite). PyTorch is looked up at /usr/bin/python3 (Debian's
 * python3-torch) unless INITKIT_PYTHON is set. Oracle tests call `describeTorch`, which skips loudly when PyTorch
 * is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

export const PYTHON = process.env['INITKIT_PYTHON'] ?? '/usr/bin/python3';

let cached: string | null | undefined;

/** The PyTorch version string, or null if PyTorch cannot be imported. */
export function torchVersion(): string | null {
  if (cached !== undefined) return cached;
  if (!existsSync(PYTHON)) return (cached = null);
  const r = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
  cached = r.status === 0 ? r.stdout.trim() : null;
  return cached;
}

/**
 * Run a Python program with PyTorch; `input` is passed as JSON on stdin and the program's stdout is parsed as
 * JSON. Single-threaded (OMP/MKL/OpenBLAS threads = 1) so results do not depend on the machine.
 */
export function runTorch<T = unknown>(code: string, input: unknown = null, timeoutMs = 240_000): T {
  const r = spawnSync(PYTHON, ['-c', code], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONHASHSEED: '0' },
  });
  if (r.status !== 0) {
    throw new Error(`python failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  }
  return JSON.parse(r.stdout) as T;
}

/** `describe` that runs only when PyTorch is importable, printing a loud SKIPPED line otherwise. */
export function describeTorch(name: string, fn: () => void): void {
  const v = torchVersion();
  if (v === null) {
    process.stderr.write(`ORACLE SKIPPED: ${name}: PyTorch is not importable by ${PYTHON}\n`);
    describe.skip(name, fn);
  } else {
    describe(`${name} (PyTorch ${v})`, fn);
  }
}

/** A fresh random integer for oracle cases, printed so a failure can be replayed (INITKIT_ORACLE_SEED=...). */
export function oracleSeed(): number {
  const env = process.env['INITKIT_ORACLE_SEED'];
  const s = env !== undefined ? Number(env) : Math.floor(Math.random() * 2 ** 31);
  process.stderr.write(`oracle seed: ${s} (replay with INITKIT_ORACLE_SEED=${s})\n`);
  return s;
}

/** Python prelude that decodes float32/float64 arrays to hex bit strings for exact comparison. */
export const PY_PRELUDE = `
import json, sys, struct, math
import numpy as np
import torch
torch.set_num_threads(1)
def bits32(t):
    a = t.detach().contiguous().cpu().to(torch.float32).numpy().reshape(-1).view(np.uint32)
    return [format(int(x), '08x') for x in a]
def bits64(t):
    a = t.detach().contiguous().cpu().to(torch.float64).numpy().reshape(-1).view(np.uint64)
    return [format(int(x), '016x') for x in a]
def bits(t):
    return bits64(t) if t.dtype == torch.float64 else bits32(t)
inp = json.loads(sys.stdin.read() or 'null')
`;
