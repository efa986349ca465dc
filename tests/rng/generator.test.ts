import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DEFAULT_RNG_SEED,
  Generator,
  InitError,
  TORCH_STATE_BYTES,
  defaultGenerator,
  empty,
  init,
  initialSeed,
  manualSeed,
  seed,
} from '../../src/index.js';

describe('Generator seeding (torch.manual_seed semantics)', () => {
  it('a fresh Generator has torch.Generator()\'s seed 67280421310721', () => {
    expect(new Generator().initialSeed()).toBe(67280421310721n);
    expect(DEFAULT_RNG_SEED).toBe(67280421310721n);
  });

  it('only the low 32 bits reach MT19937: seeds 0 and 2^32 give the same stream', () => {
    const a = new Generator().manualSeed(0);
    const b = new Generator().manualSeed(2 ** 32);
    expect([a.random(), a.random()]).toEqual([b.random(), b.random()]);
    expect(b.initialSeed()).toBe(4294967296n);
  });

  it('negative seeds wrap modulo 2^64 (manual_seed(-1).initial_seed() = 2^64 - 1)', () => {
    expect(new Generator().manualSeed(-1).initialSeed()).toBe(18446744073709551615n);
    expect(new Generator().manualSeed(-(2n ** 63n)).initialSeed()).toBe(2n ** 63n);
    const a = new Generator().manualSeed(-7);
    const b = new Generator().manualSeed(2n ** 64n - 7n);
    expect(a.random()).toBe(b.random());
  });

  it('accepts the full range [-2^63, 2^64 - 1] and rejects everything else with InitError naming the value', () => {
    expect(() => new Generator().manualSeed(2n ** 64n - 1n)).not.toThrow();
    const bad: unknown[] = [2n ** 64n, -(2n ** 63n) - 1n, 1.5, NaN, Infinity, '42', null, undefined, {}];
    for (const s of bad) {
      let err: unknown;
      try {
        new Generator().manualSeed(s as number);
      } catch (e) {
        err = e;
      }
      expect(err, String(s)).toBeInstanceOf(InitError);
      const e = err as InitError;
      expect(e.code).toBe('INVALID_SEED');
      expect(e.param).toBe('seed');
      expect(e.message).toContain('seed');
    }
    expect(() => new Generator().manualSeed(1.5)).toThrow(/got 1\.5/);
    expect(() => new Generator().manualSeed('42' as unknown as number)).toThrow(/got "42"\..*manualSeed\(42\)/);
    expect(() => new Generator().manualSeed(2n ** 64n)).toThrow(/18446744073709551616n/);
  });

  it('manualSeed resets the Box–Muller cache', () => {
    const g = new Generator().manualSeed(3);
    init.normal_(empty([3]), 0, 1, { generator: g });
    expect(g.nextDoubleNormal).not.toBeNull();
    g.manualSeed(3);
    expect(g.nextDoubleNormal).toBeNull();
  });

  it('seed() draws a non-deterministic seed and reseeds', () => {
    const g = new Generator();
    const s1 = g.seed();
    const s2 = g.seed();
    expect(s1).not.toBe(s2);
    expect(g.initialSeed()).toBe(s2);
  });

  it('the default generator: manualSeed/initialSeed/seed like torch', () => {
    manualSeed(123);
    expect(initialSeed()).toBe(123n);
    expect(defaultGenerator().initialSeed()).toBe(123n);
    const s = seed();
    expect(initialSeed()).toBe(s);
  });
});

describe('Generator draws and state', () => {
  it('random64 is (first << 32) | second', () => {
    const a = new Generator().manualSeed(9);
    const b = new Generator().manualSeed(9);
    const hi = BigInt(b.random());
    const lo = BigInt(b.random());
    expect(a.random64()).toBe((hi << 32n) | lo);
  });

  it('fillU32 equals repeated random() across twist boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1400 }), fc.integer({ min: 0, max: 2000 }), fc.integer(), (skip, n, s) => {
        const a = new Generator().manualSeed(s).discard(skip);
        const b = new Generator().manualSeed(s).discard(skip);
        const bulk = new Uint32Array(n);
        a.fillU32(bulk, n);
        for (let i = 0; i < n; i++) if (bulk[i] !== b.random()) return false;
        return a.random() === b.random();
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('getState/setState round-trips through JSON, including the normal cache', () => {
    const g = new Generator().manualSeed(11);
    init.normal_(empty([5]), 0, 1, { generator: g }); // leaves a cached sample
    g.discard(700);
    const state = JSON.parse(JSON.stringify(g.getState()));
    const after = [g.random(), g.random(), init.normal_(empty([1]), 0, 1, { generator: g }).data[0]];
    const h = new Generator().setState(state);
    expect([h.random(), h.random(), init.normal_(empty([1]), 0, 1, { generator: h }).data[0]]).toEqual(after);
  });

  it('getStateBytes/setStateBytes round-trip (PyTorch\'s 5056-byte layout)', () => {
    const g = new Generator().manualSeed(-5);
    init.normal_(empty([3]), 0, 1, { generator: g });
    const bytes = g.getStateBytes();
    expect(bytes.length).toBe(TORCH_STATE_BYTES);
    const h = new Generator().setStateBytes(bytes);
    expect(h.initialSeed()).toBe(g.initialSeed());
    expect(h.nextDoubleNormal).toBe(g.nextDoubleNormal);
    expect(h.random()).toBe(g.random());
  });

  it('setState and setStateBytes validate their input', () => {
    const g = new Generator();
    expect(() => g.setState(null as never)).toThrow(/state to be an object/);
    expect(() => g.setState({ ...g.getState(), state: [1, 2] })).toThrow(/624 32-bit words/);
    expect(() => g.setState({ ...g.getState(), left: 0 })).toThrow(/state\.left/);
    expect(() => g.setState({ ...g.getState(), next: 999 })).toThrow(/state\.next/);
    expect(() => g.setState({ ...g.getState(), seed: 'x' })).toThrow(/decimal integer/);
    expect(() => g.setState({ ...g.getState(), kind: 'philox' as 'mt19937' })).toThrow(/'mt19937'/);
    expect(() => g.setStateBytes(new Uint8Array(10))).toThrow(/5056 bytes/);
    expect(() => new Generator({ compat: '3.0' as never })).toThrow(/'2\.x', '1\.13'/);
  });
});
