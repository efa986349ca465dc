// Diagnostics issue benchmark: initkit's `probe()` (src/analysis/probe.ts: the real forward + backward pass with
// per-layer statistics and histograms) on a 20-layer, 1024-wide MLP (nn.Linear + nn.ReLU, built from its spec) with
// batch 256, in GFLOP/s, beside PyTorch's forward + backward on the same work (single thread). FLOPs count only the
// matrix products, 2·M·N·K each: per layer one in the forward (y = x·Wᵀ) and two in the backward (∂x = ∂y·W,
// ∂W = ∂yᵀ·x), except ∂x of the first layer: the input does not require grad on either side (the probe asks for it
// only when a parameter-free layer reads the input), so there are 59 products. initkit's time includes what only it
// does: drawing x and g, and each layer's mean/std/min/max/zeros/histogram of outputs and gradients.
// Target: initkit >= 1/4 of PyTorch's throughput.
// Rows: probe() with initkit's pure-TypeScript GEMM (the core's default) and with initkit/accel's TensorFlow.js WASM
// SIMD (XNNPACK) backend (`probe(model, { gemm })`); plus the three product shapes alone, copies in and out of the
// WASM heap included.
// Timing: the best process CPU time of repeated runs on both sides (Node's process.cpuUsage, Python's
// time.process_time), with the best wall-clock time beside it. The bench machine is shared: other processes' load
// stretches wall time (the more, the longer a run is), while CPU time counts only this process's own work. The
// accelerated and PyTorch measurements alternate over rounds. Ratios and the verdict use CPU time (with Node's GC on
// the measured thread, --single-threaded-gc, as `npm run bench` runs it: see run.mjs). PyTorch runs in
// /usr/bin/python3 with torch.set_num_threads(1); the BLAS it loaded is printed.
import { spawnSync } from 'node:child_process';
import { Generator, init, empty, ops, fromSpec, probe } from '../dist/index.js';
import { PYTHON, fmtRatio, table, verdict } from './lib.mjs';

const LAYERS = 20;
const WIDTH = 1024;
const BATCH = 256;
const GOAL = 0.25;
const GEMM_FLOP = 2 * BATCH * WIDTH * WIDTH;
const PROBE_FLOP = (3 * LAYERS - 1) * GEMM_FLOP;

/** Process CPU time (user + system) in seconds. */
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Run fn repeatedly (after `warmup` runs) for at least minTime seconds and minRuns runs. Returns the best and
 * median of both wall-clock and process CPU time per run, in seconds.
 */
function measure(fn, { minTime = 1, minRuns = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const wall = [];
  const cpu = [];
  const start = performance.now();
  while (wall.length < minRuns || (performance.now() - start) / 1000 < minTime) {
    const c0 = cpuSeconds();
    const t0 = performance.now();
    fn();
    wall.push((performance.now() - t0) / 1000);
    cpu.push(cpuSeconds() - c0);
  }
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return { best: s[0], median: s[Math.floor(s.length / 2)] };
  };
  return { wall: stats(wall), cpu: stats(cpu), runs: wall.length };
}

// The PyTorch side: the same best-of/median timing, single thread.
const TORCH_RUNNER = String.raw`
import json, re, sys, time
import torch
torch.set_num_threads(1)
out = {}
def stats(xs):
    s = sorted(xs)
    return {"best": s[0], "median": s[len(s) // 2]}
for t in json.load(sys.stdin):
    env = {"torch": torch}
    exec(t["setup"], env)
    code = compile(t["code"], t["name"], "exec")
    for _ in range(t.get("warmup", 1)):
        exec(code, env)
    wall, cpu = [], []
    start = time.perf_counter()
    while len(wall) < t.get("min_runs", 3) or time.perf_counter() - start < t.get("min_time", 1.0):
        c0 = time.process_time()
        t0 = time.perf_counter()
        exec(code, env)
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    out[t["name"]] = {"wall": stats(wall), "cpu": stats(cpu), "runs": len(wall)}
maps = open("/proc/self/maps").read()
libs = sorted(set(re.findall(r"(/\S*(?:openblas|blas|mkl)\S*\.so[\d.]*)", maps)))
print(json.dumps({"results": out, "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": libs}))
`;

function runTorch(tasks) {
  const r = spawnSync(PYTHON, ['-c', TORCH_RUNNER], {
    input: JSON.stringify(tasks),
    encoding: 'utf8',
    timeout: 600_000,
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`PyTorch timing failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

function gflops(flop, seconds) {
  return seconds ? flop / seconds / 1e9 : null;
}

/** "X GFLOP/s (wall Y)": throughput from the best CPU time, and from the best wall-clock time. */
function fmtTiming(flop, t) {
  if (!t) return 'n/a';
  return `${gflops(flop, t.cpu.best).toFixed(2)} GFLOP/s (wall ${gflops(flop, t.wall.best).toFixed(1)})`;
}

function randn(shape, g) {
  return init.normal_(empty(shape), 0, 1, { generator: g }).data;
}

/** nn.Sequential(*[Linear(1024, 1024), ReLU()] × 20) after torch.manual_seed(0), built from its spec. */
function buildModel() {
  const spec = { type: 'Sequential', children: Array.from({ length: LAYERS }, () => [{ type: 'Linear', args: [WIDTH, WIDTH] }, { type: 'ReLU' }]).flat() };
  return fromSpec(spec, { generator: new Generator().manualSeed(0) });
}

/** One probe: x = randn(256, 1024) and g = randn_like(y) from a fresh generator, forward, backward, statistics. */
function probeOnce(model, gemm) {
  return probe(model, { batch: BATCH, inputShape: [WIDTH], generator: new Generator().manualSeed(1), gemm });
}

async function loadAccel() {
  try {
    const { createTfjsWasmGemm } = await import('../dist/accel/index.js');
    return await createTfjsWasmGemm();
  } catch (e) {
    console.log(`(initkit/accel unavailable: ${e instanceof Error ? e.message : e})`);
    return null;
  }
}

const PRODUCTS = [
  { name: 'forward  y = x·Wᵀ', tA: false, tB: true, m: BATCH, n: WIDTH, k: WIDTH, torch: 'torch.mm(a, b.t(), out=c)', a: [BATCH, WIDTH], b: [WIDTH, WIDTH] },
  { name: 'backward ∂x = ∂y·W', tA: false, tB: false, m: BATCH, n: WIDTH, k: WIDTH, torch: 'torch.mm(a, b, out=c)', a: [BATCH, WIDTH], b: [WIDTH, WIDTH] },
  { name: 'backward ∂W = ∂yᵀ·x', tA: true, tB: false, m: WIDTH, n: WIDTH, k: BATCH, torch: 'torch.mm(a.t(), b, out=c)', a: [BATCH, WIDTH], b: [BATCH, WIDTH] },
];

const TORCH_PROBE_SETUP = `
import torch.nn as nn
torch.manual_seed(0)
model = nn.Sequential(*[m for _ in range(${LAYERS}) for m in (nn.Linear(${WIDTH}, ${WIDTH}), nn.ReLU())])
params = list(model.parameters())
xin = torch.randn(${BATCH}, ${WIDTH})
gy = torch.randn(${BATCH}, ${WIDTH})
`;
const TORCH_PROBE_CODE = `
for p in params: p.grad = None
y = model(xin)
y.backward(gy)
`;

/** Element-wise best of two timings. */
function better(a, b) {
  if (!a) return b;
  if (!b) return a;
  const pick = (x, y) => ({ best: Math.min(x.best, y.best), median: Math.min(x.median, y.median) });
  return { wall: pick(a.wall, b.wall), cpu: pick(a.cpu, b.cpu), runs: a.runs + b.runs };
}

export async function run({ torchAvailable }) {
  const model = buildModel();
  const accel = await loadAccel();
  const g = new Generator().manualSeed(1);
  const inputs = PRODUCTS.map((p) => ({ a: randn(p.a, g), b: randn(p.b, g), c: new Float32Array(p.m * p.n) }));
  const torchTasks = PRODUCTS.map((p) => ({
    name: p.name,
    setup: `a = torch.randn(${p.a.join(', ')}); b = torch.randn(${p.b.join(', ')}); c = torch.empty(${p.m}, ${p.n})`,
    code: p.torch,
    min_time: 1,
    min_runs: 10,
  }));
  torchTasks.push({ name: 'probe', setup: TORCH_PROBE_SETUP, code: TORCH_PROBE_CODE, min_time: 3, min_runs: 5 });

  // initkit's TypeScript GEMM is slow enough (~10 s per probe) to be measured once.
  const ts = PRODUCTS.map((p, i) => {
    const { a, b, c } = inputs[i];
    return measure(() => ops.sgemm(p.tA, p.tB, p.m, p.n, p.k, a, b, c, false), { minTime: 1.5, minRuns: 5 });
  });
  const tsProbe = measure(() => probeOnce(model, ops.tsGemm), { minTime: 0, minRuns: 2, warmup: 0 });

  // The accelerated rows and PyTorch alternate over rounds, so both sides see the same machine load; best of rounds.
  const ROUNDS = 3;
  const wasm = PRODUCTS.map(() => null);
  let wasmProbe = null;
  let torch = null;
  const torchBest = {};
  for (let round = 0; round < ROUNDS; round++) {
    if (accel) {
      PRODUCTS.forEach((p, i) => {
        const { a, b, c } = inputs[i];
        wasm[i] = better(wasm[i], measure(() => accel.sgemm(p.tA, p.tB, p.m, p.n, p.k, a, b, c, false), { minTime: 1, minRuns: 10 }));
      });
      wasmProbe = better(wasmProbe, measure(() => probeOnce(model, accel), { minTime: 3, minRuns: 3, warmup: 1 }));
    }
    if (torchAvailable) {
      torch = runTorch(torchTasks);
      for (const [name, t] of Object.entries(torch.results)) torchBest[name] = better(torchBest[name], t);
    }
  }
  const pr = (name) => torchBest[name] ?? null;

  console.log(`## Probe matrix products (float32, single thread; best CPU time (best wall time) over ${ROUNDS} alternating rounds; initkit/accel includes copies to and from the WASM heap)\n`);
  if (torch) console.log(`PyTorch ${torch.torch}, ${torch.threads} thread, BLAS: ${torch.blas.join(', ') || 'n/a'}\n`);
  const rows = PRODUCTS.map((p, i) => {
    const flop = 2 * p.m * p.n * p.k;
    const t = pr(p.name);
    return [
      p.name,
      `${p.m}×${p.k}·${p.k}×${p.n}`,
      fmtTiming(flop, ts[i]),
      fmtTiming(flop, wasm[i]),
      fmtTiming(flop, t),
      fmtRatio(t ? t.cpu.best / ts[i].cpu.best : null),
      fmtRatio(t && wasm[i] ? t.cpu.best / wasm[i].cpu.best : null),
    ];
  });
  console.log(table(['product', 'shape', 'initkit TS', 'initkit tfjs-wasm', 'PyTorch', 'TS / PyTorch', 'wasm / PyTorch'], rows));
  console.log('');

  const pt = pr('probe');
  const ratio = (t) => (pt && t ? pt.cpu.best / t.cpu.best : null);
  const line = (label, t) => [label, t ? `${t.cpu.best.toFixed(3)} s` : 'n/a', fmtTiming(PROBE_FLOP, t), fmtRatio(ratio(t)), verdict(ratio(t), GOAL)];
  console.log(
    `## probe() forward + backward: ${LAYERS} × (Linear(${WIDTH}, ${WIDTH}) + ReLU), batch ${BATCH}: ${(PROBE_FLOP / 1e9).toFixed(1)} GFLOP in ${3 * LAYERS - 1} products (initkit: with per-layer statistics)\n`,
  );
  console.log(
    table(
      ['implementation', 'best CPU time', 'throughput', 'vs PyTorch', `target (>= ${GOAL}x PyTorch)`],
      [
        line('initkit probe(), TypeScript GEMM (core default)', tsProbe),
        line(`initkit probe() + initkit/accel tfjs-wasm${accel ? ` (tfjs ${accel.version}, SIMD ${accel.simd}, 1 thread)` : ''}`, wasmProbe),
        [`PyTorch ${torch ? torch.torch : ''} autograd, 1 thread`, pt ? `${pt.cpu.best.toFixed(3)} s` : 'n/a', fmtTiming(PROBE_FLOP, pt), pt ? '1.00x' : 'n/a', ''],
      ],
    ),
  );
  if (accel) await accel.dispose();
}
