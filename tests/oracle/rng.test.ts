// Oracle: fresh random seeds, sizes and ranges each run, compared bit for bit with live PyTorch.
import { expect, it } from 'vitest';
import { Generator, empty, init, randperm } from '../../src/index.js';
import { diffBits, f32bits, f64bits } from '../helpers/bits.js';
import { PY_PRELUDE, describeTorch, oracleSeed, runTorch } from '../helpers/torch.js';

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
    const dtype = op !== 'randperm' && op !== 'trunc_normal' && rnd() < 0.25 ? 'float64' : 'float32';
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

/** float64 normal_ (>= 16 elements) is compared within this many ulps of PyTorch. */
const F64_NORMAL_MAX_ULPS = 4;

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
      const g = new Generator({ compat: '1.13' }).manualSeed(BigInt(c.seed));
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
      if (c.dtype === 'float64' && c.op === 'normal' && c.n >= 16) {
        // float64 normal_fill uses glibc's double log/cos/sin, which JavaScript lacks: the sample z·std is compared
        // in ulps of its own magnitude (the final + mean can cancel, so ulps of the sum would overstate it).
        const ref = exp.bits.map((h) => new Float64Array(new BigUint64Array([BigInt(`0x${h}`)]).buffer)[0]!);
        const mean = c.args['mean']!;
        Array.from(t.data).forEach((x, k) => {
          const r = ref[k]!;
          const scale = Math.abs(r - mean) + Math.abs(mean);
          expect(Math.abs(x - r) / (scale * 2 ** -52), `${label}: element ${k}`).toBeLessThanOrEqual(F64_NORMAL_MAX_ULPS);
        });
      } else {
        const d = diffBits(got, exp.bits);
        expect(d.count, `${label}: ${d.first.join('; ')}`).toBe(0);
      }
      expect(f32bits(nxt.data), `${label}: stream position after the call`).toEqual(exp.next);
      checked++;
    });
    expect(checked).toBeGreaterThan(30);
  });
});
