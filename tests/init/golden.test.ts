// Golden: every torch.nn.init function (orthogonal_ excepted) against tests/fixtures/init.json, bit for bit.
// The fixture was produced by real PyTorch: /usr/bin/python3 scripts/gen_init_fixtures.py (command and torch version
// are recorded inside it).
import { describe, expect, it } from 'vitest';
import { type CaseResult, type ProgramFixture, compatFor, expectCaseMatches, readProgramFixture, runCase } from '../helpers/programs.js';

const fixture = readProgramFixture('init.json');
const compat = compatFor(fixture.environment.torch);

/** The fixture's cases grouped by the first op's function, so a failure names the function. */
const groups = new Map<string, ProgramFixture['cases']>();
for (const c of fixture.cases) {
  const key = c.ops.length > 1 && new Set(c.ops.map((o) => o.op)).size > 1 ? 'programs (several functions in a row)' : c.ops[0]!.op;
  groups.set(key, [...(groups.get(key) ?? []), c]);
}

describe(`golden init fixtures (PyTorch ${fixture.environment.torch}, ${fixture.environment.cpu_capability}; ${fixture.command})`, () => {
  it('covers every PyTorch init function and initkit extension', () => {
    const ops = new Set(fixture.cases.flatMap((c) => c.ops.map((o) => o.op)));
    for (const op of [
      'uniform_', 'normal_', 'trunc_normal_', 'constant_', 'ones_', 'zeros_', 'eye_', 'dirac_', 'xavier_uniform_',
      'xavier_normal_', 'kaiming_uniform_', 'kaiming_normal_', 'sparse_', 'calculate_gain', 'fan',
      'variance_scaling', 'lecun_uniform', 'lecun_normal',
    ]) {
      expect(ops.has(op), op).toBe(true);
    }
  });

  it('the comparison catches a one-bit difference and a shifted stream', () => {
    const c = fixture.cases.find((x) => x.ops.length === 1 && x.ops[0]!.op === 'uniform_')!;
    const actual = runCase(c, compat);
    const first = actual.out[0] as { n: number; bits: string };
    const last = first.bits.at(-1) === '0' ? '1' : '0';
    const flipped: CaseResult = { ...actual, out: [{ ...first, bits: first.bits.slice(0, -1) + last }] };
    expect(() => expectCaseMatches('one bit', c, flipped, c.expected)).toThrow();
    const shifted: CaseResult = { ...actual, next: `00000000${actual.next.slice(8)}` };
    expect(() => expectCaseMatches('stream', c, shifted, c.expected)).toThrow();
    expect(() => expectCaseMatches('same', c, actual, c.expected)).not.toThrow();
  });

  for (const [name, cases] of groups) {
    it(`${name}: ${cases.length} cases bit for bit`, () => {
      let values = 0;
      for (const c of cases) {
        values += expectCaseMatches(`${c.name} (seed ${c.seed})`, c, runCase(c, compat), c.expected);
      }
      expect(values + cases.length).toBeGreaterThan(0);
    });
  }
});
