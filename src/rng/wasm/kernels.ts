/**
 * The WebAssembly versions of the float32 kernels in ../kernels.ts and ../../init/trunc-normal.ts. Each function
 * returns `false` without consuming anything when the WebAssembly backend is not active or cannot serve the call
 * (user-defined engine), and the caller then runs its TypeScript code; otherwise it fills `out` with exactly the
 * bits the TypeScript code would produce and leaves the engine at exactly the same position.
 *
 * Each call copies the engine's state into the module (624 words for MT19937), runs the kernel over chunks of the
 * module's I/O buffer, copying each chunk out, and writes the state back.
 */
import type { RandomEngine } from '../engine.js';
import { activeKernels, engineIn, engineOut } from './backend.js';

/** How the module evaluates `fmaf(x, range, lo)` (scripts/wasm/rng_uniform.c): see {@link uniformMode}. */
const UNIFORM_GENERAL = 0;
const UNIFORM_EXACT_SUM = 1;
const UNIFORM_SCALED = 2;

/**
 * The cheapest exact evaluation of `fmaf(k·2^-24, range, lo)` for every 24-bit k: `UNIFORM_SCALED` with offset j
 * when lo = j·range·2^-24 for an integer j in [-2^24, 0] (then the fused result is the float product
 * `f32(range·2^-24 · (k + j))`: lo = 0, every symmetric range, lo = -range); `UNIFORM_EXACT_SUM` when the double
 * sum is exact (uniformSumIsExact in ../kernels.ts); otherwise `UNIFORM_GENERAL` (double sum plus a midpoint test).
 */
export function uniformMode(lo: number, range: number, exactSum: boolean): { mode: number; j: number } {
  const scaled = range * 2 ** -24;
  if (range > 0 && Math.fround(scaled) === scaled) {
    const j = lo / scaled;
    if (Number.isInteger(j) && j <= 0 && j >= -(2 ** 24) && j * scaled === lo) return { mode: UNIFORM_SCALED, j };
  }
  return { mode: exactSum ? UNIFORM_EXACT_SUM : UNIFORM_GENERAL, j: 0 };
}

/**
 * float32 `uniform_`: `fmaf((w & 0xFFFFFF)·2^-24, range, lo)` per word. `lo` and `range` are float32 values;
 * `exactSum` says the double sum `x·range + lo` is exact for every x (uniformSumIsExact in ../kernels.ts).
 */
export function wasmUniformF32(engine: RandomEngine, out: Float32Array, lo: number, range: number, exactSum: boolean): boolean {
  if (!Number.isFinite(lo) || !Number.isFinite(range)) return false;
  const k = activeKernels();
  if (k === null || !engineIn(k, engine)) return false;
  const n = out.length;
  const { mode, j } = uniformMode(lo, range, exactSum);
  const run = k.exports.ik_uniform_f32;
  for (let base = 0; base < n; base += k.chunk) {
    const m = Math.min(k.chunk, n - base);
    run(m, lo, range, mode, j);
    out.set(k.io.subarray(0, m), base);
  }
  engineOut(k, engine);
  return true;
}

/**
 * float32 `normal_` for numel >= 16 (`normal_fill` with `normal_fill_16_AVX2`): n uniforms, every full 16-block
 * transformed, and when n % 16 != 0 the last 16 slots re-drawn and transformed. `mean` and `std` are float32 values.
 */
export function wasmNormalF32(engine: RandomEngine, out: Float32Array, mean: number, std: number): boolean {
  const n = out.length;
  if (n < 16 || !Number.isFinite(mean) || !Number.isFinite(std)) return false;
  const k = activeKernels();
  if (k === null || !engineIn(k, engine)) return false;
  const full = n - (n % 16);
  const run = k.exports.ik_normal_f32;
  for (let base = 0; base < full; base += k.chunk) {
    const m = Math.min(k.chunk, full - base);
    run(m, mean, std);
    out.set(k.io.subarray(0, m), base);
  }
  if (full !== n) {
    k.exports.ik_normal_f32_tail(n - full, mean, std);
    out.set(k.io.subarray(0, 16), n - 16);
  }
  engineOut(k, engine);
  return true;
}

/**
 * float32 `trunc_normal_` after its bounds are known: uniforms over [lo, lo + range) (float32 values, as
 * {@link wasmUniformF32}), then per element `clamp(f32(f32(erfinv(u)·scale) + mean), a, b)` with glibc-exact
 * erfinv (scripts/wasm/rng_erfinv.c); `scale`, `mean`, `a`, `b` are float32 values.
 */
export function wasmTruncNormalF32(
  engine: RandomEngine,
  out: Float32Array,
  lo: number,
  range: number,
  exactSum: boolean,
  scale: number,
  mean: number,
  a: number,
  b: number,
): boolean {
  if (![lo, range, scale, mean, a, b].every(Number.isFinite)) return false;
  const k = activeKernels();
  if (k === null || !engineIn(k, engine)) return false;
  const n = out.length;
  const { mode, j } = uniformMode(lo, range, exactSum);
  const run = k.exports.ik_trunc_normal_f32;
  for (let base = 0; base < n; base += k.chunk) {
    const m = Math.min(k.chunk, n - base);
    run(m, lo, range, mode, j, scale, mean, a, b);
    out.set(k.io.subarray(0, m), base);
  }
  engineOut(k, engine);
  return true;
}
