/**
 * Data types. Floating tensors are stored in Float32Array (float32, and the 16-bit types whose values are kept
 * exactly representable) or Float64Array (float64); integer and bool tensors are stored in Float64Array, exact for
 * |v| <= 2^53, which covers every integer buffer a model has (BatchNorm's `num_batches_tracked`).
 */
import { checkEnum } from '../errors.js';

export const DTYPES = ['float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'bool'] as const;
export type DType = (typeof DTYPES)[number];

/** The dtypes the random kernels and init functions write. */
export const FLOAT_DTYPES = ['float32', 'float64', 'float16', 'bfloat16'] as const;
export type FloatDType = (typeof FLOAT_DTYPES)[number];

export type Storage = Float32Array | Float64Array;

/** Bytes per element, as stored on disk (safetensors, npy). */
export const ITEMSIZE: Readonly<Record<DType, number>> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int64: 8,
  int32: 4,
  bool: 1,
};

export function isFloatDType(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64' || d === 'float16' || d === 'bfloat16';
}

/** Parse a dtype name, accepting PyTorch spellings (`torch.float32`, `float`, `double`, `half`, `long`). */
export function parseDType(where: string, v: unknown): DType {
  if (typeof v === 'string') {
    const s = v.startsWith('torch.') ? v.slice(6) : v;
    const alias: Record<string, DType> = {
      float: 'float32',
      double: 'float64',
      half: 'float16',
      long: 'int64',
      int: 'int32',
      f32: 'float32',
      f64: 'float64',
      f16: 'float16',
      bf16: 'bfloat16',
    };
    const name = alias[s] ?? s;
    if ((DTYPES as readonly string[]).includes(name)) return name as DType;
  }
  return checkEnum(where, 'dtype', v, DTYPES);
}

export function allocStorage(dtype: DType, n: number): Storage {
  return dtype === 'float32' || dtype === 'float16' || dtype === 'bfloat16' ? new Float32Array(n) : new Float64Array(n);
}

const f32buf = new Float32Array(1);
const u32buf = new Uint32Array(f32buf.buffer);

/** float32 bits of `x` (after rounding to float32). */
export function float32Bits(x: number): number {
  f32buf[0] = x;
  return u32buf[0]!;
}

/** The float32 value with the given bits. */
export function float32FromBits(bits: number): number {
  u32buf[0] = bits >>> 0;
  return f32buf[0]!;
}

/** Round a number to IEEE binary16 (round to nearest, ties to even), returned as the 16-bit pattern. */
export function float16Bits(x: number): number {
  // Round from the exact double (not via float32) so there is a single rounding.
  if (Number.isNaN(x)) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a >= 65520) return sign | 0x7c00; // rounds to inf (max finite 65504, halfway 65520)
  if (a < 2 ** -14) {
    // subnormal: units of 2^-24
    const q = roundHalfEven(a * 2 ** 24);
    return sign | q; // q may be 0x400 = smallest normal, still correct bit pattern
  }
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e -= 1;
  if (2 ** (e + 1) <= a) e += 1;
  const mant = roundHalfEven((a / 2 ** e - 1) * 1024);
  let bits = ((e + 15) << 10) + mant; // a carry out of mant increments the exponent correctly
  if (bits >= 0x7c00) bits = 0x7c00;
  return sign | bits;
}

export function float16FromBits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** Round to bfloat16 (round to nearest even on the float32 bits, as PyTorch's `round_to_nearest_even`). */
export function bfloat16Bits(x: number): number {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return 0x7fc0;
  const b = float32Bits(f);
  const lsb = (b >>> 16) & 1;
  return ((b + 0x7fff + lsb) >>> 16) & 0xffff;
}

export function bfloat16FromBits(h: number): number {
  return float32FromBits((h & 0xffff) << 16);
}

/** Round to the nearest integer, ties to even (the 16-bit conversions' subnormal and mantissa rounding). @internal */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Round a value to what `dtype` can hold (float32 rounding, 16-bit rounding, integer truncation, bool). */
export function roundToDType(dtype: DType, x: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(x);
    case 'float64':
      return x;
    case 'float16':
      // PyTorch converts double -> float -> half (c10::Half has a float constructor): round to float32 first.
      return float16FromBits(float16Bits(Math.fround(x)));
    case 'bfloat16':
      return bfloat16FromBits(bfloat16Bits(x));
    case 'int64':
    case 'int32':
      return Math.trunc(x);
    case 'bool':
      return x !== 0 ? 1 : 0;
  }
}
