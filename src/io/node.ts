/**
 * Node-only file I/O: atomic writes, safetensors save/load, and a streaming safetensors writer.
 *
 * Every write goes to a temporary file in the target's directory (`.<name>.<pid>.<random>.tmp`, created
 * exclusively), is fsynced, renamed over the target (atomic on POSIX file systems and NTFS), and the directory is
 * fsynced where the platform allows it. On any error the temporary file is removed and an InitError `IO_ERROR`
 * naming the path is thrown, so the target name only ever holds the previous file or the complete new one. A process
 * killed mid-write (SIGKILL, power loss) can leave the temporary file behind, never a partial target.
 *
 * This module imports `node:fs` and `node:crypto`; it is exported from `initkit/node`, not from `initkit`.
 */
import { createHash, randomBytes, type Hash } from 'node:crypto';
import { type FileHandle, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { InitError, fail, formatValue } from '../errors.js';
import { formatShape, sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import {
  type ParsedSafetensors,
  type PlannedTensor,
  type SafetensorsDType,
  type SafetensorsEntry,
  type SafetensorsOptions,
  type TensorEntries,
  type TensorSpec,
  TensorDecoder,
  checkHeaderLength,
  checkWriteOptions,
  collectEntries,
  encodeTensorRange,
  fileDTypeOf,
  planSafetensors,
  readHeader,
} from './safetensors.js';
import { HOST_LITTLE_ENDIAN, KIND_SIZE } from './bytes.js';
import { type NpyOptions, parseNpyWithWhere, serializeNpy } from './npy.js';

/** What a save reports: the path written, its size, and the SHA-256 of its bytes (hex). */
export interface SaveResult {
  path: string;
  bytes: number;
  sha256: string;
}

/** Size of the staging buffer that coalesces small writes (and bounds extra memory per write). */
const CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * @internal Test hooks, called at the named points of every atomic write; a hook that throws simulates a failure
 * there (a full disk mid-write, a crash before the rename). Not exported from `initkit/node`.
 */
export const _testHooks: {
  afterWrite?: ((tmpPath: string, bytesWritten: number) => void | Promise<void>) | undefined;
  beforeRename?: ((tmpPath: string) => void | Promise<void>) | undefined;
} = {};

// ---- atomic file ----------------------------------------------------------------------------------------------------

function ioError(where: string, path: string, err: unknown, doing: string): InitError {
  if (err instanceof InitError) return err;
  const e = err as { code?: unknown; message?: unknown };
  const detail = typeof e?.message === 'string' ? e.message : formatValue(err);
  return new InitError({
    code: 'IO_ERROR',
    where,
    param: 'path',
    expected: `to ${doing} ${JSON.stringify(path)}`,
    receivedText: detail,
    fix:
      e?.code === 'ENOENT'
        ? 'Check that the path and its directory exist.'
        : e?.code === 'EACCES' || e?.code === 'EPERM'
          ? 'Check the permissions of the file and its directory.'
          : e?.code === 'ENOSPC'
            ? 'Free some disk space.'
            : e?.code === 'EISDIR'
              ? 'The path names a directory; give a file name.'
              : '',
  });
}

/** A temporary file that becomes `path` on commit, or disappears on abort. */
class AtomicFile {
  private fh: FileHandle | undefined;
  private written = 0;
  private done = false;

  private constructor(
    readonly where: string,
    readonly path: string,
    readonly tmpPath: string,
    fh: FileHandle,
    private readonly hash: Hash | undefined,
  ) {
    this.fh = fh;
  }

  static async create(where: string, path: string, withHash: boolean): Promise<AtomicFile> {
    if (typeof path !== 'string' || path === '') {
      fail({ code: 'INVALID_ARGUMENT', where, param: 'path', expected: 'path to be a non-empty string', received: path });
    }
    const tmpPath = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    let fh: FileHandle;
    try {
      fh = await open(tmpPath, 'wx', 0o666);
    } catch (e) {
      throw ioError(where, path, e, 'write');
    }
    return new AtomicFile(where, path, tmpPath, fh, withHash ? createHash('sha256') : undefined);
  }

  get bytesWritten(): number {
    return this.written;
  }

  async write(data: Uint8Array): Promise<void> {
    if (this.fh === undefined) throw new Error('AtomicFile: write after close');
    try {
      let off = 0;
      let hashed = this.hash === undefined;
      while (off < data.length) {
        // Hash on this thread while libuv's thread pool writes the same (unchanging) bytes.
        const pending = this.fh.write(data, off, Math.min(data.length - off, 1 << 30));
        if (!hashed) {
          this.hash!.update(data);
          hashed = true;
        }
        const { bytesWritten } = await pending;
        if (bytesWritten <= 0) throw new Error('write returned 0 bytes');
        off += bytesWritten;
      }
      this.written += data.length;
      if (_testHooks.afterWrite) await _testHooks.afterWrite(this.tmpPath, this.written);
    } catch (e) {
      await this.abort();
      throw ioError(this.where, this.path, e, 'write');
    }
  }

  /** fsync, close, rename over the target, fsync the directory. Returns the hex SHA-256 if hashing. */
  async commit(): Promise<string> {
    const fh = this.fh;
    if (fh === undefined) throw new Error('AtomicFile: commit after close');
    try {
      await fh.sync();
      this.fh = undefined;
      await fh.close();
      if (_testHooks.beforeRename) await _testHooks.beforeRename(this.tmpPath);
      await rename(this.tmpPath, this.path);
      this.done = true;
    } catch (e) {
      await this.abort();
      throw ioError(this.where, this.path, e, 'write');
    }
    await syncDirectory(dirname(this.path));
    return this.hash?.digest('hex') ?? '';
  }

  /** Close and remove the temporary file (best effort; never throws). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    const fh = this.fh;
    this.fh = undefined;
    if (fh !== undefined) await fh.close().catch(() => undefined);
    await unlink(this.tmpPath).catch(() => undefined);
  }
}

/** fsync a directory so a rename in it is durable; not possible on every platform (Windows), so errors are ignored. */
async function syncDirectory(dir: string): Promise<void> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch {
    // EISDIR, EPERM, EINVAL, EBADF: the platform cannot fsync directories; the rename itself was atomic.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}

/**
 * Write a file atomically: to a temporary file in the same directory, fsync, rename over `path`, fsync the
 * directory. The target name never holds a partial file; on failure the temporary file is removed.
 *
 * @param path the file to create or replace; its directory must exist.
 * @param data bytes, or a string written as UTF-8.
 * @throws InitError `IO_ERROR` naming the path and the system error (missing directory, permissions, full disk,
 *   a directory at `path`); `INVALID_ARGUMENT` for a bad path or data.
 *
 * @example
 * ```ts
 * await writeFileAtomic('out/config.json', JSON.stringify(spec));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const where = 'writeFileAtomic';
  if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'data', expected: 'data to be a Uint8Array or a string', received: data });
  }
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const f = await AtomicFile.create(where, path, false);
  await f.write(bytes);
  await f.commit();
}

// ---- streaming safetensors writer ---------------------------------------------------------------------------------

/** A safetensors file being written one tensor at a time; see {@link createSafetensorsWriter}. */
export interface SafetensorsWriter {
  /** The target path. */
  readonly path: string;
  /** The planned entries, in file order (names, on-disk dtypes, shapes, offsets). */
  readonly entries: readonly SafetensorsEntry[];
  /** The file's final size in bytes. */
  readonly totalBytes: number;
  /** How many tensors have been written. */
  readonly written: number;
  /** The name {@link SafetensorsWriter.write} expects next, or undefined when all are written. */
  readonly next: string | undefined;
  /** Append the next tensor's bytes; `name` must be the next planned name, shape and dtype must match the plan. */
  write(name: string, tensor: Tensor): Promise<void>;
  /** Check every tensor was written, then fsync and rename into place. */
  close(): Promise<SaveResult>;
  /** Remove the temporary file; the target is untouched. Safe to call more than once. */
  abort(): Promise<void>;
}

/**
 * Start a safetensors file whose header is fixed up front and whose tensors are appended one at a time, so a model
 * far larger than memory can be written tensor by tensor (materialize, write, drop). The header (every name, dtype,
 * shape and offset) is written first, then each tensor's bytes in order; the file is hashed (SHA-256) as it is
 * written and appears under `path` only on a successful {@link SafetensorsWriter.close}, atomically.
 *
 * The result is byte-identical to {@link saveSafetensors} / `serializeSafetensors` for the same tensors.
 *
 * @param path the target file; its directory must exist.
 * @param tensors the plan: a record, Map or iterable of `[name, tensor or { shape, dtype }]`; meta tensors are fine.
 * @param metadata `__metadata__` string pairs (optional).
 * @param options `dtype`: store floating tensors as this dtype (default: their own).
 * @returns the open writer.
 * @throws InitError as `serializeSafetensors` for bad input, `IO_ERROR` if the temporary file cannot be created;
 *   `write` throws `INVALID_STATE` for a tensor out of order and `SHAPE_MISMATCH`/`INVALID_DTYPE` for one that does
 *   not match the plan (and aborts the file).
 *
 * @example
 * ```ts
 * const model = new nn.Linear(4096, 4096, { device: 'meta' });
 * const w = await createSafetensorsWriter('big.safetensors', model.stateDict());
 * for (const name of w.entries.map((e) => e.name)) await w.write(name, materialize(name));
 * const { sha256 } = await w.close();
 * ```
 */
export async function createSafetensorsWriter(
  path: string,
  tensors: Record<string, Tensor | TensorSpec> | Iterable<readonly [string, Tensor | TensorSpec]>,
  metadata?: Record<string, string>,
  options?: SafetensorsOptions,
): Promise<SafetensorsWriter> {
  return openWriter('createSafetensorsWriter', path, collectEntries('createSafetensorsWriter', tensors, true), metadata, options);
}

async function openWriter(
  where: string,
  path: string,
  entries: ReadonlyArray<readonly [string, Tensor | TensorSpec]>,
  metadata: unknown,
  options: unknown,
): Promise<SafetensorsWriter> {
  const target = checkWriteOptions(where, options);
  const plan = planSafetensors(where, entries, metadata, options);
  const file = await AtomicFile.create(where, path, true);
  const staging = new Uint8Array(Math.max(1, Math.min(CHUNK_BYTES, plan.totalBytes)));
  let used = 0;
  let index = 0;
  let state: 'open' | 'closed' | 'failed' = 'open';

  const flush = async (): Promise<void> => {
    if (used === 0) return;
    await file.write(staging.subarray(0, used));
    used = 0;
  };
  const append = async (bytes: Uint8Array): Promise<void> => {
    if (bytes.length > staging.length - used) await flush();
    if (bytes.length >= staging.length) await file.write(bytes);
    else {
      staging.set(bytes, used);
      used += bytes.length;
    }
  };
  const failWith = async (err: unknown): Promise<never> => {
    state = 'failed';
    await file.abort();
    throw err;
  };
  const checkOpen = (what: string): void => {
    if (state !== 'open') {
      fail({
        code: 'INVALID_STATE',
        where: `${where}: ${what}`,
        param: 'writer',
        expected: 'an open writer',
        receivedText: state === 'closed' ? 'a closed writer' : 'a writer aborted by an earlier error',
      });
    }
  };

  const writeTensor = async (p: PlannedTensor, t: Tensor): Promise<void> => {
    const size = KIND_SIZE[p.kind];
    const direct =
      HOST_LITTLE_ENDIAN &&
      ((p.kind === 'f32' && t.data instanceof Float32Array && t.dtype === 'float32') ||
        (p.kind === 'f64' && t.data instanceof Float64Array && t.dtype === 'float64'));
    if (direct && p.end - p.begin >= staging.length) {
      // Large float tensors on little-endian hosts: write straight from the tensor's memory.
      await flush();
      await file.write(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      return;
    }
    let i = 0;
    while (i < p.numel) {
      if (staging.length - used < size) await flush();
      const k = Math.min(p.numel - i, Math.floor((staging.length - used) / size));
      encodeTensorRange(where, p, t, i, i + k, staging, used);
      used += k * size;
      i += k;
    }
  };

  try {
    await append(plan.header);
  } catch (e) {
    await failWith(e);
  }

  const writer: SafetensorsWriter = {
    path,
    entries: plan.tensors.map((p) => ({ name: p.name, dtype: p.fileDtype, shape: p.shape, dataOffsets: [p.begin, p.end] as const })),
    totalBytes: plan.totalBytes,
    get written() {
      return index;
    },
    get next() {
      return plan.tensors[index]?.name;
    },
    async write(name: string, tensor: Tensor): Promise<void> {
      checkOpen('write');
      try {
        const p = plan.tensors[index];
        const param = `tensors[${JSON.stringify(name)}]`;
        const at = `${where}: write(${formatValue(name)})`;
        if (p === undefined || p.name !== name) {
          fail({
            code: 'INVALID_STATE',
            where: at,
            param: 'name',
            expected: p === undefined ? 'no more tensors (all planned tensors are written)' : `the next planned tensor ${JSON.stringify(p.name)} (tensors are written in file order)`,
            received: name,
          });
        }
        if (!(tensor instanceof Tensor)) {
          fail({ code: 'NOT_A_TENSOR', where: at, param, expected: 'a Tensor', receivedText: formatValue(tensor) });
        }
        if (tensor.isMeta) {
          fail({
            code: 'UNSUPPORTED',
            where: at,
            param,
            expected: 'a materialized tensor (a meta tensor has no data to write)',
            receivedText: tensor.describe(),
          });
        }
        if (!sameShape(tensor.shape, p.shape)) {
          fail({
            code: 'SHAPE_MISMATCH',
            where: at,
            param,
            expected: `shape ${formatShape(p.shape)} as planned`,
            receivedText: `shape ${formatShape(tensor.shape)}`,
          });
        }
        if (fileDTypeOf(tensor.dtype, target) !== p.fileDtype) {
          fail({
            code: 'INVALID_DTYPE',
            where: at,
            param,
            expected: `a tensor stored as ${p.fileDtype} (planned from dtype ${p.sourceDtype})`,
            receivedText: `dtype ${tensor.dtype}`,
          });
        }
        await writeTensor(p, tensor);
        index++;
      } catch (e) {
        await failWith(e);
      }
    },
    async close(): Promise<SaveResult> {
      checkOpen('close');
      try {
        const missing = plan.tensors[index];
        if (missing !== undefined) {
          fail({
            code: 'INVALID_STATE',
            where: `${where}: close`,
            param: 'writer',
            expected: `all ${plan.tensors.length} planned tensors written`,
            receivedText: `${index} written; next is ${JSON.stringify(missing.name)}`,
            fix: 'Write every tensor before close(), or call abort().',
          });
        }
        await flush();
        if (file.bytesWritten !== plan.totalBytes) {
          throw new Error(`internal: wrote ${file.bytesWritten} bytes, planned ${plan.totalBytes}`);
        }
        const sha256 = await file.commit();
        state = 'closed';
        return { path, bytes: plan.totalBytes, sha256 };
      } catch (e) {
        return failWith(e);
      }
    },
    async abort(): Promise<void> {
      if (state === 'open') state = 'failed';
      await file.abort();
    },
  };
  return writer;
}

// ---- save / load ------------------------------------------------------------------------------------------------------

/**
 * Write tensors to a safetensors file, atomically (temporary file, fsync, rename), streaming them through a small
 * buffer rather than building the whole file in memory. Byte-identical to `serializeSafetensors` for the same input.
 *
 * @param path the target file; its directory must exist.
 * @param tensors a record, Map or iterable of `[name, tensor]` (the order is the file order).
 * @param metadata `__metadata__` string pairs (optional).
 * @param options `dtype`: store floating tensors as this dtype (default: their own).
 * @returns `{ path, bytes, sha256 }` of the written file.
 * @throws InitError as `serializeSafetensors` for bad input (nothing is written), `IO_ERROR` naming the path for
 *   file-system failures (no file is left under `path`).
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const { sha256 } = await saveSafetensors('fc.safetensors', { weight: init.kaimingUniform_(empty([4, 3])) });
 * ```
 */
export async function saveSafetensors(
  path: string,
  tensors: TensorEntries,
  metadata?: Record<string, string>,
  options?: SafetensorsOptions,
): Promise<SaveResult> {
  const where = 'saveSafetensors';
  const entries = collectEntries(where, tensors, false) as Array<[string, Tensor]>;
  const w = await openWriter(where, path, entries, metadata, options);
  for (const [name, t] of entries) await w.write(name, t);
  return w.close();
}

/** Largest single read (Node cannot read more than 2 GiB at once). */
const READ_CHUNK = 16 * 1024 * 1024;

/**
 * Read a safetensors file: `{ tensors, metadata, dtypes }`, as `parseSafetensors` returns for the same bytes.
 *
 * The header is read and validated first; each tensor is then read and decoded piecewise, so files larger than
 * Node's 2 GiB single-read limit load too (memory permitting).
 *
 * @param path the file.
 * @throws InitError `IO_ERROR` if the file cannot be read, `MALFORMED_FILE` (the message names the path) for a
 *   malformed file, `UNSUPPORTED` for dtypes or int64 values initkit cannot hold.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = await loadSafetensors('fc.safetensors');
 * ```
 */
export async function loadSafetensors(path: string): Promise<ParsedSafetensors> {
  const where = `loadSafetensors(${JSON.stringify(path)})`;
  if (typeof path !== 'string' || path === '') {
    fail({ code: 'INVALID_ARGUMENT', where: 'loadSafetensors', param: 'path', expected: 'path to be a non-empty string', received: path });
  }
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw ioError('loadSafetensors', path, e, 'read');
  }
  try {
    let size: number;
    try {
      size = (await fh.stat()).size;
    } catch (e) {
      throw ioError('loadSafetensors', path, e, 'read');
    }
    const readAt = async (position: number, length: number): Promise<Uint8Array> => {
      const buf = new Uint8Array(length);
      let off = 0;
      while (off < length) {
        let n: number;
        try {
          ({ bytesRead: n } = await fh.read(buf, off, Math.min(length - off, READ_CHUNK), position + off));
        } catch (e) {
          throw ioError('loadSafetensors', path, e, 'read');
        }
        if (n === 0) {
          fail({
            code: 'MALFORMED_FILE',
            where,
            param: 'file',
            expected: `${size} bytes (its size when opened)`,
            receivedText: `end of file at byte ${position + off}`,
            fix: 'The file was truncated while being read; read it again once it is complete.',
          });
        }
        off += n;
      }
      return buf;
    };
    const first = await readAt(0, Math.min(size, 8));
    const n = checkHeaderLength(where, first, size);
    const prefix = await readAt(0, 8 + n);
    const header = readHeader(where, prefix, size);
    const tensors = new Map<string, Tensor>();
    const dtypes = new Map<string, SafetensorsDType>();
    for (const e of header.entries) {
      const dec = new TensorDecoder(where, e);
      let pos = header.dataStart + e.dataOffsets[0];
      while (dec.remaining > 0) {
        const k = Math.min(dec.remaining, READ_CHUNK);
        dec.push(await readAt(pos, k));
        pos += k;
      }
      tensors.set(e.name, dec.finish());
      dtypes.set(e.name, e.dtype);
    }
    return { tensors, metadata: header.metadata, dtypes };
  } finally {
    await fh.close().catch(() => undefined);
  }
}

// ---- npy --------------------------------------------------------------------------------------------------------------

/**
 * Write one tensor as a `.npy` file, atomically; the bytes are `serializeNpy(tensor, options)` (what `np.save`
 * writes for the same array).
 *
 * @param path the target file; its directory must exist.
 * @param tensor a materialized tensor (not bfloat16; pass `{ dtype: 'float32' }`).
 * @param options `dtype`: store a floating tensor as float32, float64 or float16.
 * @returns `{ path, bytes, sha256 }`.
 * @throws InitError as `serializeNpy`, or `IO_ERROR` naming the path.
 *
 * @example
 * ```ts
 * await saveNpy('w.npy', init.kaimingUniform_(empty([4, 3])));
 * ```
 */
export async function saveNpy(path: string, tensor: Tensor, options?: NpyOptions): Promise<SaveResult> {
  const bytes = serializeNpy(tensor, options);
  const f = await AtomicFile.create('saveNpy', path, true);
  await f.write(bytes);
  const sha256 = await f.commit();
  return { path, bytes: bytes.length, sha256 };
}

/**
 * Read a `.npy` file into a tensor (see `parseNpy`).
 *
 * @throws InitError `IO_ERROR` if the file cannot be read, `MALFORMED_FILE`/`UNSUPPORTED` naming the path.
 */
export async function loadNpy(path: string): Promise<Tensor> {
  if (typeof path !== 'string' || path === '') {
    fail({ code: 'INVALID_ARGUMENT', where: 'loadNpy', param: 'path', expected: 'path to be a non-empty string', received: path });
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw ioError('loadNpy', path, e, 'read');
  }
  return parseNpyWithWhere(`loadNpy(${JSON.stringify(path)})`, bytes);
}
