// Golden: initkit's probe against PyTorch's numbers stored in tests/fixtures/probe.json (scripts/gen_probe_fixtures.py
// with scripts/probe_torch.py), for CI without PyTorch. Same model set and tolerances as the oracle
// (tests/analysis/probe-helpers.ts: 1e-4 relative on every std).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBE_MODELS, type TorchProbe, compareProbe, makeCase, runInitkit } from './probe-helpers.js';

interface Fixture {
  generator: string;
  torch: string;
  cases: { model: string; init: string; seed: number; bins: number; result: TorchProbe }[];
}

const FIXTURE = JSON.parse(readFileSync(new URL('../fixtures/probe.json', import.meta.url), 'utf8')) as Fixture;

describe(`probe golden fixtures (${FIXTURE.generator}, PyTorch ${FIXTURE.torch})`, () => {
  it('covers every model and init of tests/fixtures/probe-models.json', () => {
    const want = PROBE_MODELS.flatMap((m) => m.inits.map((i) => `${m.name}/${i}`));
    expect(FIXTURE.cases.map((c) => `${c.model}/${c.init}`)).toEqual(want);
  });
  for (const c of FIXTURE.cases) {
    it(`${c.model} / ${c.init} / seed ${c.seed}`, () => {
      const model = PROBE_MODELS.find((m) => m.name === c.model)!;
      compareProbe(runInitkit(makeCase(model, c.init, c.seed, c.bins)), c.result, `${c.model} / ${c.init}`);
    });
  }
});
