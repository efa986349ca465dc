/**
 * Selection and loading of the WebAssembly SIMD kernels (built from scripts/wasm/rng_*.c, embedded in
 * ./module.ts). They compute exactly what the TypeScript kernels in ../kernels.ts compute, bit for bit, only faster;
 * the TypeScript kernels stay as the fallback and as the reference the tests compare against.
 *
 * Backends: `'auto'` (default) uses WebAssembly when the platform can run it (WebAssembly with SIMD: Node >= 16,
 * current browsers) and the TypeScript kernels otherwise; `'wasm'` insists on WebAssembly; `'js'` forces the
 * TypeScript kernels. The environment variable `INITKIT_KERNELS=auto|wasm|js` sets the starting mode where a
 * `process.env` exists (tests, benchmarks); {@link setKernelBackend} changes it at run time.
 *
 * Loading is lazy (nothing happens at import) and synchronous where allowed: Node compiles any module
 * synchronously. Some browsers refuse to compile modules larger than 4 KB synchronously on the main thread; there
 * the first kernel call starts an asynchronous compile and keeps using the TypeScript kernels until it is ready,
 * or the application awaits {@link loadKernels} once at startup. Results never depend on which backend ran.
 */
import { fail } from '../../errors.js';
import { Generator } from '../generator.js';
import { PhiloxGenerator } from '../philox.js';
import type { RandomEngine } from '../engine.js';
import { KERNELS_WASM_BASE64, KERNELS_WASM_COMPILER, KERNELS_WASM_SHA256 } from './module.js';

/** Kernel backend modes accepted by {@link setKernelBackend}. */
export const KERNEL_BACKENDS = ['auto', 'wasm', 'js'] as const;
export type KernelBackendMode = (typeof KERNEL_BACKENDS)[number];
/** The backend that actually runs the kernels. */
export type KernelBackend = 'wasm' | 'js';

/** The functions the module exports (see scripts/wasm/rng.h for the memory layout). */
export interface KernelExports {
  ik_state_ptr(): number;
  ik_io_ptr(): number;
  ik_chunk(): number;
  ik_fill_u32(n: number): void;
  ik_uniform_f32(n: number, lo: number, range: number, mode: number, j: number): void;
  ik_normal_f32(n: number, mean: number, std: number): void;
  ik_normal_f32_tail(rem: number, mean: number, std: number): void;
  ik_trunc_normal_f32(n: number, lo: number, range: number, mode: number, j: number, scale: number, mean: number, a: number, b: number): void;
  ik_probe_radius(n: number): void;
  ik_probe_uniform(n: number, lo: number, range: number, mode: number, j: number): void;
  ik_probe_normal_out(n: number, mean: number, std: number): void;
  ik_probe_sincos(n: number): void;
  ik_probe_erfinv(n: number): void;
  ik_probe_erfinv_scalar(n: number): void;
  ik_probe_libm(n: number, fn: number): void;
}

/** A loaded module with typed views on its fixed memory (the memory never grows, so the views stay valid). */
export interface WasmKernels {
  readonly exports: KernelExports;
  /** ik_state as 32-bit words: [0] kind, [1] left, [2] next, [3..8] k0 k1 s0 s1 b0 b1, [9] lane, [10..13] block. */
  readonly state: Uint32Array;
  /** The 624 MT19937 words inside ik_state. */
  readonly mt: Uint32Array;
  /** The I/O buffer: `chunk` elements plus 32. */
  readonly io: Float32Array;
  readonly ioU32: Uint32Array;
  /** Most elements one kernel call produces. */
  readonly chunk: number;
}

interface WasmInstance {
  exports: Record<string, unknown>;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => WasmInstance;
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<WasmInstance>;
}

const MT_WORDS_OFFSET = 16;
const MT_N = 624;

function initialMode(): KernelBackendMode {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.INITKIT_KERNELS;
  return (KERNEL_BACKENDS as readonly (string | undefined)[]).includes(v) ? (v as KernelBackendMode) : 'auto';
}

let mode: KernelBackendMode = initialMode();
let kernels: WasmKernels | null = null;
let status: 'idle' | 'pending' | 'ready' | 'failed' = 'idle';
let failure = '';
let pending: Promise<void> | null = null;

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

/** Standard base64 to bytes (no platform decoder needed: atob is not everywhere and Buffer is Node-only). */
function decodeBase64(text: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const map = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) map[alphabet.charCodeAt(i)] = i;
  let len = text.length;
  while (len > 0 && text[len - 1] === '=') len--;
  const out = new Uint8Array((len * 3) >>> 2);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    acc = (acc << 6) | map[text.charCodeAt(i)]!;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  return out;
}

function wrap(instance: WasmInstance): WasmKernels {
  const ex = instance.exports as unknown as KernelExports & { memory: { buffer: ArrayBuffer } };
  const buffer = ex.memory.buffer;
  const statePtr = ex.ik_state_ptr();
  const ioPtr = ex.ik_io_ptr();
  const chunk = ex.ik_chunk();
  return {
    exports: ex,
    state: new Uint32Array(buffer, statePtr, MT_WORDS_OFFSET),
    mt: new Uint32Array(buffer, statePtr + 4 * MT_WORDS_OFFSET, MT_N),
    io: new Float32Array(buffer, ioPtr, chunk + 32),
    ioU32: new Uint32Array(buffer, ioPtr, chunk + 32),
    chunk,
  };
}

function loadAsync(api: WasmApi): Promise<void> {
  status = 'pending';
  pending = api
    .compile(decodeBase64(KERNELS_WASM_BASE64))
    .then((module) => api.instantiate(module, {}))
    .then(
      (instance) => {
        kernels = wrap(instance);
        status = 'ready';
      },
      (err: unknown) => {
        status = 'failed';
        failure = `WebAssembly compilation failed: ${String(err)}`;
      },
    );
  return pending;
}

/** First use: compile synchronously, or fall back to an asynchronous compile where that is refused. */
function loadSync(): void {
  if (status !== 'idle') return;
  const api = wasmApi();
  if (api === undefined) {
    status = 'failed';
    failure = 'WebAssembly is not available on this platform';
    return;
  }
  try {
    kernels = wrap(new api.Instance(new api.Module(decodeBase64(KERNELS_WASM_BASE64)), {}));
    status = 'ready';
  } catch {
    // A browser main thread refusing a synchronous compile of a module over 4 KB (RangeError), or an engine
    // without SIMD (CompileError): the asynchronous path tells them apart; until then the TypeScript kernels run.
    void loadAsync(api);
  }
}

/**
 * The WebAssembly kernels to use for the next call, or `null` for the TypeScript kernels (mode `'js'`, no
 * WebAssembly, or an asynchronous compile still pending).
 */
export function activeKernels(): WasmKernels | null {
  if (mode === 'js') return null;
  if (status === 'idle') loadSync();
  return kernels;
}

/**
 * The backend the random kernels use now: `'wasm'` or `'js'`. Loads the WebAssembly module if not yet loaded.
 *
 * @example
 * ```ts
 * getKernelBackend(); // 'wasm' in Node >= 20 and current browsers (after loadKernels() on a browser main thread)
 * ```
 */
export function getKernelBackend(): KernelBackend {
  return activeKernels() === null ? 'js' : 'wasm';
}

/**
 * Choose the random kernels' backend: `'auto'` (default: WebAssembly SIMD when available, else TypeScript),
 * `'wasm'` or `'js'`. The float32 `uniform_`, `normal_` and `truncNormal_` kernels (and every init function built
 * on them) give bit-identical results and leave the generator in the same state either way; only speed differs.
 * Returns the backend now active. The environment variable `INITKIT_KERNELS` sets the starting mode.
 * @throws InitError for an unknown mode, or for `'wasm'` when the WebAssembly kernels cannot be loaded
 *   synchronously here (no WebAssembly SIMD, or a browser main thread: `await loadKernels()` first).
 *
 * @example
 * ```ts
 * setKernelBackend('js');   // the pure-TypeScript reference kernels
 * const a = init.normal_(empty([1000]), 0, 1, { generator: new Generator().manualSeed(0) });
 * setKernelBackend('auto'); // WebAssembly SIMD where available
 * const b = init.normal_(empty([1000]), 0, 1, { generator: new Generator().manualSeed(0) });
 * // a.data and b.data hold the same bits
 * ```
 */
export function setKernelBackend(next: KernelBackendMode): KernelBackend {
  const where = 'setKernelBackend';
  if (!(KERNEL_BACKENDS as readonly unknown[]).includes(next)) {
    fail({
      code: 'UNKNOWN_NAME',
      where,
      param: 'backend',
      expected: `backend to be one of ${KERNEL_BACKENDS.map((b) => `'${b}'`).join(', ')}`,
      received: next,
    });
  }
  if (next === 'wasm') {
    if (status === 'idle') loadSync();
    if (kernels === null) {
      fail({
        code: 'UNSUPPORTED',
        where,
        param: 'backend',
        expected: 'WebAssembly SIMD kernels that can be loaded here',
        receivedText: `'wasm' (${status === 'pending' ? 'asynchronous compilation still pending' : failure})`,
        fix: "Await loadKernels() before selecting 'wasm', or use 'auto' to fall back to the TypeScript kernels.",
      });
    }
  }
  mode = next;
  return getKernelBackend();
}

/**
 * Load the WebAssembly kernels asynchronously (the way browsers allow on the main thread) and resolve to the
 * backend then active. Optional: without it the module is loaded on first use (synchronously in Node; in a browser
 * the first calls run the TypeScript kernels while it compiles).
 *
 * @example
 * ```ts
 * await loadKernels(); // 'wasm' (or 'js' where WebAssembly SIMD is unavailable)
 * ```
 */
export async function loadKernels(): Promise<KernelBackend> {
  if (status === 'idle') {
    const api = wasmApi();
    if (api === undefined) {
      status = 'failed';
      failure = 'WebAssembly is not available on this platform';
    } else await loadAsync(api);
  } else if (status === 'pending') await pending;
  return getKernelBackend();
}

/** Diagnostics: the mode, the active backend, the loading status (with the reason of a failure) and the module. */
export function kernelBackendInfo(): {
  mode: KernelBackendMode;
  active: KernelBackend;
  status: 'idle' | 'pending' | 'ready' | 'failed';
  reason: string | null;
  moduleSha256: string;
  compiler: string;
} {
  const active = getKernelBackend();
  return {
    mode,
    active,
    status,
    reason: status === 'failed' ? failure : null,
    moduleSha256: KERNELS_WASM_SHA256,
    compiler: KERNELS_WASM_COMPILER,
  };
}

/**
 * Copy a random engine's state into the module (before a kernel call). Returns false for engines the module does
 * not implement (user-defined RandomEngines) and for MT19937 positions no stream reaches (next + left - 1 > 624),
 * which the caller then hands to the TypeScript kernels.
 */
export function engineIn(k: WasmKernels, engine: RandomEngine): boolean {
  const st = k.state;
  if (engine instanceof Generator) {
    const raw = engine.rawState();
    if (raw.left !== 1 && raw.next + raw.left - 1 > MT_N) return false;
    st[0] = 0;
    st[1] = raw.left;
    st[2] = raw.next;
    k.mt.set(raw.words);
    return true;
  }
  if (engine instanceof PhiloxGenerator) {
    const raw = engine.rawState();
    st[0] = 1;
    st[3] = raw.k0;
    st[4] = raw.k1;
    st[5] = raw.s0;
    st[6] = raw.s1;
    st[7] = raw.b0;
    st[8] = raw.b1;
    st[9] = raw.lane;
    st.set(raw.block, 10);
    return true;
  }
  return false;
}

/** Copy the advanced state back into the engine (after a kernel call that {@link engineIn} prepared). */
export function engineOut(k: WasmKernels, engine: RandomEngine): void {
  const st = k.state;
  if (engine instanceof Generator) {
    engine.rawState().words.set(k.mt);
    engine.setRawPosition(st[1]!, st[2]!);
  } else if (engine instanceof PhiloxGenerator) {
    engine.rawState().block.set(st.subarray(10, 14));
    engine.setRawCounter(st[7]!, st[8]!, st[9]!);
  }
}
