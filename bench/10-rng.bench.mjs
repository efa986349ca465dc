// Foundation issue benchmark: uniform_, normal_, truncNormal_ (float32, 2^20 and 2^24 elements), elements per
// second, against PyTorch (single thread) and TF.js (tfjs-core, CPU backend). Targets: uniform_ >= 2.5x PyTorch,
// normal_ >= 0.5x, truncNormal_ >= 1x, and ahead of TF.js on all three.
//
// The machine is shared: initkit and PyTorch are timed in alternating rounds (INITKIT_BENCH_ROUNDS, default 3), each
// keeping its best round. Each is timed by wall clock and by CPU time of its own process (process.cpuUsage,
// time.process_time); the verdict uses CPU time, which other jobs on the machine disturb least; wall-clock ratios
// are printed beside it. All three run single-threaded.
import { empty, init, Generator, getKernelBackend } from '../dist/index.js';
import { fmtRate, fmtRatio, runTorch, table, timeItCpu, verdict } from './lib.mjs';

const SIZES = [2 ** 20, 2 ** 24];
const ROUNDS = Number(process.env.INITKIT_BENCH_ROUNDS ?? 3);
const KERNELS = [
  { name: 'uniform_', goal: 2.5, torch: 'uniform', args: { a: -0.1, b: 0.1 } },
  { name: 'normal_', goal: 0.5, torch: 'normal', args: { mean: 0, std: 0.02 } },
  { name: 'truncNormal_', goal: 1.0, torch: 'trunc_normal', args: { std: 0.02, a: -0.04, b: 0.04 } },
];

async function loadTfjs() {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    // PROD silences tfjs's "install tfjs-node" banner (it only changes tfjs's debug checks, not its kernels).
    tf.env().set('PROD', true);
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  } catch {
    return null;
  }
}

const best = (a, b) => (a === undefined ? b : { wall: Math.min(a.wall, b.wall), cpu: Math.min(a.cpu, b.cpu) });

export async function run({ torchAvailable }) {
  const g = new Generator().manualSeed(0);
  const tf = await loadTfjs();
  const ours = {};
  const tfjs = {};
  const torch = {};
  const ops = {
    'uniform_': (t) => init.uniform_(t, -0.1, 0.1, { generator: g }),
    'normal_': (t) => init.normal_(t, 0, 0.02, { generator: g }),
    'truncNormal_': (t) => init.truncNormal_(t, { std: 0.02, a: -0.04, b: 0.04, generator: g }),
  };
  const tfOps = tf && {
    'uniform_': (n) => tf.randomUniform([n], -0.1, 0.1, 'float32', 1).dispose(),
    'normal_': (n) => tf.randomNormal([n], 0, 0.02, 'float32', 1).dispose(),
    'truncNormal_': (n) => tf.truncatedNormal([n], 0, 0.02, 'float32', 1).dispose(),
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const n of SIZES) {
      const t = empty([n]);
      const minTime = n > 2 ** 22 ? 1.5 : 0.7;
      for (const k of KERNELS) {
        const key = `${k.name}/${n}`;
        ours[key] = best(ours[key], timeItCpu(() => ops[k.name](t), { minTime }));
        if (tfOps && round === 0) tfjs[key] = timeItCpu(() => tfOps[k.name](n), { minTime, minRuns: 2 });
      }
    }
    if (torchAvailable) {
      const tasks = [];
      for (const n of SIZES) for (const k of KERNELS) tasks.push({ name: `${k.name}/${n}`, kind: k.torch, shape: [n], args: k.args, min_time: n > 2 ** 22 ? 1.5 : 0.7, clock: 'both' });
      const r = runTorch(tasks);
      for (const key of Object.keys(r.results)) torch[key] = best(torch[key], { wall: r.results[key], cpu: r.cpu_results[key] });
    }
  }
  const rows = [];
  for (const k of KERNELS) {
    for (const n of SIZES) {
      const key = `${k.name}/${n}`;
      const r = n / ours[key].cpu;
      const p = torch[key] ? n / torch[key].cpu : null;
      const j = tfjs[key] ? n / tfjs[key].cpu : null;
      const wallRatio = torch[key] ? torch[key].wall / ours[key].wall : null;
      rows.push([
        k.name,
        n === 2 ** 20 ? '2^20' : '2^24',
        fmtRate(r),
        fmtRate(p),
        fmtRate(j),
        fmtRatio(p ? r / p : null),
        fmtRatio(wallRatio),
        fmtRatio(j ? r / j : null),
        verdict(p ? r / p : null, k.goal),
      ]);
    }
  }
  console.log(`## Random kernels (float32, elements per CPU-second, single thread; initkit kernels: ${getKernelBackend()})\n`);
  console.log(table(['kernel', 'n', 'initkit', 'PyTorch', 'TF.js', 'vs PyTorch (CPU)', 'vs PyTorch (wall)', 'vs TF.js', 'target'], rows));
  console.log(`\nbest of ${ROUNDS} alternating rounds; ratios are throughput ratios (higher is better for initkit).`);
}
