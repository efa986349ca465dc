// Oracle: fresh random model specs and seeds every run, built by live PyTorch (scripts/spec_to_torch.py after
// torch.manual_seed) and by initkit (nn.fromSpec), compared bit for bit: state-dict keys, order, dtypes, shapes, values,
// the next draw after construction, and repr. Then the built CLI end to end: `initkit init` files compared with
// torch's state_dict by scripts/spec_to_torch.py --compare (numpy), and a PyTorch-written file loaded back here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Generator, empty, init, nn } from '../../src/index.js';
import { loadSafetensors } from '../../src/io/node.js';
import { f32bits } from '../helpers/bits.js';
import { PY_PRELUDE, PYTHON, describeTorch, oracleSeed, runTorch } from '../helpers/torch.js';
import { type TensorRecord, compareTensor, tensorBits } from '../nn/helpers.js';
import { Rng, randomModel } from '../nn/random-specs.js';

interface TorchResult {
  state: TensorRecord[];
  next: string;
  repr: string;
}

const PY = `${PY_PRELUDE}
sys.path.insert(0, 'scripts')
import spec_to_torch as S
out = []
for c in inp:
    m = S.build_seeded(c['spec'], int(c['seed']))
    nxt = ' '.join(S.bits_hex(torch.rand(4)))
    normals = set()
    for name, mod in m.named_modules():
        p = name + '.' if name else ''
        if isinstance(mod, (torch.nn.Embedding, torch.nn.EmbeddingBag)): normals.add(p + 'weight')
        if isinstance(mod, torch.nn.MultiheadAttention): normals.update({p + 'bias_k', p + 'bias_v'})
    state = [dict(key=k, dtype=S.dtype_name(t), shape=list(t.shape), bits=' '.join(S.bits_hex(t)), normal=k in normals) for k, t in m.state_dict().items()]
    out.append(dict(state=state, next=nxt, repr=repr(m)))
print(json.dumps(out))
`;

function randomSeed(r: Rng): string {
  const k = r.next();
  if (k < 0.5) return String(r.int(0, 2 ** 31));
  if (k < 0.7) return String(-r.int(1, 2 ** 31));
  return (BigInt(r.int(0, 2 ** 20)) * 2n ** 32n + BigInt(r.int(0, 1000))).toString();
}

const dir = mkdtempSync(join(tmpdir(), 'initkit-oracle-nn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeTorch('nn oracle: random specs and seeds, initkit vs PyTorch', () => {
  const master = oracleSeed();
  const r = new Rng(master);
  const cases = Array.from({ length: 40 }, () => ({ spec: randomModel(r.int(0, 2 ** 31)), seed: randomSeed(r) }));

  it('state dicts, next draws and repr match bit for bit', () => {
    const torch = runTorch<TorchResult[]>(PY, cases);
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const g = new Generator({ compat: '1.13' }).manualSeed(BigInt(c.seed));
      const m = nn.fromSpec(c.spec, { generator: g });
      const t = torch[i]!;
      const keys = [...m.stateDict().keys()];
      const where = `case ${i} (seed ${c.seed}, spec ${JSON.stringify(c.spec)})`;
      if (JSON.stringify(keys) !== JSON.stringify(t.state.map((s) => s.key))) {
        failures.push(`${where}: keys ${keys.join(',')} vs ${t.state.map((s) => s.key).join(',')}`);
        return;
      }
      const sd = m.stateDict();
      for (const rec of t.state) failures.push(...compareTensor(rec.key, sd.get(rec.key)!, rec).map((p) => `${where}: ${p}`));
      const next = f32bits(init.uniform_(empty([4]), 0, 1, { generator: g }).data).join(' ');
      if (next !== t.next) failures.push(`${where}: next draw ${next} vs ${t.next}`);
      if (m.toString() !== t.repr) failures.push(`${where}: repr\n${m.toString()}\nvs\n${t.repr}`);
    });
    expect(failures.slice(0, 5)).toEqual([]);
  });

  function cliInit(specPath: string, out: string, seed: string, extra: string[] = []): void {
    const res = spawnSync(process.execPath, ['dist/cli/main.js', 'init', specPath, '--seed', seed, '-o', out, '--compat', '1.13', ...extra], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
  }

  function torchCompare(specPath: string, file: string, seed: string, extra: string[] = []): { ok: boolean; problems: unknown[]; metadata: Record<string, string> } {
    const res = spawnSync(PYTHON, ['scripts/spec_to_torch.py', specPath, '--seed', seed, '--compare', file, ...extra], { encoding: 'utf8' });
    // 0: identical, 1: differences (listed in stdout); anything else is a crash (stderr may hold PyTorch warnings).
    expect([0, 1], res.stderr).toContain(res.status);
    return JSON.parse(res.stdout) as { ok: boolean; problems: unknown[]; metadata: Record<string, string> };
  }

  it('initkit init files equal torch.manual_seed(s); build(spec).state_dict(), read with numpy', () => {
    const dqn = { type: 'Sequential', children: [4, 32, 64, 128, 128, 128].flatMap((n, i, a) => [{ type: 'Linear', args: [n, [32, 64, 128, 128, 128, 2][i]] }, ...(i < a.length - 1 ? [{ type: 'ReLU' }] : [])]) };
    const specs = [dqn, ...cases.slice(0, 4).map((c) => c.spec)];
    specs.forEach((spec, i) => {
      const specPath = join(dir, `spec${i}.json`);
      writeFileSync(specPath, JSON.stringify(spec));
      const seed = randomSeed(r);
      const out = join(dir, `out${i}.safetensors`);
      cliInit(specPath, out, seed);
      const cmp = torchCompare(specPath, out, seed);
      expect(cmp.problems, `spec ${i} seed ${seed}`).toEqual([]);
      expect(cmp.ok).toBe(true);
      expect(cmp.metadata['initkit.seed']).toBe(seed);
    });
    // --dtype converts after building, like model.to(dtype); --default-dtype builds in float64 like set_default_dtype.
    const dqnPath = join(dir, 'spec0.json');
    for (const dt of ['float16', 'bfloat16', 'float64']) {
      const out = join(dir, `dqn-${dt}.safetensors`);
      cliInit(dqnPath, out, '7', ['--dtype', dt]);
      expect(torchCompare(dqnPath, out, '7', ['--to-dtype', dt]).problems, dt).toEqual([]);
    }
    const out64 = join(dir, 'dqn-default64.safetensors');
    cliInit(dqnPath, out64, '-3', ['--default-dtype', 'float64']);
    expect(torchCompare(dqnPath, out64, '-3', ['--default-dtype', 'float64']).problems).toEqual([]);
  });

  it('a safetensors file written by the PyTorch side loads into the initkit model (loadStateDict)', async () => {
    const spec = cases[0]!.spec;
    const specPath = join(dir, 'load.json');
    writeFileSync(specPath, JSON.stringify(spec));
    const file = join(dir, 'torch.safetensors');
    const res = spawnSync(PYTHON, ['scripts/spec_to_torch.py', specPath, '--seed', '123', '--out', file], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    const { tensors } = await loadSafetensors(file);
    const fresh = nn.fromSpec(spec, { generator: new Generator({ compat: '1.13' }).manualSeed(999) });
    fresh.loadStateDict(tensors);
    const same = nn.fromSpec(spec, { generator: new Generator({ compat: '1.13' }).manualSeed(123) });
    for (const [k, t] of same.stateDict()) {
      const got = fresh.stateDict().get(k)!;
      expect(compareTensor(k, got, { key: k, dtype: t.dtype, shape: [...t.shape], bits: tensorBits(t).join(' '), normal: true })).toEqual([]);
    }
  });
});

