/**
 * NumPy's `.npy` format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html), one tensor per
 * file, written and read without Node APIs.
 *
 * ```text
 * \x93NUMPY  major minor  HEADER_LEN (u16 LE for 1.0; u32 LE for 2.0/3.0)
 * {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }   space padded, ends with '\n'
 * data: the elements in C order (or Fortran order when fortran_order is True)
 * ```
 *
 * The writer emits version 1.0 with the header padded so the data starts at a multiple of 64 bytes, as NumPy >= 1.23
 * does (`np.save` writes the same bytes). Dtypes: float32 `<f4`, float64 `<f8`, float16 `<f2`, int64 `<i8`, int32
 * `<i4`, bool `|b1`; NumPy has no bfloat16, so bfloat16 tensors are refused (save as float32, or use safetensors).
 * The reader also accepts versions 2.0 and 3.0, big-endian descriptors, `u1 i1 i2 u2 u4 u8` (widened to int32/int64
 * as in {@link parseSafetensors}) and Fortran order (transposed back to C order), and validates everything, throwing
 * InitError `MALFORMED_FILE`.
 */
import { fail, formatValue } from '../errors.js';
import { type DType, type FloatDType, FLOAT_DTYPES, allocStorage, isFloatDType } from '../tensor/dtype.js';
import { formatShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { ElementError, type ElementKind, HOST_LITTLE_ENDIAN, InexactError, type ReadKind, READ_SIZE, decodeElements, encodeElements } from './bytes.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const WRITE_DESCR: Readonly<Record<Exclude<DType, 'bfloat16'>, [string, ElementKind]>> = {
  float32: ['<f4', 'f32'],
  float64: ['<f8', 'f64'],
  float16: ['<f2', 'f16'],
  int64: ['<i8', 'i64'],
  int32: ['<i4', 'i32'],
  bool: ['|b1', 'bool'],
};

const READ_DESCR: ReadonlyMap<string, [ReadKind, DType]> = new Map<string, [ReadKind, DType]>([
  ['f4', ['f32', 'float32']],
  ['f8', ['f64', 'float64']],
  ['f2', ['f16', 'float16']],
  ['i8', ['i64', 'int64']],
  ['i4', ['i32', 'int32']],
  ['b1', ['bool', 'bool']],
  ['u1', ['u8', 'int32']],
  ['i1', ['i8', 'int32']],
  ['i2', ['i16', 'int32']],
  ['u2', ['u16', 'int32']],
  ['u4', ['u32', 'int64']],
  ['u8', ['u64', 'int64']],
]);

/** Writer options. */
export interface NpyOptions {
  /** Store a floating tensor as this dtype (bfloat16 is not a NumPy dtype). Default: its own dtype. */
  dtype?: Exclude<FloatDType, 'bfloat16'> | undefined;
}

/**
 * Serialize one tensor to `.npy` bytes (version 1.0, C order, little-endian), byte-identical to `np.save` of the same
 * array with NumPy >= 1.23.
 *
 * @param tensor a materialized tensor (not bfloat16, which NumPy lacks; pass `{ dtype: 'float32' }` to convert).
 * @param options `dtype`: store a floating tensor as float32, float64 or float16 (rounded as PyTorch's `.to()`).
 * @returns the file's bytes.
 * @throws InitError `NOT_A_TENSOR`, `UNSUPPORTED` (meta or bfloat16), `UNKNOWN_NAME` (bad `options.dtype`),
 *   `INVALID_ARGUMENT` (an integer tensor holding a non-integer).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const bytes = serializeNpy(init.kaimingUniform_(empty([4, 3])));
 * // np.load(io.BytesIO(bytes)) equals torch.nn.init.kaiming_uniform_(torch.empty(4, 3)).numpy() after manual_seed(0)
 * ```
 */
export function serializeNpy(tensor: Tensor, options?: NpyOptions): Uint8Array {
  const where = 'serializeNpy';
  if (!(tensor instanceof Tensor)) fail({ code: 'NOT_A_TENSOR', where, param: 'tensor', expected: 'tensor to be a Tensor', receivedText: formatValue(tensor) });
  if (tensor.isMeta) {
    fail({ code: 'UNSUPPORTED', where, param: 'tensor', expected: 'a materialized tensor (a meta tensor has no data)', receivedText: tensor.describe() });
  }
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'options', expected: "options to be an object such as { dtype: 'float32' }", received: options });
  }
  const target = options?.dtype;
  if (target !== undefined && (!(FLOAT_DTYPES as readonly string[]).includes(target) || target === ('bfloat16' as string))) {
    fail({ code: 'UNKNOWN_NAME', where, param: 'options.dtype', expected: "options.dtype to be one of 'float32', 'float64', 'float16'", received: target });
  }
  const dtype = target !== undefined && isFloatDType(tensor.dtype) ? target : tensor.dtype;
  if (dtype === 'bfloat16') {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'tensor',
      expected: 'a dtype NumPy has (float32, float64, float16, int64, int32, bool)',
      receivedText: 'dtype bfloat16',
      fix: "Pass { dtype: 'float32' } (exact for bfloat16 values) or save it with serializeSafetensors.",
    });
  }
  const [descr, kind] = WRITE_DESCR[dtype];
  const shape = tensor.shape.length === 1 ? `(${tensor.shape[0]},)` : `(${tensor.shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // NumPy >= 1.24 leaves room for the first axis to grow to 21 digits, then pads (magic 6 + version 2 + u16 length 2
  // + header + '\n') to a multiple of 64 with 1 to 64 spaces, exactly as numpy.lib.format._wrap_header.
  if (tensor.shape.length > 0) dict += ' '.repeat(21 - String(tensor.shape[0]).length);
  const padlen = 64 - ((10 + dict.length + 1) % 64);
  dict = `${dict}${' '.repeat(padlen)}\n`;
  const total = 10 + dict.length;
  if (dict.length > 0xffff) {
    fail({ code: 'UNSUPPORTED', where, param: 'tensor', expected: 'a header below 64 KiB (format 1.0)', receivedText: `${tensor.shape.length} dimensions` });
  }
  const nbytes = tensor.numel * READ_SIZE[kind];
  const out = new Uint8Array(total + nbytes);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  const source = tensor.dtype === 'int64' || tensor.dtype === 'int32' ? 'int' : tensor.dtype === 'bool' ? 'bool' : tensor.dtype;
  try {
    encodeElements(tensor.data, source, kind, 0, tensor.numel, out, total);
  } catch (e) {
    if (e instanceof ElementError) {
      fail({ code: 'INVALID_ARGUMENT', where, param: 'tensor', expected: `${descr} elements: ${e.reason}`, receivedText: `${formatValue(e.value)} at element ${e.index}` });
    }
    throw e;
  }
  return out;
}

/**
 * Read a `.npy` file into a tensor (C order). Fortran-ordered arrays are transposed back; `u1 i1 i2 u2` load as
 * int32, `u4 u8` as int64 (exact values, 64-bit ones only when a double holds them exactly).
 *
 * @param bytes the whole file.
 * @returns the tensor.
 * @throws InitError `MALFORMED_FILE` naming the problem (magic, version, header length, header syntax, descr, shape,
 *   data size), `UNSUPPORTED` for valid files initkit cannot hold (structured, object, complex or string dtypes;
 *   64-bit integers beyond 2^53).
 *
 * @example
 * ```ts
 * const t = parseNpy(serializeNpy(fromArray([[1, 2], [3, 4]])));
 * ```
 */
export function parseNpy(bytes: Uint8Array): Tensor {
  return parseNpyWithWhere('parseNpy', bytes);
}

/** @internal {@link parseNpy} with another name in error messages (the Node loader passes the path). */
export function parseNpyWithWhere(where: string, bytes: Uint8Array): Tensor {
  if (!(bytes instanceof Uint8Array)) fail({ code: 'INVALID_ARGUMENT', where, param: 'bytes', expected: 'bytes to be a Uint8Array', received: bytes });
  const bad = (part: string, expected: string, receivedText: string): never =>
    fail({ code: 'MALFORMED_FILE', where: `${where}: ${part}`, param: part, expected, receivedText });
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) {
    bad('magic', 'a file starting with \\x93NUMPY', bytes.length < 10 ? `${bytes.length} bytes` : `bytes ${formatValue(Array.from(bytes.subarray(0, 6)))}`);
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) bad('version', 'format version 1.0, 2.0 or 3.0', `${major}.${minor}`);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) bad('header length', `${8 + lenBytes} bytes of preamble`, `${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (hlen > bytes.length - start) bad('header length', `at most ${bytes.length - start} bytes`, `${hlen}`);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(bytes.subarray(start, start + hlen));
  } catch {
    return bad('header', 'a UTF-8 header', 'invalid UTF-8');
  }
  const header = parsePyDict(text, (what) => bad('header', 'a Python dict literal', what));
  const keys = Object.keys(header).sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    bad('header', "exactly the keys 'descr', 'fortran_order', 'shape'", formatValue(Object.keys(header)));
  }
  const descr = header['descr'];
  const fortran = header['fortran_order'];
  const shapeV = header['shape'];
  if (typeof fortran !== 'boolean') bad('header.fortran_order', 'True or False', formatValue(fortran));
  if (!Array.isArray(shapeV) || !shapeV.every((d) => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0)) {
    bad('header.shape', 'a tuple of non-negative integers', formatValue(shapeV));
  }
  const shape = shapeV as number[];
  if (typeof descr !== 'string') {
    return fail({ code: 'UNSUPPORTED', where: `${where}: header.descr`, param: 'descr', expected: 'a simple dtype string such as "<f4"', receivedText: formatValue(descr) });
  }
  const m = /^([<>|=])([a-zA-Z]\d+)$/.exec(descr);
  const entry = m === null ? undefined : READ_DESCR.get(m[2]!);
  if (m === null || entry === undefined) {
    return fail({
      code: 'UNSUPPORTED',
      where: `${where}: header.descr`,
      param: 'descr',
      expected: `one of ${[...READ_DESCR.keys()].join(', ')} (with a byte-order mark)`,
      received: descr,
    });
  }
  const [kind, load] = entry;
  const size = READ_SIZE[kind];
  const bigEndian = m[1] === '>' || (m[1] === '=' && !HOST_LITTLE_ENDIAN);
  const numel = shape.includes(0) ? 0 : shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(numel * size)) bad('header.shape', 'a size below 2^53 bytes', formatShape(shape));
  const dataStart = start + hlen;
  if (bytes.length - dataStart !== numel * size) {
    bad('data', `${numel * size} bytes (shape ${formatShape(shape)} x ${size} bytes)`, `${bytes.length - dataStart} bytes`);
  }
  let data = bytes.subarray(dataStart);
  if (bigEndian && size > 1) {
    data = data.slice();
    for (let i = 0; i < data.length; i += size) data.subarray(i, i + size).reverse();
  }
  const storage = allocStorage(load, numel);
  try {
    decodeElements(data, 0, numel, kind, storage);
  } catch (e) {
    if (e instanceof InexactError) {
      fail({ code: 'UNSUPPORTED', where: `${where}: data`, param: 'data', expected: 'integers a double holds exactly (|v| <= 2^53)', receivedText: `${e.text} at element ${e.index}` });
    }
    if (e instanceof ElementError) bad('data', e.reason, `${e.value} at element ${e.index}`);
    throw e;
  }
  const t = new Tensor(shape, load, storage);
  return fortran && shape.length > 1 ? fromFortran(t) : t;
}

/** Reorder a tensor whose storage is in Fortran (column-major) order into C order. */
function fromFortran(t: Tensor): Tensor {
  const shape = t.shape;
  const out = allocStorage(t.dtype, t.numel);
  const idx = new Array<number>(shape.length).fill(0);
  const fStride: number[] = [];
  let s = 1;
  for (const d of shape) {
    fStride.push(s);
    s *= d;
  }
  for (let c = 0; c < t.numel; c++) {
    let f = 0;
    for (let k = 0; k < shape.length; k++) f += idx[k]! * fStride[k]!;
    out[c] = t.data[f]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return new Tensor(shape, t.dtype, out);
}

/** Parse the restricted Python literal NumPy writes: a dict of str keys to str, bool, or tuples of ints. */
function parsePyDict(text: string, err: (what: string) => never): Record<string, unknown> {
  let p = 0;
  const ws = (): void => {
    while (p < text.length && ' \t\n\r'.includes(text[p]!)) p++;
  };
  const expect = (c: string): void => {
    ws();
    if (text[p] !== c) err(`expected '${c}' at character ${p}, got ${text[p] === undefined ? 'end of header' : `'${text[p]}'`}`);
    p++;
  };
  const value = (): unknown => {
    ws();
    const c = text[p];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, p + 1);
      if (end < 0) err(`unterminated string at character ${p}`);
      const s = text.slice(p + 1, end);
      p = end + 1;
      return s;
    }
    if (text.startsWith('True', p)) {
      p += 4;
      return true;
    }
    if (text.startsWith('False', p)) {
      p += 5;
      return false;
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      p++;
      const items: unknown[] = [];
      ws();
      while (text[p] !== close) {
        items.push(value());
        ws();
        if (text[p] === ',') p++;
        else if (text[p] !== close) err(`expected ',' or '${close}' at character ${p}`);
        ws();
      }
      p++;
      return items;
    }
    const num = /^\d+/.exec(text.slice(p, p + 20));
    if (num !== null) {
      p += num[0].length;
      if (num[0].length > 16) err(`integer too large at character ${p}`);
      return Number(num[0]);
    }
    if (c === '{') return err(`nested dict at character ${p} (structured dtypes are not supported)`);
    return err(`unexpected ${c === undefined ? 'end of header' : `'${c}'`} at character ${p}`);
  };
  expect('{');
  const out: Record<string, unknown> = {};
  ws();
  while (text[p] !== '}') {
    const k = value();
    if (typeof k !== 'string') err(`expected a string key at character ${p}`);
    if (Object.prototype.hasOwnProperty.call(out, k as string)) err(`duplicate key '${k as string}'`);
    expect(':');
    Object.defineProperty(out, k as string, { value: value(), enumerable: true, writable: true, configurable: true });
    ws();
    if (text[p] === ',') p++;
    else if (text[p] !== '}') err(`expected ',' or '}' at character ${p}`);
    ws();
    if (p >= text.length) err('unterminated dict');
  }
  p++;
  ws();
  if (p !== text.length) err(`unexpected text after the dict at character ${p}`);
  return out;
}
