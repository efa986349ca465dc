/**
 * Philox4x32-10, a counter-based generator (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as
 * 1, 2, 3", SC'11, https://doi.org/10.1145/2063384.2063405). Output block `b` is a pure function of (key, counter),
 * so any position of the stream is reachable in O(1): the basis for per-parameter streams keyed by a path and for
 * generating any slice of a tensor independently (workers, shards, streaming to disk) with identical bytes.
 *
 * Layout: key = (seed low 32 bits, seed high 32 bits); counter = (block low, block high, stream low, stream high),
 * so each (seed, stream) pair has 2^64 blocks of four 32-bit words. Word `p` of a stream is lane `p mod 4` of
 * block `floor(p / 4)`. `random64()` is `(first << 32) | second`, as PyTorch's.
 */
import { fail } from '../errors.js';
import { type RandomEngine, type TorchCompat } from './engine.js';
import { normalizeSeed } from './generator.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32 (the low half is `Math.imul(a, b) >>> 0`). */
function mulhi(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lo = al * bl;
  const m1 = ah * bl;
  const m2 = al * bh;
  const hi = ah * bh;
  const mid = (lo >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  return (hi + (m1 >>> 16) + (m2 >>> 16) + (mid >>> 16)) >>> 0;
}

/**
 * One Philox4x32-10 block: 10 rounds on counter (c0..c3) with key (k0, k1). Writes 4 words into `out` at `o`.
 * Verified against the Random123 known-answer vectors (tests/rng/philox.test.ts).
 */
export function philox4x32_10(
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
  out: Uint32Array,
  o = 0,
): void {
  for (let r = 0; r < 10; r++) {
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    const n0 = (hi1 ^ c1 ^ k0) >>> 0;
    const n2 = (hi0 ^ c3 ^ k1) >>> 0;
    c0 = n0;
    c1 = lo1;
    c2 = n2;
    c3 = lo0;
    k0 = (k0 + W0) >>> 0;
    k1 = (k1 + W1) >>> 0;
  }
  out[o] = c0;
  out[o + 1] = c1;
  out[o + 2] = c2;
  out[o + 3] = c3;
}

const TWO64 = 1n << 64n;

function checkU64(where: string, param: string, v: unknown): bigint {
  if (typeof v === 'bigint' && v >= 0n && v < TWO64) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  return fail({
    code: 'INVALID_ARGUMENT',
    where,
    param,
    expected: `${param} to be an integer in [0, 2^64) (number up to 2^53, or bigint)`,
    received: v,
  });
}

export interface PhiloxState {
  kind: 'philox';
  seed: string;
  stream: string;
  /** Position in 32-bit words from the start of the stream. */
  offset: string;
  nextDoubleNormal: number | null;
  compat: TorchCompat;
}

/**
 * A Philox4x32-10 stream keyed by (seed, stream id), usable wherever a {@link Generator} is.
 *
 * @example
 * ```ts
 * const g = new PhiloxGenerator(42, 7);      // seed 42, stream 7
 * init.normal_(w, 0, 0.02, { generator: g });
 * g.seek(0);                                  // back to the start: same values again
 * const p = PhiloxGenerator.forPath(42, 'encoder.layers.0.linear1.weight');
 * ```
 */
export class PhiloxGenerator implements RandomEngine {
  readonly kind = 'philox' as const;
  nextDoubleNormal: number | null = null;
  compat: TorchCompat = '2.x';
  private k0 = 0;
  private k1 = 0;
  private s0 = 0;
  private s1 = 0;
  private seedValue = 0n;
  private streamValue = 0n;
  /** Block index (64-bit as two words) and lane of the next output. */
  private b0 = 0;
  private b1 = 0;
  private lane = 4; // 4 = the buffered block is stale; compute on next draw
  private readonly block = new Uint32Array(4);

  /**
   * @param seed any integer PyTorch accepts as a seed ([-2^63, 2^64 - 1], wrapped modulo 2^64); all 64 bits are used.
   * @param stream the stream id, an integer in [0, 2^64).
   */
  constructor(seed: number | bigint = 0, stream: number | bigint = 0) {
    this.reset(seed, stream);
  }

  /**
   * The stream for a parameter path: stream id = FNV-1a-64 of the UTF-8 path. Adding, removing or reordering other
   * parameters does not change this stream.
   */
  static forPath(seed: number | bigint, path: string): PhiloxGenerator {
    if (typeof path !== 'string') {
      fail({ code: 'INVALID_ARGUMENT', where: 'PhiloxGenerator.forPath', param: 'path', expected: 'path to be a string', received: path });
    }
    return new PhiloxGenerator(seed, pathStreamId(path));
  }

  /** Re-key: set seed and stream and go to position 0 (clears the normal cache). */
  reset(seed: number | bigint, stream: number | bigint = this.streamValue): this {
    const s = normalizeSeed('PhiloxGenerator', seed);
    const st = checkU64('PhiloxGenerator', 'stream', stream);
    this.seedValue = s;
    this.streamValue = st;
    this.k0 = Number(s & 0xffffffffn);
    this.k1 = Number(s >> 32n);
    this.s0 = Number(st & 0xffffffffn);
    this.s1 = Number(st >> 32n);
    this.nextDoubleNormal = null;
    return this.seek(0);
  }

  /** Same as `reset(seed)` keeping the stream; mirrors {@link Generator.manualSeed}. */
  manualSeed(seed: number | bigint): this {
    return this.reset(seed);
  }

  initialSeed(): bigint {
    return this.seedValue;
  }

  /** The stream id. */
  streamId(): bigint {
    return this.streamValue;
  }

  /** Current position, in 32-bit words from the start of the stream. */
  position(): bigint {
    const block = (BigInt(this.b1) << 32n) | BigInt(this.b0);
    // lane 4 means "block b not yet computed, next word is lane 0 of block b"
    return block * 4n + BigInt(this.lane === 4 ? 0 : this.lane);
  }

  /** Jump to word `offset` of the stream in O(1) (the normal cache is cleared). */
  seek(offset: number | bigint): this {
    const off = typeof offset === 'bigint' ? offset : checkU64('PhiloxGenerator.seek', 'offset', offset);
    if (off < 0n || off >= TWO64 * 4n) {
      fail({ code: 'INVALID_ARGUMENT', where: 'PhiloxGenerator.seek', param: 'offset', expected: 'offset in [0, 2^66)', received: offset });
    }
    const block = off >> 2n;
    return this.moveTo(Number(block & 0xffffffffn), Number((block >> 32n) & 0xffffffffn), Number(off & 3n));
  }

  /** Fast seek for non-negative safe-integer offsets (no BigInt). */
  seekWords(offset: number): this {
    const block = Math.floor(offset / 4);
    return this.moveTo(block >>> 0, Math.floor(block / 4294967296) >>> 0, offset - block * 4);
  }

  /** Both seeks: the next word is lane `lane` of block `(b1, b0)` (computed now unless lane 0); normal cache cleared. */
  private moveTo(b0: number, b1: number, lane: number): this {
    this.b0 = b0;
    this.b1 = b1;
    if (lane === 0) this.lane = 4;
    else {
      philox4x32_10(this.b0, this.b1, this.s0, this.s1, this.k0, this.k1, this.block);
      this.lane = lane;
    }
    this.nextDoubleNormal = null;
    return this;
  }

  random(): number {
    if (this.lane === 4) {
      philox4x32_10(this.b0, this.b1, this.s0, this.s1, this.k0, this.k1, this.block);
      this.lane = 0;
    }
    const v = this.block[this.lane]!;
    if (++this.lane === 4) this.advanceBlock();
    return v;
  }

  random64(): bigint {
    const hi = this.random();
    const lo = this.random();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  fillU32(out: Uint32Array, n: number): void {
    let i = 0;
    // Finish a partially consumed block.
    while (i < n && this.lane !== 4) out[i++] = this.random();
    const { k0, k1, s0, s1 } = this;
    while (n - i >= 4) {
      philox4x32_10(this.b0, this.b1, s0, s1, k0, k1, out, i);
      i += 4;
      this.advanceBlock();
    }
    while (i < n) out[i++] = this.random();
  }

  getState(): PhiloxState {
    return {
      kind: 'philox',
      seed: this.seedValue.toString(),
      stream: this.streamValue.toString(),
      offset: this.position().toString(),
      nextDoubleNormal: this.nextDoubleNormal,
      compat: this.compat,
    };
  }

  setState(state: PhiloxState): this {
    if (typeof state !== 'object' || state === null || state.kind !== 'philox') {
      fail({ code: 'INVALID_STATE', where: 'PhiloxGenerator.setState', param: 'state', expected: "a state with kind 'philox' from getState()", received: state });
    }
    let seed: bigint, stream: bigint, offset: bigint;
    try {
      seed = BigInt(state.seed);
      stream = BigInt(state.stream);
      offset = BigInt(state.offset);
    } catch {
      return fail({ code: 'INVALID_STATE', where: 'PhiloxGenerator.setState', param: 'state', expected: 'decimal strings for seed, stream and offset', received: state });
    }
    this.reset(seed, stream).seek(offset);
    this.nextDoubleNormal = state.nextDoubleNormal;
    this.compat = state.compat ?? '2.x';
    return this;
  }

  /** An independent copy at the same position. */
  clone(): PhiloxGenerator {
    const g = new PhiloxGenerator(this.seedValue, this.streamValue);
    g.seek(this.position());
    g.nextDoubleNormal = this.nextDoubleNormal;
    g.compat = this.compat;
    return g;
  }

  /**
   * @internal Key, stream, block counter, lane and the buffered block (by reference), for the WebAssembly kernels
   * (src/rng/wasm/backend.ts), which write the block back and set the counter with {@link setRawCounter}. Not part
   * of the public API.
   */
  rawState(): { k0: number; k1: number; s0: number; s1: number; b0: number; b1: number; lane: number; block: Uint32Array } {
    return { k0: this.k0, k1: this.k1, s0: this.s0, s1: this.s1, b0: this.b0, b1: this.b1, lane: this.lane, block: this.block };
  }

  /** @internal The counter after a WebAssembly kernel advanced the stream (see {@link rawState}). */
  setRawCounter(b0: number, b1: number, lane: number): void {
    this.b0 = b0;
    this.b1 = b1;
    this.lane = lane;
  }

  private advanceBlock(): void {
    this.lane = 4;
    this.b0 = (this.b0 + 1) >>> 0;
    if (this.b0 === 0) this.b1 = (this.b1 + 1) >>> 0;
  }
}

/**
 * The stream id of a parameter path: 64-bit FNV-1a (Fowler, Noll & Vo) over the path's UTF-8 bytes, as a bigint.
 * Stable across platforms and releases; documented so other tools can derive the same streams.
 */
export function pathStreamId(path: string): bigint {
  const bytes = new TextEncoder().encode(path);
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h;
}
