// .npy writer and reader: exact bytes (the layout numpy.lib.format writes), round trips, and the reader's errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Tensor, empty, fromArray, init, manualSeed, parseNpy, serializeNpy } from '../../src/index.js';
import { loadNpy, saveNpy } from '../../src/node.js';
import { expectError } from '../helpers/errors.js';

const enc = new TextEncoder();

function npy(header: string, data: ArrayLike<number>, version: [number, number] = [1, 0]): Uint8Array {
  const h = enc.encode(header);
  const lenBytes = version[0] === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version[0], version[1]]);
  const dv = new DataView(out.buffer);
  if (lenBytes === 2) dv.setUint16(8, h.length, true);
  else dv.setUint32(8, h.length, true);
  out.set(h, 8 + lenBytes);
  out.set(Array.from(data), 8 + lenBytes + h.length);
  return out;
}

const storage = (t: Tensor): string => Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).toString('hex');

describe('serializeNpy', () => {
  it('writes the header numpy 1.24 writes (growth room for axis 0, 64-byte alignment) and the data', () => {
    // Header text as numpy.lib.format._write_array_header builds it; the data are little-endian float32 1..6.
    const bytes = serializeNpy(fromArray([[1, 2, 3], [4, 5, 6]]));
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }" + ' '.repeat(20);
    const header = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
    const data = new Uint8Array(new Float32Array([1, 2, 3, 4, 5, 6]).buffer);
    expect(Array.from(bytes)).toEqual(Array.from(npy(header, data)));
    expect((10 + header.length) % 64).toBe(0);
  });

  it('round-trips every NumPy dtype, scalars and empty arrays', () => {
    manualSeed(1);
    const cases: Tensor[] = [
      init.normal_(empty([3, 4])),
      init.normal_(empty([5], { dtype: 'float64' })),
      fromArray([1, -2, 65504, 2 ** -24], { dtype: 'float16' }),
      fromArray([2 ** 53, -1], { dtype: 'int64' }),
      fromArray([2 ** 31 - 1, -(2 ** 31)], { dtype: 'int32' }),
      fromArray([true, false], { dtype: 'bool' }),
      fromArray(new Float32Array([7]), { shape: [] }),
      empty([0, 3]),
    ];
    for (const t of cases) {
      const back = parseNpy(serializeNpy(t));
      expect(back.dtype).toBe(t.dtype);
      expect(back.shape).toEqual(t.shape);
      expect(storage(back)).toBe(storage(t));
    }
  });

  it('options.dtype converts floating tensors; bfloat16 needs it', () => {
    const bf = fromArray([1.5, -3], { dtype: 'bfloat16' });
    expectError(() => serializeNpy(bf), 'UNSUPPORTED', 'bfloat16', "{ dtype: 'float32' }");
    expect(parseNpy(serializeNpy(bf, { dtype: 'float32' })).tolist()).toEqual([1.5, -3]);
    expect(parseNpy(serializeNpy(fromArray([1 + 2 ** -11]), { dtype: 'float16' })).tolist()).toEqual([1]);
    expectError(() => serializeNpy(bf, { dtype: 'bfloat16' as never }), 'UNKNOWN_NAME', 'options.dtype', '"bfloat16"');
    expectError(() => serializeNpy(bf, 'x' as never), 'INVALID_ARGUMENT', 'options', '"x"');
  });

  it('writer errors', () => {
    expectError(() => serializeNpy([1] as never), 'NOT_A_TENSOR', 'tensor', '[1]');
    expectError(() => serializeNpy(empty([2], { device: 'meta' })), 'UNSUPPORTED', 'meta');
    const bad = empty([2], { dtype: 'int32' });
    bad.data[1] = 0.5;
    expectError(() => serializeNpy(bad), 'INVALID_ARGUMENT', '<i4', '0.5 at element 1');
  });
});

describe('parseNpy', () => {
  it('reads version 2.0/3.0, big-endian, narrow integers, and Fortran order', () => {
    const pad = (s: string): string => `${s}${' '.repeat(64 - ((12 + s.length + 1) % 64))}\n`;
    const be = npy(pad("{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }"), [0x80, 0x00, 0xff, 0xfe], [2, 0]);
    expect(parseNpy(be).tolist()).toEqual([-32768, -2]);
    const u8 = npy(pad("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }"), [0, 128, 255], [3, 0]);
    expect(parseNpy(u8).dtype).toBe('int32');
    expect(parseNpy(u8).tolist()).toEqual([0, 128, 255]);
    // Fortran order: a 2x3 array [[1, 2, 3], [4, 5, 6]] is stored column by column.
    const f = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }\n", new Uint8Array(new Float64Array([1, 4, 2, 5, 3, 6]).buffer));
    expect(parseNpy(f).tolist()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it('reader errors name what is wrong (MALFORMED_FILE / UNSUPPORTED)', () => {
    const ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n";
    const one = [0, 0, 128, 63];
    expect(parseNpy(npy(ok, one)).tolist()).toEqual([1]);
    expectError(() => parseNpy(new Uint8Array([1, 2, 3])), 'MALFORMED_FILE', 'magic', '3 bytes');
    expectError(() => parseNpy(enc.encode('PK\x03\x04 not an npy file')), 'MALFORMED_FILE', 'magic', '\\x93NUMPY');
    expectError(() => parseNpy(npy(ok, one, [4, 0])), 'MALFORMED_FILE', 'version', '4.0');
    const long = npy(ok, one);
    new DataView(long.buffer).setUint16(8, 9999, true);
    expectError(() => parseNpy(long), 'MALFORMED_FILE', 'header length', '9999');
    expectError(() => parseNpy(npy("{'descr': '<f4', 'shape': (1,), }\n", one)), 'MALFORMED_FILE', "'descr', 'fortran_order', 'shape'");
    expectError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,) \n", one)), 'MALFORMED_FILE', 'header', "expected ',' or '}'");
    expectError(() => parseNpy(npy("{'descr': '<f4', 'descr': '<f4', 'shape': (1,), }\n", one)), 'MALFORMED_FILE', "duplicate key 'descr'");
    expectError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (1,), }\n", one)), 'MALFORMED_FILE', 'fortran_order', 'True or False', 'got 0');
    expectError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }\n", one)), 'MALFORMED_FILE', 'header', "'-'");
    expectError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': ('a',), }\n", one)), 'MALFORMED_FILE', 'header.shape', '["a"]');
    expectError(() => parseNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", one)), 'MALFORMED_FILE', 'data', '8 bytes', 'got 4 bytes');
    expectError(() => parseNpy(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }\n", one)), 'UNSUPPORTED', 'descr', '"<c8"');
    expectError(() => parseNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }\n", one)), 'UNSUPPORTED', 'descr', 'simple dtype');
    expectError(() => parseNpy(npy("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }\n", [2])), 'MALFORMED_FILE', 'data', '2 at element 0');
    expectError(() => parseNpy('x' as never), 'INVALID_ARGUMENT', 'Uint8Array');
  });

  it('saveNpy / loadNpy (atomic; errors name the path)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'initkit-npy-'));
    try {
      const t = fromArray([[1, 2], [3, 4]], { dtype: 'float64' });
      const res = await saveNpy(join(dir, 'a.npy'), t);
      expect(res.bytes).toBe(readFileSync(join(dir, 'a.npy')).length);
      expect(storage(await loadNpy(join(dir, 'a.npy')))).toBe(storage(t));
      const missing = join(dir, 'nope.npy');
      await expect(loadNpy(missing)).rejects.toMatchObject({ code: 'IO_ERROR' });
      await saveNpy(join(dir, 'b.npy'), t);
      const bytes = readFileSync(join(dir, 'b.npy'));
      bytes[0] = 0;
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, 'b.npy'), bytes);
      await expect(loadNpy(join(dir, 'b.npy'))).rejects.toThrow(`loadNpy(${JSON.stringify(join(dir, 'b.npy'))}): magic`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
