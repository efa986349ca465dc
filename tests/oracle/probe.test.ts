// Oracle: initkit's probe against scripts/probe_torch.py (live PyTorch, float32, CPU, one thread) on the model set in
// tests/fixtures/probe-models.json (MLPs with the DQN, deep tanh and every activation, CNNs with BatchNorm and
// pooling, Conv1d with GroupNorm/RMSNorm, residual MLPs and CNNs, LayerNorm stacks, an Embedding), under each
// model's inits (PyTorch's default, he, xavier, lecun, torchvision-resnet, the seed thread's xavier_normal_ + bias
// 0.01 rules), with fresh seeds every run. Tolerances: tests/analysis/probe-helpers.ts (1e-4 relative on stds).
// Also the accelerated tfjs-wasm GEMM on a subset. Prints the seed and the largest relative difference.
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { createTfjsWasmGemm } from '../../src/accel/index.js';
import { lsuv } from '../../src/analysis/lsuv.js';
import { fromSpec } from '../../src/nn/spec.js';
import { Generator } from '../../src/rng/generator.js';
import { f32bits } from '../helpers/bits.js';
import { PYTHON, PY_PRELUDE, describeTorch, oracleSeed, runTorch } from '../helpers/torch.js';
import { PROBE_MODELS, type ProbeCase, type TorchProbe, compareProbe, makeCase, runInitkit } from '../analysis/probe-helpers.js';

function runProbeTorch(cases: ProbeCase[]): TorchProbe[] {
  const r = spawnSync(PYTHON, ['scripts/probe_torch.py', '--cases', '-'], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`probe_torch.py failed (status ${r.status}): ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as TorchProbe[];
}

describeTorch('oracle: probe against PyTorch (scripts/probe_torch.py)', () => {
  it('every layer of every model and init agrees to 1e-4 (std, grad std, param grad std, mean, min, max, zeros, histogram)', async () => {
    const s0 = oracleSeed();
    const cases: ProbeCase[] = [];
    let k = 0;
    for (const m of PROBE_MODELS) for (const init of m.inits) cases.push(makeCase(m, init, (s0 + 7919 * k++) % 2 ** 31));
    const ref = runProbeTorch(cases);
    expect(ref).toHaveLength(cases.length);
    let worst = 0;
    let worst32 = 0;
    const f64: string[] = [];
    const flips: string[] = [];
    cases.forEach((c, i) => {
      const a = compareProbe(runInitkit(c), ref[i]!, `${c.model} / ${c.init} / seed ${c.seed}`);
      worst = Math.max(worst, a.worst);
      worst32 = Math.max(worst32, a.worstFloat32);
      f64.push(...a.float64Only);
      flips.push(...a.flips);
    });
    // The accelerated backend on the models with the largest products.
    const accel = await createTfjsWasmGemm({ minMacs: 1 }).catch(() => null);
    let worstAccel = 0;
    if (accel) {
      try {
        cases.forEach((c, i) => {
          if (c.init !== 'torch') return;
          worstAccel = Math.max(worstAccel, compareProbe(runInitkit(c, accel), ref[i]!, `${c.model} / tfjs-wasm / seed ${c.seed}`).worst);
        });
      } finally {
        await accel.dispose();
      }
    }
    process.stderr.write(
      `probe oracle: ${cases.length} cases, max relative difference of stds ${worst.toExponential(2)} (TS GEMM; ` +
        `${worst32.toExponential(2)} against PyTorch's float32 pass alone)` +
        `${accel ? `, ${worstAccel.toExponential(2)} (tfjs-wasm)` : ', tfjs-wasm unavailable'}\n` +
        (f64.length ? `  closer to PyTorch's float64 pass than to its float32 pass (ReLU units within rounding of 0): ${f64.join('; ')}\n` : '') +
        (flips.length ? `  a ReLU unit within rounding of 0 rounded the other way than in PyTorch: ${flips.join('; ')}\n` : ''),
    );
  });

  it('Residual specs build in PyTorch (scripts/spec_to_torch.py) with the same repr, state-dict keys and bits', () => {
    const seed = oracleSeed();
    const specs = PROBE_MODELS.filter((m) => m.name.startsWith('residual')).map((m) => m.spec);
    const ref = runTorch<{ repr: string; state: Record<string, string[]>; forwardMatches?: boolean }[]>(
      `${PY_PRELUDE}
sys.path.insert(0, 'scripts')
from spec_to_torch import build
from probe_torch import forward
out = []
for spec in inp['specs']:
    torch.manual_seed(inp['seed'])
    m = build(spec)
    rec = {'repr': repr(m), 'state': {k: bits32(v) for k, v in m.state_dict().items()}}
    if spec['type'] == 'Sequential':  # nn.Sequential's own forward through the Residual class's forward
        x = torch.randn(8, 16)
        rec['forwardMatches'] = bool(torch.equal(m(x), forward(m, x, '', lambda *a: None)))
    out.append(rec)
print(json.dumps(out))
`,
      { specs, seed },
    );
    specs.forEach((spec, i) => {
      const m = fromSpec(spec, { generator: new Generator().manualSeed(seed) });
      expect(m.toString()).toBe(ref[i]!.repr);
      const sd = m.stateDict();
      expect([...sd.keys()]).toEqual(Object.keys(ref[i]!.state));
      for (const [k, bits] of Object.entries(ref[i]!.state)) expect(f32bits(sd.get(k)!.data as Float32Array), k).toEqual(bits);
    });
    // spec_to_torch.py's Residual.forward computes what the conventions say (probe_torch.py's interpreter).
    expect(ref.filter((r) => r.forwardMatches !== undefined).map((r) => r.forwardMatches)).toEqual([true]);
  });

  it('LSUV: the initialized weights give PyTorch the same per-layer stds on the same calibration batch', () => {
    const seed = oracleSeed();
    const specs = [
      { spec: { type: 'Sequential', children: Array.from({ length: 12 }, () => [{ type: 'Linear', args: [64, 64] }, { type: 'Tanh' }]).flat() }, inputShape: [64] },
      {
        spec: PROBE_MODELS.find((m) => m.name === 'cnn')!.spec,
        inputShape: PROBE_MODELS.find((m) => m.name === 'cnn')!.inputShape,
      },
    ];
    const cases = specs.map(({ spec, inputShape }, i) => {
      const g = new Generator().manualSeed(seed + i);
      const model = fromSpec(spec, { generator: g });
      const r = lsuv(model, { batch: 64, inputShape }, { generator: g });
      const state = Object.fromEntries([...model.stateDict()].map(([k, t]) => [k, f32bits(t.data as Float32Array)]));
      return { spec, inputShape, seed: seed + i, state, r };
    });
    const ref = runTorch<number[][]>(
      `${PY_PRELUDE}
sys.path.insert(0, 'scripts')
from spec_to_torch import build
from probe_torch import forward
import torch.nn as nn
out = []
for c in inp:
    torch.manual_seed(c['seed'])
    m = build(c['spec'])
    def pre(mod):  # the pre-init's draws (orthogonal_ in apply order), so that randn is the same batch
        if isinstance(mod, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            nn.init.orthogonal_(mod.weight)
    m.apply(pre)
    x = torch.randn(64, *c['inputShape'])
    sd = m.state_dict()
    for k, hexes in c['state'].items():
        a = np.array([int(h, 16) for h in hexes], dtype=np.uint32).view(np.float32).reshape(tuple(sd[k].shape))
        sd[k].copy_(torch.from_numpy(a.copy()))
    stds = []
    def rec(name, mod, y):
        if isinstance(mod, (nn.Linear, nn.Conv1d, nn.Conv2d)):
            stds.append(y.detach().double().std().item())
    with torch.no_grad():
        forward(m, x, '', rec)
    out.append(stds)
print(json.dumps(out))
`,
      cases.map(({ spec, inputShape, seed: s, state }) => ({ spec, inputShape, seed: s, state })),
    );
    cases.forEach((c, i) => {
      expect(c.r.converged).toBe(true);
      expect(ref[i]).toHaveLength(c.r.layers.length);
      c.r.layers.forEach((l, j) => {
        const t = ref[i]![j]!;
        expect(Math.abs(l.finalStd - t) / t, `case ${i} layer ${l.name}: initkit ${l.finalStd}, PyTorch ${t}`).toBeLessThanOrEqual(1e-4);
        expect(Math.abs(t - 1)).toBeLessThanOrEqual(0.1);
      });
    });
  });
});
