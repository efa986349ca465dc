/**
 * Distribution kernels: PyTorch's CPU `uniform_`, `normal_` and `randperm`, bit for bit, over any
 * {@link RandomEngine}. Each kernel consumes 32-bit words exactly as PyTorch does, so on a {@link Generator} the
 * stream and the values match `torch.manual_seed(s)` followed by the same calls; on a {@link PhiloxGenerator} the
 * same word layout makes every element's words addressable (see ./range.ts).
 *
 * Word consumption (n elements):
 * - uniform float32/float16/bfloat16: n words (one `random()` each); float64: 2n words (one `random64()` each).
 * - normal float32/float64, n >= 16: n uniforms, then 16 more if n % 16 != 0 (the tail block is re-drawn);
 *   float32 takes one word per uniform, float64 two.
 * - normal, n < 16: per element, two `random64()` per Box–Muller pair, the second sample cached in the engine.
 * - randperm(n): n - 1 words.
 * Reference: ../shared/reference/torch-cpu-rng.md §2, §3, §5.
 */
import { fma64, fmaf } from './fma.js';
import type { RandomEngine } from './engine.js';
import { normalBlock16Avx2 } from './avx2-math.js';
import { log, log1p, sincos } from './libm64.js';
import { wasmNormalF32, wasmUniformF32 } from './wasm/kernels.js';

const TWO_M24 = 2 ** -24;
const TWO_M53 = 2 ** -53;
const TWO_32 = 2 ** 32;
const CHUNK = 8192;
/** Below this many elements the TypeScript uniform kernel beats copying the engine state in and out of WebAssembly. */
const WASM_MIN_ELEMENTS = 64;
const scratch = new Uint32Array(CHUNK);

/** The ulp of a float32 value (the weight of its last mantissa bit); 0 for 0. */
function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a === 0) return 0;
  if (a < 2 ** -126) return 2 ** -149;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return 2 ** (e - 23);
}

/**
 * True when `x·range + lo` is exact in double for every 24-bit uniform x, so `fround(x·range + lo)` equals the
 * fused `fmaf(x, range, lo)`. x·range is a multiple of ulp(range)·2^-24 and lo of ulp(lo); the sum is exact when
 * its magnitude bound over the coarser common unit fits in 53 bits. True for every symmetric and most real ranges.
 */
export function uniformSumIsExact(lo: number, range: number): boolean {
  const ur = ulp32(range) * TWO_M24;
  const ul = ulp32(lo);
  const unit = ur === 0 ? ul : ul === 0 ? ur : Math.min(ur, ul);
  if (unit === 0) return true;
  return (Math.abs(lo) + Math.abs(range)) / unit < 2 ** 53;
}

/**
 * float32 `uniform_(from, to)`: `fmaf((w & 0xFFFFFF)·2^-24, f32(f32(to) - f32(from)), f32(from))` per element.
 * `from` and `to` are the double arguments; they are rounded to float32 here, as PyTorch does.
 */
export function uniformF32(engine: RandomEngine, out: Float32Array, from: number, to: number): void {
  const lo = Math.fround(from);
  const hi = Math.fround(to);
  const range = Math.fround(hi - lo);
  const n = out.length;
  const exact = uniformSumIsExact(lo, range);
  // The WebAssembly SIMD kernel computes the same bits (./wasm/kernels.ts); below is the reference and fallback.
  if (n >= WASM_MIN_ELEMENTS && wasmUniformF32(engine, out, lo, range, exact)) return;
  for (let base = 0; base < n; base += CHUNK) {
    const m = Math.min(CHUNK, n - base);
    engine.fillU32(scratch, m);
    if (exact) {
      for (let i = 0; i < m; i++) out[base + i] = (scratch[i]! & 0xffffff) * TWO_M24 * range + lo;
    } else {
      for (let i = 0; i < m; i++) out[base + i] = fmaf((scratch[i]! & 0xffffff) * TWO_M24, range, lo);
    }
  }
}

/** float64 `uniform_(from, to)`: `fma((r64 & (2^53-1))·2^-53, to - from, from)` per element, one `random64()` each. */
export function uniformF64(engine: RandomEngine, out: Float64Array, from: number, to: number): void {
  const range = to - from;
  const n = out.length;
  const half = CHUNK >>> 1;
  for (let base = 0; base < n; base += half) {
    const m = Math.min(half, n - base);
    engine.fillU32(scratch, 2 * m);
    for (let i = 0; i < m; i++) {
      const x = ((scratch[2 * i]! & 0x1fffff) * TWO_32 + scratch[2 * i + 1]!) * TWO_M53;
      out[base + i] = fma64(x, range, from);
    }
  }
}

/**
 * float16 / bfloat16 `uniform_` (values kept in a Float32Array, rounded to the 16-bit type): one word per element,
 * using its low 11 (half) or 8 (bfloat16) bits, in float arithmetic. `round` rounds to the 16-bit type.
 */
export function uniform16(
  engine: RandomEngine,
  out: Float32Array,
  from: number,
  to: number,
  bits: 11 | 8,
  round: (x: number) => number,
): void {
  const lo = round(from);
  const hi = round(to);
  const range = round(hi - lo);
  const mask = (1 << bits) - 1;
  const scale = 2 ** -bits;
  const n = out.length;
  for (let base = 0; base < n; base += CHUNK) {
    const m = Math.min(CHUNK, n - base);
    engine.fillU32(scratch, m);
    for (let i = 0; i < m; i++) out[base + i] = round(fmaf((scratch[i]! & mask) * scale, range, lo));
  }
}

/** Fill `out` with float32 uniforms in [0, 1): `(w & 0xFFFFFF)·2^-24`, one word each. */
function fillUniform01F32(engine: RandomEngine, out: Float32Array, start: number, end: number): void {
  for (let base = start; base < end; base += CHUNK) {
    const m = Math.min(CHUNK, end - base);
    engine.fillU32(scratch, m);
    for (let i = 0; i < m; i++) out[base + i] = (scratch[i]! & 0xffffff) * TWO_M24;
  }
}

/** Fill `out` with float64 uniforms in [0, 1): 53 bits of `random64()` each. */
function fillUniform01F64(engine: RandomEngine, out: Float64Array, start: number, end: number): void {
  const half = CHUNK >>> 1;
  for (let base = start; base < end; base += half) {
    const m = Math.min(half, end - base);
    engine.fillU32(scratch, 2 * m);
    for (let i = 0; i < m; i++) out[base + i] = ((scratch[2 * i]! & 0x1fffff) * TWO_32 + scratch[2 * i + 1]!) * TWO_M53;
  }
}

/** One 53-bit uniform from one `random64()` (hi word first). */
function u53(engine: RandomEngine): number {
  const hi = engine.random();
  const lo = engine.random();
  return ((hi & 0x1fffff) * TWO_32 + lo) * TWO_M53;
}

/** sincos output scratch of the float64 normal kernels: [sin θ, cos θ]. */
const SINCOS = new Float64Array(2);

/**
 * `at::normal_distribution<double>` with the standard-normal cache: returns r·cos θ and caches r·sin θ in the engine
 * (the next call returns it). 2.x computes r = sqrt(-2·log1p(-u2)); 1.13 used sqrt(-2·log(1 - u2)); θ = 2π·u1. The
 * libm calls are glibc's, bit for bit (./libm64.ts): `log` or `log1p`, and `sincos`, into which GCC merges the
 * `::sin(θ)`/`::cos(θ)` pair.
 */
export function standardNormalDouble(engine: RandomEngine): number {
  const cached = engine.nextDoubleNormal;
  if (cached !== null) {
    engine.nextDoubleNormal = null;
    return cached;
  }
  const u1 = u53(engine);
  const u2 = u53(engine);
  const r = Math.sqrt(-2 * (engine.compat === '1.13' ? log(1 - u2) : log1p(-u2)));
  const theta = 2 * Math.PI * u1;
  sincos(theta, SINCOS);
  engine.nextDoubleNormal = r * SINCOS[0]!;
  return r * SINCOS[1]!;
}

/**
 * The per-element normal path (numel < 16, or non-contiguous): each element is `dtype(fma(z, std, mean))` with z
 * from {@link standardNormalDouble}; `mean` and `std` stay doubles. `round` rounds to the output dtype.
 */
export function normalPerElement(
  engine: RandomEngine,
  out: Float32Array | Float64Array,
  mean: number,
  std: number,
  round: (x: number) => number,
): void {
  for (let i = 0; i < out.length; i++) out[i] = round(fma64(standardNormalDouble(engine), std, mean));
}

/**
 * float32 `normal_(mean, std)`, PyTorch's path selection included: numel >= 16 takes the AVX2 16-block Box–Muller
 * (`normal_fill_16_AVX2`) with its tail re-draw; fewer elements take the per-element double path.
 */
export function normalF32(engine: RandomEngine, out: Float32Array, mean: number, std: number): void {
  const n = out.length;
  if (n < 16) {
    normalPerElement(engine, out, mean, std, Math.fround);
    return;
  }
  const meanF = Math.fround(mean);
  const stdF = Math.fround(std);
  if (wasmNormalF32(engine, out, meanF, stdF)) return;
  fillUniform01F32(engine, out, 0, n);
  for (let i = 0; i + 16 <= n; i += 16) normalBlock16Avx2(out, i, meanF, stdF);
  if (n % 16 !== 0) {
    const base = n - 16;
    fillUniform01F32(engine, out, base, n);
    normalBlock16Avx2(out, base, meanF, stdF);
  }
}

/**
 * float64 `normal_(mean, std)`: numel >= 16 takes `normal_fill<double>` (53-bit uniforms, 16-blocks, tail re-draw,
 * glibc's double `log` and `sincos` via ./libm64.ts, fused final multiply-add); fewer take the per-element path.
 * Bit-identical to PyTorch on x86-64 glibc 2.36 with AVX2+FMA.
 */
export function normalF64(engine: RandomEngine, out: Float64Array, mean: number, std: number): void {
  const n = out.length;
  if (n < 16) {
    normalPerElement(engine, out, mean, std, (x) => x);
    return;
  }
  fillUniform01F64(engine, out, 0, n);
  for (let i = 0; i + 16 <= n; i += 16) normalBlock16F64(out, i, mean, std);
  if (n % 16 !== 0) {
    const base = n - 16;
    fillUniform01F64(engine, out, base, n);
    normalBlock16F64(out, base, mean, std);
  }
}

/**
 * `normal_fill_16<double>`: per lane, r = sqrt(-2·log(1 - d[j])) and θ = 2π·d[j+8] (`2.0f * c10::pi<double> * u2`),
 * then d[j] = fma(r·cos θ, std, mean) and d[j+8] = fma(r·sin θ, std, mean). PyTorch's binary calls glibc `log` and
 * `sincos` (GCC merges std::sin/std::cos); ./libm64.ts reproduces both bit for bit.
 */
function normalBlock16F64(d: Float64Array, i: number, mean: number, std: number): void {
  for (let j = i; j < i + 8; j++) {
    const u1 = 1 - d[j]!;
    const u2 = d[j + 8]!;
    const radius = Math.sqrt(-2 * log(u1));
    const theta = 2 * Math.PI * u2;
    sincos(theta, SINCOS);
    d[j] = fma64(radius * SINCOS[1]!, std, mean);
    d[j + 8] = fma64(radius * SINCOS[0]!, std, mean);
  }
}

/**
 * `torch.randperm(n)` for n < 2^32 / 20: start from [0, n), then for i = 0..n-2 swap r[i] with
 * r[i + (random() mod (n - i))]. Consumes n - 1 words.
 */
export function randpermInto(engine: RandomEngine, out: Float64Array | Int32Array | Uint32Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = i;
  for (let base = 0; base < n - 1; base += CHUNK) {
    const m = Math.min(CHUNK, n - 1 - base);
    engine.fillU32(scratch, m);
    for (let k = 0; k < m; k++) {
      const i = base + k;
      const z = scratch[k]! % (n - i);
      const t = out[i]!;
      out[i] = out[i + z]!;
      out[i + z] = t;
    }
  }
}
