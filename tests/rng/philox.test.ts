import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PhiloxGenerator, philox4x32_10, pathStreamId, empty, init, InitError } from '../../src/index.js';

const hex = (u: Uint32Array): string => Array.from(u, (x) => x.toString(16).padStart(8, '0')).join(' ');
const words = (s: string): number[] => s.split(' ').map((h) => parseInt(h, 16));

describe('Philox4x32-10', () => {
  // Random123 known-answer vectors (tests/kat_vectors, "philox4x32 10" lines): counter, key, expected output.
  const KAT: [string, string, string][] = [
    ['00000000 00000000 00000000 00000000', '00000000 00000000', '6627e8d5 e169c58d bc57ac4c 9b00dbd8'],
    ['ffffffff ffffffff ffffffff ffffffff', 'ffffffff ffffffff', '408f276d 41c83b0e a20bc7c6 6d5451fd'],
    ['243f6a88 85a308d3 13198a2e 03707344', 'a4093822 299f31d0', 'd16cfe09 94fdcceb 5001e420 24126ea1'],
  ];
  it.each(KAT)('known-answer vector ctr=%s key=%s', (ctr, key, expected) => {
    const [c0, c1, c2, c3] = words(ctr) as [number, number, number, number];
    const [k0, k1] = words(key) as [number, number];
    const out = new Uint32Array(4);
    philox4x32_10(c0, c1, c2, c3, k0, k1, out);
    expect(hex(out)).toBe(expected);
  });

  it('stream layout: key = seed words, counter = (block, stream); word p is lane p%4 of block p/4', () => {
    const g = new PhiloxGenerator(0xa4093822n | (0x299f31d0n << 32n), 0x13198a2en | (0x03707344n << 32n));
    g.seek(0x243f6a88n * 4n + (0x85a308d3n << 34n));
    const out = new Uint32Array(4);
    g.fillU32(out, 4);
    expect(hex(out)).toBe('d16cfe09 94fdcceb 5001e420 24126ea1');
  });

  it('seek gives O(1) random access equal to sequential draws', () => {
    const g = new PhiloxGenerator(42, 7);
    const seq = new Uint32Array(1000);
    g.fillU32(seq, 1000);
    for (const p of [0, 1, 3, 4, 5, 17, 511, 998]) {
      g.seek(p);
      expect(g.random()).toBe(seq[p]);
      g.seekWords(p);
      expect(g.position()).toBe(BigInt(p));
      expect(g.random()).toBe(seq[p]);
    }
  });

  it('fillU32 equals repeated random() from any starting lane', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 40 }), fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (start, n, seed) => {
        const a = new PhiloxGenerator(seed, 3).seek(start);
        const b = new PhiloxGenerator(seed, 3).seek(start);
        const bulk = new Uint32Array(n);
        a.fillU32(bulk, n);
        const single = Array.from({ length: n }, () => b.random());
        expect(Array.from(bulk)).toEqual(single);
        expect(a.position()).toBe(b.position());
      }),
      { seed: 20261130, numRuns: 200 },
    );
  });

  it('streams and seeds are independent; forPath is a pure function of the path', () => {
    const a = PhiloxGenerator.forPath(1, 'encoder.layers.0.linear1.weight');
    const b = PhiloxGenerator.forPath(1, 'encoder.layers.0.linear1.weight');
    const c = PhiloxGenerator.forPath(1, 'encoder.layers.0.linear2.weight');
    const d = PhiloxGenerator.forPath(2, 'encoder.layers.0.linear1.weight');
    const x = [a.random(), a.random()];
    expect([b.random(), b.random()]).toEqual(x);
    expect([c.random(), c.random()]).not.toEqual(x);
    expect([d.random(), d.random()]).not.toEqual(x);
    // FNV-1a 64 of "" and "a" (published test values of the FNV hash)
    expect(pathStreamId('')).toBe(0xcbf29ce484222325n);
    expect(pathStreamId('a')).toBe(0xaf63dc4c8601ec8cn);
  });

  it('state round trip and clone', () => {
    const g = new PhiloxGenerator(-7, 99);
    g.fillU32(new Uint32Array(13), 13);
    const s = JSON.parse(JSON.stringify(g.getState()));
    const x = [g.random(), g.random(), g.random()];
    const h = new PhiloxGenerator().setState(s);
    expect([h.random(), h.random(), h.random()]).toEqual(x);
    const k = g.clone();
    expect(k.random()).toBe(g.random());
  });

  it('drives the init functions (normal_ reproducible after seek(0))', () => {
    const g = new PhiloxGenerator(5, 1);
    const a = init.normal_(empty([100]), 0, 1, { generator: g });
    g.seek(0);
    const b = init.normal_(empty([100]), 0, 1, { generator: g });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('rejects bad seeds, streams and offsets with InitError', () => {
    expect(() => new PhiloxGenerator(1.5)).toThrow(InitError);
    expect(() => new PhiloxGenerator(1, -1)).toThrow(/stream.*got -1/);
    expect(() => new PhiloxGenerator(1, 2 ** 60)).toThrow(/stream/);
    expect(() => new PhiloxGenerator().seek(-1)).toThrow(/offset/);
    expect(() => PhiloxGenerator.forPath(1, 5 as unknown as string)).toThrow(/path to be a string, got 5/);
    expect(() => new PhiloxGenerator().setState({} as never)).toThrow(/kind 'philox'/);
  });
});
