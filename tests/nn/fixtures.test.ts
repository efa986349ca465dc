// Golden: every layer type across its options and the composite models, built from the same spec in PyTorch
// (scripts/gen_nn_fixtures.py, recorded in the fixtures with the torch version) and in initkit, compared bit for bit:
// state-dict keys, order, dtypes, shapes and values, the generator state after construction (the next draws),
// repr(model), and for models every traversal order.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Generator, empty, init, nn } from '../../src/index.js';
import { f32bits } from '../helpers/bits.js';
import { type TensorRecord, compareTensor } from './helpers.js';

interface Case {
  name: string;
  seed: number;
  spec: nn.SpecNode;
  state: TensorRecord[];
  next: string;
  repr: string;
  numParameters: number;
  namedParameters?: string[];
  namedBuffers?: string[];
  namedModules?: string[];
  namedChildren?: string[];
  applyOrder?: string[];
}

interface Fixture {
  torch: string;
  command: string;
  cases: Case[];
}

function load(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Fixture;
}

/** A generator seeded like torch.manual_seed, following the fixtures' PyTorch 1.13 numerics. */
function gen(seed: number): Generator {
  return new Generator({ compat: '1.13' }).manualSeed(seed);
}

function check(c: Case): void {
  const g = gen(c.seed);
  const model = nn.fromSpec(c.spec, { generator: g });
  const sd = model.stateDict();
  expect([...sd.keys()]).toEqual(c.state.map((r) => r.key));
  const problems: string[] = [];
  for (const rec of c.state) problems.push(...compareTensor(rec.key, sd.get(rec.key)!, rec));
  expect(problems, `${c.name} seed ${c.seed}`).toEqual([]);
  // The generator must stand exactly where PyTorch's does: compare torch.rand(4) drawn next.
  expect(f32bits(init.uniform_(empty([4]), 0, 1, { generator: g }).data).join(' ')).toBe(c.next);
  expect(model.toString()).toBe(c.repr);
  expect(model.numParameters()).toBe(c.numParameters);
  if (c.namedParameters) {
    expect(model.namedParameters().map(([n]) => n)).toEqual(c.namedParameters);
    expect(model.namedBuffers().map(([n]) => n)).toEqual(c.namedBuffers);
    expect(model.namedModules().map(([n]) => n)).toEqual(c.namedModules);
    expect(model.namedChildren().map(([n]) => n)).toEqual(c.namedChildren);
    const names = new Map(model.namedModules().map(([n, m]) => [m, n]));
    const order: string[] = [];
    model.apply((m) => order.push(names.get(m)!));
    expect(order).toEqual(c.applyOrder);
  }
}

for (const file of ['nn-layers.json', 'nn-models.json']) {
  const fx = load(file);
  describe(`${file} (PyTorch ${fx.torch}: ${fx.command})`, () => {
    it('has cases', () => expect(fx.cases.length).toBeGreaterThan(10));
    for (const c of fx.cases) {
      it(`${c.name} (seed ${c.seed})`, () => check(c));
    }
  });
}
