/**
 * `initkit/accel`: optional accelerated compute backends, kept out of the core entry point so the core stays
 * dependency-free. Each needs its own optional peer dependencies (see each module).
 *
 * - {@link createTfjsWasmGemm}: float32 matrix products on TensorFlow.js's WASM SIMD backend (XNNPACK), for the
 *   probe's Linear and Conv layers. Needs `@tensorflow/tfjs-core` and `@tensorflow/tfjs-backend-wasm` 4.x.
 */
export { createTfjsWasmGemm, type TfjsWasmGemm, type TfjsWasmGemmOptions } from './tfjs-wasm.js';
export type { GemmBackend } from '../analysis/ops/gemm.js';
