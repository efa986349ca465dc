// Corrupted safetensors files for the fuzz test (tests/io/fuzz.test.ts) and the Python cross-check
// (tests/oracle/safetensors.test.ts): valid base files mutated at random with fast-check, reproducibly by seed.
import fc from 'fast-check';
import { type Tensor, fromArray, serializeSafetensors } from '../../src/index.js';

const enc = new TextEncoder();
const dec = new TextDecoder();

function withHeader(header: string, data: Uint8Array, n?: number): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(n ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

function split(bytes: Uint8Array): { header: string; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { header: dec.decode(bytes.subarray(8, 8 + n)), data: bytes.slice(8 + n) };
}

/** Valid files: several dtypes, metadata, empty and 0-d tensors, a file in another writer's style, an empty file. */
export function baseFiles(): Uint8Array[] {
  const many = new Map<string, Tensor>([
    ['w', fromArray([[0.5, -1.25, 3], [1e-3, -0, 7]])],
    ['d', fromArray([Math.PI, -2], { dtype: 'float64' })],
    ['h', fromArray([1, -2, 65504], { dtype: 'float16' })],
    ['b', fromArray([0.5, 3], { dtype: 'bfloat16' })],
    ['n', fromArray([7, -1], { dtype: 'int64' })],
    ['i', fromArray([3, -4, 5], { dtype: 'int32' })],
    ['m', fromArray([true, false, true], { dtype: 'bool' })],
    ['e', fromArray(new Float32Array(0), { shape: [2, 0] })],
    ['s', fromArray(new Float32Array([9]), { shape: [] })],
  ]);
  const other = withHeader(
    '{"b.bias": {"dtype": "U8", "shape": [2], "data_offsets": [8, 10]}, "a.weight": {"dtype": "I16", "shape": [2, 2], "data_offsets": [0, 8]}}',
    new Uint8Array([1, 0, 2, 0, 3, 0, 0xff, 0xff, 7, 9]),
  );
  return [
    serializeSafetensors(many, { format: 'pt', note: 'fuzz ✓' }),
    serializeSafetensors({ x: fromArray([1, 2, 3, 4]) }),
    other,
    serializeSafetensors({}),
  ];
}

const DTYPE_NAMES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'BOOL', 'U8', 'I8', 'I16', 'U16', 'U32', 'U64', 'F8_E4M3', 'F4', 'C64', 'f32', 'F33', '', 'BOOL '];
const JSON_CHARS = '{}[],:"0123456789-.eE \\untrfals_';

const anyNumber = fc.oneof(
  fc.integer({ min: -3, max: 64 }),
  fc.constantFrom(-1, 0, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, 1e300, 0.5, -0.0),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const anyJsonish: fc.Arbitrary<unknown> = fc.oneof(
  anyNumber,
  fc.string({ maxLength: 4 }),
  fc.constant(null),
  fc.boolean(),
  fc.array(anyNumber, { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 3 }), anyNumber, { maxKeys: 2 }),
);

/** One corruption of a base file. */
type Mutation = (base: Uint8Array) => fc.Arbitrary<Uint8Array>;

const truncate: Mutation = (b) => fc.integer({ min: 0, max: b.length - 1 }).map((len) => b.slice(0, len));

const flipBytes: Mutation = (b) =>
  fc.array(fc.tuple(fc.integer({ min: 0, max: b.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((flips) => {
    const out = b.slice();
    for (const [i, v] of flips) out[i] = v;
    return out;
  });

const setLength: Mutation = (b) =>
  fc
    .oneof(
      fc.integer({ min: -16, max: 16 }).map((d) => BigInt(Math.max(0, Number(split(b).header.length) + d))),
      fc.bigInt({ min: 0n, max: 2n ** 32n }),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      fc.constantFrom(0n, 100_000_000n, 100_000_001n, 2n ** 53n, 2n ** 63n, 2n ** 64n - 1n),
    )
    .map((n) => {
      const out = b.slice();
      new DataView(out.buffer).setBigUint64(0, n, true);
      return out;
    });

/** Replace, delete or insert characters in the header text, keeping the length field consistent. */
const editJson: Mutation = (b) =>
  fc
    .array(
      fc.tuple(fc.constantFrom('replace', 'delete', 'insert'), fc.nat(), fc.constantFrom(...JSON_CHARS.split(''))),
      { minLength: 1, maxLength: 4 },
    )
    .map((edits) => {
      const { header, data } = split(b);
      let h = header;
      for (const [op, pos, ch] of edits) {
        const i = h.length === 0 ? 0 : pos % h.length;
        h = op === 'replace' ? h.slice(0, i) + ch + h.slice(i + 1) : op === 'delete' ? h.slice(0, i) + h.slice(i + 1) : h.slice(0, i) + ch + h.slice(i);
      }
      return withHeader(h, data);
    });

/** Change one field of one entry (offsets, shape, dtype, presence) or the metadata, with valid JSON. */
const editEntry: Mutation = (b) => {
  const { header, data } = split(b);
  const obj = JSON.parse(header) as Record<string, Record<string, unknown>>;
  const names = Object.keys(obj);
  if (names.length === 0) return fc.constant(withHeader('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', data));
  return fc
    .tuple(
      fc.constantFrom(...names),
      fc.constantFrom('dtype', 'shape', 'data_offsets', 'begin', 'end', 'dim', 'drop', 'value', 'duplicate', 'extra'),
      anyJsonish,
      fc.constantFrom(...DTYPE_NAMES),
      fc.integer({ min: -2, max: 80 }),
    )
    .map(([name, what, junk, dtype, k]) => {
      const o = structuredClone(obj);
      const e = o[name]!;
      const offsets = Array.isArray(e['data_offsets']) ? (e['data_offsets'] as unknown[]) : [0, 0];
      const shape = Array.isArray(e['shape']) ? (e['shape'] as unknown[]) : [];
      switch (what) {
        case 'dtype':
          e['dtype'] = dtype;
          break;
        case 'shape':
          e['shape'] = junk;
          break;
        case 'data_offsets':
          e['data_offsets'] = junk;
          break;
        case 'begin':
          offsets[0] = k;
          break;
        case 'end':
          offsets[1] = k;
          break;
        case 'dim':
          if (shape.length > 0) shape[Math.abs(k) % shape.length] = k;
          else shape.push(k);
          e['shape'] = shape;
          break;
        case 'drop':
          delete e[['dtype', 'shape', 'data_offsets'][Math.abs(k) % 3]!];
          break;
        case 'value':
          o[name] = junk as Record<string, unknown>;
          break;
        case 'extra':
          e[`x${k}`] = junk;
          break;
        case 'duplicate':
          break;
      }
      let text = JSON.stringify(o);
      if (what === 'duplicate') text = `${text.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(obj[name])}}`;
      return withHeader(text, data);
    });
};

/** Overwrite bytes of the data section only (reaches element decoding: BOOL bytes, int64 range, NaNs). */
const flipData: Mutation = (b) => {
  const start = 8 + Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  if (start >= b.length) return fc.constant(b);
  return fc
    .array(fc.tuple(fc.integer({ min: start, max: b.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
    .map((flips) => {
      const out = b.slice();
      for (const [i, v] of flips) out[i] = v;
      return out;
    });
};

const appendOrInsertData: Mutation = (b) =>
  fc.tuple(fc.uint8Array({ minLength: 1, maxLength: 9 }), fc.boolean(), fc.nat()).map(([extra, append, pos]) => {
    if (append) {
      const out = new Uint8Array(b.length + extra.length);
      out.set(b);
      out.set(extra, b.length);
      return out;
    }
    const i = 8 + (pos % Math.max(1, b.length - 8));
    const out = new Uint8Array(b.length + extra.length);
    out.set(b.subarray(0, i));
    out.set(extra, i);
    out.set(b.subarray(i), i + extra.length);
    return out;
  });

/** Entirely random files: garbage, garbage after a plausible length, random JSON after a consistent length. */
export const randomFile: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(fc.integer({ min: 0, max: 64 }), fc.uint8Array({ maxLength: 80 })).map(([n, rest]) => {
    const out = new Uint8Array(8 + rest.length);
    out[0] = n;
    out.set(rest, 8);
    return out;
  }),
  fc.tuple(fc.json({ maxDepth: 3 }), fc.uint8Array({ maxLength: 40 })).map(([j, data]) => withHeader(j, data)),
  fc.tuple(fc.dictionary(fc.string({ maxLength: 4 }), anyJsonish, { maxKeys: 3 }), fc.uint8Array({ maxLength: 24 })).map(([d, data]) =>
    withHeader(JSON.stringify(d), data),
  ),
);

export const MUTATIONS: Record<string, Mutation> = { truncate, flipBytes, setLength, editJson, editEntry, flipData, appendOrInsertData };

/** An arbitrary corrupted file: a base file and a mutation, or a random file. */
export function corruptFile(bases: Uint8Array[]): fc.Arbitrary<{ kind: string; bytes: Uint8Array }> {
  const mutated = Object.entries(MUTATIONS).map(([kind, m]) =>
    fc.constantFrom(...bases).chain((b) => m(b)).map((bytes) => ({ kind, bytes })),
  );
  return fc.oneof(...mutated, randomFile.map((bytes) => ({ kind: 'random', bytes })));
}
