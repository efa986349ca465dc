/**
 * Little-endian element encoding and decoding for file formats (safetensors, npy): float32/float64 by bytes,
 * float16/bfloat16 by bit patterns with PyTorch's rounding, int64/int32/bool as integers.
 *
 * Every routine works on any host: on a little-endian host (every browser and Node.js platform in practice) the
 * float32/float64 paths copy bytes directly, which also keeps NaN payloads bit for bit; on a big-endian host they go
 * through a DataView. Integer checks on the write side (an int64 tensor holding 1.5 or NaN) throw
 * {@link ElementError}, which the public functions turn into an InitError naming the tensor.
 */
import { float32Bits, float32FromBits, roundHalfEven } from '../tensor/dtype.js';

/** True on little-endian hosts. */
export const HOST_LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A value a file format cannot hold (thrown by the encoders, turned into an InitError by their callers). */
export class ElementError extends Error {
  constructor(
    readonly index: number,
    readonly value: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

// ---- float16 / bfloat16 bit conversions --------------------------------------------------------------------------

/**
 * float32 bits → IEEE binary16 bits, rounding to nearest even: the same bits as PyTorch's
 * `c10::detail::fp16_ieee_from_fp32_value` (`tensor.half()` on CPU). NaN becomes `sign | 0x7e00`, values at or above
 * 65520 in magnitude (halfway between 65504 and 2^16) become ±inf, values below 2^-14 become subnormals.
 */
export function f32BitsToF16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) return sign | 0x7e00; // NaN
  if (abs >= 0x477ff000) return sign | 0x7c00; // >= 65520 (or inf): rounds to inf
  if (abs < 0x38800000) {
    // Below 2^-14: a subnormal in units of 2^-24 (the scaling is exact in double precision).
    return sign | roundHalfEven(float32FromBits(abs) * 2 ** 24);
  }
  const mant = abs & 0x7fffff;
  let h = ((((abs >>> 23) - 112) << 10) | (mant >>> 13)) >>> 0; // exponent rebias 127 -> 15
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h += 1; // a carry into the exponent is correct
  return sign | h;
}

/**
 * float32 bits → bfloat16 bits, rounding to nearest even: PyTorch's `c10::detail::round_to_nearest_even`
 * (NaN becomes 0x7fc0; PyTorch's vectorized CPU path writes 0xffff for NaN instead, both are NaN).
 */
export function f32BitsToBf16Bits(bits: number): number {
  if ((bits & 0x7fffffff) > 0x7f800000) return 0x7fc0;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

let f16Table: Uint32Array | undefined;

/** The float32 bits of every binary16 value (exact; NaN payloads kept in the top mantissa bits). */
export function f16ToF32Table(): Uint32Array {
  if (f16Table !== undefined) return f16Table;
  const t = new Uint32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    let bits: number;
    if (e === 0) bits = m === 0 ? 0 : float32Bits(m * 2 ** -24);
    else if (e === 31) bits = 0x7f800000 | (m << 13);
    else bits = ((e + 112) << 23) | (m << 13);
    t[h] = (sign | bits) >>> 0;
  }
  f16Table = t;
  return t;
}

// ---- element encoders --------------------------------------------------------------------------------------------

/** What the encoders understand: the on-disk element types initkit writes. */
export type ElementKind = 'f64' | 'f32' | 'f16' | 'bf16' | 'i64' | 'i32' | 'bool';

/** Bytes per element of each {@link ElementKind}. */
export const KIND_SIZE: Readonly<Record<ElementKind, number>> = { f64: 8, f32: 4, f16: 2, bf16: 2, i64: 8, i32: 4, bool: 1 };

/** How the source storage holds its values, which decides exact 16-bit encodings. */
export type SourceKind = 'float32' | 'float64' | 'float16' | 'bfloat16' | 'int' | 'bool';

/**
 * Encode `src[start, end)` as little-endian `kind` elements into `out` starting at byte `at`.
 *
 * Rounding follows PyTorch's `tensor.to(dtype)` on CPU: float64 → float16/bfloat16 rounds to float32 first (c10's
 * `Half(float)` / `BFloat16(float)` constructors take a float), then to nearest even. A source already holding
 * float16 (bfloat16) values is written with its exact bits, NaN payloads included.
 *
 * @throws ElementError for an integer kind and a value that is not an integer in its range.
 */
export function encodeElements(
  src: Float32Array | Float64Array,
  source: SourceKind,
  kind: ElementKind,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): void {
  const n = end - start;
  if (n <= 0) return;
  switch (kind) {
    case 'f32':
    case 'f64': {
      const wantF32 = kind === 'f32';
      let view: Float32Array | Float64Array = src.subarray(start, end);
      if (wantF32 !== view instanceof Float32Array) view = wantF32 ? new Float32Array(view) : new Float64Array(view);
      if (HOST_LITTLE_ENDIAN) {
        out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), at);
      } else {
        const dv = new DataView(out.buffer, out.byteOffset + at, n * KIND_SIZE[kind]);
        if (wantF32) for (let i = 0; i < n; i++) dv.setUint32(4 * i, float32Bits(view[i]!), true);
        else for (let i = 0; i < n; i++) dv.setFloat64(8 * i, view[i]!, true);
      }
      return;
    }
    case 'f16':
    case 'bf16': {
      const half = kind === 'f16';
      const exact = source === (half ? 'float16' : 'bfloat16');
      const u16 = new Uint16Array(n);
      if (src instanceof Float32Array) {
        const bits = new Uint32Array(src.buffer, src.byteOffset + 4 * start, n);
        if (exact) {
          // Values are exactly representable: the conversion is a truncation of the float32 bits, NaN payloads too.
          if (half) for (let i = 0; i < n; i++) u16[i] = f32BitsExactToF16(bits[i]!);
          else for (let i = 0; i < n; i++) u16[i] = bits[i]! >>> 16;
        } else if (half) for (let i = 0; i < n; i++) u16[i] = f32BitsToF16Bits(bits[i]!);
        else for (let i = 0; i < n; i++) u16[i] = f32BitsToBf16Bits(bits[i]!);
      } else {
        for (let i = 0; i < n; i++) {
          const x = src[start + i]!;
          if (x !== x) u16[i] = half ? (float64SignBit(src, start + i) ? 0xfe00 : 0x7e00) : 0x7fc0;
          else u16[i] = half ? f32BitsToF16Bits(float32Bits(x)) : f32BitsToBf16Bits(float32Bits(x));
        }
      }
      writeU16(u16, out, at);
      return;
    }
    case 'i64': {
      const dv = new DataView(out.buffer, out.byteOffset + at, 8 * n);
      for (let i = 0; i < n; i++) {
        const v = src[start + i]!;
        if (!Number.isInteger(v) || v < -(2 ** 63) || v >= 2 ** 63) {
          throw new ElementError(start + i, v, 'an integer in [-2^63, 2^63)');
        }
        const hi = Math.floor(v / 4294967296);
        dv.setUint32(8 * i, v - hi * 4294967296, true);
        dv.setInt32(8 * i + 4, hi, true);
      }
      return;
    }
    case 'i32': {
      const i32 = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = src[start + i]!;
        if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
          throw new ElementError(start + i, v, 'an integer in [-2^31, 2^31)');
        }
        i32[i] = v;
      }
      if (HOST_LITTLE_ENDIAN) out.set(new Uint8Array(i32.buffer), at);
      else {
        const dv = new DataView(out.buffer, out.byteOffset + at, 4 * n);
        for (let i = 0; i < n; i++) dv.setInt32(4 * i, i32[i]!, true);
      }
      return;
    }
    case 'bool':
      for (let i = 0; i < n; i++) out[at + i] = src[start + i]! !== 0 ? 1 : 0;
      return;
  }
}

/** A float32 holding an exact binary16 value (or a NaN that came from one) → its binary16 bits. */
function f32BitsExactToF16(bits: number): number {
  const abs = bits & 0x7fffffff;
  if (abs > 0x7f800000) {
    const m = (abs >>> 13) & 0x3ff;
    return ((bits >>> 16) & 0x8000) | 0x7c00 | (m === 0 ? 0x200 : m);
  }
  return f32BitsToF16Bits(bits); // exact values round to themselves
}

function float64SignBit(src: Float64Array, i: number): boolean {
  const words = new Uint32Array(src.buffer, src.byteOffset + 8 * i, 2);
  return ((HOST_LITTLE_ENDIAN ? words[1]! : words[0]!) & 0x80000000) !== 0;
}

function writeU16(u16: Uint16Array, out: Uint8Array, at: number): void {
  if (HOST_LITTLE_ENDIAN) {
    out.set(new Uint8Array(u16.buffer, u16.byteOffset, u16.byteLength), at);
  } else {
    for (let i = 0; i < u16.length; i++) {
      out[at + 2 * i] = u16[i]! & 0xff;
      out[at + 2 * i + 1] = u16[i]! >>> 8;
    }
  }
}

// ---- element decoders ---------------------------------------------------------------------------------------------

/** On-disk element types the decoders read. */
export type ReadKind = ElementKind | 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'u64';

/** A decoded value outside what the destination can hold exactly (an int64 beyond ±2^53). */
export class InexactError extends Error {
  constructor(
    readonly index: number,
    readonly text: string,
  ) {
    super(text);
  }
}

/**
 * Decode `n` little-endian `kind` elements of `bytes` starting at byte `at` into `dst` (float16/bfloat16 as their
 * exact float32 values, integers as exact numbers).
 *
 * @throws InexactError for a 64-bit integer with |v| > 2^53 that a double cannot hold exactly.
 * @throws ElementError for a BOOL byte other than 0 or 1.
 */
export function decodeElements(bytes: Uint8Array, at: number, n: number, kind: ReadKind, dst: Float32Array | Float64Array): void {
  if (n === 0) return;
  const size = READ_SIZE[kind];
  const region = bytes.subarray(at, at + n * size);
  switch (kind) {
    case 'f32':
    case 'f64':
      if (HOST_LITTLE_ENDIAN && dst.BYTES_PER_ELEMENT === size) {
        new Uint8Array(dst.buffer, dst.byteOffset, n * size).set(region);
      } else {
        const dv = new DataView(region.buffer, region.byteOffset, region.byteLength);
        if (kind === 'f32') for (let i = 0; i < n; i++) dst[i] = dv.getFloat32(4 * i, true);
        else for (let i = 0; i < n; i++) dst[i] = dv.getFloat64(8 * i, true);
      }
      return;
    case 'f16':
    case 'bf16': {
      if (!(dst instanceof Float32Array)) throw new Error('decodeElements: 16-bit floats decode into a Float32Array');
      const out = new Uint32Array(dst.buffer, dst.byteOffset, n);
      if (kind === 'f16') {
        const table = f16ToF32Table();
        for (let i = 0; i < n; i++) out[i] = table[region[2 * i]! | (region[2 * i + 1]! << 8)]!;
      } else {
        for (let i = 0; i < n; i++) out[i] = ((region[2 * i]! << 16) | (region[2 * i + 1]! << 24)) >>> 0;
      }
      return;
    }
    case 'bool':
      for (let i = 0; i < n; i++) {
        const b = region[i]!;
        if (b > 1) throw new ElementError(i, b, 'a BOOL byte 0 or 1');
        dst[i] = b;
      }
      return;
    case 'u8':
      for (let i = 0; i < n; i++) dst[i] = region[i]!;
      return;
    case 'i8':
      for (let i = 0; i < n; i++) dst[i] = (region[i]! << 24) >> 24;
      return;
    case 'u16':
    case 'i16':
      for (let i = 0; i < n; i++) {
        const v = region[2 * i]! | (region[2 * i + 1]! << 8);
        dst[i] = kind === 'i16' ? (v << 16) >> 16 : v;
      }
      return;
    case 'i32':
    case 'u32': {
      const dv = new DataView(region.buffer, region.byteOffset, region.byteLength);
      if (kind === 'i32') for (let i = 0; i < n; i++) dst[i] = dv.getInt32(4 * i, true);
      else for (let i = 0; i < n; i++) dst[i] = dv.getUint32(4 * i, true);
      return;
    }
    case 'i64':
    case 'u64': {
      const dv = new DataView(region.buffer, region.byteOffset, region.byteLength);
      for (let i = 0; i < n; i++) {
        const lo = dv.getUint32(8 * i, true);
        const hi = kind === 'i64' ? dv.getInt32(8 * i + 4, true) : dv.getUint32(8 * i + 4, true);
        // |hi| < 2^21 means |v| < 2^53: exact. Otherwise exact only if the low bits a double drops are zero.
        if (hi >= 2 ** 21 || hi < -(2 ** 21)) {
          const exact = (BigInt(hi) << 32n) + BigInt(lo);
          const v = Number(exact);
          if (BigInt(v) !== exact) throw new InexactError(i, `${exact}`);
          dst[i] = v;
        } else {
          dst[i] = hi * 4294967296 + lo;
        }
      }
      return;
    }
  }
}

/** Bytes per element of each {@link ReadKind}. */
export const READ_SIZE: Readonly<Record<ReadKind, number>> = { ...KIND_SIZE, u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, u64: 8 };
