// initkit/accel's failure modes, in a process of their own (TensorFlow.js's backend registry is global):
// a WASM directory without the binaries, and missing optional peer dependencies.
import { describe, expect, it, vi } from 'vitest';
import { InitError } from '../../src/errors.js';

describe('createTfjsWasmGemm failures', () => {
  it('a wasmPath without the .wasm files: UNSUPPORTED, naming wasmPath', async () => {
    const { createTfjsWasmGemm } = await import('../../src/accel/index.js');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = await createTfjsWasmGemm({ wasmPath: '/nonexistent-initkit-wasm/' }).catch((e: unknown) => e);
    warn.mockRestore();
    log.mockRestore();
    expect(err).toBeInstanceOf(InitError);
    expect((err as InitError).code).toBe('UNSUPPORTED');
    expect((err as InitError).param).toBe('wasmPath');
    expect((err as InitError).message).toMatch(/^createTfjsWasmGemm: expected the TensorFlow\.js WASM backend to start/);
    // tfjs cannot retry in this process: a second attempt says so instead of throwing tfjs's plain Error
    const again = await createTfjsWasmGemm().catch((e: unknown) => e);
    expect(again).toBeInstanceOf(InitError);
    expect((again as InitError).param).toBe('wasmPath');
    expect((again as InitError).message).toMatch(/has not failed to start before in this process.*Start a new process/);
  });

  it('missing @tensorflow/tfjs-core: UNSUPPORTED with the npm install line', async () => {
    vi.resetModules();
    vi.doMock('@tensorflow/tfjs-core', () => {
      throw new Error("Cannot find package '@tensorflow/tfjs-core'");
    });
    const { createTfjsWasmGemm } = await import('../../src/accel/index.js');
    const err = await createTfjsWasmGemm().catch((e: unknown) => e);
    vi.doUnmock('@tensorflow/tfjs-core');
    // a fresh module graph after resetModules: a different InitError class object, same name and fields
    expect((err as Error).name).toBe('InitError');
    expect((err as InitError).code).toBe('UNSUPPORTED');
    expect((err as InitError).param).toBe('dependencies');
    expect((err as InitError).message).toMatch(/optional peer dependency @tensorflow\/tfjs-core/);
    expect((err as InitError).message).toMatch(/npm install @tensorflow\/tfjs-core @tensorflow\/tfjs-backend-wasm/);
  });
});
