/**
 * safetensors: Hugging Face's tensor file format, written and read without Node APIs (works in browsers).
 *
 * Layout (https://github.com/huggingface/safetensors#format):
 *
 * ```text
 * [ N: u64 little-endian ][ N bytes: UTF-8 JSON header, space padded ][ data section: tensors' bytes, contiguous ]
 * header = { "__metadata__": { string: string },                         (optional)
 *            "<name>": { "dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end] }, ... }
 * ```
 *
 * Offsets are relative to the start of the data section; elements are little-endian, row-major (C order).
 * The writer follows the Rust reference implementation byte for byte in its choices (compact JSON, `__metadata__`
 * first, header padded with spaces to a multiple of 8 bytes so every tensor of the first dtype starts aligned), but
 * keeps the caller's key order (a PyTorch `state_dict()` order) instead of sorting by dtype and name.
 *
 * The reader validates the whole header before touching data and throws InitError (code `MALFORMED_FILE`) naming
 * what is wrong and where; see {@link parseSafetensorsHeader} for the list. It never reads outside the given bytes.
 */
import { fail, formatValue } from '../errors.js';
import { type DType, type FloatDType, FLOAT_DTYPES, allocStorage, isFloatDType } from '../tensor/dtype.js';
import { formatShape, numelOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  ElementError,
  type ElementKind,
  InexactError,
  KIND_SIZE,
  type ReadKind,
  type SourceKind,
  decodeElements,
  encodeElements,
} from './bytes.js';
import { type JsonObject, type JsonValue, JsonSyntaxError, describeJson, parseJsonBytes } from './strict-json.js';

// ---- dtypes --------------------------------------------------------------------------------------------------------

/** The safetensors dtypes initkit writes (the on-disk names of its tensor dtypes). */
export const SAFETENSORS_DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'BOOL'] as const;
export type SafetensorsWriteDType = (typeof SAFETENSORS_DTYPES)[number];

/**
 * Every dtype the safetensors format defines. initkit reads the first group into tensors (U8, I8, I16, U16 widen to
 * `int32`; U32, U64 to `int64`); the 8-bit and sub-byte floats and C64 are recognised (their byte counts are
 * validated) but loading them throws InitError `UNSUPPORTED`.
 */
export const SAFETENSORS_ALL_DTYPES = [
  'F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'BOOL', 'U8', 'I8', 'I16', 'U16', 'U32', 'U64',
  'F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'C64',
] as const;
export type SafetensorsDType = (typeof SAFETENSORS_ALL_DTYPES)[number];

interface DTypeInfo {
  /** Bits per element (sub-byte dtypes pack). */
  readonly bits: number;
  /** How to decode, or null if initkit cannot hold it. */
  readonly kind: ReadKind | null;
  /** The initkit dtype it loads as. */
  readonly load: DType | null;
}

const DTYPE_INFO: ReadonlyMap<string, DTypeInfo> = new Map<SafetensorsDType, DTypeInfo>([
  ['F64', { bits: 64, kind: 'f64', load: 'float64' }],
  ['F32', { bits: 32, kind: 'f32', load: 'float32' }],
  ['F16', { bits: 16, kind: 'f16', load: 'float16' }],
  ['BF16', { bits: 16, kind: 'bf16', load: 'bfloat16' }],
  ['I64', { bits: 64, kind: 'i64', load: 'int64' }],
  ['I32', { bits: 32, kind: 'i32', load: 'int32' }],
  ['BOOL', { bits: 8, kind: 'bool', load: 'bool' }],
  ['U8', { bits: 8, kind: 'u8', load: 'int32' }],
  ['I8', { bits: 8, kind: 'i8', load: 'int32' }],
  ['I16', { bits: 16, kind: 'i16', load: 'int32' }],
  ['U16', { bits: 16, kind: 'u16', load: 'int32' }],
  ['U32', { bits: 32, kind: 'u32', load: 'int64' }],
  ['U64', { bits: 64, kind: 'u64', load: 'int64' }],
  ['F8_E5M2', { bits: 8, kind: null, load: null }],
  ['F8_E4M3', { bits: 8, kind: null, load: null }],
  ['F8_E8M0', { bits: 8, kind: null, load: null }],
  ['F6_E2M3', { bits: 6, kind: null, load: null }],
  ['F6_E3M2', { bits: 6, kind: null, load: null }],
  ['F4', { bits: 4, kind: null, load: null }],
  ['C64', { bits: 64, kind: null, load: null }],
]);

/** initkit dtype → safetensors dtype. */
export const DTYPE_TO_SAFETENSORS: Readonly<Record<DType, SafetensorsWriteDType>> = {
  float64: 'F64',
  float32: 'F32',
  float16: 'F16',
  bfloat16: 'BF16',
  int64: 'I64',
  int32: 'I32',
  bool: 'BOOL',
};

const WRITE_KIND: Readonly<Record<SafetensorsWriteDType, ElementKind>> = {
  F64: 'f64',
  F32: 'f32',
  F16: 'f16',
  BF16: 'bf16',
  I64: 'i64',
  I32: 'i32',
  BOOL: 'bool',
};

/** Largest header accepted, as the reference implementation (`MAX_HEADER_SIZE`, 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

// ---- public types ----------------------------------------------------------------------------------------------------

/** Writer options. */
export interface SafetensorsOptions {
  /**
   * Store every floating tensor as this dtype (rounded to nearest even, as PyTorch's `tensor.to(dtype)`); integer
   * and bool tensors keep theirs. Default: each tensor's own dtype.
   */
  dtype?: FloatDType | undefined;
}

/** Tensors to write: a record, a Map, or any iterable of `[name, tensor]` pairs (the order is the file order). */
export type TensorEntries = Record<string, Tensor> | Iterable<readonly [string, Tensor]>;

/** One tensor's header entry. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** [begin, end) in bytes, relative to the start of the data section. */
  readonly dataOffsets: readonly [number, number];
}

/** A validated header. */
export interface SafetensorsHeader {
  /** N, the header's byte length (padding included). */
  readonly headerLength: number;
  /** Byte offset of the data section in the file: 8 + N. */
  readonly dataStart: number;
  /** Byte length of the data section (= the end of the last tensor). */
  readonly dataLength: number;
  /** Tensor entries in header (JSON key) order. */
  readonly entries: readonly SafetensorsEntry[];
  /** `__metadata__` (an empty object when absent). */
  readonly metadata: Record<string, string>;
}

/** What {@link parseSafetensors} returns. */
export interface ParsedSafetensors {
  /** Tensors by name, in header order (for files written by initkit or the reference implementation: file order). */
  tensors: Map<string, Tensor>;
  /** `__metadata__` (an empty object when absent). */
  metadata: Record<string, string>;
  /** Each tensor's dtype on disk (`U8` data loads into an `int32` tensor, for example). */
  dtypes: Map<string, SafetensorsDType>;
}

// ---- reading ---------------------------------------------------------------------------------------------------------

/**
 * Parse and validate a safetensors header without decoding tensor data.
 *
 * `bytes` must start at the beginning of the file and hold at least the 8-byte length and the header; `fileSize` is
 * the whole file's size (default `bytes.length`), so a reader can validate the header of a huge file from its first
 * bytes. Validation follows the Rust reference implementation (`SafeTensors::read_metadata`) and adds the checks it
 * leaves to serde or skips:
 *
 * - the file has at least 8 bytes; N <= 100 MB and N <= fileSize - 8;
 * - the header is valid UTF-8, starts with `{` (the spec's MUST), and is one JSON object followed only by whitespace;
 *   strict JSON: no duplicate keys anywhere, no lone surrogates, nesting <= 128;
 * - `__metadata__`, if present, is null or an object of string values;
 * - every other key is an object with `dtype` (a known dtype name), `shape` (an array of non-negative integer
 *   literals) and `data_offsets` (two non-negative integer literals, begin <= end <= the data section's length);
 *   other fields in an entry are ignored, as in the reference implementation;
 * - end - begin = prod(shape) x dtype size (whole bytes for sub-byte dtypes);
 * - sorted by offsets, the tensors tile the data section exactly: the first begins at 0, each begins where the
 *   previous ends (no gap, no overlap), and the last ends at the end of the file (no trailing bytes).
 *
 * @param bytes the file's bytes (or at least its first 8 + N bytes).
 * @param fileSize the file's size in bytes; default `bytes.length`.
 * @returns the header: entries in header order, metadata, N, and the data section's position and length.
 * @throws InitError `MALFORMED_FILE` naming the problem and its byte position or JSON path.
 *
 * @example
 * ```ts
 * const h = parseSafetensorsHeader(bytes);
 * h.entries.map((e) => `${e.name}: ${e.dtype} [${e.shape}]`);
 * ```
 */
export function parseSafetensorsHeader(bytes: Uint8Array, fileSize?: number): SafetensorsHeader {
  return readHeader('parseSafetensorsHeader', bytes, fileSize ?? bytes.length);
}

/**
 * Read a safetensors file from bytes: every tensor, its metadata, and each tensor's on-disk dtype.
 *
 * F32 and F64 load bit for bit (NaN payloads included); F16 and BF16 load into `float16`/`bfloat16` tensors whose
 * Float32Array storage holds the exact values; I64/U64 load into `int64` tensors when every value is exact in a
 * double (|v| <= 2^53, or larger values that a double holds exactly), otherwise InitError `UNSUPPORTED`; BOOL bytes
 * must be 0 or 1. The header is validated first ({@link parseSafetensorsHeader}); data are read only inside it.
 *
 * @param bytes the whole file. A view (subarray) is fine; nothing outside it is read.
 * @returns `{ tensors, metadata, dtypes }`; tensors in header order.
 * @throws InitError `MALFORMED_FILE` for anything malformed, `UNSUPPORTED` for a well-formed file holding a dtype
 *   initkit cannot represent (F8_*, F6_*, F4, C64) or an int64 value a double cannot hold exactly.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const w = init.kaimingUniform_(empty([4, 3]));
 * const { tensors } = parseSafetensors(serializeSafetensors({ weight: w }));
 * tensors.get('weight')!.tolist(); // the same values
 * ```
 */
export function parseSafetensors(bytes: Uint8Array): ParsedSafetensors {
  return parseWithWhere('parseSafetensors', bytes);
}

/** @internal {@link parseSafetensors} with another name in error messages (the Node loader passes the path). */
export function parseWithWhere(where: string, bytes: Uint8Array): ParsedSafetensors {
  if (!(bytes instanceof Uint8Array)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'bytes', expected: 'bytes to be a Uint8Array', received: bytes });
  }
  const header = readHeader(where, bytes, bytes.length);
  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafetensorsDType>();
  for (const e of header.entries) {
    const at = header.dataStart + e.dataOffsets[0];
    tensors.set(e.name, decodeTensor(where, e, bytes.subarray(at, header.dataStart + e.dataOffsets[1])));
    dtypes.set(e.name, e.dtype);
  }
  return { tensors, metadata: header.metadata, dtypes };
}

/**
 * @internal Decode one validated entry from exactly its bytes (`data.length === end - begin`).
 * @throws InitError `UNSUPPORTED` or `MALFORMED_FILE` (a BOOL byte other than 0 or 1).
 */
export function decodeTensor(where: string, e: SafetensorsEntry, data: Uint8Array): Tensor {
  const dec = new TensorDecoder(where, e);
  dec.push(data);
  return dec.finish();
}

/**
 * @internal Incremental decoding of one validated entry: push its bytes in order, in chunks of any size (the Node
 * loader reads huge tensors piecewise), then {@link TensorDecoder.finish}.
 */
export class TensorDecoder {
  /** Bytes still expected. */
  remaining: number;
  private readonly kind: ReadKind;
  private readonly load: DType;
  private readonly storage: Float32Array | Float64Array;
  private readonly size: number;
  private element = 0;
  private carry = new Uint8Array(0);

  constructor(
    private readonly where: string,
    private readonly entry: SafetensorsEntry,
  ) {
    const info = DTYPE_INFO.get(entry.dtype)!;
    if (info.kind === null || info.load === null) {
      fail({
        code: 'UNSUPPORTED',
        where: `${where}: header[${JSON.stringify(entry.name)}].dtype`,
        param: 'dtype',
        expected: 'a dtype initkit can hold (F64, F32, F16, BF16, I64, I32, BOOL, U8, I8, I16, U16, U32, U64)',
        received: entry.dtype,
        fix: 'Convert the tensor (e.g. to F32 or F16) before saving it.',
      });
    }
    this.kind = info.kind;
    this.load = info.load;
    this.size = info.bits / 8;
    this.storage = allocStorage(info.load, numelOf(entry.shape));
    this.remaining = entry.dataOffsets[1] - entry.dataOffsets[0];
  }

  push(chunk: Uint8Array): void {
    if (chunk.length > this.remaining) throw new Error('TensorDecoder: more bytes than the entry holds');
    this.remaining -= chunk.length;
    let bytes = chunk;
    if (this.carry.length > 0) {
      const joined = new Uint8Array(this.carry.length + chunk.length);
      joined.set(this.carry);
      joined.set(chunk, this.carry.length);
      bytes = joined;
    }
    const n = Math.floor(bytes.length / this.size);
    this.decode(bytes, n);
    this.carry = bytes.slice(n * this.size);
  }

  finish(): Tensor {
    if (this.remaining !== 0 || this.carry.length !== 0) throw new Error('TensorDecoder: incomplete tensor');
    return new Tensor(this.entry.shape, this.load, this.storage);
  }

  private decode(bytes: Uint8Array, n: number): void {
    const e = this.entry;
    try {
      decodeElements(bytes, 0, n, this.kind, this.storage.subarray(this.element, this.element + n));
    } catch (err) {
      if (err instanceof InexactError) {
        fail({
          code: 'UNSUPPORTED',
          where: `${this.where}: tensor ${JSON.stringify(e.name)}`,
          param: 'data',
          expected: `${e.dtype} values a double holds exactly (|v| <= 2^53), as initkit's int64 storage requires`,
          receivedText: `${err.text} at element ${this.element + err.index}`,
        });
      }
      if (err instanceof ElementError) {
        fail({
          code: 'MALFORMED_FILE',
          where: `${this.where}: tensor ${JSON.stringify(e.name)}`,
          param: 'data',
          expected: err.reason,
          receivedText: `${err.value} at element ${this.element + err.index}`,
        });
      }
      throw err;
    }
    this.element += n;
  }
}

/** `part` names the part of the file (`header length`) or the JSON path (`header["fc.weight"].shape[1]`). */
function malformedAt(where: string, part: string, expected: string, receivedText: string, fix?: string): never {
  return fail({
    code: 'MALFORMED_FILE',
    where: `${where}: ${part}`,
    param: part,
    expected,
    receivedText,
    ...(fix !== undefined ? { fix } : {}),
  });
}

/**
 * @internal Validate the 8-byte length prefix against the file size and return N, the header length.
 * `bytes` holds the file's first min(8, fileSize) bytes or more.
 */
export function checkHeaderLength(where: string, bytes: Uint8Array, fileSize: number): number {
  if (!(bytes instanceof Uint8Array)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'bytes', expected: 'bytes to be a Uint8Array', received: bytes });
  }
  if (!Number.isSafeInteger(fileSize) || fileSize < bytes.length) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'fileSize',
      expected: `fileSize to be an integer >= bytes.length (${bytes.length})`,
      received: fileSize,
    });
  }
  if (fileSize < 8) {
    malformedAt(where, 'file', 'a safetensors file of at least 8 bytes (the header length)', `${fileSize} bytes`, 'The file is truncated or not a safetensors file.');
  }
  if (bytes.length < 8) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'bytes', expected: 'at least the first 8 bytes of the file', receivedText: `${bytes.length} bytes` });
  }
  const lo = bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24);
  const hi = bytes[4]! | (bytes[5]! << 8) | (bytes[6]! << 16) | (bytes[7]! << 24);
  const nBig = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  if (nBig > BigInt(MAX_HEADER_BYTES)) {
    malformedAt(
      where,
      'header length',
      `a header length (bytes 0-7, little-endian u64) of at most ${MAX_HEADER_BYTES} bytes`,
      `${nBig}`,
      'The file is corrupt or not a safetensors file.',
    );
  }
  const n = Number(nBig);
  if (n > fileSize - 8) {
    malformedAt(
      where,
      'header length',
      `a header length (bytes 0-7) of at most ${fileSize - 8} bytes (the file has ${fileSize} bytes)`,
      `${n}`,
      'The file is truncated or corrupt.',
    );
  }
  return n;
}

/** @internal {@link parseSafetensorsHeader} with the caller's name in messages. */
export function readHeader(where: string, bytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const n = checkHeaderLength(where, bytes, fileSize);
  const malformed = (part: string, expected: string, receivedText: string, fix?: string): never =>
    malformedAt(where, part, expected, receivedText, fix);
  if (bytes.length < 8 + n) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'bytes',
      expected: `at least the first ${8 + n} bytes of the file (the 8-byte length and the ${n}-byte header)`,
      receivedText: `${bytes.length} bytes`,
    });
  }
  const start = 8;
  const end = 8 + n;
  if (n === 0 || bytes[start] !== 0x7b) {
    malformed('header', "a JSON header starting with '{' at byte 8", n === 0 ? 'an empty header' : describeByteAt(bytes, start));
  }
  try {
    new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start, end));
  } catch {
    malformed('header', 'a header of valid UTF-8', `invalid UTF-8 at byte ${firstInvalidUtf8(bytes, start, end)}`);
  }
  let root: JsonValue;
  try {
    root = parseJsonBytes(bytes, start, end);
  } catch (e) {
    if (e instanceof JsonSyntaxError) malformed('header', 'a valid JSON header', `${e.what} at byte ${e.pos}`);
    throw e;
  }
  if (root.type !== 'object') malformed('header', 'a JSON object', describeJson(root));
  const obj = root as JsonObject;
  const dataLength = fileSize - end;
  const at = (name: string, field?: string): string =>
    `header[${JSON.stringify(name)}]${field === undefined ? '' : `.${field}`}`;
  const bad = (path: string, expected: string, v: JsonValue, fix?: string): never =>
    malformed(path, expected, `${describeJson(v)} at byte ${v.pos}`, fix);

  let metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (let k = 0; k < obj.keys.length; k++) {
    const name = obj.keys[k]!;
    const value = obj.values[k]!;
    if (name === '__metadata__') {
      metadata = readMetadata(value, bad);
      continue;
    }
    if (value.type !== 'object') bad(at(name), 'an object with dtype, shape and data_offsets', value);
    const entry = value as JsonObject;
    const field = (f: string): JsonValue => {
      const i = entry.keys.indexOf(f);
      if (i < 0) malformed(at(name), `a "${f}" field`, `an entry with fields [${entry.keys.map((x) => JSON.stringify(x)).join(', ')}] at byte ${entry.pos}`);
      return entry.values[i]!;
    };
    const dtypeV = field('dtype');
    if (dtypeV.type !== 'string' || !DTYPE_INFO.has(dtypeV.value)) {
      bad(at(name, 'dtype'), `one of ${SAFETENSORS_ALL_DTYPES.join(', ')}`, dtypeV);
    }
    const dtype = (dtypeV as { value: string }).value as SafetensorsDType;
    const shapeV = field('shape');
    if (shapeV.type !== 'array') bad(at(name, 'shape'), 'an array of non-negative integers', shapeV);
    const shape = (shapeV as { items: JsonValue[] }).items.map((d, i) =>
      readUint(d, `${at(name, 'shape')}[${i}]`, 'a non-negative integer', bad),
    );
    const numel = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
    const offV = field('data_offsets');
    if (offV.type !== 'array' || offV.items.length !== 2) bad(at(name, 'data_offsets'), 'an array [begin, end] of two integers', offV);
    const [bV, eV] = (offV as { items: JsonValue[] }).items as [JsonValue, JsonValue];
    const begin = readUint(bV, `${at(name, 'data_offsets')}[0]`, 'a non-negative integer (begin)', bad);
    const stop = readUint(eV, `${at(name, 'data_offsets')}[1]`, 'a non-negative integer (end)', bad);
    if (stop < begin) {
      malformed(at(name, 'data_offsets'), 'begin <= end', `[${begin}, ${stop}] at byte ${offV.pos}`);
    }
    if (stop > dataLength) {
      malformed(
        at(name, 'data_offsets'),
        `an end within the data section (${dataLength} bytes, file offset ${end} to ${fileSize})`,
        `[${begin}, ${stop}] at byte ${offV.pos}`,
        'The file is truncated or its header is corrupt.',
      );
    }
    const info = DTYPE_INFO.get(dtype)!;
    const nbits = numel * info.bits;
    if (!Number.isSafeInteger(nbits)) {
      malformed(at(name, 'shape'), 'a shape whose byte size fits in 2^53', `${formatShape(shape)} at byte ${shapeV.pos}`);
    }
    if (nbits % 8 !== 0) {
      malformed(at(name, 'shape'), `a whole number of bytes (${info.bits}-bit ${dtype} elements)`, `${formatShape(shape)} (${nbits} bits)`);
    }
    if (stop - begin !== nbits / 8) {
      malformed(
        at(name, 'data_offsets'),
        `end - begin = ${nbits / 8} bytes (shape ${formatShape(shape)} x ${info.bits / 8} bytes per ${dtype})`,
        `[${begin}, ${stop}] (${stop - begin} bytes) at byte ${offV.pos}`,
      );
    }
    entries.push({ name, dtype, shape: Object.freeze(shape), dataOffsets: Object.freeze([begin, stop] as const) });
  }

  // The tensors must tile the data section exactly, as in the reference implementation (Metadata::validate).
  const sorted = entries.map((e, i) => ({ e, i }));
  sorted.sort((a, b) => a.e.dataOffsets[0] - b.e.dataOffsets[0] || a.e.dataOffsets[1] - b.e.dataOffsets[1] || a.i - b.i);
  let cursor = 0;
  let prev: SafetensorsEntry | undefined;
  for (const { e } of sorted) {
    const [b, s] = e.dataOffsets;
    if (b > cursor) {
      malformed(
        at(e.name, 'data_offsets'),
        `tensors covering the data section without gaps (the next tensor should begin at ${cursor})`,
        `[${b}, ${s}]: bytes [${cursor}, ${b}) belong to no tensor`,
      );
    }
    if (b < cursor) {
      malformed(
        at(e.name, 'data_offsets'),
        `non-overlapping tensors (the next tensor should begin at ${cursor})`,
        `[${b}, ${s}], which overlaps ${JSON.stringify(prev!.name)} at [${prev!.dataOffsets[0]}, ${prev!.dataOffsets[1]}]`,
      );
    }
    cursor = s;
    prev = e;
  }
  if (cursor !== dataLength) {
    malformed(
      'data',
      `a data section of exactly ${cursor} bytes (the end of the last tensor)`,
      `${dataLength} bytes (${dataLength - cursor} trailing bytes after the last tensor)`,
      'The file has extra bytes at its end; it is corrupt or was written by a non-conforming writer.',
    );
  }
  return { headerLength: n, dataStart: end, dataLength, entries, metadata };
}

function readMetadata(
  value: JsonValue,
  bad: (path: string, expected: string, v: JsonValue) => never,
): Record<string, string> {
  const metadata: Record<string, string> = {};
  if (value.type === 'null') return metadata;
  if (value.type !== 'object') return bad('header["__metadata__"]', 'an object mapping strings to strings', value);
  for (let i = 0; i < value.keys.length; i++) {
    const v = value.values[i]!;
    const key = value.keys[i]!;
    if (v.type !== 'string') bad(`header["__metadata__"][${JSON.stringify(key)}]`, 'a string value', v);
    Object.defineProperty(metadata, key, { value: (v as { value: string }).value, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function readUint(v: JsonValue, path: string, expected: string, bad: (path: string, expected: string, v: JsonValue) => never): number {
  // `-0` is accepted as 0, as serde_json does for usize fields.
  if (v.type !== 'number' || !v.integer || v.value < 0 || !Number.isSafeInteger(v.value)) {
    return bad(path, v.type === 'number' && v.integer && v.value > 0 ? `${expected} below 2^53` : expected, v);
  }
  return v.value + 0;
}

function describeByteAt(bytes: Uint8Array, i: number): string {
  const c = bytes[i]!;
  return `${c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`} at byte ${i}`;
}

/** Position of the first byte that starts an invalid UTF-8 sequence in [start, end) (for the error message). */
function firstInvalidUtf8(b: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const c = b[i]!;
    let need: number;
    let min: number;
    if (c < 0x80) {
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    if (i + need >= end) return i;
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k]!;
      if ((cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return end;
}

// ---- writing ---------------------------------------------------------------------------------------------------------

/** What a header entry needs: a shape and a dtype (a Tensor, a meta Tensor, or a plain object). */
export interface TensorSpec {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** @internal One planned tensor. */
export interface PlannedTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly numel: number;
  /** The tensor's own dtype (before `options.dtype`). */
  readonly sourceDtype: DType;
  readonly fileDtype: SafetensorsWriteDType;
  readonly kind: ElementKind;
  readonly begin: number;
  readonly end: number;
}

/** @internal The header bytes (length prefix included) and each tensor's place. */
export interface SafetensorsPlan {
  readonly header: Uint8Array;
  readonly tensors: readonly PlannedTensor[];
  /** Total file size: header.length + data. */
  readonly totalBytes: number;
}

/**
 * Serialize tensors to safetensors bytes.
 *
 * Tensors are stored in the given order (a Record follows JavaScript's property order, which puts integer-like keys
 * such as `"0"` first; pass a Map or an array of pairs to control the order exactly), contiguously, with no gaps.
 * The header is compact JSON with `__metadata__` first (omitted when `metadata` is undefined), padded with spaces to
 * a multiple of 8 bytes, as the reference implementation writes it. Dtypes map float32→F32, float64→F64,
 * float16→F16, bfloat16→BF16, int64→I64, int32→I32, bool→BOOL; `options.dtype` converts floating tensors with
 * PyTorch's rounding (nearest even; float64 goes through float32 on its way to float16/bfloat16, as `tensor.to()`
 * does on CPU). Same tensors, same bytes.
 *
 * @param tensors a record, Map or iterable of `[name, tensor]`; names unique, not `__metadata__`.
 * @param metadata string → string pairs for `__metadata__` (optional).
 * @param options `dtype`: store floating tensors as this dtype (default: their own).
 * @returns the file's bytes.
 * @throws InitError `NOT_A_TENSOR` for a value that is not a Tensor, `UNSUPPORTED` for a meta tensor (no data),
 *   `INVALID_ARGUMENT` for a duplicate or reserved name, non-string metadata values, an integer tensor holding a
 *   non-integer or out-of-range value, or a header over 100 MB; `UNKNOWN_NAME` for a bad `options.dtype`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const weight = init.kaimingUniform_(empty([16, 8]));
 * const bytes = serializeSafetensors(new Map([['fc.weight', weight]]), { seed: '0' }, { dtype: 'bfloat16' });
 * // the same bytes as safetensors.torch.save_file({'fc.weight': w.bfloat16()}, ...) after torch.manual_seed(0)
 * ```
 */
export function serializeSafetensors(tensors: TensorEntries, metadata?: Record<string, string>, options?: SafetensorsOptions): Uint8Array {
  const where = 'serializeSafetensors';
  const entries = collectEntries(where, tensors, false) as Array<[string, Tensor]>;
  const plan = planSafetensors(where, entries, metadata, options);
  const out = new Uint8Array(plan.totalBytes);
  out.set(plan.header, 0);
  const base = plan.header.length;
  for (let i = 0; i < entries.length; i++) {
    const p = plan.tensors[i]!;
    encodeTensorRange(where, p, entries[i]![1], 0, p.numel, out, base + p.begin);
  }
  return out;
}

/**
 * @internal Validate writer input: a record, Map or iterable of `[name, tensor]` pairs. With `allowSpecs`, values may
 * also be meta tensors or `{ shape, dtype }` objects (the streaming writer plans its header from shapes alone).
 */
export function collectEntries(where: string, tensors: unknown, allowSpecs: boolean): Array<[string, Tensor | TensorSpec]> {
  if (typeof tensors !== 'object' || tensors === null) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'tensors',
      expected: 'tensors to be a record, a Map, or an iterable of [name, tensor] pairs',
      received: tensors,
    });
  }
  let pairs: unknown[];
  if (tensors instanceof Tensor) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'tensors',
      expected: 'named tensors: a record, a Map, or an iterable of [name, tensor] pairs',
      receivedText: `a single ${tensors.describe()}`,
      fix: 'Wrap it: { weight: tensor }.',
    });
  }
  if (Symbol.iterator in tensors) pairs = Array.from(tensors as Iterable<unknown>);
  else pairs = Object.entries(tensors);
  const seen = new Set<string>();
  const out: Array<[string, Tensor | TensorSpec]> = [];
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
      fail({ code: 'INVALID_ARGUMENT', where: `${where}: tensors[${i}]`, param: `tensors[${i}]`, expected: 'a [name, tensor] pair with a string name', received: pair });
    }
    const [name, value] = pair as [string, unknown];
    const param = `tensors[${JSON.stringify(name)}]`;
    const at = `${where}: ${param}`;
    if (name === '__metadata__') {
      fail({ code: 'INVALID_ARGUMENT', where: at, param, expected: 'a tensor name other than "__metadata__" (reserved by the format)', received: name });
    }
    if (!isWellFormed(name)) {
      fail({ code: 'INVALID_ARGUMENT', where: at, param, expected: 'a tensor name of well-formed Unicode (no lone surrogates)', received: name });
    }
    if (seen.has(name)) fail({ code: 'INVALID_ARGUMENT', where: at, param, expected: 'unique tensor names', receivedText: `${JSON.stringify(name)} twice` });
    seen.add(name);
    if (value instanceof Tensor) {
      if (value.isMeta && !allowSpecs) {
        fail({
          code: 'UNSUPPORTED',
          where: at,
          param,
          expected: 'a materialized tensor (a meta tensor has a shape but no data to write)',
          receivedText: value.describe(),
          fix: 'Build the model without device: "meta", or plan the file with createSafetensorsWriter and write each tensor once materialized.',
        });
      }
      out.push([name, value]);
      return;
    }
    if (allowSpecs && isSpec(value)) {
      out.push([name, value]);
      return;
    }
    fail({
      code: 'NOT_A_TENSOR',
      where: at,
      param,
      expected: allowSpecs ? 'a Tensor or a { shape, dtype } spec' : 'a Tensor',
      receivedText: formatValue(value),
    });
  });
  return out;
}

function isSpec(v: unknown): v is TensorSpec {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as { shape?: unknown; dtype?: unknown };
  return (
    Array.isArray(s.shape) &&
    s.shape.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0) &&
    typeof s.dtype === 'string' &&
    Object.prototype.hasOwnProperty.call(DTYPE_TO_SAFETENSORS, s.dtype)
  );
}

/** @internal The on-disk dtype of a tensor of `dtype` under `options.dtype`. */
export function fileDTypeOf(dtype: DType, target: FloatDType | undefined): SafetensorsWriteDType {
  return DTYPE_TO_SAFETENSORS[target !== undefined && isFloatDType(dtype) ? target : dtype];
}

/** @internal Check writer options; returns the target float dtype, if any. */
export function checkWriteOptions(where: string, options: unknown): FloatDType | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'options', expected: "options to be an object such as { dtype: 'float16' }", received: options });
  }
  const d = (options as { dtype?: unknown }).dtype;
  if (d === undefined) return undefined;
  if (typeof d !== 'string' || !(FLOAT_DTYPES as readonly string[]).includes(d)) {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'options.dtype',
      expected: `options.dtype to be one of ${FLOAT_DTYPES.map((x) => `'${x}'`).join(', ')}`,
      received: d,
    });
  }
  return d as FloatDType;
}

/** @internal Check `__metadata__` input: a plain object of string values. */
export function checkMetadata(where: string, metadata: unknown): Array<[string, string]> | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata) || metadata instanceof Map) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'metadata',
      expected: 'metadata to be an object of string values, such as { format: "pt" }',
      received: metadata,
    });
  }
  const pairs = Object.entries(metadata);
  for (const [k, v] of pairs) {
    if (typeof v !== 'string') {
      fail({
        code: 'INVALID_ARGUMENT',
        where: `${where}: metadata[${JSON.stringify(k)}]`, param: `metadata[${JSON.stringify(k)}]`,
        expected: 'a string value (the format stores only strings in __metadata__)',
        received: v,
        fix: `Convert it, e.g. metadata[${JSON.stringify(k)}] = String(value) or JSON.stringify(value).`,
      });
    }
    if (!isWellFormed(k) || !isWellFormed(v)) {
      fail({ code: 'INVALID_ARGUMENT', where: `${where}: metadata[${JSON.stringify(k)}]`, param: `metadata[${JSON.stringify(k)}]`, expected: 'well-formed Unicode (no lone surrogates)', received: v });
    }
  }
  return pairs as Array<[string, string]>;
}

/**
 * @internal Lay out the header and the data section. `entries` come from {@link collectEntries}.
 * The header is byte-identical to the reference implementation's for the same order.
 */
export function planSafetensors(
  where: string,
  entries: ReadonlyArray<readonly [string, Tensor | TensorSpec]>,
  metadata: unknown,
  options: unknown,
): SafetensorsPlan {
  const target = checkWriteOptions(where, options);
  const meta = checkMetadata(where, metadata);
  const parts: string[] = [];
  if (meta !== undefined) {
    parts.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  }
  const planned: PlannedTensor[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const fileDtype = fileDTypeOf(t.dtype, target);
    const kind = WRITE_KIND[fileDtype];
    const numel = numelOf(t.shape);
    const nbytes = numel * KIND_SIZE[kind];
    if (!Number.isSafeInteger(offset + nbytes)) {
      fail({ code: 'INVALID_ARGUMENT', where: `${where}: tensors[${JSON.stringify(name)}]`, param: `tensors[${JSON.stringify(name)}]`, expected: 'a total size below 2^53 bytes', receivedText: formatShape(t.shape) });
    }
    planned.push({ name, shape: [...t.shape], numel, sourceDtype: t.dtype, fileDtype, kind, begin: offset, end: offset + nbytes });
    parts.push(`${JSON.stringify(name)}:{"dtype":"${fileDtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${offset + nbytes}]}`);
    offset += nbytes;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  if (n > MAX_HEADER_BYTES) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'metadata',
      expected: `a header of at most ${MAX_HEADER_BYTES} bytes (readers reject larger ones)`,
      receivedText: `${n} bytes`,
      fix: 'Store less metadata, or split the tensors across several files.',
    });
  }
  const header = new Uint8Array(8 + n);
  new DataView(header.buffer).setUint32(0, n, true); // n < 2^32: the high word stays 0
  header.set(json, 8);
  header.fill(0x20, 8 + json.length);
  return { header, tensors: planned, totalBytes: 8 + n + offset };
}

/**
 * @internal Encode elements [start, end) of `t` (as planned by `p`) into `out` at byte `at`.
 * @throws InitError `INVALID_ARGUMENT` naming the tensor and element for an integer tensor's bad value.
 */
export function encodeTensorRange(where: string, p: PlannedTensor, t: Tensor, start: number, end: number, out: Uint8Array, at: number): void {
  const source: SourceKind =
    t.dtype === 'int64' || t.dtype === 'int32' ? 'int' : t.dtype === 'bool' ? 'bool' : (t.dtype as SourceKind);
  try {
    encodeElements(t.data, source, p.kind, start, end, out, at);
  } catch (e) {
    if (e instanceof ElementError) {
      fail({
        code: 'INVALID_ARGUMENT',
        where: `${where}: tensors[${JSON.stringify(p.name)}]`, param: `tensors[${JSON.stringify(p.name)}]`,
        expected: `${p.fileDtype} elements: ${e.reason}`,
        receivedText: `${formatValue(e.value)} at element ${e.index}`,
      });
    }
    throw e;
  }
}

function isWellFormed(s: string): boolean {
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}
