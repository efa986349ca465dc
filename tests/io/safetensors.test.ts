// safetensors writer and reader: exact bytes, round trips of every dtype, conversions, edge shapes, metadata, order,
// alignment, and one test per validation branch (writer and reader).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InitError,
  MAX_HEADER_BYTES,
  type Tensor,
  empty,
  fromArray,
  init,
  manualSeed,
  parseSafetensors,
  parseSafetensorsHeader,
  serializeSafetensors,
} from '../../src/index.js';
import { storageBits } from '../helpers/bits.js';
import { expectError } from '../helpers/errors.js';

const FC_SEED = 7310;
const enc = new TextEncoder();

/** Build a file by hand: u64 LE header length, the header text as given (no padding added), then `data`. */
function file(header: string, data: ArrayLike<number> = [], n?: number): Uint8Array {
  const h = enc.encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  const dv = new DataView(out.buffer);
  dv.setBigUint64(0, BigInt(n ?? h.length), true);
  out.set(h, 8);
  out.set(Array.from(data), 8 + h.length);
  return out;
}

function headerText(bytes: Uint8Array): string {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return new TextDecoder().decode(bytes.subarray(8, 8 + n));
}

describe('exact bytes', () => {
  // Expected bytes from the reference implementation's own tests (huggingface/safetensors, safetensors/src/tensor.rs:
  // test_serialization, test_serialization_forced_alignement, test_empty).
  it('matches the reference implementation for one F32 tensor (no padding needed)', () => {
    const t = fromArray([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] });
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58,
      34, 70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97,
      95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0,
      0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    expect(Array.from(serializeSafetensors({ 'attn.0': t }))).toEqual(expected);
  });

  it('matches the reference implementation when the header needs padding (7 spaces)', () => {
    const t = fromArray([0, 1, 2, 3, 4, 5], { shape: [1, 1, 2, 3] });
    const expected = [
      72, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34,
      70, 51, 50, 34, 44, 34, 115, 104, 97, 112, 101, 34, 58, 91, 49, 44, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116,
      97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125, 125, 32, 32, 32, 32, 32, 32, 32,
      0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    expect(Array.from(serializeSafetensors({ attn0: t }))).toEqual(expected);
  });

  it('matches the reference implementation for no tensors, with and without metadata', () => {
    expect(Array.from(serializeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect(Array.from(serializeSafetensors({}, { framework: 'pt' }))).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102,
      114, 97, 109, 101, 119, 111, 114, 107, 34, 58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
  });

  it('lays out several dtypes exactly as the spec says (expected bytes built by hand)', () => {
    const tensors = new Map<string, Tensor>([
      ['b', fromArray([true, false, true], { dtype: 'bool' })],
      ['h', fromArray([1, -2], { dtype: 'float16' })],
      ['i', fromArray([-1], { dtype: 'int64' })],
      ['z', fromArray([0.5], { dtype: 'bfloat16' })],
    ]);
    const json =
      '{"__metadata__":{"k":"v"},' +
      '"b":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]},' +
      '"h":{"dtype":"F16","shape":[2],"data_offsets":[3,7]},' +
      '"i":{"dtype":"I64","shape":[1],"data_offsets":[7,15]},' +
      '"z":{"dtype":"BF16","shape":[1],"data_offsets":[15,17]}}';
    const pad = (8 - (json.length % 8)) % 8;
    const header = json + ' '.repeat(pad);
    const data = [
      1, 0, 1, // BOOL
      0x00, 0x3c, 0x00, 0xc0, // F16 1.0 = 0x3c00, -2.0 = 0xc000, little-endian
      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, // I64 -1
      0x00, 0x3f, // BF16 0.5 = 0x3f00
    ];
    const expected = file(header, data);
    expect(header.length % 8).toBe(0);
    expect(Array.from(serializeSafetensors(tensors, { k: 'v' }))).toEqual(Array.from(expected));
  });
});

describe('round trips', () => {
  const cases: Array<[string, Tensor]> = [
    ['f32', fromArray([[1.5, -0, Infinity], [-Infinity, 1e-45, 3.4028234663852886e38]])],
    ['f64', fromArray([Math.PI, -0, 5e-324, Number.MAX_VALUE, -Infinity], { dtype: 'float64' })],
    ['f16', fromArray([1, -2, 65504, 2 ** -24, -0, Infinity, 0.0999755859375], { dtype: 'float16' })],
    ['bf16', fromArray([1, -2, 3.3895313892515355e38, 9.183549615799121e-41, -0], { dtype: 'bfloat16' })],
    ['i64', fromArray([0, -1, 2 ** 53, -(2 ** 53), 123456789012], { dtype: 'int64' })],
    ['i32', fromArray([0, -1, 2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' })],
    ['bool', fromArray([[true, false], [false, true]], { dtype: 'bool' })],
  ];

  it('every dtype round-trips bit for bit, with its on-disk dtype', () => {
    const bytes = serializeSafetensors(new Map(cases));
    const { tensors, dtypes, metadata } = parseSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(cases.map((c) => c[0]));
    expect([...dtypes.values()]).toEqual(['F32', 'F64', 'F16', 'BF16', 'I64', 'I32', 'BOOL']);
    expect(metadata).toEqual({});
    for (const [name, t] of cases) {
      const got = tensors.get(name)!;
      expect(got.dtype).toBe(t.dtype);
      expect(got.shape).toEqual(t.shape);
      expect(storageBits(got)).toEqual(storageBits(t));
    }
    expect(headerText(bytes)).not.toContain('__metadata__');
  });

  it('NaN payloads survive F32 and F64 round trips (bytes are copied)', () => {
    const f32 = empty([3]);
    new Uint32Array(f32.data.buffer).set([0x7fc00001, 0xffbfffff, 0x7f800001]);
    const f64 = empty([1], { dtype: 'float64' });
    new BigUint64Array(f64.data.buffer)[0] = 0xfff0000000000abcn;
    const { tensors } = parseSafetensors(serializeSafetensors({ f32, f64 }));
    expect(Array.from(new Uint32Array(tensors.get('f32')!.data.buffer))).toEqual([0x7fc00001, 0xffbfffff, 0x7f800001]);
    expect(new BigUint64Array(tensors.get('f64')!.data.buffer)[0]).toBe(0xfff0000000000abcn);
  });

  for (const target of ['float16', 'bfloat16', 'float32', 'float64'] as const) {
    it(`options.dtype=${target} converts floating tensors (PyTorch rounding) and keeps integer ones`, () => {
      manualSeed(3);
      const w32 = init.normal_(empty([5, 7]));
      const w64 = init.normal_(empty([9], { dtype: 'float64' }));
      const n = fromArray([7], { dtype: 'int64' });
      const bytes = serializeSafetensors({ w32, w64, n }, undefined, { dtype: target });
      const { tensors, dtypes } = parseSafetensors(bytes);
      const expectDtype = { float16: 'F16', bfloat16: 'BF16', float32: 'F32', float64: 'F64' }[target];
      expect([...dtypes.values()]).toEqual([expectDtype, expectDtype, 'I64']);
      // PyTorch's `.to(dtype)`: float64 → 16-bit goes through float32 first.
      const via = (t: Tensor): Tensor => (target === 'float16' || target === 'bfloat16' ? t.to('float32').to(target) : t.to(target));
      expect(storageBits(tensors.get('w32')!)).toEqual(storageBits(via(w32)));
      expect(storageBits(tensors.get('w64')!)).toEqual(storageBits(via(w64)));
      expect(tensors.get('n')!.dtype).toBe('int64');
    });
  }

  it('empty tensors (shape [0], [2, 0, 3]) and 0-d scalars', () => {
    const t = new Map<string, Tensor>([
      ['scalar', fromArray(new Float32Array([2.5]), { shape: [] })],
      ['empty', empty([0])],
      ['empty3', empty([2, 0, 3], { dtype: 'int64' })],
      ['scalar_i', fromArray(new Float64Array([-3]), { shape: [], dtype: 'int32' })],
    ]);
    const bytes = serializeSafetensors(t);
    expect(headerText(bytes)).toContain('"scalar":{"dtype":"F32","shape":[],"data_offsets":[0,4]}');
    expect(headerText(bytes)).toContain('"empty":{"dtype":"F32","shape":[0],"data_offsets":[4,4]}');
    expect(headerText(bytes)).toContain('"empty3":{"dtype":"I64","shape":[2,0,3],"data_offsets":[4,4]}');
    const { tensors } = parseSafetensors(bytes);
    expect(tensors.get('scalar')!.shape).toEqual([]);
    expect(tensors.get('scalar')!.get()).toBe(2.5);
    expect(tensors.get('empty')!.shape).toEqual([0]);
    expect(tensors.get('empty3')!.shape).toEqual([2, 0, 3]);
    expect(tensors.get('scalar_i')!.get()).toBe(-3);
  });

  it('metadata: unicode, empty strings, escapes and a "__proto__" key round-trip', () => {
    const metadata: Record<string, string> = { format: 'pt', 'ünï': 'çødé ✓ 𝄞', empty: '', quote: 'a"b\\c\n\u0001' };
    Object.defineProperty(metadata, '__proto__', { value: 'x', enumerable: true });
    const { metadata: back } = parseSafetensors(serializeSafetensors({ w: empty([1]) }, metadata));
    expect(Object.keys(back)).toEqual(Object.keys(metadata));
    for (const k of Object.keys(metadata)) expect(back[k]).toBe(metadata[k]);
  });

  it('key order is preserved (Map, pairs, record), not sorted', () => {
    const names = ['zeta', 'alpha', 'layers.10.w', 'layers.2.w', 'Ä', ''];
    const pairs = names.map((n, i) => [n, fromArray([i])] as const);
    expect([...parseSafetensors(serializeSafetensors(pairs)).tensors.keys()]).toEqual(names);
    expect([...parseSafetensors(serializeSafetensors(new Map(pairs))).tensors.keys()]).toEqual(names);
    expect([...parseSafetensors(serializeSafetensors(Object.fromEntries(pairs))).tensors.keys()]).toEqual(
      Object.keys(Object.fromEntries(pairs)),
    );
  });

  it('property: any names, shapes and dtypes → header padded to 8 with spaces, same tensors back (fast-check)', () => {
    const dtypeArb = fc.constantFrom('float32', 'float64', 'float16', 'bfloat16', 'int64', 'int32', 'bool' as const);
    const entryArb = fc.record({
      name: fc.string({ maxLength: 12, unit: 'grapheme' }),
      shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
      dtype: dtypeArb,
      seed: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(entryArb, { selector: (e) => e.name, maxLength: 6 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }), (entries, meta) => {
        const map = new Map<string, Tensor>();
        for (const e of entries) {
          if (e.name === '__metadata__') continue;
          const t = empty(e.shape, { dtype: e.dtype });
          // copy_ rounds to the dtype, as every initkit tensor holds representable values
          t.copy_(Array.from({ length: t.numel }, (_, i) => (e.dtype === 'bool' ? (i + e.seed) % 2 : e.dtype.startsWith('int') ? i - e.seed : (i - e.seed) / 7)));
          map.set(e.name, t);
        }
        const bytes = serializeSafetensors(map, meta);
        const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
        expect(n % 8).toBe(0);
        expect(headerText(bytes)).toMatch(/^\{.*\} {0,7}$/s);
        const back = parseSafetensors(bytes);
        expect([...back.tensors.keys()]).toEqual([...map.keys()]);
        for (const [k, t] of map) expect(storageBits(back.tensors.get(k)!)).toEqual(storageBits(t));
        expect(back.metadata).toEqual(meta);
      }),
      { seed: FC_SEED, numRuns: 300 },
    );
  });

  it('same tensors, same bytes', () => {
    manualSeed(11);
    const a = serializeSafetensors({ w: init.kaimingUniform_(empty([8, 4])) }, { seed: '11' }, { dtype: 'bfloat16' });
    manualSeed(11);
    const b = serializeSafetensors({ w: init.kaimingUniform_(empty([8, 4])) }, { seed: '11' }, { dtype: 'bfloat16' });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
  });
});

describe('reading files from other writers', () => {
  it('header order differing from offset order: tensors come back in header order', () => {
    const bytes = file(
      '{"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}',
      [1, 2, 3, 4],
    );
    const { tensors } = parseSafetensors(bytes);
    expect([...tensors.keys()]).toEqual(['b', 'a']);
    expect(tensors.get('a')!.tolist()).toEqual([1, 2]);
    expect(tensors.get('b')!.tolist()).toEqual([3, 4]);
  });

  it('unpadded headers, JSON whitespace, null __metadata__, and unknown entry fields are accepted', () => {
    const bytes = file('{ "__metadata__" : null ,\n\t"x" : { "extra": [1, {"y": 2}], "dtype": "I32", "shape": [ 1 ], "data_offsets": [ 0, 4 ] } }\r\n', [5, 0, 0, 0]);
    const { tensors, metadata } = parseSafetensors(bytes);
    expect(metadata).toEqual({});
    expect(tensors.get('x')!.tolist()).toEqual([5]);
  });

  it('U8, I8, I16, U16 load as int32; U32, U64 as int64, exactly', () => {
    const header =
      '{"u8":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"i8":{"dtype":"I8","shape":[1],"data_offsets":[1,2]},' +
      '"i16":{"dtype":"I16","shape":[1],"data_offsets":[2,4]},"u16":{"dtype":"U16","shape":[1],"data_offsets":[4,6]},' +
      '"u32":{"dtype":"U32","shape":[1],"data_offsets":[6,10]},"u64":{"dtype":"U64","shape":[1],"data_offsets":[10,18]}}';
    const data = [255, 0x80, 0x00, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x40];
    const { tensors, dtypes } = parseSafetensors(file(header, data));
    const got = Object.fromEntries([...tensors].map(([k, t]) => [k, [t.dtype, t.get(0)]]));
    expect(got).toEqual({
      u8: ['int32', 255], i8: ['int32', -128], i16: ['int32', -32768], u16: ['int32', 65535],
      u32: ['int64', 4294967295], u64: ['int64', 2 ** 62],
    });
    expect(dtypes.get('u64')).toBe('U64');
  });

  it('parseSafetensorsHeader validates from the first 8 + N bytes given the file size', () => {
    const full = serializeSafetensors({ a: empty([3]), b: empty([2, 2], { dtype: 'float64' }) }, { m: '1' });
    const h = parseSafetensorsHeader(full);
    expect(h.entries.map((e) => [e.name, e.dtype, e.shape, e.dataOffsets])).toEqual([
      ['a', 'F32', [3], [0, 12]],
      ['b', 'F64', [2, 2], [12, 44]],
    ]);
    expect(h.dataStart).toBe(8 + h.headerLength);
    expect(h.dataLength).toBe(44);
    const prefix = full.slice(0, h.dataStart);
    expect(parseSafetensorsHeader(prefix, full.length).entries.length).toBe(2);
    expectError(() => parseSafetensorsHeader(prefix), 'MALFORMED_FILE', 'data_offsets', 'within the data section (0 bytes', '[0, 12]');
    expectError(() => parseSafetensorsHeader(full.slice(0, 5), full.length), 'INVALID_ARGUMENT', 'first 8 bytes');
    expectError(() => parseSafetensorsHeader(full.slice(0, 20), full.length), 'INVALID_ARGUMENT', `first ${h.dataStart} bytes`);
    expectError(() => parseSafetensorsHeader(full, 3), 'INVALID_ARGUMENT', 'fileSize', '3');
  });

  it('never reads outside the given view: a truncated subarray of a valid file fails', () => {
    const full = serializeSafetensors({ a: fromArray([1, 2, 3]) });
    for (let len = 0; len < full.length; len++) {
      expect(() => parseSafetensors(full.subarray(0, len))).toThrow(InitError);
    }
    const padded = new Uint8Array(full.length + 32);
    padded.set(full, 16);
    expect(parseSafetensors(padded.subarray(16, 16 + full.length)).tensors.get('a')!.tolist()).toEqual([1, 2, 3]);
  });
});

describe('writer errors', () => {
  const w = fromArray([1, 2]);
  it('tensors must be named tensors', () => {
    expectError(() => serializeSafetensors(null as never), 'INVALID_ARGUMENT', 'tensors', 'null');
    expectError(() => serializeSafetensors(w as never), 'INVALID_ARGUMENT', 'named tensors', 'shape [2]', '{ weight: tensor }');
    expectError(() => serializeSafetensors([['a']] as never), 'INVALID_ARGUMENT', 'tensors[0]', '["a"]');
    expectError(() => serializeSafetensors({ a: [1, 2] } as never), 'NOT_A_TENSOR', 'tensors["a"]', '[1, 2]');
  });
  it('names: unique, not __metadata__, well-formed', () => {
    expectError(() => serializeSafetensors([['a', w], ['a', w]]), 'INVALID_ARGUMENT', 'tensors["a"]', 'unique', '"a" twice');
    expectError(() => serializeSafetensors({ __metadata__: w }), 'INVALID_ARGUMENT', '__metadata__', 'reserved');
    expectError(() => serializeSafetensors({ ['x\ud800']: w }), 'INVALID_ARGUMENT', 'lone surrogates');
  });
  it('meta tensors cannot be serialized', () => {
    expectError(() => serializeSafetensors({ big: empty([1000, 1000], { device: 'meta' }) }), 'UNSUPPORTED', 'tensors["big"]', 'meta', 'shape [1000, 1000]');
  });
  it('metadata must map strings to strings', () => {
    expectError(() => serializeSafetensors({ w }, { seed: 3 } as never), 'INVALID_ARGUMENT', 'metadata["seed"]', 'string value', 'got 3', 'String(value)');
    expectError(() => serializeSafetensors({ w }, ['a'] as never), 'INVALID_ARGUMENT', 'metadata', '["a"]');
    expectError(() => serializeSafetensors({ w }, 'x' as never), 'INVALID_ARGUMENT', 'metadata', '"x"');
    expectError(() => serializeSafetensors({ w }, { k: '\udc00' }), 'INVALID_ARGUMENT', 'metadata["k"]', 'lone surrogates');
  });
  it('options.dtype must be a floating dtype', () => {
    expectError(() => serializeSafetensors({ w }, undefined, { dtype: 'int64' as never }), 'UNKNOWN_NAME', 'options.dtype', "'float16'", '"int64"');
    expectError(() => serializeSafetensors({ w }, undefined, 'float16' as never), 'INVALID_ARGUMENT', 'options', '"float16"');
  });
  it('integer tensors must hold integers in range', () => {
    const bad = empty([3], { dtype: 'int32' });
    bad.data[2] = 2 ** 31;
    expectError(() => serializeSafetensors({ n: bad }), 'INVALID_ARGUMENT', 'tensors["n"]', 'I32', '2147483648 at element 2');
    const nan = empty([2], { dtype: 'int64' });
    nan.data[1] = NaN;
    expectError(() => serializeSafetensors({ n: nan }), 'INVALID_ARGUMENT', 'tensors["n"]', 'I64', 'NaN at element 1');
  });
  it('a header over 100 MB is refused', () => {
    expectError(() => serializeSafetensors({}, { big: 'x'.repeat(MAX_HEADER_BYTES) }), 'INVALID_ARGUMENT', 'header of at most 100000000 bytes');
  });
});

describe('reader errors (MALFORMED_FILE, one per branch)', () => {
  const ok = '{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const data8 = [0, 0, 128, 63, 0, 0, 0, 64];
  const bad = (bytes: Uint8Array, ...fragments: string[]): InitError => expectError(() => parseSafetensors(bytes), 'MALFORMED_FILE', ...fragments);

  it('the valid base file parses', () => {
    expect(parseSafetensors(file(ok, data8)).tensors.get('w')!.tolist()).toEqual([1, 2]);
  });
  it('input must be a Uint8Array', () => {
    expectError(() => parseSafetensors([1, 2] as never), 'INVALID_ARGUMENT', 'Uint8Array', '[1, 2]');
  });
  it('file shorter than 8 bytes', () => {
    bad(new Uint8Array(5), 'parseSafetensors: file', 'at least 8 bytes', 'got 5 bytes');
  });
  it('header length over 100 MB, or beyond the file', () => {
    bad(file(ok, data8, 2 ** 40), 'header length', '100000000', '1099511627776');
    const huge = file(ok, data8);
    huge.fill(0xff, 0, 8);
    bad(huge, 'header length', '18446744073709551615');
    bad(file(ok, data8, 1000), 'header length', 'at most', 'got 1000');
  });
  it('empty header, or not starting with {', () => {
    bad(file('', []), 'header', "starting with '{'", 'an empty header');
    bad(file(` ${ok}`, data8), 'header', "starting with '{'", "' ' at byte 8");
    bad(file('[1]', []), 'header', "'[' at byte 8");
  });
  it('header not UTF-8', () => {
    const f = file(`{"w\u00e9":1}`, []);
    f[12] = 0xff;
    bad(f, 'header', 'UTF-8', 'at byte 11');
  });
  it('header not JSON', () => {
    bad(file('{"w":{"dtype":"F32",}}', []), 'header', 'valid JSON', "unexpected '}'");
    bad(file('{"w":', []), 'header', 'valid JSON', 'end of header');
    bad(file('{"w":1} x', []), 'header', 'after the JSON value');
    bad(file('{"w":"\u0001"}', []), 'header', 'control character');
    bad(file('{"w":"\\x"}', []), 'header', 'invalid escape');
    bad(file('{"w":"\\ud800"}', []), 'header', 'lone leading surrogate');
    bad(file('{"w":"\\udc00"}', []), 'header', 'lone trailing surrogate');
    bad(file('{"w":01}', []), 'header', 'leading zero');
    bad(file('{"w":tru}', []), 'header', "expected 'true'");
    bad(file(`{"w":${'['.repeat(200)}${']'.repeat(200)}}`, []), 'header', 'nesting deeper than 128');
  });
  it('duplicate keys', () => {
    bad(file(`{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, data8), 'duplicate key "w"');
    bad(file('{"w":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}', data8), 'duplicate key "dtype"');
  });
  it('__metadata__ not a string→string map', () => {
    bad(file(`{"__metadata__":[1],${ok.slice(1)}`, data8), 'header["__metadata__"]', 'object mapping strings to strings', '[1]');
    bad(file(`{"__metadata__":{"seed":3},${ok.slice(1)}`, data8), 'header["__metadata__"]["seed"]', 'string value', 'got 3 at byte');
  });
  it('entry not an object, or missing a field', () => {
    bad(file('{"w":[1]}', []), 'header["w"]', 'object with dtype, shape and data_offsets', '[1]');
    bad(file('{"w":{"shape":[2],"data_offsets":[0,8]}}', data8), 'header["w"]', '"dtype" field', '"shape", "data_offsets"');
    bad(file('{"w":{"dtype":"F32","data_offsets":[0,8]}}', data8), 'header["w"]', '"shape" field');
    bad(file('{"w":{"dtype":"F32","shape":[2]}}', data8), 'header["w"]', '"data_offsets" field');
  });
  it('unknown dtype', () => {
    bad(file('{"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', data8), 'header["w"].dtype', 'F32', 'got "F33"');
    bad(file('{"w":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}', data8), 'header["w"].dtype', 'got 32');
    bad(file('{"w":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}', data8), 'header["w"].dtype', 'got "f32"');
  });
  it('bad shapes: not an array, negative, fractional, exponent, too large', () => {
    bad(file('{"w":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}', data8), 'header["w"].shape', 'array of non-negative integers', 'got 2 at byte');
    bad(file('{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', data8), 'header["w"].shape[0]', 'non-negative integer', 'got -2');
    bad(file('{"w":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}', data8), 'header["w"].shape[0]', 'got 2.0');
    bad(file('{"w":{"dtype":"F32","shape":[2e0],"data_offsets":[0,8]}}', data8), 'header["w"].shape[0]', 'got 2e0');
    bad(file('{"w":{"dtype":"F32","shape":[2,"1"],"data_offsets":[0,8]}}', data8), 'header["w"].shape[1]', 'got "1"');
    bad(file('{"w":{"dtype":"F32","shape":[99999999999999999999],"data_offsets":[0,8]}}', data8), 'header["w"].shape[0]', 'below 2^53', '99999999999999999999');
    bad(file('{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}', data8), 'header["w"].shape', 'fits in 2^53', '[4294967296, 4294967296]');
  });
  it('bad offsets: not a pair, non-integer, negative, begin > end, beyond the data section', () => {
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', data8), 'header["w"].data_offsets', 'two integers', 'got [0]');
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":{"a":0}}}', data8), 'header["w"].data_offsets', 'two integers', 'an object');
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8.5]}}', data8), 'header["w"].data_offsets[1]', 'end', 'got 8.5');
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[-1,8]}}', data8), 'header["w"].data_offsets[0]', 'begin', 'got -1');
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[null,8]}}', data8), 'header["w"].data_offsets[0]', 'got null');
    bad(file('{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', data8), 'header["w"].data_offsets', 'begin <= end', '[8, 0]');
    bad(file('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,16]}}', data8), 'header["w"].data_offsets', 'within the data section (8 bytes', '[0, 16]');
  });
  it('byte count != prod(shape) x dtype size', () => {
    bad(file('{"w":{"dtype":"F64","shape":[2],"data_offsets":[0,8]}}', data8), 'header["w"].data_offsets', 'end - begin = 16 bytes', '(8 bytes)');
    bad(file('{"w":{"dtype":"F4","shape":[3],"data_offsets":[0,8]}}', data8), 'header["w"].shape', 'whole number of bytes', '12 bits');
  });
  it('gaps, overlaps, and trailing bytes', () => {
    bad(
      file('{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[3,5]}}', [1, 2, 3, 4, 5]),
      'header["b"].data_offsets', 'without gaps', 'bytes [2, 3) belong to no tensor',
    );
    bad(
      file('{"a":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}', [1, 2, 3]),
      'header["a"].data_offsets', 'begin at 0', 'bytes [0, 1) belong to no tensor',
    );
    bad(
      file('{"a":{"dtype":"U8","shape":[3],"data_offsets":[0,3]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}', [1, 2, 3, 4]),
      'header["b"].data_offsets', 'non-overlapping', 'overlaps "a" at [0, 3]',
    );
    bad(file(ok, [...data8, 9]), 'parseSafetensors: data', 'exactly 8 bytes', '1 trailing bytes');
    bad(file('{}', [1]), 'data', 'exactly 0 bytes', '1 trailing bytes');
  });
  it('BOOL bytes other than 0 or 1', () => {
    bad(file('{"b":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}', [0, 1, 7]), 'tensor "b"', 'BOOL byte 0 or 1', '7 at element 2');
  });
  it('well-formed files initkit cannot hold: UNSUPPORTED', () => {
    expectError(
      () => parseSafetensors(file('{"f8":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}', [1, 2])),
      'UNSUPPORTED', 'header["f8"].dtype', '"F8_E4M3"',
    );
    const big = [1, 0, 0, 0, 0, 0, 0, 0x40];
    expectError(
      () => parseSafetensors(file('{"n":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}', big)),
      'UNSUPPORTED', 'tensor "n"', '2^53', '4611686018427387905 at element 0',
    );
    // The header of such a file is valid.
    expect(parseSafetensorsHeader(file('{"f8":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}', [1, 2])).entries[0]!.dtype).toBe('F8_E4M3');
  });
});
