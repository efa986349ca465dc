/** Choosing the probe's GEMM backend in the CLI: the accelerated tfjs-wasm one when installed, else TypeScript. */
import type { GemmBackend } from '../analysis/ops/gemm.js';
import { checkEnum } from '../errors.js';

export const GEMM_CHOICES = ['auto', 'ts', 'wasm'] as const;
export type GemmChoice = (typeof GEMM_CHOICES)[number];

export interface ChosenGemm {
  backend: GemmBackend | undefined;
  name: string;
  dispose(): void;
}

/**
 * `auto`: TensorFlow.js's WASM SIMD backend (XNNPACK) when `@tensorflow/tfjs-core` and
 * `@tensorflow/tfjs-backend-wasm` are installed (optional peer dependencies), else the core's TypeScript GEMM.
 * `wasm` requires it; `ts` never loads it.
 */
export async function chooseGemm(choice: string | undefined): Promise<ChosenGemm> {
  const c = checkEnum('--gemm', 'gemm', choice ?? 'auto', GEMM_CHOICES);
  const ts: ChosenGemm = { backend: undefined, name: 'TypeScript', dispose: () => undefined };
  if (c === 'ts') return ts;
  try {
    const accel = await import('../accel/index.js');
    const g = await accel.createTfjsWasmGemm();
    return { backend: g, name: 'WebAssembly SIMD (TF.js XNNPACK)', dispose: () => g.dispose() };
  } catch (e) {
    if (c === 'wasm') throw e;
    return ts;
  }
}
