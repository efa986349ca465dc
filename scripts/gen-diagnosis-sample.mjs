#!/usr/bin/env node
/**
 * Generates tests/fixtures/diagnosis-sample.json: two realistic `DiagnosisReport`s (src/analysis/diagnose-types.ts)
 * for the HTML report's tests (tests/cli/report.test.ts, tests/e2e/report.browser.test.ts). It is sample data for the
 * renderer, not a golden file for `diagnose`: the numbers are real, but computed here, independently of initkit's
 * diagnosis code.
 *
 *   npm run build && node scripts/gen-diagnosis-sample.mjs [--out tests/fixtures/diagnosis-sample.json]
 *
 * Models: the seed thread's DQN (Linear 4→32→64→128→128→128→2 with ReLU) and a 50-layer, 256-wide ReLU MLP
 * (50 Linear(256, 256) with a ReLU between consecutive ones), each under four inits:
 *   torch                        PyTorch's defaults (kaiming_uniform_(a=√5) weights, U(±1/√fan_in) biases)
 *   xavier_normal_ + bias 0.01   the thread's init_weights
 *   he                           kaiming_normal_(mode='fan_in', nonlinearity='relu'), zero biases
 *   lecun                        N(0, 1/fan_in), zero biases
 * Measured numbers come from real PyTorch (/usr/bin/python3): torch.manual_seed(seed), build, re-init,
 * x = randn(batch, *inputShape), forward with hooks on every leaf module, g = randn_like(y), backward of sum(y ⊙ g);
 * per module: output mean, std (Bessel), min, max, zero fraction, a 20-bin histogram, the std of the gradient with
 * respect to the output and to each parameter. Predicted numbers are mean-field moment propagation (Gaussian
 * pre-activations, closed forms for ReLU). Verdicts use the band [0.1, 10] around the input's std (forward) and the
 * last layer's gradient std (backward). Explain tables come from initkit's own `explain` (dist/, so build first).
 * The MLP's width sweep (coordinate check) measures the forward stds at widths 64..512 under PyTorch's default.
 * Numbers are rounded to 5 significant digits, and the MLP's explain tables list 5 of its 50 Linear layers, to keep the
 * file small.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = path.resolve(root, outIdx >= 0 ? args[outIdx + 1] : 'tests/fixtures/diagnosis-sample.json');
const { explain, fromSpec, VERSION } = await import(path.join(root, 'dist/index.js'));

const SEED = 0;
const BATCH = 256;
const BAND = [0.1, 10];
const BINS = 20;
const INITS = [
  { name: 'torch', key: 'torch', preset: 'torch', rules: undefined },
  {
    name: 'xavier_normal_ + bias 0.01',
    key: 'xavier',
    preset: 'torch',
    rules: {
      preset: 'torch',
      rules: [
        { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
        { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
      ],
    },
  },
  { name: 'he', key: 'he', preset: 'he', rules: undefined },
  { name: 'lecun', key: 'lecun', preset: 'lecun', rules: undefined },
];
const MODELS = [
  { id: 'dqn', model: "DQN from the seed thread: Linear 4→32→64→128→128→128→2 with ReLU (dqn.json)", dims: [4, 32, 64, 128, 128, 128, 2] },
  {
    id: 'mlp50',
    model: 'MLP: 50 × Linear(256, 256) with ReLU between (mlp50.json)',
    dims: Array(51).fill(256),
    sweep: [64, 128, 256, 512],
    // Keeps the file small: the explain tables list only these Linear layers (a real report lists all 50).
    explainModules: ['0', '2', '50', '96', '98'],
  },
];

const PY = String.raw`
import json, math, sys, torch, torch.nn as nn
torch.set_num_threads(1)
inp = json.load(sys.stdin)
BINS = inp['bins']

def build(dims):
    mods = []
    for i in range(len(dims) - 1):
        mods.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods)

def reinit(model, key):
    for m in model.modules():
        if not isinstance(m, nn.Linear):
            continue
        if key == 'xavier':
            nn.init.xavier_normal_(m.weight); m.bias.data.fill_(0.01)
        elif key == 'he':
            nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu'); nn.init.zeros_(m.bias)
        elif key == 'lecun':
            nn.init.normal_(m.weight, 0.0, 1.0 / math.sqrt(m.in_features)); nn.init.zeros_(m.bias)

def probe(dims, key, seed, batch, backward=True):
    torch.manual_seed(seed)
    model = build(dims)
    reinit(model, key)
    x = torch.randn(batch, dims[0])
    rec = []
    for name, m in model.named_modules():
        if len(list(m.children())) == 0:
            def hook(mod, i, o, name=name):
                if backward: o.retain_grad()
                rec.append((name, mod, o))
            m.register_forward_hook(hook)
    if backward:
        y = model(x)
        g = torch.randn_like(y)
        (y * g).sum().backward()
    else:
        with torch.no_grad(): model(x)
    layers = []
    for name, mod, o in rec:
        d = o.detach().double()
        lo, hi = d.min().item(), d.max().item()
        top = hi if hi > lo else lo + 1.0
        counts = torch.histc(d, BINS, lo, top)
        layers.append({
            'name': name, 'module': type(mod).__name__, 'mean': d.mean().item(), 'std': d.std().item(), 'min': lo, 'max': hi,
            'zero': (d == 0).double().mean().item(),
            'edges': torch.linspace(lo, top, BINS + 1, dtype=torch.float64).tolist(), 'counts': [int(c) for c in counts.tolist()],
            'grad': o.grad.std().item() if backward else None,
            'paramGrad': {pn: p.grad.std().item() for pn, p in mod.named_parameters(recurse=False)} if backward else {},
        })
    return {'inputStd': x.std().item(), 'layers': layers}

res = {'torch': torch.__version__}
for job in inp['jobs']:
    res[job['id']] = probe(job['dims'], job['key'], job['seed'], job['batch'], job.get('backward', True))
print(json.dumps(res))
`;

const jobs = [];
for (const m of MODELS) {
  for (const init of INITS) jobs.push({ id: `${m.id}/${init.key}`, dims: m.dims, key: init.key, seed: SEED, batch: BATCH });
  for (const w of m.sweep ?? []) jobs.push({ id: `${m.id}/sweep/${w}`, dims: Array(m.dims.length).fill(w), key: 'torch', seed: SEED, batch: BATCH, backward: false });
}
const measured = JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY], { input: JSON.stringify({ bins: BINS, jobs }), maxBuffer: 1 << 28 }).toString());

// ---- rounding (5 significant digits) -------------------------------------------------------------------------------
const r5 = (x) => (x === null || x === undefined ? null : x === 0 ? 0 : Number(x.toPrecision(5)));

// ---- mean-field prediction -------------------------------------------------------------------------------------------
function erf(x) {
  // Abramowitz & Stegun 7.1.26 is too coarse for tails; use the series / continued fraction split.
  const t = Math.abs(x);
  if (t < 2.5) {
    let sum = t, term = t;
    for (let n = 1; n < 200; n++) {
      term *= (-t * t) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (t + f);
  return Math.sign(x) * (1 - Math.exp(-t * t) / Math.sqrt(Math.PI) / (t + f));
}
const Phi = (z) => 0.5 * (1 + erf(z / Math.SQRT2));
const phi = (z) => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

function weightStats(key, fanIn, fanOut) {
  switch (key) {
    case 'torch': return { wVar: 1 / (3 * fanIn), bMean: 0, bVar: 1 / (3 * fanIn) };
    case 'xavier': return { wVar: 2 / (fanIn + fanOut), bMean: 0.01, bVar: 0 };
    case 'he': return { wVar: 2 / fanIn, bMean: 0, bVar: 0 };
    case 'lecun': return { wVar: 1 / fanIn, bMean: 0, bVar: 0 };
    default: throw new Error(key);
  }
}

/** Per module: predicted output std and predicted std of the gradient w.r.t. the output. */
function predict(dims, key) {
  const mods = [];
  let mean = 0;
  let variance = 1; // x ~ N(0, 1)
  for (let i = 0; i < dims.length - 1; i++) {
    const s = weightStats(key, dims[i], dims[i + 1]);
    const second = variance + mean * mean;
    const pre = { mean: s.bMean, variance: dims[i] * s.wVar * second + s.bVar };
    mods.push({ kind: 'Linear', fanIn: dims[i], fanOut: dims[i + 1], wVar: s.wVar, out: pre });
    mean = pre.mean;
    variance = pre.variance;
    if (i < dims.length - 2) {
      const sd = Math.sqrt(variance);
      const z = mean / sd;
      const m1 = mean * Phi(z) + sd * phi(z);
      const m2 = (mean * mean + variance) * Phi(z) + mean * sd * phi(z);
      mods.push({ kind: 'ReLU', pass: Phi(z), out: { mean: m1, variance: Math.max(m2 - m1 * m1, 0) } });
      mean = m1;
      variance = m2 - m1 * m1;
    }
  }
  // Backward: unit-variance gradient at the output; Linear multiplies the variance by fan_out·Var(w), ReLU by P(h > 0).
  const grad = new Array(mods.length);
  let g = 1;
  for (let k = mods.length - 1; k >= 0; k--) {
    grad[k] = Math.sqrt(g);
    const m = mods[k];
    g = m.kind === 'Linear' ? g * m.fanOut * m.wVar : g * m.pass;
  }
  return mods.map((m, k) => ({ std: Math.sqrt(m.out.variance), grad: grad[k] }));
}

const verdictOf = (ratio) => (ratio < BAND[0] ? 'vanishing' : ratio > BAND[1] ? 'exploding' : 'healthy');
const fmt = (x) => (x >= 1e-3 && x < 1e5 ? String(Number(x.toPrecision(3))) : x.toExponential(1));

function specOf(dims) {
  const children = [];
  for (let i = 0; i < dims.length - 1; i++) {
    children.push({ type: 'Linear', args: [dims[i], dims[i + 1]] });
    if (i < dims.length - 2) children.push({ type: 'ReLU' });
  }
  return { type: 'Sequential', children };
}

const reports = [];
for (const m of MODELS) {
  const heFinal = predict(m.dims, 'he').at(-1).std;
  const results = {};
  for (const init of INITS) {
    const probe = measured[`${m.id}/${init.key}`];
    const pred = predict(m.dims, init.key);
    const inputStd = probe.inputStd;
    const lastGrad = probe.layers.at(-1).grad;
    const layers = probe.layers.map((l, i) => ({
      name: l.name,
      module: l.module,
      index: i,
      outputMean: r5(l.mean),
      outputStd: r5(l.std),
      outputMin: r5(l.min),
      outputMax: r5(l.max),
      zeroFraction: r5(l.zero),
      histogram: { edges: l.edges.map(r5), counts: l.counts },
      predictedStd: r5(pred[i].std),
      predictedGradStd: r5(pred[i].grad),
      gradOutputStd: r5(l.grad),
      paramGradStd: Object.fromEntries(Object.entries(l.paramGrad).map(([k, v]) => [k, r5(v)])),
      verdict: verdictOf(l.std / inputStd),
      gradVerdict: verdictOf(l.grad / lastGrad),
    }));
    const firstOut = layers.find((l) => l.verdict !== 'healthy') ?? null;
    const firstBack = [...layers].reverse().find((l) => l.gradVerdict !== 'healthy') ?? null;
    const last = layers.at(-1);
    const finalStd = probe.layers.at(-1).std;
    const forward = last.verdict !== 'healthy' ? last.verdict : (firstOut?.verdict ?? 'healthy');
    const backward = layers[0].gradVerdict !== 'healthy' ? layers[0].gradVerdict : (firstBack?.gradVerdict ?? 'healthy');
    const predictedFinal = pred.at(-1).std;
    const recommendation =
      forward === 'healthy' && backward === 'healthy'
        ? null
        : `kaiming_normal_ with nonlinearity='relu' and zero biases (--preset he): predicted final std ${fmt(heFinal)} instead of ${fmt(predictedFinal)}` +
          (backward === 'healthy' ? '' : `, gradient gain about 1 instead of ${fmt(probe.layers[0].grad / lastGrad)}`);
    const model = fromSpec(specOf(m.dims), { device: 'meta' });
    const ex = explain(model, init.rules ? { preset: init.preset, rules: init.rules } : { preset: init.preset });
    if (m.explainModules) {
      const keep = new Set(m.explainModules);
      ex.parameters = ex.parameters.filter((row) => keep.has(row.name.slice(0, row.name.lastIndexOf('.'))));
      ex.modules = ex.modules.filter((row) => keep.has(row.name));
    }
    results[init.name] = {
      init: init.name,
      preset: init.preset,
      layers,
      summary: {
        init: init.name,
        inputStd: r5(inputStd),
        finalStd: r5(finalStd),
        endToEndGain: r5(finalStd / inputStd),
        gradientGain: r5(probe.layers[0].grad / lastGrad),
        forward,
        backward,
        band: BAND,
        forwardLeavesBandAt: firstOut?.name ?? null,
        backwardLeavesBandAt: firstBack?.name ?? null,
        recommendation,
        measured: true,
      },
      explain: ex,
    };
  }
  const report = {
    model: m.model,
    seed: String(SEED),
    inputShape: [m.dims[0]],
    batch: BATCH,
    inits: INITS.map((i) => i.name),
    results,
    generatedBy: `initkit ${VERSION}`,
  };
  if (m.sweep) {
    const logW = m.sweep.map(Math.log);
    const mw = logW.reduce((a, b) => a + b, 0) / logW.length;
    const names = measured[`${m.id}/sweep/${m.sweep[0]}`].layers;
    const threshold = 0.1;
    report.widthSweep = {
      widths: m.sweep,
      layers: names.map((l, i) => {
        const std = m.sweep.map((w) => measured[`${m.id}/sweep/${w}`].layers[i].std);
        const ls = std.map(Math.log);
        const ms = ls.reduce((a, b) => a + b, 0) / ls.length;
        const slope = logW.reduce((a, x, k) => a + (x - mw) * (ls[k] - ms), 0) / logW.reduce((a, x) => a + (x - mw) ** 2, 0);
        return { name: l.name, module: l.module, std: std.map(r5), slope: r5(slope), drifts: Math.abs(slope) > threshold };
      }),
      threshold,
    };
  }
  reports.push(report);
}

const doc = {
  command: 'npm run build && node scripts/gen-diagnosis-sample.mjs',
  torch: measured.torch,
  note:
    'Sample DiagnosisReports for the HTML report tests: measured with real PyTorch (seed 0, batch 256, single thread), predicted by mean-field propagation, explain tables from initkit explain (the MLP\'s: Linear layers 0, 2, 50, 96, 98 only). Not a golden file for diagnose.',
  reports,
};
writeFileSync(out, JSON.stringify(doc) + '\n');
process.stdout.write(`wrote ${path.relative(root, out)} (${(JSON.stringify(doc).length / 1024).toFixed(1)} KiB)\n`);
