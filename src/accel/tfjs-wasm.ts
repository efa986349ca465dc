/**
 * A WebAssembly SIMD {@link GemmBackend} over TensorFlow.js's WASM backend (`@tensorflow/tfjs-backend-wasm`, whose
 * matrix products are XNNPACK's SIMD micro-kernels), single-threaded.
 *
 * This is the `initkit/accel` entry point, outside the core: the core library stays dependency-free and never
 * imports it. `@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-wasm` (4.x) are optional peer dependencies,
 * loaded with a dynamic `import()` when {@link createTfjsWasmGemm} is called.
 *
 * How a product runs: tfjs-wasm sends only untransposed `matMul(A[m,k], B[k,n])` to XNNPACK (transposed operands
 * fall to a scalar loop), and XNNPACK repacks B (its "weights") on every call. So each call picks the cheaper of
 * computing C directly or computing Cᵀ = op(B)ᵀ·op(A)ᵀ and transposing it back, counting the transposes done here
 * and the packing of the right-hand operand (for the probe: y = x·Wᵀ and ∂x = ∂y·W run swapped, ∂W = ∂yᵀ·x
 * direct). Operands are written straight into the WASM heap (a transposed operand is transposed there, in one
 * pass) and the result is read from it in place; at the probe's sizes (256×1024 by 1024×1024) the moves cost a few
 * percent of the product. Products smaller than `minMacs` multiply-adds stay on the TypeScript kernel, where the
 * call overhead would dominate.
 *
 * Numerics: XNNPACK accumulates in float32 (multiply then add, no FMA in WASM SIMD), like PyTorch's BLAS up to
 * summation order: results differ from PyTorch by about 1e-7 of the output's scale.
 *
 * Global state: TensorFlow.js has one active backend per process; this makes `'wasm'` the active one (with threads
 * off). Call `dispose()` on the returned backend to restore the previous one.
 */
import { InitError, fail } from '../errors.js';
import { type GemmBackend, tsGemm, transposeInto } from '../analysis/ops/gemm.js';

/** Options of {@link createTfjsWasmGemm}. */
export interface TfjsWasmGemmOptions {
  /**
   * Where tfjs-backend-wasm's `.wasm` files are (a directory path or URL prefix ending in `/`, as tfjs's
   * `setWasmPaths`). Default: in Node, the installed package's `dist/` directory; in browsers, tfjs's default.
   */
  wasmPath?: string;
  /** Products with fewer multiply-adds (m·n·k) run on the TypeScript kernel; default 64³ = 262144. */
  minMacs?: number;
}

/** The accelerated backend: a {@link GemmBackend} plus what it runs on and a way to release it. */
export interface TfjsWasmGemm extends GemmBackend {
  readonly name: 'tfjs-wasm';
  /** Whether the WASM SIMD build is in use (false means tfjs fell back to the scalar build). */
  readonly simd: boolean;
  /** tfjs-core's version. */
  readonly version: string;
  /** Restore TensorFlow.js's previously active backend. The GemmBackend keeps working only until then. */
  dispose(): Promise<void>;
}

// The subset of tfjs-core this module uses, typed locally so initkit's declarations do not need tfjs's types.
interface TfTensor {
  readonly dataId: object;
  dataSync(): Float32Array | Int32Array | Uint8Array;
  dispose(): void;
}
/**
 * The parts of tfjs-backend-wasm's BackendWasm used to write operands and read results in place (stable across
 * 4.x): `makeOutput(shape, dtype)` allocates a tensor's heap memory without copying anything into it.
 */
interface WasmBackendView {
  dataIdMap?: { get(dataId: object): { memoryOffset?: number | null } | undefined };
  wasm?: { HEAPF32?: Float32Array };
  makeOutput?: (shape: number[], dtype: 'float32') => { dataId: object; shape: number[]; dtype: 'float32' };
}
interface TfCore {
  version_core: string;
  env(): { set(flag: string, value: boolean): void; getBool(flag: string): boolean };
  getBackend(): string | undefined;
  backend(): unknown;
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  tensor2d(values: Float32Array, shape: [number, number], dtype: 'float32'): TfTensor;
  engine(): { makeTensorFromTensorInfo(info: { dataId: object; shape: number[]; dtype: 'float32' }, backend?: unknown): TfTensor };
  matMul(a: TfTensor, b: TfTensor, transposeA?: boolean, transposeB?: boolean): TfTensor;
}
interface TfWasm {
  setWasmPaths(prefix: string, usePlatformFetch?: boolean): void;
}

/**
 * Test hook: `inPlace = false` takes the paths used when tfjs-backend-wasm's internals are not the expected ones
 * (operands through `tf.tensor2d`, results through `dataSync()`). @internal
 */
export const _accelTestHooks = { inPlace: true };

/** XNNPACK's weight packing, in units of a JavaScript transpose's per-element cost (measured 4-6×; 4 is cautious). */
const PACK = 4;

async function importPeer<T>(name: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    return fail({
      code: 'UNSUPPORTED',
      where: 'createTfjsWasmGemm',
      param: 'dependencies',
      expected: `the optional peer dependency ${name} (4.x) to be installed`,
      receivedText: `import failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      fix: 'Run `npm install @tensorflow/tfjs-core @tensorflow/tfjs-backend-wasm`, or keep the built-in TypeScript GEMM.',
    });
  }
}

/** The installed tfjs-backend-wasm's dist/ directory, in Node; undefined elsewhere. */
async function defaultWasmDir(): Promise<string | undefined> {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (proc?.versions?.node === undefined) return undefined;
  // A computed specifier keeps browser bundlers from trying to resolve a Node built-in.
  const nodeModule = 'node:module';
  const { createRequire } = (await import(/* @vite-ignore */ nodeModule)) as {
    createRequire: (from: string) => { resolve: (id: string) => string };
  };
  const require = createRequire(import.meta.url);
  const main = require.resolve('@tensorflow/tfjs-backend-wasm');
  return main.slice(0, main.lastIndexOf('/') + 1);
}

/**
 * Create the TensorFlow.js WASM SIMD GEMM backend (single thread). Use it for one call
 * (`linear(x, w, b, { gemm })`, `new Tape({ gemm })`) or process-wide with `setGemmBackend(gemm)`.
 *
 * @param options `wasmPath` (the package's dist/ in Node), `minMacs` (262144).
 * @throws InitError (UNSUPPORTED) when the tfjs packages are not installed or the WASM backend fails to start.
 * @example
 * ```ts
 * import { setGemmBackend } from 'initkit';
 * import { createTfjsWasmGemm } from 'initkit/accel';
 * const gemm = await createTfjsWasmGemm();
 * setGemmBackend(gemm); // the probe's matrix products now run on XNNPACK
 * ```
 */
export async function createTfjsWasmGemm(options: TfjsWasmGemmOptions = {}): Promise<TfjsWasmGemm> {
  const where = 'createTfjsWasmGemm';
  const minMacs = options.minMacs ?? 64 ** 3;
  if (!Number.isFinite(minMacs) || minMacs < 0) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'minMacs', expected: 'a number >= 0', received: options.minMacs });
  }
  const tf = await importPeer<TfCore>('@tensorflow/tfjs-core');
  const wasm = await importPeer<TfWasm>('@tensorflow/tfjs-backend-wasm');
  const dir = options.wasmPath ?? (await defaultWasmDir());
  if (dir !== undefined) {
    try {
      wasm.setWasmPaths(dir);
    } catch (e) {
      // tfjs refuses new paths once an initialization has failed in this process.
      fail({
        code: 'UNSUPPORTED',
        where,
        param: 'wasmPath',
        expected: 'a TensorFlow.js WASM backend that has not failed to start before in this process',
        receivedText: e instanceof Error ? e.message.split('\n')[0]! : String(e),
        fix: 'Start a new process with a correct wasmPath (TensorFlow.js cannot retry a failed WASM initialization).',
      });
    }
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const previous = tf.getBackend();
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
    await tf.ready();
  } catch (e) {
    throw new InitError({
      code: 'UNSUPPORTED',
      where,
      param: 'wasmPath',
      expected: 'the TensorFlow.js WASM backend to start',
      receivedText: e instanceof Error ? e.message.split('\n')[0]! : String(e),
      fix: 'Check that wasmPath points at the directory holding tfjs-backend-wasm-simd.wasm.',
    });
  }
  if (!ok || tf.getBackend() !== 'wasm') {
    fail({
      code: 'UNSUPPORTED',
      where,
      param: 'wasmPath',
      expected: 'the TensorFlow.js WASM backend to start',
      receivedText: `active backend ${JSON.stringify(tf.getBackend())}`,
      fix: 'Check that wasmPath points at the directory holding tfjs-backend-wasm-simd.wasm.',
    });
  }
  const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT');

  let scratchA: Float32Array = new Float32Array(0);
  let scratchB: Float32Array = new Float32Array(0);
  let scratchC: Float32Array = new Float32Array(0);
  const grow = (buf: Float32Array, n: number): Float32Array => (buf.length >= n ? buf : new Float32Array(n));
  let disposed = false;

  /** The `count` floats of a tensor's WASM heap memory, or undefined when the backend's layout is not the expected one. */
  const heapView = (be: WasmBackendView, dataId: object, count: number): Float32Array | undefined => {
    if (!_accelTestHooks.inPlace) return undefined;
    const offset = be.dataIdMap?.get(dataId)?.memoryOffset;
    // Read HEAPF32 now: an allocation may have grown the memory and replaced it.
    const heap = be.wasm?.HEAPF32;
    if (typeof offset !== 'number' || offset % 4 !== 0 || heap === undefined || offset / 4 + count > heap.length) return undefined;
    return heap.subarray(offset / 4, offset / 4 + count);
  };

  /**
   * A [rows, cols] operand tensor whose values `fill` writes: straight into the tensor's WASM heap memory (one pass,
   * where a transposed operand would otherwise be transposed into a scratch array and then copied in), or, if the
   * backend's layout is not the expected one, into the `side` scratch array and then copied by `tf.tensor2d`.
   */
  const operand = (rows: number, cols: number, side: 'A' | 'B', fill: (dst: Float32Array) => void): TfTensor => {
    const be = tf.backend() as WasmBackendView;
    if (typeof be.makeOutput === 'function' && _accelTestHooks.inPlace) {
      const t = tf.engine().makeTensorFromTensorInfo(be.makeOutput([rows, cols], 'float32'), be);
      const view = heapView(be, t.dataId, rows * cols);
      if (view !== undefined) {
        fill(view);
        return t;
      }
      t.dispose();
    }
    const n = rows * cols;
    const dst = (side === 'A' ? (scratchA = grow(scratchA, n)) : (scratchB = grow(scratchB, n))).subarray(0, n);
    fill(dst);
    return tf.tensor2d(dst, [rows, cols], 'float32');
  };
  /** Fill with `src` as is, or transposed from its [cols, rows] layout. */
  const copyOf = (src: Float32Array) => (dst: Float32Array) => dst.set(src.subarray(0, dst.length));
  const transposeOf = (src: Float32Array, rows: number, cols: number) => (dst: Float32Array) => transposeInto(src, cols, rows, dst);

  /**
   * XNNPACK's untransposed product of [m,k]·[k,n] (operands written by `fillA`, `fillB`), handed to `use` as a view
   * of the WASM heap (no copy; valid only during the callback), or as `dataSync()`'s copy if the backend's layout
   * is not the expected one.
   */
  const matmul = (
    fillA: (dst: Float32Array) => void,
    fillB: (dst: Float32Array) => void,
    m: number,
    n: number,
    k: number,
    use: (result: Float32Array) => void,
  ): void => {
    const ta = operand(m, k, 'A', fillA);
    let tb: TfTensor | undefined;
    let tc: TfTensor | undefined;
    try {
      tb = operand(k, n, 'B', fillB);
      tc = tf.matMul(ta, tb);
      use(heapView(tf.backend() as WasmBackendView, tc.dataId, m * n) ?? (tc.dataSync() as Float32Array));
    } finally {
      ta.dispose();
      tb?.dispose();
      tc?.dispose();
    }
  };

  const backend: TfjsWasmGemm = {
    name: 'tfjs-wasm',
    simd,
    version: tf.version_core,
    sgemm(transA, transB, m, n, k, a, b, c, accumulate): void {
      if (disposed || m * n * k < minMacs || m === 0 || n === 0 || k === 0) {
        tsGemm.sgemm(transA, transB, m, n, k, a, b, c, accumulate);
        return;
      }
      // Cost in element moves: our transposes (~1 ns each) plus XNNPACK's packing of the right operand, [k, n]
      // directly or [k, m] swapped, which costs about PACK transposes per element (profiled: 6-7 ns/element).
      const direct = (transA ? m * k : 0) + (transB ? k * n : 0) + PACK * k * n;
      const swapped = (transA ? 0 : m * k) + (transB ? 0 : k * n) + m * n + PACK * k * m;
      if (direct <= swapped) {
        const fillA = transA ? transposeOf(a, m, k) : copyOf(a);
        const fillB = transB ? transposeOf(b, k, n) : copyOf(b);
        matmul(fillA, fillB, m, n, k, (result) => {
          if (accumulate) {
            for (let i = 0; i < m * n; i++) c[i]! += result[i]!;
          } else {
            c.set(result);
          }
        });
        return;
      }
      // Cᵀ[n, m] = op(B)ᵀ[n, k] · op(A)ᵀ[k, m]
      const fillBt = transB ? copyOf(b) : transposeOf(b, n, k);
      const fillAt = transA ? copyOf(a) : transposeOf(a, k, m);
      matmul(fillBt, fillAt, n, m, k, (result) => {
        if (accumulate) {
          const t = transposeInto(result, n, m, (scratchC = grow(scratchC, m * n)));
          for (let i = 0; i < m * n; i++) c[i]! += t[i]!;
        } else {
          transposeInto(result, n, m, c);
        }
      });
    },
    async dispose(): Promise<void> {
      if (disposed) return;
      disposed = true;
      if (previous !== undefined && previous !== 'wasm') await tf.setBackend(previous);
    },
  };
  return backend;
}
