// Oracle: fresh random seeds, sizes and ranges each run, compared bit for bit with live PyTorch.
import { expect, it } from 'vitest';
import { Generator, type TorchCompat, empty, init, randperm } from '../../src/index.js';
import { erfinvF64 } from '../../src/rng/erfinv.js';
import { diffBits, f32bits, f64bits } from '../helpers/bits.js';
import { PY_PRELUDE, describeTorch, oracleSeed, runTorch, torchVersion } from '../helpers/torch.js';

/**
 * The numerics of the installed PyTorch: 1.x computes the per-element double normal radius with log(1 - u), 2.x with
 * log1p(-u) (../shared/reference/torch-cpu-rng.md §9). The Generator must follow the same release.
 */
const COMPAT: TorchCompat = (torchVersion() ?? '').startsWith('1.') ? '1.13' : '2.x';

interface Case {
  seed: string;
  op: 'uniform' | 'normal' | 'trunc_normal' | 'randperm';
  dtype: 'float32' | 'float64';
  n: number;
  args: Record<string, number>;
}

function makeCases(master: number): Case[] {
  const g = new Generator().manualSeed(master);
  const rnd = (): number => g.random() / 2 ** 32;
  const cases: Case[] = [];
  const ops: Case['op'][] = ['uniform', 'normal', 'trunc_normal', 'randperm'];
  for (let k = 0; k < 48; k++) {
    const op = ops[k % ops.length]!;
    const big = rnd() < 0.2;
    const n = big ? 1000 + Math.floor(rnd() * 70000) : 1 + Math.floor(rnd() * 80);
    const seedKind = rnd();
    const seed =
      seedKind < 0.6 ? String(Math.floor(rnd() * 2 ** 32)) : seedKind < 0.8 ? String(-Math.floor(rnd() * 2 ** 40)) : (BigInt(Math.floor(rnd() * 2 ** 31)) * 2n ** 33n + 5n).toString();
    const dtype = op !== 'randperm' && rnd() < 0.25 ? 'float64' : 'float32';
    let args: Record<string, number> = {};
    if (op === 'uniform') {
      const a = (rnd() - 0.5) * 10 * (rnd() < 0.3 ? 100 : 1);
      args = { a, b: a + rnd() * 5 };
    } else if (op === 'normal') {
      args = { mean: (rnd() - 0.5) * 4, std: rnd() * 3 };
    } else if (op === 'trunc_normal') {
      const std = 0.01 + rnd() * 2;
      const mean = (rnd() - 0.5) * std;
      args = { mean, std, a: mean - std * (0.2 + rnd() * 3), b: mean + std * (0.2 + rnd() * 3) };
    }
    cases.push({ seed, op, dtype, n, args });
  }
  return cases;
}

const PY = `${PY_PRELUDE}
out = []
for c in inp:
    torch.manual_seed(int(c['seed']))
    dt = torch.float64 if c['dtype'] == 'float64' else torch.float32
    a = c['args']
    if c['op'] == 'randperm':
        out.append([int(x) for x in torch.randperm(c['n'])])
        continue
    t = torch.empty(c['n'], dtype=dt)
    if c['op'] == 'uniform': t.uniform_(a['a'], a['b'])
    elif c['op'] == 'normal': t.normal_(a['mean'], a['std'])
    else: torch.nn.init.trunc_normal_(t, mean=a['mean'], std=a['std'], a=a['a'], b=a['b'])
    nxt = torch.empty(3).uniform_()  # the stream position after the call must match too
    out.append({'bits': bits(t), 'next': bits32(nxt)})
print(json.dumps(out))
`;

describeTorch('oracle: random kernels against live PyTorch', () => {
  it('uniform_, normal_, trunc_normal_ and randperm on fresh random cases', () => {
    const cases = makeCases(oracleSeed());
    const expected = runTorch<unknown[]>(PY, cases);
    let checked = 0;
    cases.forEach((c, i) => {
      const g = new Generator({ compat: COMPAT }).manualSeed(BigInt(c.seed));
      const label = `case ${i}: ${JSON.stringify(c)}`;
      if (c.op === 'randperm') {
        expect(randperm(c.n, { generator: g }).tolist(), label).toEqual(expected[i]);
        return;
      }
      const t = empty([c.n], { dtype: c.dtype });
      if (c.op === 'uniform') init.uniform_(t, c.args['a'], c.args['b'], { generator: g });
      else if (c.op === 'normal') init.normal_(t, c.args['mean'], c.args['std'], { generator: g });
      else init.truncNormal_(t, { mean: c.args['mean']!, std: c.args['std']!, a: c.args['a']!, b: c.args['b']!, generator: g });
      const exp = expected[i] as { bits: string[]; next: string[] };
      const got = c.dtype === 'float64' ? f64bits(t.data) : f32bits(t.data);
      const nxt = init.uniform_(empty([3]), 0, 1, { generator: g });
      // float64 too: normal_ (glibc log/log1p + sincos) and trunc_normal_ (glibc erf, exp, log) are ported bit for bit.
      const d = diffBits(got, exp.bits);
      expect(d.count, `${label}: ${d.first.join('; ')}`).toBe(0);
      expect(f32bits(nxt.data), `${label}: stream position after the call`).toEqual(exp.next);
      checked++;
    });
    expect(checked).toBeGreaterThan(30);
  });
});

interface F64Op {
  op: 'normal' | 'uniform' | 'trunc_normal' | 'erfinv';
  n: number;
  args: Record<string, number>;
}
interface F64Case {
  seed: string;
  ops: F64Op[];
}

/**
 * float64 sequences on one generator: per-element normals (n < 16, odd n leaves the Box–Muller cache for the next
 * call), normal_fill blocks with and without the tail re-draw, trunc_normal_ with bounds from near the mean to the far
 * tails (erfinv's |y| > 0.7 branch), and erfinv_ of float64 uniforms in (-1, 1).
 */
function makeF64Cases(master: number): F64Case[] {
  const g = new Generator().manualSeed(master);
  const rnd = (): number => g.random() / 2 ** 32;
  const sizes = [1, 2, 3, 5, 7, 15, 16, 17, 31, 48, 100, 257, 1000, 4099];
  const kinds: F64Op['op'][] = ['normal', 'normal', 'trunc_normal', 'uniform', 'erfinv'];
  const cases: F64Case[] = [];
  for (let k = 0; k < 24; k++) {
    const ops: F64Op[] = [];
    const nOps = 2 + Math.floor(rnd() * 3);
    for (let j = 0; j < nOps; j++) {
      const op = kinds[Math.floor(rnd() * kinds.length)]!;
      const n = sizes[Math.floor(rnd() * sizes.length)]!;
      let args: Record<string, number> = {};
      if (op === 'normal') args = { mean: (rnd() - 0.5) * 4, std: 0.01 + rnd() * 3 };
      else if (op === 'uniform') args = { a: -rnd() * 3, b: rnd() * 3 + 0.01 };
      else if (op === 'trunc_normal') {
        const std = 0.01 + rnd() * 2;
        const mean = (rnd() - 0.5) * std;
        args = { mean, std, a: mean - std * (0.05 + rnd() * 5), b: mean + std * (0.05 + rnd() * 5) };
      }
      ops.push({ op, n, args });
    }
    cases.push({ seed: String(Math.floor(rnd() * 2 ** 32)), ops });
  }
  return cases;
}

const PY_F64 = `${PY_PRELUDE}
out = []
for c in inp:
    torch.manual_seed(int(c['seed']))
    res = []
    for o in c['ops']:
        a = o['args']
        t = torch.empty(o['n'], dtype=torch.float64)
        if o['op'] == 'normal': t.normal_(a['mean'], a['std'])
        elif o['op'] == 'uniform': t.uniform_(a['a'], a['b'])
        elif o['op'] == 'trunc_normal': torch.nn.init.trunc_normal_(t, mean=a['mean'], std=a['std'], a=a['a'], b=a['b'])
        else: t = torch.erfinv(t.uniform_(-1, 1))
        res.append(bits64(t))
    res.append(bits32(torch.empty(3).uniform_()))
    out.append(res)
print(json.dumps(out))
`;

describeTorch('oracle: float64 random kernels bit for bit against live PyTorch', () => {
  it(`float64 normal_ (both paths, Box–Muller cache), trunc_normal_, uniform_ and erfinv_ sequences (compat ${COMPAT})`, () => {
    const cases = makeF64Cases(oracleSeed());
    const expected = runTorch<string[][][]>(PY_F64, cases);
    let values = 0;
    cases.forEach((c, i) => {
      const g = new Generator({ compat: COMPAT }).manualSeed(BigInt(c.seed));
      c.ops.forEach((o, j) => {
        const label = `case ${i} op ${j}: seed ${c.seed} ${JSON.stringify(c.ops)}`;
        const t = empty([o.n], { dtype: 'float64' });
        const a = o.args;
        if (o.op === 'normal') init.normal_(t, a['mean'], a['std'], { generator: g });
        else if (o.op === 'uniform') init.uniform_(t, a['a'], a['b'], { generator: g });
        else if (o.op === 'trunc_normal') init.truncNormal_(t, { mean: a['mean']!, std: a['std']!, a: a['a']!, b: a['b']!, generator: g });
        else {
          init.uniform_(t, -1, 1, { generator: g });
          const d = t.data as Float64Array;
          for (let k = 0; k < d.length; k++) d[k] = erfinvF64(d[k]!);
        }
        const diff = diffBits(f64bits(t.data), expected[i]![j]!);
        expect(diff.count, `${label}: ${diff.first.join('; ')}`).toBe(0);
        values += o.n;
      });
      const nxt = init.uniform_(empty([3]), 0, 1, { generator: g });
      expect(f32bits(nxt.data), `case ${i}: stream position after the sequence`).toEqual(expected[i]![c.ops.length]);
    });
    process.stderr.write(`float64 oracle: ${values} values compared bit for bit\n`);
    expect(values).toBeGreaterThan(100);
  });
});
