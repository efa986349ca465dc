/**
 * PyTorch's CPU generator, bit for bit: a plain MT19937 (Matsumoto & Nishimura 1998, "Mersenne Twister: a
 * 623-dimensionally equidistributed uniform pseudo-random number generator", ACM TOMACS 8(1),
 * https://doi.org/10.1145/272991.272995) seeded as `at::CPUGeneratorImpl` seeds it.
 *
 * Facts (../shared/reference/torch-cpu-rng.md §1, verified against PyTorch 1.13): `manual_seed` keeps the full
 * 64-bit seed for `initial_seed()` but only its low 32 bits reach MT19937, so seeds 0 and 2^32 give the same stream;
 * negative seeds wrap modulo 2^64; the very first draw after seeding twists; `random64()` is `(first << 32) | second`.
 */
import { InitError, fail, formatValue } from '../errors.js';
import { type RandomEngine, type TorchCompat, TORCH_COMPAT } from './engine.js';

const N = 624;
const M = 397;
// Constants as signed int32 so V8 keeps every intermediate a small integer (no heap numbers in the hot loops).
const MATRIX_A = 0x9908b0df | 0;
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;
const TWO64 = 1n << 64n;

/** The seed of a fresh `torch.Generator()` (c10 `default_rng_seed_val`). */
export const DEFAULT_RNG_SEED = 67280421310721n;

/** Serializable generator state (JSON-safe): the MT19937 words, position, seed and the Box–Muller cache. */
export interface GeneratorState {
  kind: 'mt19937';
  /** The 64-bit seed as a decimal string (what `initialSeed()` returns). */
  seed: string;
  /** 624 state words. */
  state: number[];
  /** MT19937 `left` counter (1..624): the next draw twists when it reaches 0. */
  left: number;
  /** Index of the next state word to temper. */
  next: number;
  /** Cached second sample of the per-element normal path, or null. */
  nextDoubleNormal: number | null;
  compat: TorchCompat;
}

/**
 * Convert a user seed to PyTorch's 64-bit seed: integers in [-2^63, 2^64 - 1], negatives wrapped modulo 2^64.
 * Anything else (fractions, NaN, out of range, strings) throws InitError naming the value.
 */
export function normalizeSeed(where: string, seed: unknown): bigint {
  let v: bigint;
  if (typeof seed === 'bigint') v = seed;
  else if (typeof seed === 'number' && Number.isInteger(seed)) v = BigInt(seed);
  else {
    fail({
      code: 'INVALID_SEED',
      where,
      param: 'seed',
      expected: 'seed to be an integer (number or bigint) in [-2^63, 2^64 - 1]',
      received: seed,
      fix:
        typeof seed === 'string' && /^-?\d+$/.test(seed.trim())
          ? `Pass a number or bigint: ${where}(${seed.trim()}) or ${where}(${seed.trim()}n).`
          : 'PyTorch accepts only integer seeds; use e.g. 0, 42 or a bigint for seeds above 2^53.',
    });
  }
  if (v < -(1n << 63n) || v >= TWO64) {
    fail({
      code: 'INVALID_SEED',
      where,
      param: 'seed',
      expected: 'seed in [-2^63, 2^64 - 1] (PyTorch raises "Overflow when unpacking long" outside it)',
      receivedText: formatValue(seed),
    });
  }
  return v < 0n ? v + TWO64 : v;
}

export interface GeneratorOptions {
  /** Initial seed (default: 67280421310721, like `torch.Generator()`). */
  seed?: number | bigint;
  /** Numerics of which PyTorch release to follow where they differ; default `'2.x'`. */
  compat?: TorchCompat;
}

/**
 * A PyTorch-compatible CPU random generator (`torch.Generator()` on CPU).
 *
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * g.random(); // 2357136044, as torch's mt19937 after manual_seed(0)
 * const t = init.uniform_(empty([3]), 0, 1, { generator: g });
 * ```
 */
export class Generator implements RandomEngine {
  readonly kind = 'mt19937' as const;
  nextDoubleNormal: number | null = null;
  compat: TorchCompat;
  private readonly mt = new Uint32Array(N);
  private left = 1;
  private next = 0;
  private seedValue: bigint = DEFAULT_RNG_SEED;

  constructor(options: GeneratorOptions = {}) {
    this.compat = options.compat === undefined ? '2.x' : checkCompat('Generator', options.compat);
    this.manualSeed(options.seed ?? DEFAULT_RNG_SEED);
  }

  /**
   * Seed the generator like `torch.Generator.manual_seed`: resets the Box–Muller cache; only the low 32 bits of
   * the (wrapped) 64-bit seed reach MT19937. Returns the generator.
   * @throws InitError for a non-integer or out-of-range seed.
   */
  manualSeed(seed: number | bigint): this {
    const s = normalizeSeed('manualSeed', seed);
    this.seedValue = s;
    this.nextDoubleNormal = null;
    const mt = this.mt;
    mt[0] = Number(s & 0xffffffffn);
    for (let j = 1; j < N; j++) {
      const prev = mt[j - 1]!;
      mt[j] = (Math.imul(1812433253, prev ^ (prev >>> 30)) + j) >>> 0;
    }
    this.left = 1;
    this.next = 0;
    return this;
  }

  /** The 64-bit seed last set (`torch.Generator.initial_seed()`), as a bigint. */
  initialSeed(): bigint {
    return this.seedValue;
  }

  /**
   * Seed from a non-deterministic source (the platform's `crypto.getRandomValues`), like `torch.Generator.seed()`.
   * Returns the new 64-bit seed.
   */
  seed(): bigint {
    const words = new Uint32Array(2);
    globalThis.crypto.getRandomValues(words);
    const s = (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
    this.manualSeed(s);
    return s;
  }

  /** One 32-bit output (PyTorch's `random()`). */
  random(): number {
    if (--this.left === 0) this.twist();
    let y = this.mt[this.next++]! | 0;
    y ^= y >>> 11;
    y ^= (y << 7) & TEMPER_B;
    y ^= (y << 15) & TEMPER_C;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /**
   * One 64-bit output (PyTorch's `random64()`): `(first << 32) | second`, as a bigint. Kernels use
   * {@link random64Parts}-style pairs of `random()` calls instead, which avoid BigInt.
   */
  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  fillU32(out: Uint32Array, n: number): void {
    const mt = this.mt;
    let i = 0;
    while (i < n) {
      if (this.left === 1) {
        this.twist();
        this.left = N + 1; // so that k draws leave left = 625 - k, as k single draws after a twist would
      }
      const k = Math.min(this.left - 1, n - i);
      let p = this.next;
      for (let end = i + k; i < end; i++) {
        let y = mt[p++]! | 0;
        y ^= y >>> 11;
        y ^= (y << 7) & TEMPER_B;
        y ^= (y << 15) & TEMPER_C;
        y ^= y >>> 18;
        out[i] = y;
      }
      this.next = p;
      this.left -= k;
    }
  }

  /**
   * @internal The raw MT19937 words (by reference) and position, for the WebAssembly kernels
   * (src/rng/wasm/backend.ts), which copy them in, advance the stream and write the words and
   * {@link setRawPosition} back. Not part of the public API.
   */
  rawState(): { words: Uint32Array; left: number; next: number } {
    return { words: this.mt, left: this.left, next: this.next };
  }

  /** @internal The position after a WebAssembly kernel advanced the stream (see {@link rawState}). */
  setRawPosition(left: number, next: number): void {
    this.left = left;
    this.next = next;
  }

  /** Skip `n` outputs (as if drawn and discarded). */
  discard(n: number): this {
    const buf = new Uint32Array(Math.min(n, 4096));
    for (let left = n; left > 0; left -= buf.length) this.fillU32(buf, Math.min(left, buf.length));
    return this;
  }

  /** A serializable snapshot of the whole state, including the Box–Muller cache. */
  getState(): GeneratorState {
    return {
      kind: 'mt19937',
      seed: this.seedValue.toString(),
      state: Array.from(this.mt),
      left: this.left,
      next: this.next,
      nextDoubleNormal: this.nextDoubleNormal,
      compat: this.compat,
    };
  }

  /** Restore a snapshot from {@link getState} (validated). Returns the generator. */
  setState(state: GeneratorState): this {
    const where = 'Generator.setState';
    const bad = (param: string, expected: string, received: unknown): never =>
      fail({ code: 'INVALID_STATE', where, param, expected, received });
    if (typeof state !== 'object' || state === null) bad('state', 'state to be an object from getState()', state);
    if (state.kind !== 'mt19937') bad('state.kind', "state.kind to be 'mt19937'", state.kind);
    if (!Array.isArray(state.state) || state.state.length !== N) {
      bad('state.state', `state.state to be an array of ${N} 32-bit words`, state.state);
    }
    for (const w of state.state) {
      if (!Number.isInteger(w) || w < 0 || w > 0xffffffff) bad('state.state', 'words that are integers in [0, 2^32)', w);
    }
    if (!Number.isInteger(state.left) || state.left < 1 || state.left > N + 1) bad('state.left', `state.left in [1, ${N + 1}]`, state.left);
    if (!Number.isInteger(state.next) || state.next < 0 || state.next > N) bad('state.next', `state.next in [0, ${N}]`, state.next);
    if (state.nextDoubleNormal !== null && typeof state.nextDoubleNormal !== 'number') {
      bad('state.nextDoubleNormal', 'state.nextDoubleNormal to be a number or null', state.nextDoubleNormal);
    }
    let seed: bigint;
    try {
      seed = BigInt(state.seed);
    } catch {
      return bad('state.seed', 'state.seed to be a decimal integer string', state.seed);
    }
    this.mt.set(state.state);
    this.left = state.left;
    this.next = state.next;
    this.seedValue = seed;
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.compat = state.compat === undefined ? '2.x' : checkCompat(where, state.compat);
    return this;
  }

  /**
   * The state as PyTorch's 5056-byte `torch.get_rng_state()` blob (CPUGeneratorImplStateLegacy), so a state can
   * move between initkit and PyTorch: `torch.set_rng_state(torch.frombuffer(bytes, dtype=torch.uint8))`.
   */
  getStateBytes(): Uint8Array {
    const buf = new ArrayBuffer(TORCH_STATE_BYTES);
    const v = new DataView(buf);
    v.setBigUint64(0, this.seedValue, true); // the_initial_seed
    v.setInt32(8, this.left, true); // left
    v.setInt32(12, 1, true); // seeded
    v.setBigUint64(16, BigInt(this.next), true); // next
    for (let i = 0; i < N; i++) v.setBigUint64(24 + 8 * i, BigInt(this.mt[i]!), true);
    const base = 24 + 8 * N; // 5016: normal_x, normal_y, normal_rho, normal_is_valid
    if (this.nextDoubleNormal !== null) {
      v.setFloat64(base + 8, this.nextDoubleNormal, true);
      v.setInt32(base + 24, 1, true);
    }
    return new Uint8Array(buf);
  }

  /** Restore from a PyTorch `get_rng_state()` blob (5056 bytes). */
  setStateBytes(bytes: Uint8Array): this {
    if (!(bytes instanceof Uint8Array) || bytes.length !== TORCH_STATE_BYTES) {
      throw new InitError({
        code: 'INVALID_STATE',
        where: 'Generator.setStateBytes',
        param: 'bytes',
        expected: `a Uint8Array of ${TORCH_STATE_BYTES} bytes (torch.get_rng_state().numpy().tobytes())`,
        received: bytes,
      });
    }
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const left = v.getInt32(8, true);
    const next = Number(v.getBigUint64(16, true));
    if (left < 1 || left > N + 1 || next > N) {
      throw new InitError({
        code: 'INVALID_STATE',
        where: 'Generator.setStateBytes',
        param: 'bytes',
        expected: `left in [1, ${N + 1}] and next in [0, ${N}]`,
        receivedText: `left=${left}, next=${next}`,
      });
    }
    this.seedValue = v.getBigUint64(0, true);
    this.left = left;
    this.next = next;
    for (let i = 0; i < N; i++) this.mt[i] = Number(v.getBigUint64(24 + 8 * i, true) & 0xffffffffn);
    const base = 24 + 8 * N;
    this.nextDoubleNormal = v.getInt32(base + 24, true) !== 0 ? v.getFloat64(base + 8, true) : null;
    return this;
  }

  private twist(): void {
    // In place and in order, as MT19937RNGEngine.h: s[i] = s[i+M] ^ (y >>> 1) ^ (s[i+1] odd ? MATRIX_A : 0),
    // y = upper bit of s[i] | lower 31 bits of s[i+1], indices mod N. Split in three loops to avoid the modulo.
    const mt = this.mt;
    let i = 0;
    for (; i < N - M; i++) {
      const b = mt[i + 1]! | 0;
      const y = (mt[i]! & UPPER_MASK) | (b & LOWER_MASK);
      mt[i] = mt[i + M]! ^ (y >>> 1) ^ (-(b & 1) & MATRIX_A);
    }
    for (; i < N - 1; i++) {
      const b = mt[i + 1]! | 0;
      const y = (mt[i]! & UPPER_MASK) | (b & LOWER_MASK);
      mt[i] = mt[i + M - N]! ^ (y >>> 1) ^ (-(b & 1) & MATRIX_A);
    }
    {
      const b = mt[0]! | 0;
      const y = (mt[N - 1]! & UPPER_MASK) | (b & LOWER_MASK);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (-(b & 1) & MATRIX_A);
    }
    this.left = N;
    this.next = 0;
  }
}

/** Size of PyTorch's CPU generator state blob. */
export const TORCH_STATE_BYTES = 5056;

function checkCompat(where: string, v: unknown): TorchCompat {
  if (!(TORCH_COMPAT as readonly unknown[]).includes(v)) {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'compat',
      expected: `compat to be one of ${TORCH_COMPAT.map((x) => `'${x}'`).join(', ')}`,
      received: v,
    });
  }
  return v as TorchCompat;
}

// ---- the process-wide default generator ------------------------------------------------------------------------

let defaultGen: Generator | undefined;

/**
 * The process-wide default generator (`torch.default_generator`). Like PyTorch's, it starts from a
 * non-deterministic seed; call {@link manualSeed} for reproducible results.
 */
export function defaultGenerator(): Generator {
  if (defaultGen === undefined) {
    defaultGen = new Generator();
    defaultGen.seed();
  }
  return defaultGen;
}

/** Seed the default generator, like `torch.manual_seed(seed)`. Returns the default generator. */
export function manualSeed(seed: number | bigint): Generator {
  return defaultGenerator().manualSeed(seed);
}

/** The default generator's seed (`torch.initial_seed()`). */
export function initialSeed(): bigint {
  return defaultGenerator().initialSeed();
}

/** Re-seed the default generator non-deterministically (`torch.seed()`); returns the new seed. */
export function seed(): bigint {
  return defaultGenerator().seed();
}
