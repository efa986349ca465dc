// Element encoding: float16/bfloat16 rounding (nearest even) checked against bit patterns PyTorch produced, and the
// fast bit-level converters cross-checked against the independent arithmetic ones in src/tensor/dtype.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ElementError,
  InexactError,
  decodeElements,
  encodeElements,
  f16ToF32Table,
  f32BitsToBf16Bits,
  f32BitsToF16Bits,
} from '../../src/io/bytes.js';
import { bfloat16Bits, float16Bits, float16FromBits, float32Bits, float32FromBits } from '../../src/tensor/dtype.js';

const FC_SEED = 20240604;

// Produced by PyTorch 1.13.1 (reports 1.13.0a0), CPU:
//   t = torch.tensor(values, dtype=torch.float32); t.half().view(torch.int16)  /  t.bfloat16().view(torch.int16)
// with the values listed (the float32 value of each literal). The f64 rows used torch.float64 tensors.
const F16_FROM_F32: Array<[number, number]> = [
  [1.0, 0x3c00], [-2.0, 0xc000], [65504.0, 0x7bff], [65519.0, 0x7bff], [65520.0, 0x7c00], [1e10, 0x7c00],
  [Infinity, 0x7c00], [-Infinity, 0xfc00], [-0, 0x8000], [0, 0x0000],
  [2 ** -24, 0x0001], [2 ** -25, 0x0000], [1.5 * 2 ** -25, 0x0001], [3 * 2 ** -25, 0x0002], [5 * 2 ** -25, 0x0002],
  [2 ** -26, 0x0000], [1023 * 2 ** -24, 0x03ff], [1023.5 * 2 ** -24, 0x0400], [2 ** -14, 0x0400],
  [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [1 + 2 ** -11 + 2 ** -23, 0x3c01], [2049, 0x6800], [2051, 0x6802],
  [0.1, 0x2e66], [-0.3333333432674408, 0xb555], [3.4028234663852886e38, 0x7c00], [9.99994610111476e-41, 0x0000],
  [1.401298464324817e-45, 0x0000],
];
const BF16_FROM_F32: Array<[number, number]> = [
  [1.0, 0x3f80], [1 + 2 ** -8, 0x3f80], [1 + 3 * 2 ** -8, 0x3f82], [1 + 2 ** -8 + 2 ** -23, 0x3f81],
  [3.4028234663852886e38, 0x7f80], [3.3895313892515355e38, 0x7f7f], [9.99994610111476e-41, 0x0001],
  [-1.401298464324817e-45, 0x8000], [Infinity, 0x7f80], [-0, 0x8000], [0.1, 0x3dcd], [65504, 0x4780],
];
// float64 sources: PyTorch rounds to float32 first (c10::Half(float)), so these differ from a single rounding.
const F16_FROM_F64: Array<[number, number]> = [
  [1 + 2 ** -11 + 2 ** -40, 0x3c00], [1 + 2 ** -8 + 2 ** -40, 0x3c04], [65519.99999999, 0x7c00], [2 ** -25 + 2 ** -60, 0x0000],
];
const BF16_FROM_F64: Array<[number, number]> = [
  [1 + 2 ** -11 + 2 ** -40, 0x3f80], [1 + 2 ** -8 + 2 ** -40, 0x3f80], [65519.99999999, 0x4780], [2 ** -25 + 2 ** -60, 0x3300],
];

function encode16(values: number[], source: 'float32' | 'float64', kind: 'f16' | 'bf16'): number[] {
  const src = source === 'float32' ? Float32Array.from(values) : Float64Array.from(values);
  const out = new Uint8Array(values.length * 2);
  encodeElements(src, source, kind, 0, values.length, out, 0);
  return Array.from({ length: values.length }, (_, i) => out[2 * i]! | (out[2 * i + 1]! << 8));
}

const hex = (xs: number[]): string[] => xs.map((x) => `0x${x.toString(16).padStart(4, '0')}`);

describe('float16 / bfloat16 encoding', () => {
  it('float32 → float16 matches PyTorch bit patterns (ties to even, subnormals, overflow to inf)', () => {
    expect(hex(encode16(F16_FROM_F32.map((r) => r[0]), 'float32', 'f16'))).toEqual(hex(F16_FROM_F32.map((r) => r[1])));
  });

  it('float32 → bfloat16 matches PyTorch bit patterns', () => {
    expect(hex(encode16(BF16_FROM_F32.map((r) => r[0]), 'float32', 'bf16'))).toEqual(hex(BF16_FROM_F32.map((r) => r[1])));
  });

  it('float64 → float16/bfloat16 rounds through float32 as PyTorch does', () => {
    expect(hex(encode16(F16_FROM_F64.map((r) => r[0]), 'float64', 'f16'))).toEqual(hex(F16_FROM_F64.map((r) => r[1])));
    expect(hex(encode16(BF16_FROM_F64.map((r) => r[0]), 'float64', 'bf16'))).toEqual(hex(BF16_FROM_F64.map((r) => r[1])));
    // A single rounding (numpy's float64 → float16) would give 0x3c01 for the first value.
    expect(float16Bits(1 + 2 ** -11 + 2 ** -40)).toBe(0x3c01);
  });

  it('NaN: float16 keeps the sign (sign | 0x7e00, as c10), bfloat16 is 0x7fc0', () => {
    const f32 = new Float32Array(new Uint32Array([0x7fc00000, 0xffc00000, 0x7f800001, 0xff812345]).buffer);
    const out = new Uint8Array(8);
    encodeElements(f32, 'float32', 'f16', 0, 4, out, 0);
    expect(hex(Array.from(new Uint16Array(out.buffer)))).toEqual(hex([0x7e00, 0xfe00, 0x7e00, 0xfe00]));
    encodeElements(f32, 'float32', 'bf16', 0, 4, out, 0);
    expect(hex(Array.from(new Uint16Array(out.buffer)))).toEqual(hex([0x7fc0, 0x7fc0, 0x7fc0, 0x7fc0]));
    const f64 = new Float64Array([NaN, -NaN]);
    new Uint32Array(f64.buffer)[3] = 0xfff80000; // force the sign bit of element 1 (host little-endian)
    encodeElements(f64, 'float64', 'f16', 0, 2, out, 0);
    expect(hex(Array.from(new Uint16Array(out.buffer, 0, 2)))).toEqual(hex([0x7e00, 0xfe00]));
  });

  it('f32BitsToF16Bits equals the arithmetic float16Bits for random float32 (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const x = float32FromBits(bits);
        if (Number.isNaN(x)) return;
        expect(f32BitsToF16Bits(bits)).toBe(float16Bits(x));
      }),
      { seed: FC_SEED, numRuns: 20000 },
    );
  });

  it('f32BitsToBf16Bits equals bfloat16Bits for random float32 (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (bits) => {
        const x = float32FromBits(bits);
        if (Number.isNaN(x)) return;
        expect(f32BitsToBf16Bits(bits)).toBe(bfloat16Bits(x));
      }),
      { seed: FC_SEED, numRuns: 20000 },
    );
  });

  it('f32BitsToF16Bits equals float16Bits at every float16 tie and its neighbours', () => {
    const table = f16ToF32Table();
    const bad: string[] = [];
    for (let h = 0; h < 0x7c00; h++) {
      for (const delta of [0, 1, 0xfff, 0x1000, 0x1001, 0x1fff]) {
        for (const sign of [0, 0x80000000]) {
          const bits = ((table[h]! + delta) | sign) >>> 0;
          if (f32BitsToF16Bits(bits) !== float16Bits(float32FromBits(bits))) bad.push(bits.toString(16));
        }
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('every float16 bit pattern: decode table is exact and re-encodes to itself', () => {
    const table = f16ToF32Table();
    const src = new Float32Array(table.buffer.slice(0));
    const out = new Uint8Array(2 * 65536);
    encodeElements(src, 'float16', 'f16', 0, 65536, out, 0);
    const back = new Uint16Array(out.buffer);
    const bad: string[] = [];
    for (let h = 0; h < 65536; h++) {
      const v = float16FromBits(h);
      const got = float32FromBits(table[h]!);
      const ok = Number.isNaN(v) ? Number.isNaN(got) : Object.is(got, v);
      if (!ok || back[h] !== h) bad.push(`0x${h.toString(16)}: decoded ${got}, re-encoded 0x${back[h]!.toString(16)}`);
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('every bfloat16 bit pattern round-trips through decode and encode', () => {
    const bytes = new Uint8Array(new Uint16Array(Array.from({ length: 65536 }, (_, h) => h)).buffer);
    const dst = new Float32Array(65536);
    decodeElements(bytes, 0, 65536, 'bf16', dst);
    const out = new Uint8Array(2 * 65536);
    encodeElements(dst, 'bfloat16', 'bf16', 0, 65536, out, 0);
    expect(Buffer.from(out).equals(Buffer.from(bytes))).toBe(true);
    expect(float32Bits(dst[0x3f80]!)).toBe(0x3f800000);
  });
});

describe('integer encoding', () => {
  it('int64: exact two-complement little-endian for values up to ±2^63', () => {
    const vals = [0, 1, -1, 2 ** 53, -(2 ** 53), 2 ** 62, -(2 ** 63), 4294967296, -4294967297];
    const out = new Uint8Array(8 * vals.length);
    encodeElements(Float64Array.from(vals), 'int', 'i64', 0, vals.length, out, 0);
    const dv = new DataView(out.buffer);
    expect(vals.map((_, i) => dv.getBigInt64(8 * i, true))).toEqual(vals.map((v) => BigInt(v)));
  });

  it('int64 / int32 reject non-integers and out-of-range values with the element index', () => {
    const out = new Uint8Array(64);
    for (const [kind, bad] of [['i64', 1.5], ['i64', NaN], ['i64', 2 ** 63], ['i32', 2 ** 31], ['i32', -0.5]] as const) {
      try {
        encodeElements(Float64Array.from([0, bad]), 'int', kind, 0, 2, out, 0);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ElementError);
        expect((e as ElementError).index).toBe(1);
        expect(Object.is((e as ElementError).value, bad)).toBe(true);
      }
    }
  });

  it('decoding: every integer dtype, sign extension, and int64 exactness', () => {
    const dst = new Float64Array(2);
    decodeElements(new Uint8Array([0xff, 0x80]), 0, 2, 'i8', dst);
    expect(Array.from(dst)).toEqual([-1, -128]);
    decodeElements(new Uint8Array([0xff, 0x80]), 0, 2, 'u8', dst);
    expect(Array.from(dst)).toEqual([255, 128]);
    decodeElements(new Uint8Array([0xff, 0xff, 0x00, 0x80]), 0, 2, 'i16', dst);
    expect(Array.from(dst)).toEqual([-1, -32768]);
    decodeElements(new Uint8Array([0xff, 0xff, 0x00, 0x80]), 0, 2, 'u16', dst);
    expect(Array.from(dst)).toEqual([65535, 32768]);
    decodeElements(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x80]), 0, 2, 'u32', dst);
    expect(Array.from(dst)).toEqual([4294967295, 2147483648]);
    // 2^62 is exact in a double; 2^62 + 1 is not.
    const b = new Uint8Array(16);
    const dv = new DataView(b.buffer);
    dv.setBigInt64(0, 2n ** 62n, true);
    dv.setBigInt64(8, -(2n ** 63n), true);
    decodeElements(b, 0, 2, 'i64', dst);
    expect(Array.from(dst)).toEqual([2 ** 62, -(2 ** 63)]);
    dv.setBigInt64(8, 2n ** 62n + 1n, true);
    expect(() => decodeElements(b, 0, 2, 'i64', dst)).toThrow(InexactError);
    dv.setBigUint64(8, 2n ** 64n - 1n, true);
    try {
      decodeElements(b, 0, 2, 'u64', dst);
      expect.unreachable();
    } catch (e) {
      expect((e as InexactError).index).toBe(1);
      expect((e as InexactError).text).toBe('18446744073709551615');
    }
  });

  it('bool: bytes 0/1 only', () => {
    const dst = new Float64Array(3);
    decodeElements(new Uint8Array([0, 1, 1]), 0, 3, 'bool', dst);
    expect(Array.from(dst)).toEqual([0, 1, 1]);
    expect(() => decodeElements(new Uint8Array([0, 2, 1]), 0, 3, 'bool', dst)).toThrow(ElementError);
  });
});
