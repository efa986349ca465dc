// Fuzz: thousands of corrupted safetensors files (fixed seed; override with INITKIT_FUZZ_SEED). Every case must
// end in a successful parse (a benign mutation) or a clean InitError: MALFORMED_FILE, or UNSUPPORTED only for a file
// whose header is well-formed (a dtype or int64 value initkit cannot hold). Never a RangeError, TypeError,
// SyntaxError or any other exception.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InitError, parseSafetensors, parseSafetensorsHeader, serializeSafetensors } from '../../src/index.js';
import { storageBits } from '../helpers/bits.js';
import { MUTATIONS, baseFiles, randomFile } from './fuzz-cases.js';

const SEED = Number(process.env['INITKIT_FUZZ_SEED'] ?? 424242);
const RUNS_PER_KIND = 800;

const outcomes = new Map<string, number>();
const note = (key: string): void => {
  outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
};

/** Parse and classify; throws (failing the property) on anything but the allowed outcomes. */
function check(kind: string, bytes: Uint8Array): void {
  let parsed: ReturnType<typeof parseSafetensors>;
  try {
    parsed = parseSafetensors(bytes);
  } catch (e) {
    if (!(e instanceof InitError)) {
      throw new Error(`${kind}: ${(e as Error)?.constructor?.name ?? typeof e} escaped: ${String(e)}`, { cause: e });
    }
    if (e.code === 'UNSUPPORTED') {
      // Only a well-formed header may lead here.
      parseSafetensorsHeader(bytes);
      note(`${kind}: UNSUPPORTED`);
      return;
    }
    if (e.code !== 'MALFORMED_FILE') throw new Error(`${kind}: InitError with code ${e.code}: ${e.message}`);
    // The message names where: the part of the file or the JSON path.
    expect(e.message).toMatch(/^parseSafetensors: (file|header length|header|data|header\[.*|tensor ".*"): expected /s);
    note(`${kind}: ${e.where.replace('parseSafetensors: ', '').replace(/\[.*$/s, '[..]').replace(/ ".*$/s, '')}`);
    return;
  }
  // A benign mutation: re-serializing gives a file that parses to the same tensors and metadata.
  const again = parseSafetensors(serializeSafetensors(parsed.tensors, parsed.metadata));
  expect([...again.tensors.keys()]).toEqual([...parsed.tensors.keys()]);
  for (const [name, t] of parsed.tensors) {
    const u = again.tensors.get(name)!;
    expect(u.shape).toEqual(t.shape);
    expect(storageBits(u)).toEqual(storageBits(t));
  }
  expect(again.metadata).toEqual(parsed.metadata);
  note(`${kind}: ok`);
}

describe(`safetensors fuzz (seed ${SEED}, replay with INITKIT_FUZZ_SEED=${SEED})`, () => {
  const bases = baseFiles();

  it('the base files are valid', () => {
    for (const b of bases) expect(() => parseSafetensors(b)).not.toThrow();
  });

  for (const [kind, mutate] of Object.entries(MUTATIONS)) {
    it(`${kind}: ${RUNS_PER_KIND} cases end in a parse or a clean InitError`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...bases).chain(mutate), (bytes) => check(kind, bytes)),
        { seed: SEED, numRuns: RUNS_PER_KIND },
      );
    });
  }

  it(`random files: ${RUNS_PER_KIND} cases end in a parse or a clean InitError`, () => {
    fc.assert(fc.property(randomFile, (bytes) => check('random', bytes)), { seed: SEED, numRuns: RUNS_PER_KIND });
  });

  it('the fuzzing reaches every stage of validation', () => {
    const reached = (frag: string): number => [...outcomes].filter(([k]) => k.includes(frag)).reduce((a, [, v]) => a + v, 0);
    for (const stage of ['file', 'header length', ': header', 'header[..]', 'data', 'tensor', ': ok']) {
      expect(reached(stage), `no case reached ${stage}`).toBeGreaterThan(0);
    }
  });

  afterAll(() => {
    const lines = [...outcomes].sort().map(([k, v]) => `  ${k}: ${v}`);
    process.stderr.write(`safetensors fuzz outcomes (seed ${SEED}):\n${lines.join('\n')}\n`);
  });
});
