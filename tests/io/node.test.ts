// Node file I/O: saveSafetensors/loadSafetensors, the streaming writer, and atomic writes (failures leave no file
// under the target name and no temporary file; a killed process leaves no partial target).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { _testHooks } from '../../src/io/node.js';
import { TensorDecoder, parseSafetensorsHeader } from '../../src/io/safetensors.js';
import { type InitError, type Tensor, empty, fromArray, init, manualSeed, parseSafetensors, serializeSafetensors } from '../../src/index.js';
import { createSafetensorsWriter, loadSafetensors, saveSafetensors, writeFileAtomic } from '../../src/node.js';
import { storageBits } from '../helpers/bits.js';
import { expectReject } from '../helpers/errors.js';
import { transpileClosure } from './child-build.js';
import { baseFiles, corruptFile } from './fuzz-cases.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'initkit-io-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  _testHooks.afterWrite = undefined;
  _testHooks.beforeRename = undefined;
});

const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
/** Files in `d` other than `keep` (temporary files left behind would show up here). */
const leftovers = (d: string, ...keep: string[]): string[] => readdirSync(d).filter((f) => !keep.includes(f));

function sample(): Map<string, Tensor> {
  manualSeed(5);
  return new Map<string, Tensor>([
    ['fc1.weight', init.kaimingUniform_(empty([64, 32]))],
    ['fc1.bias', init.uniform_(empty([64]), -0.1, 0.1)],
    ['bn.num_batches_tracked', fromArray(new Float64Array([0]), { shape: [], dtype: 'int64' })],
    ['mask', fromArray([true, false, true], { dtype: 'bool' })],
    ['d', init.normal_(empty([5], { dtype: 'float64' }))],
  ]);
}

describe('saveSafetensors / loadSafetensors', () => {
  it('writes exactly serializeSafetensors bytes, reports size and sha256, and loads back bit for bit', async () => {
    const sub = mkdtempSync(join(dir, 'save-'));
    const path = join(sub, 'model.safetensors');
    const tensors = sample();
    const res = await saveSafetensors(path, tensors, { seed: '5' });
    const onDisk = readFileSync(path);
    const expected = serializeSafetensors(tensors, { seed: '5' });
    expect(Buffer.compare(onDisk, Buffer.from(expected))).toBe(0);
    expect(res).toEqual({ path, bytes: expected.length, sha256: sha(expected) });
    expect(leftovers(sub, 'model.safetensors')).toEqual([]);
    const back = await loadSafetensors(path);
    expect([...back.tensors.keys()]).toEqual([...tensors.keys()]);
    for (const [k, t] of tensors) expect(storageBits(back.tensors.get(k)!)).toEqual(storageBits(t));
    expect(back.metadata).toEqual({ seed: '5' });
    expect(back.dtypes.get('mask')).toBe('BOOL');
  });

  it('large tensors (chunked and direct writes, conversions, > 16 MiB reads) match serializeSafetensors', async () => {
    const sub = mkdtempSync(join(dir, 'large-'));
    manualSeed(9);
    const tensors = new Map<string, Tensor>([
      ['small', fromArray([1, 2, 3])],
      ['big32', init.normal_(empty([1_500_000]))], // 6 MB: written straight from memory
      ['big64', init.normal_(empty([700_000], { dtype: 'float64' }))],
      ['ints', fromArray(Float64Array.from({ length: 1_100_000 }, (_, i) => i - 500_000), { dtype: 'int64' })],
      ['huge', init.uniform_(empty([4_500_000]), -1, 1)], // 18 MB: more than one read chunk
      ['tail', fromArray([true], { dtype: 'bool' })],
    ]);
    for (const dtype of [undefined, 'bfloat16'] as const) {
      const path = join(sub, `m-${dtype ?? 'own'}.safetensors`);
      const opts = dtype === undefined ? undefined : { dtype };
      const res = await saveSafetensors(path, tensors, undefined, opts);
      const expected = serializeSafetensors(tensors, undefined, opts);
      const onDisk = readFileSync(path);
      expect(onDisk.length).toBe(expected.length);
      expect(Buffer.compare(onDisk, Buffer.from(expected))).toBe(0);
      expect(res.sha256).toBe(sha(expected));
      const back = await loadSafetensors(path);
      const viaParse = parseSafetensors(expected);
      for (const k of tensors.keys()) {
        const [a, b] = [back.tensors.get(k)!, viaParse.tensors.get(k)!];
        expect(a.dtype).toBe(b.dtype);
        expect(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength))).toBe(true);
      }
    }
  });

  it('replaces an existing file atomically', async () => {
    const sub = mkdtempSync(join(dir, 'replace-'));
    const path = join(sub, 'm.safetensors');
    writeFileSync(path, 'old contents');
    await saveSafetensors(path, { a: fromArray([1]) });
    expect(parseSafetensors(readFileSync(path)).tensors.get('a')!.tolist()).toEqual([1]);
    expect(leftovers(sub, 'm.safetensors')).toEqual([]);
  });

  it('bad input fails before anything is written', async () => {
    const sub = mkdtempSync(join(dir, 'badinput-'));
    const path = join(sub, 'm.safetensors');
    await expectReject(saveSafetensors(path, { a: empty([2], { device: 'meta' }) }), 'UNSUPPORTED', 'saveSafetensors', 'meta');
    await expectReject(saveSafetensors(path, { a: fromArray([1]) }, { k: 1 } as never), 'INVALID_ARGUMENT', 'metadata["k"]');
    await expectReject(saveSafetensors('', { a: fromArray([1]) }), 'INVALID_ARGUMENT', 'path', '""');
    expect(leftovers(sub)).toEqual([]);
  });

  it('loadSafetensors: missing file → IO_ERROR; malformed → MALFORMED_FILE naming the path', async () => {
    const missing = join(dir, 'nope', 'x.safetensors');
    await expectReject(loadSafetensors(missing), 'IO_ERROR', 'loadSafetensors', 'to read', missing, 'ENOENT');
    await expectReject(loadSafetensors(dir), 'IO_ERROR', 'loadSafetensors', 'EISDIR');
    const bad = join(dir, 'bad.safetensors');
    writeFileSync(bad, Buffer.from([1, 2, 3]));
    await expectReject(loadSafetensors(bad), 'MALFORMED_FILE', `loadSafetensors(${JSON.stringify(bad)}): file`, '3 bytes');
    await expectReject(loadSafetensors(42 as never), 'INVALID_ARGUMENT', 'path', '42');
  });

  it('loadSafetensors agrees with parseSafetensors on 300 corrupted files (same outcome, same message)', async () => {
    const path = join(dir, 'fuzz.safetensors');
    const cases = fc.sample(corruptFile(baseFiles()), { seed: 99, numRuns: 300 });
    for (const { bytes } of cases) {
      writeFileSync(path, bytes);
      const viaParse = (() => {
        try {
          const r = parseSafetensors(bytes);
          return { ok: [...r.tensors].map(([k, t]) => [k, t.dtype, t.shape, storageBits(t)]) };
        } catch (e) {
          return { code: (e as InitError).code, msg: (e as InitError).message.replace(/^parseSafetensors/, '') };
        }
      })();
      const viaLoad = await loadSafetensors(path).then(
        (r) => ({ ok: [...r.tensors].map(([k, t]) => [k, t.dtype, t.shape, storageBits(t)]) }),
        (e: InitError) => ({ code: e.code, msg: e.message.replace(`loadSafetensors(${JSON.stringify(path)})`, '') }),
      );
      expect(viaLoad).toEqual(viaParse);
    }
  });

  it('TensorDecoder decodes across chunk boundaries that split elements', () => {
    const t = fromArray([1.5, -2.25, 65504, 3], { dtype: 'float16' });
    const bytes = serializeSafetensors({ t, n: fromArray([1, -2, 2 ** 40], { dtype: 'int64' }) });
    const h = parseSafetensorsHeader(bytes);
    for (const e of h.entries) {
      const data = bytes.subarray(h.dataStart + e.dataOffsets[0], h.dataStart + e.dataOffsets[1]);
      const dec = new TensorDecoder('test', e);
      for (let i = 0; i < data.length; i += 3) dec.push(data.subarray(i, i + 3));
      expect(dec.finish().tolist()).toEqual(e.name === 't' ? [1.5, -2.25, 65504, 3] : [1, -2, 2 ** 40]);
    }
  });
});

describe('createSafetensorsWriter (streaming)', () => {
  it('plans from meta tensors and specs, writes one tensor at a time, same bytes as serializeSafetensors', async () => {
    const sub = mkdtempSync(join(dir, 'stream-'));
    const path = join(sub, 's.safetensors');
    const tensors = sample();
    const plan = [...tensors].map(([k, t]) => [k, k === 'mask' ? { shape: t.shape, dtype: t.dtype } : empty(t.shape, { dtype: t.dtype, device: 'meta' })] as const);
    const w = await createSafetensorsWriter(path, plan, { a: 'b' }, { dtype: 'float16' });
    expect(w.entries.map((e) => [e.name, e.dtype])).toEqual([
      ['fc1.weight', 'F16'], ['fc1.bias', 'F16'], ['bn.num_batches_tracked', 'I64'], ['mask', 'BOOL'], ['d', 'F16'],
    ]);
    expect(w.next).toBe('fc1.weight');
    for (const [k, t] of tensors) {
      expect(existsSync(path)).toBe(false); // nothing under the target name until close()
      await w.write(k, t);
    }
    expect(w.written).toBe(5);
    expect(w.next).toBeUndefined();
    const res = await w.close();
    const expected = serializeSafetensors(tensors, { a: 'b' }, { dtype: 'float16' });
    expect(res).toEqual({ path, bytes: expected.length, sha256: sha(expected) });
    expect(w.totalBytes).toBe(expected.length);
    expect(Buffer.compare(readFileSync(path), Buffer.from(expected))).toBe(0);
    expect(leftovers(sub, 's.safetensors')).toEqual([]);
    await expectReject(w.write('x', tensors.get('d')!), 'INVALID_STATE', 'closed writer');
  });

  it('each misuse aborts the file: no target, no temporary file', async () => {
    const cases: Array<[string, (w: Awaited<ReturnType<typeof createSafetensorsWriter>>) => Promise<unknown>, string, string[]]> = [
      ['order', (w) => w.write('b', fromArray([1, 2])), 'INVALID_STATE', ['next planned tensor "a"', '"b"']],
      ['shape', (w) => w.write('a', fromArray([1, 2, 3])), 'SHAPE_MISMATCH', ['write("a")', 'shape [2]', 'shape [3]']],
      ['dtype', (w) => w.write('a', fromArray([1, 2], { dtype: 'int32' })), 'INVALID_DTYPE', ['F32', 'int32']],
      ['meta', (w) => w.write('a', empty([2], { device: 'meta' })), 'UNSUPPORTED', ['materialized']],
      ['not a tensor', (w) => w.write('a', [1, 2] as never), 'NOT_A_TENSOR', ['[1, 2]']],
      ['early close', (w) => w.write('a', fromArray([1, 2])).then(() => w.close()), 'INVALID_STATE', ['2 planned tensors', '1 written; next is "b"']],
      ['int64 NaN', (w) => w.write('a', fromArray([1, 2])).then(() => w.write('b', fromArray([1, NaN], { dtype: 'int64' }))), 'INVALID_ARGUMENT', ['NaN at element 1']],
    ];
    for (const [label, misuse, code, fragments] of cases) {
      const sub = mkdtempSync(join(dir, `misuse-`));
      const path = join(sub, 'x.safetensors');
      const w = await createSafetensorsWriter(path, [['a', { shape: [2], dtype: 'float32' }], ['b', { shape: [2], dtype: label === 'int64 NaN' ? 'int64' : 'float32' }]]);
      await expectReject(misuse(w), code, ...fragments);
      expect(leftovers(sub), label).toEqual([]);
      await expectReject(w.write('a', fromArray([1, 2])), 'INVALID_STATE', 'aborted by an earlier error');
    }
  });

  it('abort() removes the temporary file and is idempotent', async () => {
    const sub = mkdtempSync(join(dir, 'abort-'));
    const w = await createSafetensorsWriter(join(sub, 'x.safetensors'), { a: { shape: [1], dtype: 'float32' } });
    expect(leftovers(sub).length).toBe(1);
    await w.abort();
    await w.abort();
    expect(leftovers(sub)).toEqual([]);
  });

  it('plan errors', async () => {
    await expectReject(createSafetensorsWriter(join(dir, 'p.safetensors'), { a: { shape: [-1], dtype: 'float32' } } as never), 'NOT_A_TENSOR', 'createSafetensorsWriter', 'tensors["a"]', 'spec');
    await expectReject(createSafetensorsWriter(join(dir, 'p.safetensors'), { a: { shape: [1], dtype: 'uint8' } } as never), 'NOT_A_TENSOR', 'tensors["a"]');
  });
});

describe('writeFileAtomic', () => {
  it('writes strings and bytes; replaces existing files', async () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    const path = join(sub, 'f.txt');
    await writeFileAtomic(path, 'héllo');
    expect(readFileSync(path, 'utf8')).toBe('héllo');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(leftovers(sub, 'f.txt')).toEqual([]);
    await expectReject(writeFileAtomic(path, 42 as never), 'INVALID_ARGUMENT', 'data', '42');
  });

  it('missing directory → IO_ERROR naming the path, nothing created', async () => {
    const path = join(dir, 'no', 'such', 'dir', 'f.txt');
    await expectReject(writeFileAtomic(path, 'x'), 'IO_ERROR', 'writeFileAtomic', path, 'ENOENT', 'directory exist');
    expect(existsSync(join(dir, 'no'))).toBe(false);
  });

  it('target is a directory → IO_ERROR after the data was written; the temporary file is removed', async () => {
    const sub = mkdtempSync(join(dir, 'isdir-'));
    mkdirSync(join(sub, 'target'));
    writeFileSync(join(sub, 'target', 'keep'), 'k');
    await expectReject(writeFileAtomic(join(sub, 'target'), 'data'), 'IO_ERROR', 'writeFileAtomic', 'target');
    expect(leftovers(sub, 'target')).toEqual([]);
    expect(readFileSync(join(sub, 'target', 'keep'), 'utf8')).toBe('k');
  });

  it('a failure mid-write (simulated) keeps the old file and removes the temporary one', async () => {
    const sub = mkdtempSync(join(dir, 'midwrite-'));
    const path = join(sub, 'm.safetensors');
    writeFileSync(path, 'previous');
    let tmpSeen = '';
    _testHooks.afterWrite = (tmp, n) => {
      tmpSeen = tmp;
      if (n > 5_000_000) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    const big = { a: empty([3_000_000]), b: empty([3_000_000]) };
    await expectReject(saveSafetensors(path, big), 'IO_ERROR', 'saveSafetensors', path, 'ENOSPC', 'Free some disk space');
    expect(tmpSeen).toContain('.m.safetensors.');
    expect(existsSync(tmpSeen)).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(leftovers(sub, 'm.safetensors')).toEqual([]);
  });

  it('a failure just before the rename keeps the old file and removes the temporary one', async () => {
    const sub = mkdtempSync(join(dir, 'prerename-'));
    const path = join(sub, 'f.txt');
    writeFileSync(path, 'previous');
    _testHooks.beforeRename = () => {
      throw new Error('simulated crash before rename');
    };
    await expectReject(writeFileAtomic(path, 'new'), 'IO_ERROR', 'simulated crash');
    expect(readFileSync(path, 'utf8')).toBe('previous');
    expect(leftovers(sub, 'f.txt')).toEqual([]);
  });
});

describe('real interruptions (child processes)', () => {
  let entry: string;
  beforeAll(() => {
    entry = transpileClosure('src/io/node.ts', join(dir, 'build'));
  });

  const script = (target: string, mode: 'kill' | 'limit'): string => `
    import { saveSafetensors, _testHooks } from ${JSON.stringify(entry)};
    import { empty } from ${JSON.stringify(entry.replace(/io[/\\]node\.js$/, 'tensor/tensor.js'))};
    if (${JSON.stringify(mode)} === 'kill') {
      _testHooks.afterWrite = async (tmp, n) => {
        if (n > 4_000_000) { process.stdout.write('MID-WRITE\\n'); await new Promise(() => {}); }
      };
    }
    try {
      await saveSafetensors(${JSON.stringify(target)}, { a: empty([2_000_000]), b: empty([2_000_000]) });
      process.stdout.write('SAVED\\n');
    } catch (e) {
      process.stdout.write(JSON.stringify({ code: e.code, message: e.message }) + '\\n');
    }`;

  it('SIGKILL mid-write: the target keeps its old contents (only a temporary file can remain)', async () => {
    const sub = mkdtempSync(join(dir, 'kill-'));
    const target = join(sub, 'model.safetensors');
    writeFileSync(target, 'previous');
    const child = spawn(process.execPath, ['--input-type=module', '-e', script(target, 'kill')], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        if (d.toString().includes('MID-WRITE')) {
          child.kill('SIGKILL');
          res();
        }
      });
      child.on('exit', () => rej(new Error('child exited before writing')));
    });
    await new Promise((r) => child.on('close', r));
    expect(readFileSync(target, 'utf8')).toBe('previous');
    const rest = leftovers(sub, 'model.safetensors');
    expect(rest.every((f) => /^\.model\.safetensors\.\d+\.[0-9a-f]{12}\.tmp$/.test(f))).toBe(true);
  });

  it('file size limit (ulimit -f, EFBIG): clean IO_ERROR, no target, no temporary file', () => {
    const sub = mkdtempSync(join(dir, 'limit-'));
    const target = join(sub, 'model.safetensors');
    const r = spawnSync('bash', ['-c', `ulimit -f 2048; exec "${process.execPath}" --input-type=module -e "$SCRIPT"`], {
      env: { ...process.env, SCRIPT: script(target, 'limit') },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim()) as { code: string; message: string };
    expect(out.code).toBe('IO_ERROR');
    expect(out.message).toContain('EFBIG');
    expect(out.message).toContain(target);
    expect(leftovers(sub)).toEqual([]);
  });
});
