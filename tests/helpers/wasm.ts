/** The WebAssembly random kernels for tests that call their exports directly. */
import { activeKernels, setKernelBackend } from '../../src/rng/wasm/backend.js';

/** The loaded kernels (forcing the WebAssembly backend to load them, then back to 'auto'); throws when unavailable. */
export function kernels() {
  setKernelBackend('wasm');
  const k = activeKernels();
  setKernelBackend('auto');
  if (k === null) throw new Error('WebAssembly kernels unavailable');
  return k;
}
