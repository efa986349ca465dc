/**
 * Runs the init "programs" of scripts/torch_init_ops.py with initkit and compares them with PyTorch's results
 * (golden fixtures and the live oracle share this). A program seeds one generator, runs its ops in order, then
 * draws 4 float32 uniforms so the stream position after the program is compared too.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { Generator, InitError, empty, init, randperm, type DType, type Tensor, type TorchCompat } from '../../src/index.js';
import type { FanLayout } from '../../src/init/fan.js';

export interface Op {
  op: string;
  shape?: number[];
  dtype?: DType;
  [k: string]: unknown;
}

export interface Case {
  name?: string;
  seed: string;
  ops: Op[];
}

export type Encoded =
  | { n: number; bits: string }
  | { n: number; sha256: string; head: string; tail: string }
  | { n: number; ints: number[] }
  | { n: number; sha256: string }
  | { f64: string }
  | { fans: [number, number] }
  | { error: string; message?: string };

export interface CaseResult {
  out: Encoded[];
  next: string;
}

/** A golden fixture of programs (tests/fixtures/init.json, rng.json): the generator command, its environment, the cases. */
export interface ProgramFixture {
  command: string;
  environment: { torch: string; cpu_capability: string };
  cases: (Case & { name: string; expected: CaseResult })[];
}

/** Reads tests/fixtures/`file`, a fixture scripts/torch_init_ops.py's `write_fixture` wrote. */
export function readProgramFixture(file: string): ProgramFixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/${file}`, import.meta.url), 'utf8')) as ProgramFixture;
}

export const FULL_LIMIT = 2048;

function hexOf(u: number | bigint, width: number): string {
  return u.toString(16).padStart(width, '0');
}

/** Encode a tensor as torch_init_ops.encode_tensor does. */
export function encodeTensor(t: Tensor, full = false): Encoded {
  const n = t.numel;
  let bytes: Uint8Array;
  let words: string[];
  if (t.dtype === 'float64') {
    const f = Float64Array.from(t.data);
    bytes = new Uint8Array(f.buffer);
    words = Array.from(new BigUint64Array(f.buffer), (u) => hexOf(u, 16));
  } else {
    const f = Float32Array.from(t.data);
    bytes = new Uint8Array(f.buffer);
    words = Array.from(new Uint32Array(f.buffer), (u) => hexOf(u, 8));
  }
  if (n <= FULL_LIMIT || full) return { n, bits: words.join('') };
  return {
    n,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    head: words.slice(0, 16).join(''),
    tail: words.slice(-16).join(''),
  };
}

function encodeInts(values: ArrayLike<number>): Encoded {
  const a = Int32Array.from(values);
  if (a.length <= FULL_LIMIT) return { n: a.length, ints: Array.from(a) };
  return { n: a.length, sha256: createHash('sha256').update(new Uint8Array(a.buffer)).digest('hex') };
}

function f64hex(x: number): string {
  return hexOf(new BigUint64Array(new Float64Array([x]).buffer)[0]!, 16);
}

function num(op: Op, key: string, dflt: number): number {
  const v = op[key];
  return typeof v === 'number' ? v : dflt;
}

/** The initkit call for one op; returns the encoded result. Throws what initkit throws. */
export function runOp(op: Op, g: Generator): Encoded {
  const generator = g;
  if (op.op === 'calculate_gain') {
    const nl = op['nonlinearity'] as Parameters<typeof init.calculateGain>[0];
    return { f64: f64hex('param' in op ? init.calculateGain(nl, op['param'] as number) : init.calculateGain(nl)) };
  }
  if (op.op === 'fan') return { fans: init.calculateFanInAndFanOut(op.shape!) };
  if (op.op === 'randperm') return encodeInts(randperm(op['n'] as number, { generator }).data);
  const t = empty(op.shape!, { dtype: op.dtype ?? 'float32' });
  const layout = op['layout'] as FanLayout | undefined;
  const fan = { ...(layout !== undefined ? { layout } : {}), ...(op['groups'] !== undefined && op.op !== 'dirac_' ? { groups: op['groups'] as number } : {}) };
  switch (op.op) {
    case 'uniform_':
      init.uniform_(t, num(op, 'a', 0), num(op, 'b', 1), { generator });
      break;
    case 'normal_':
      init.normal_(t, num(op, 'mean', 0), num(op, 'std', 1), { generator });
      break;
    case 'trunc_normal_':
      init.truncNormal_(t, { mean: num(op, 'mean', 0), std: num(op, 'std', 1), a: num(op, 'a', -2), b: num(op, 'b', 2), generator });
      break;
    case 'constant_':
      init.constant_(t, op['val'] as number);
      break;
    case 'ones_':
      init.ones_(t);
      break;
    case 'zeros_':
      init.zeros_(t);
      break;
    case 'eye_':
      init.eye_(t);
      break;
    case 'dirac_':
      init.dirac_(t, num(op, 'groups', 1));
      break;
    case 'xavier_uniform_':
      init.xavierUniform_(t, { gain: num(op, 'gain', 1), generator });
      break;
    case 'xavier_normal_':
      init.xavierNormal_(t, { gain: num(op, 'gain', 1), generator });
      break;
    case 'kaiming_uniform_':
    case 'kaiming_normal_': {
      const fn = op.op === 'kaiming_uniform_' ? init.kaimingUniform_ : init.kaimingNormal_;
      fn(t, {
        a: num(op, 'a', 0),
        mode: (op['mode'] as 'fan_in' | 'fan_out' | undefined) ?? 'fan_in',
        nonlinearity: (op['nonlinearity'] as init.Nonlinearity | undefined) ?? 'leaky_relu',
        generator,
      });
      break;
    }
    case 'sparse_':
      init.sparse_(t, op['sparsity'] as number, { std: num(op, 'std', 0.01), generator });
      break;
    case 'variance_scaling':
      init.varianceScaling_(t, {
        scale: num(op, 'scale', 1),
        mode: (op['mode'] as init.VarianceScalingMode | undefined) ?? 'fan_in',
        distribution: (op['distribution'] as init.VarianceScalingDistribution | undefined) ?? 'truncated_normal',
        ...fan,
        generator,
      });
      break;
    case 'lecun_uniform':
      init.lecunUniform_(t, { ...fan, generator });
      break;
    case 'lecun_normal':
      init.lecunNormal_(t, {
        distribution: (op['distribution'] as init.LecunNormalDistribution | undefined) ?? 'truncated_normal',
        ...fan,
        generator,
      });
      break;
    default:
      throw new Error(`unknown op ${op.op}`);
  }
  return encodeTensor(t, op['full'] === true);
}

/** Run a program with a fresh generator seeded as torch.manual_seed(seed). InitErrors become `{ error }`. */
export function runCase(c: Case, compat: TorchCompat): CaseResult {
  const g = new Generator({ compat }).manualSeed(BigInt(c.seed));
  const out = c.ops.map((op): Encoded => {
    try {
      return runOp(op, g);
    } catch (e) {
      if (e instanceof InitError) return { error: 'InitError', message: e.message };
      throw e;
    }
  });
  const next = encodeTensor(init.uniform_(empty([4]), 0, 1, { generator: g }));
  return { out, next: (next as { bits: string }).bits };
}

/** PyTorch 1.x → '1.13' numerics (float64 per-element normal uses log(1 - u)), otherwise '2.x'. */
export function compatFor(torchVersion: string): TorchCompat {
  return torchVersion.startsWith('1.') ? '1.13' : '2.x';
}

function splitHex(s: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i += width) out.push(s.slice(i, i + width));
  return out;
}

/**
 * Compare one op's initkit result with PyTorch's, bit for bit (float32 and float64 alike: the double libm functions
 * PyTorch calls are ported from glibc, src/rng/libm64.ts). An op PyTorch rejects must throw InitError.
 */
export function expectOpMatches(label: string, op: Op, actual: Encoded, expected: Encoded): void {
  if ('error' in expected) {
    expect('error' in actual ? actual.error : `no error, got ${JSON.stringify(actual).slice(0, 80)}`, `${label}: PyTorch raised ${expected.error}: ${expected.message}`).toBe('InitError');
    return;
  }
  if ('error' in actual) throw new Error(`${label}: initkit threw ${actual.message}, PyTorch returned a value`);
  if ('bits' in expected && 'bits' in actual && expected.bits !== actual.bits) {
    const width = (op.dtype ?? 'float32') === 'float64' ? 16 : 8;
    const ea = splitHex(expected.bits, width);
    const aa = splitHex(actual.bits, width);
    const diffs = ea.map((h, i) => (h === aa[i] ? -1 : i)).filter((i) => i >= 0);
    const first = diffs.slice(0, 5).map((i) => `[${i}] got ${aa[i]} expected ${ea[i]}`);
    expect(`${diffs.length} of ${ea.length} differ: ${first.join('; ')}`, label).toBe(`0 of ${ea.length} differ: `);
    return;
  }
  expect(actual, label).toEqual(expected);
}

/** Compare a whole program's results, including the stream position after it. */
export function expectCaseMatches(label: string, c: Case, actual: CaseResult, expected: CaseResult): number {
  expect(actual.out.length, label).toBe(expected.out.length);
  let values = 0;
  c.ops.forEach((op, i) => {
    expectOpMatches(`${label} op ${i} ${JSON.stringify(op)}`, op, actual.out[i]!, expected.out[i]!);
    const e = expected.out[i]!;
    if ('n' in e) values += e.n;
  });
  expect(actual.next, `${label}: stream position after the program (next 4 uniforms)`).toBe(expected.next);
  return values;
}
