// Golden test: initkit's probe ops against PyTorch 1.13.1 float32 CPU outputs and gradients recorded in
// tests/fixtures/ops.json by `/usr/bin/python3 scripts/gen_ops_fixtures.py` (command and torch version inside).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type RefResult, compareCase, decode, runOurs } from './ops-harness.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/ops.json', import.meta.url), 'utf8')) as {
  command: string;
  torch: string;
  cases: RefResult[];
};

/** Saved statistics, max-pool argmax indices and the summary statistics PyTorch recorded beside the outputs. */
function checkExtras(ref: RefResult, mine: Record<string, unknown>): void {
  const label = `${ref.case.op} #${ref.case.seed}`;
  for (const [key, value] of Object.entries(ref.extra)) {
    const got = mine[key];
    if (key === 'indices') {
      expect(Array.from(got as Int32Array), `${label} indices`).toEqual(value);
    } else if (key === 'histc') {
      expect(got, `${label} histc`).toEqual(value);
    } else if (typeof value === 'number') {
      // torch returns its float64 reduction rounded to float32
      expect(Math.abs((got as number) - value) / Math.abs(value), `${label} ${key}`).toBeLessThan(2 ** -23);
    } else {
      const want = decode(value as { shape: number[]; bits: string });
      const g = got as Float32Array;
      expect(g.length, `${label} ${key}`).toBe(want.length);
      // mean/rstd/varUnbiased: float32 statistics within a few ulps (PyTorch's layer/group-norm moments are float32)
      want.forEach((w, i) => expect(Math.abs(g[i]! - w) / Math.max(Math.abs(w), 1e-6), `${label} ${key}[${i}]`).toBeLessThan(1e-6));
    }
  }
}

/** Relative error budget per element (against max(|ref|, rms(ref))) and for the std the probe reports. */
const TOL = 1e-5;
const STD_TOL = 1e-6;

describe(`ops vs PyTorch ${fixture.torch} golden fixtures (${fixture.command})`, () => {
  const rows: string[] = [];
  for (const ref of fixture.cases) {
    const name = `${ref.case.op} #${ref.case.seed}`;
    it(name, () => {
      const ours = runOurs(ref);
      const r = compareCase(ref, ours);
      rows.push(
        `${r.label.padEnd(100)} maxErr ${r.maxErr.toExponential(2)} stdErr ${r.stdErr.toExponential(2)} exact ${Object.entries(r.parts)
          .map(([k, p]) => `${k}:${(p.exact * 100).toFixed(0)}%`)
          .join(' ')}`,
      );
      for (const [part, p] of Object.entries(r.parts)) {
        expect(p.maxErr, `${r.label} ${part}`).toBeLessThanOrEqual(TOL);
        expect(p.stdErr, `${r.label} ${part}`).toBeLessThanOrEqual(STD_TOL);
      }
      checkExtras(ref, ours.extra);
    });
  }
  it('prints the agreement table', () => {
    process.stderr.write(`\n${rows.join('\n')}\n`);
    expect(rows.length).toBe(fixture.cases.length);
  });
});
