/** Helpers to compare floats by their bits, never by printed decimals. */
export function f32bits(values: ArrayLike<number>): string[] {
  const f = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) f[i] = values[i]!;
  return Array.from(new Uint32Array(f.buffer), (u) => u.toString(16).padStart(8, '0'));
}

export function f64bits(values: ArrayLike<number>): string[] {
  const f = Float64Array.from(values as ArrayLike<number>);
  const u = new BigUint64Array(f.buffer);
  return Array.from(u, (x) => x.toString(16).padStart(16, '0'));
}

export function hexToF32(hex: string): number {
  const u = new Uint32Array([parseInt(hex, 16)]);
  return new Float32Array(u.buffer)[0]!;
}

/** Count of positions where two bit-strings differ, plus the first few differences for the failure message. */
export function diffBits(actual: string[], expected: string[], limit = 5): { count: number; first: string[] } {
  const first: string[] = [];
  let count = Math.abs(actual.length - expected.length);
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    if (actual[i] !== expected[i]) {
      count++;
      if (first.length < limit) first.push(`[${i}] got ${actual[i]} expected ${expected[i]}`);
    }
  }
  return { count, first };
}

/** The bits of a tensor's storage: 16 hex digits per value of a float64 storage, 8 per value of a float32 one. */
export function storageBits(t: { data: Float32Array | Float64Array }): string[] {
  return t.data instanceof Float64Array ? f64bits(t.data) : f32bits(t.data);
}
