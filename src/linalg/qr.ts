/**
 * QR jobs on the fastest available backend.
 *
 * - `'wasm'`: the WebAssembly SIMD build of the blocked Householder QR (scripts/wasm/householder_qr.c, embedded in
 *   qr-wasm.generated.ts), about 4× faster than the TypeScript build on V8. Compiled synchronously on first use;
 *   unavailable where the runtime lacks wasm SIMD or refuses synchronous compilation (a browser main thread may; call
 *   {@link loadQrWasm} first there).
 * - `'js'`: the TypeScript build (householder-qr.ts).
 *
 * Both compute the same floating-point operations in the same order, so they return bit-identical Q and diag(R).
 */
import { householderQ } from './householder-qr.js';
import { QR_WASM_BASE64 } from './qr-wasm.generated.js';

export const QR_BACKENDS = ['auto', 'wasm', 'js'] as const;
export type QrBackend = (typeof QR_BACKENDS)[number];

/** A QR factorization in progress: fill `a`, call `run()`, read Q from `a` and diag(R) from `diag`. */
export interface QrJob {
  /** Rows (m >= n). */
  readonly m: number;
  /** Columns. */
  readonly n: number;
  /** m × n, column-major: the input before `run()`, Q after. For the wasm backend, a view of wasm memory. */
  readonly a: Float64Array;
  /** diag(R) after `run()` (LAPACK's signs). */
  readonly diag: Float64Array;
  /** The backend that runs the job. */
  readonly backend: 'wasm' | 'js';
  run(): void;
}

interface WasmExports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  householder_q(a: number, m: number, n: number, diag: number, work: number): void;
  householder_q_scratch(m: number, n: number): number;
  __heap_base: { value: number };
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  validate(bytes: Uint8Array): boolean;
  compile(bytes: Uint8Array): Promise<object>;
}

const PAGE = 65536;
/** Above this much wasm memory, a much smaller job gets a fresh instance so the big memory can be reclaimed. */
const RETAIN_BYTES = 64 * 1024 * 1024;

let wasmModule: object | null | undefined; // undefined: not tried yet; null: unavailable
let wasmUnavailableReason = '';
let instance: WasmExports | null = null;

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Decode base64 (no whitespace) without relying on atob/Buffer. */
export function decodeBase64(s: string): Uint8Array {
  const lookup = new Uint8Array(128);
  for (let i = 0; i < B64.length; i++) lookup[B64.charCodeAt(i)] = i;
  let len = s.length;
  while (len > 0 && s[len - 1] === '=') len--;
  const out = new Uint8Array(Math.floor((len * 3) / 4));
  let o = 0;
  for (let i = 0; i < len; i += 4) {
    const a = lookup[s.charCodeAt(i)]!;
    const b = lookup[s.charCodeAt(i + 1)]!;
    const c = i + 2 < len ? lookup[s.charCodeAt(i + 2)]! : 0;
    const d = i + 3 < len ? lookup[s.charCodeAt(i + 3)]! : 0;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o++] = v >> 16;
    if (o < out.length) out[o++] = (v >> 8) & 255;
    if (o < out.length) out[o++] = v & 255;
  }
  return out;
}

function moduleSync(): object | null {
  if (wasmModule !== undefined) return wasmModule;
  const api = wasmApi();
  if (api === undefined) {
    wasmUnavailableReason = 'no WebAssembly in this runtime';
    return (wasmModule = null);
  }
  const bytes = decodeBase64(QR_WASM_BASE64);
  try {
    if (!api.validate(bytes)) {
      wasmUnavailableReason = 'this runtime does not support WebAssembly SIMD';
      return (wasmModule = null);
    }
    return (wasmModule = new api.Module(bytes));
  } catch (e) {
    // e.g. a browser main thread refusing synchronous compilation of modules over 4 KB.
    wasmUnavailableReason = `synchronous compilation failed: ${(e as Error).message}`;
    return (wasmModule = null);
  }
}

/**
 * Compile the wasm QR asynchronously (for browser main threads, which may refuse synchronous compilation). Resolves
 * to whether the wasm backend is available afterwards.
 */
export async function loadQrWasm(): Promise<boolean> {
  if (wasmModule) return true;
  const api = wasmApi();
  if (api === undefined) return false;
  const bytes = decodeBase64(QR_WASM_BASE64);
  if (!api.validate(bytes)) return false;
  wasmModule = await api.compile(bytes);
  return true;
}

/** Is the backend usable here? For `'wasm'`, compiles the module on first call. */
export function qrBackendAvailable(backend: 'wasm' | 'js'): boolean {
  return backend === 'js' || moduleSync() !== null;
}

/** Why the wasm backend is unavailable ('' if it is available or was not tried). */
export function qrWasmUnavailableReason(): string {
  return wasmUnavailableReason;
}

function ensureInstance(): WasmExports | null {
  const mod = moduleSync();
  if (mod === null) return null;
  if (instance === null) {
    try {
      instance = new (wasmApi()!).Instance(mod, {}).exports as WasmExports;
    } catch (e) {
      wasmUnavailableReason = `instantiation failed: ${(e as Error).message}`;
      return null;
    }
  }
  return instance;
}

/** The wasm exports with at least `bytesNeeded` bytes of memory, or null (the caller falls back to js). */
function wasmWithMemory(bytesNeeded: number): WasmExports | null {
  let ex = ensureInstance();
  if (ex === null) return null;
  if (ex.memory.buffer.byteLength > RETAIN_BYTES && bytesNeeded * 4 < ex.memory.buffer.byteLength) {
    instance = null; // let the big memory go
    ex = ensureInstance();
    if (ex === null) return null;
  }
  const have = ex.memory.buffer.byteLength;
  if (bytesNeeded > have) {
    try {
      ex.memory.grow(Math.ceil((bytesNeeded - have) / PAGE));
    } catch {
      return null; // beyond the wasm32 address space or out of memory
    }
  }
  return ex;
}

/**
 * A QR job for an m × n matrix (m >= n >= 1). `backend: 'auto'` (default) uses wasm when available, else js;
 * `'wasm'` throws if wasm is unavailable.
 */
export function qrJob(m: number, n: number, backend: QrBackend = 'auto'): QrJob {
  if (backend !== 'js') {
    const job = wasmJob(m, n);
    if (job !== null) return job;
    if (backend === 'wasm') throw new Error(`wasm QR backend unavailable: ${wasmUnavailableReason || 'out of memory'}`);
  }
  const a = new Float64Array(m * n);
  const diag = new Float64Array(n);
  return { m, n, a, diag, backend: 'js', run: () => householderQ(a, m, n, diag) };
}

function wasmJob(m: number, n: number): QrJob | null {
  const probe = ensureInstance();
  if (probe === null) return null;
  // Layout in wasm memory (doubles): a (m·n), diag (n), scratch.
  const base = (probe.__heap_base.value + 15) & ~15;
  const doubles = m * n + n + probe.householder_q_scratch(m, n);
  const ex = wasmWithMemory(base + 8 * doubles);
  if (ex === null) return null;
  const pa = base / 8;
  const pd = pa + m * n;
  const pw = pd + n;
  const mem = new Float64Array(ex.memory.buffer);
  return {
    m,
    n,
    a: mem.subarray(pa, pa + m * n),
    diag: mem.subarray(pd, pd + n),
    backend: 'wasm',
    run: () => ex.householder_q(pa * 8, m, n, pd * 8, pw * 8),
  };
}
