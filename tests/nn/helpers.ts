/** Shared helpers for the nn tests: a seeded generator, a tensor's bits as PyTorch's fixtures record them. */
import { createHash } from 'node:crypto';
import { Generator, type Tensor, bfloat16Bits, float16Bits } from '../../src/index.js';
import { f32bits, f64bits } from '../helpers/bits.js';

/** A fresh MT19937 generator seeded like `torch.Generator().manual_seed(seed)`. */
export function gen(seed = 0): Generator {
  return new Generator().manualSeed(seed);
}

/** Hex bit patterns per element (4 hex digits for 16-bit dtypes), decimal for integer dtypes. */
export function tensorBits(t: Tensor): string[] {
  switch (t.dtype) {
    case 'float32':
      return f32bits(t.data);
    case 'float64':
      return f64bits(t.data);
    case 'float16':
      return Array.from(t.data, (x) => float16Bits(x).toString(16).padStart(4, '0'));
    case 'bfloat16':
      return Array.from(t.data, (x) => bfloat16Bits(x).toString(16).padStart(4, '0'));
    default:
      return Array.from(t.data, (x) => String(x));
  }
}

/** The little-endian bytes of a tensor in its dtype (what safetensors and the fixtures' sha256 hash). */
export function tensorBytes(t: Tensor): Uint8Array {
  switch (t.dtype) {
    case 'float32':
      return new Uint8Array(Float32Array.from(t.data).buffer);
    case 'float64':
      return new Uint8Array(Float64Array.from(t.data).buffer);
    case 'float16':
      return new Uint8Array(Uint16Array.from(t.data, (x) => float16Bits(x)).buffer);
    case 'bfloat16':
      return new Uint8Array(Uint16Array.from(t.data, (x) => bfloat16Bits(x)).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(t.data, (x) => BigInt(x)).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(t.data).buffer);
    case 'bool':
      return Uint8Array.from(t.data);
  }
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A fixture tensor record. */
export interface TensorRecord {
  key: string;
  dtype: string;
  shape: number[];
  bits?: string;
  sha256?: string;
  head?: string;
  /** Drawn with normal_ (informational; every value is compared bit for bit). */
  normal?: boolean;
}

/** Compare one tensor to its fixture record; returns a list of problems (empty when bit-exact). */
export function compareTensor(key: string, t: Tensor, rec: TensorRecord): string[] {
  const problems: string[] = [];
  if (t.dtype !== rec.dtype) problems.push(`${key}: dtype ${t.dtype}, expected ${rec.dtype}`);
  if (JSON.stringify(t.shape) !== JSON.stringify(rec.shape)) problems.push(`${key}: shape [${t.shape.join(', ')}], expected [${rec.shape.join(', ')}]`);
  const bits = tensorBits(t);
  if (rec.bits !== undefined) {
    const exp = rec.bits === '' ? [] : rec.bits.split(' ');
    let n = 0;
    let first = '';
    for (let i = 0; i < Math.max(exp.length, bits.length); i++) {
      if (bits[i] !== exp[i]) {
        if (n === 0) first = ` first at [${i}]: got ${bits[i]} expected ${exp[i]}`;
        n++;
      }
    }
    if (n) problems.push(`${key}: ${n} of ${exp.length} values differ;${first}`);
  } else {
    const head = bits.slice(0, 8).join(' ');
    if (head !== rec.head) problems.push(`${key}: first values ${head}, expected ${rec.head}`);
    const h = sha256(tensorBytes(t));
    if (h !== rec.sha256) problems.push(`${key}: sha256 ${h}, expected ${rec.sha256}`);
  }
  return problems;
}
