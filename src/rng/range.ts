/**
 * Filling any sub-range of a tensor from a counter-based stream, with exactly the values a whole-tensor fill gives.
 *
 * The kernels consume 32-bit words in a fixed layout (./kernels.ts): for a tensor of n elements whose draw starts
 * at word `base` of a {@link PhiloxGenerator} stream,
 * - uniform float32: element i uses word base + i; float64: words base + 2i, base + 2i + 1;
 * - normal float32 (n >= 16): block b (elements 16b..16b+15) uses words base + 16b .. base + 16b + 15, and when
 *   n % 16 != 0 the last 16 elements are overwritten by a block drawn from words base + n .. base + n + 15
 *   (float64: twice as many words per element);
 * - normal with n < 16: the per-element path, which is sequential (its Box–Muller cache pairs elements), so a
 *   range is computed from the whole (at most 15 elements) tensor.
 * Because Philox reaches any word in O(1), each range is independent: workers or shards can fill their slices in
 * any order and the bytes equal a single-process fill.
 */
import { fail } from '../errors.js';
import type { RandomEngine } from './engine.js';
import { normalF32, normalF64, uniformF32, uniformF64 } from './kernels.js';
import { PhiloxGenerator } from './philox.js';

export type RangeDType = 'float32' | 'float64';

/** Number of 32-bit words a whole-tensor draw of `n` elements consumes (per-element normal: see note). */
export function wordsConsumed(kind: 'uniform' | 'normal', dtype: RangeDType, n: number): number {
  const w = dtype === 'float64' ? 2 : 1;
  if (n === 0) return 0;
  if (kind === 'uniform') return w * n;
  if (n >= 16) return w * (n % 16 === 0 ? n : n + 16);
  // Per-element path with an empty cache: one pair of random64() (4 words) per two elements.
  return 4 * Math.ceil(n / 2);
}

export interface RangeRequest {
  /** The stream (its key and stream id matter; its position is set by this call). */
  generator: PhiloxGenerator;
  /** Word offset in the stream at which the whole tensor's draw starts. */
  base: number;
  /** Elements in the whole tensor. */
  numel: number;
  /** First element of the range. */
  start: number;
  /** The range's elements are written here; its length is the range length. */
  out: Float32Array | Float64Array;
  dtype: RangeDType;
}

function checkRange(where: string, r: RangeRequest): void {
  if (!(r.generator instanceof PhiloxGenerator)) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'generator',
      expected: 'a PhiloxGenerator (ranges need random access; MT19937 is sequential)',
      received: r.generator,
    });
  }
  const ok = (v: number): boolean => Number.isSafeInteger(v) && v >= 0;
  if (!ok(r.base) || !ok(r.numel) || !ok(r.start) || r.start + r.out.length > r.numel) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'start',
      expected: 'non-negative integers with start + out.length <= numel',
      receivedText: `base=${r.base}, numel=${r.numel}, start=${r.start}, length=${r.out.length}`,
    });
  }
}

/** Uniform U(a, b) for elements [start, start + out.length) of an n-element tensor. */
export function uniformRange(r: RangeRequest, a: number, b: number): void {
  checkRange('uniformRange', r);
  const w = r.dtype === 'float64' ? 2 : 1;
  r.generator.seekWords(r.base + w * r.start);
  if (r.dtype === 'float64') uniformF64(r.generator, r.out as Float64Array, a, b);
  else uniformF32(r.generator, r.out as Float32Array, a, b);
}

/** Normal N(mean, std²) for elements [start, start + out.length) of an n-element tensor. */
export function normalRange(r: RangeRequest, mean: number, std: number): void {
  checkRange('normalRange', r);
  const { numel: n, start, out, generator: g } = r;
  const len = out.length;
  if (len === 0) return;
  const f64 = r.dtype === 'float64';
  const w = f64 ? 2 : 1;
  if (n < 16) {
    const whole = f64 ? new Float64Array(n) : new Float32Array(n);
    g.seekWords(r.base);
    fillNormal(g, whole, mean, std);
    out.set(whole.subarray(start, start + len));
    return;
  }
  const block = f64 ? new Float64Array(16) : new Float32Array(16);
  const end = start + len;
  const fullBlocks = Math.floor(n / 16);
  const tailStart = n % 16 === 0 ? n : n - 16;
  for (let b = Math.floor(start / 16); b < fullBlocks && 16 * b < end; b++) {
    g.seekWords(r.base + w * 16 * b);
    fillNormal(g, block, mean, std);
    const lo = Math.max(16 * b, start);
    const hi = Math.min(16 * b + 16, end);
    for (let i = lo; i < hi; i++) out[i - start] = block[i - 16 * b]!;
  }
  if (tailStart < n && end > tailStart) {
    g.seekWords(r.base + w * n);
    fillNormal(g, block, mean, std);
    const lo = Math.max(tailStart, start);
    for (let i = lo; i < end; i++) out[i - start] = block[i - tailStart]!;
  }
}

function fillNormal(g: RandomEngine, out: Float32Array | Float64Array, mean: number, std: number): void {
  g.nextDoubleNormal = null;
  if (out instanceof Float64Array) normalF64(g, out, mean, std);
  else normalF32(g, out, mean, std);
}
