// Foundation issue benchmark: uniform_, normal_, truncNormal_ (float32, 2^20 and 2^24 elements), elements per
// second, against PyTorch (single thread) and TF.js (tfjs-core, CPU backend). Targets: uniform_ >= 2.5x PyTorch,
// normal_ >= 0.5x, truncNormal_ >= 1x, and ahead of TF.js on all three.
import { empty, init, Generator } from '../dist/index.js';
import { fmtRate, fmtRatio, runTorch, table, timeIt, verdict } from './lib.mjs';

const SIZES = [2 ** 20, 2 ** 24];
const KERNELS = [
  { name: 'uniform_', goal: 2.5, torch: 'uniform', args: { a: -0.1, b: 0.1 } },
  { name: 'normal_', goal: 0.5, torch: 'normal', args: { mean: 0, std: 0.02 } },
  { name: 'truncNormal_', goal: 1.0, torch: 'trunc_normal', args: { std: 0.02, a: -0.04, b: 0.04 } },
];

async function loadTfjs() {
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    await tf.ready();
    return tf;
  } catch {
    return null;
  }
}

export async function run({ torchAvailable }) {
  const g = new Generator().manualSeed(0);
  const tf = await loadTfjs();
  const ours = {};
  const tfjs = {};
  for (const n of SIZES) {
    const t = empty([n]);
    const minTime = n > 2 ** 22 ? 2 : 1;
    ours[`uniform_/${n}`] = timeIt(() => init.uniform_(t, -0.1, 0.1, { generator: g }), { minTime });
    ours[`normal_/${n}`] = timeIt(() => init.normal_(t, 0, 0.02, { generator: g }), { minTime });
    ours[`truncNormal_/${n}`] = timeIt(() => init.truncNormal_(t, { std: 0.02, a: -0.04, b: 0.04, generator: g }), { minTime });
    if (tf) {
      tfjs[`uniform_/${n}`] = timeIt(() => tf.randomUniform([n], -0.1, 0.1, 'float32', 1).dispose(), { minTime });
      tfjs[`normal_/${n}`] = timeIt(() => tf.randomNormal([n], 0, 0.02, 'float32', 1).dispose(), { minTime });
      tfjs[`truncNormal_/${n}`] = timeIt(() => tf.truncatedNormal([n], 0, 0.02, 'float32', 1).dispose(), { minTime });
    }
  }
  let torch = {};
  if (torchAvailable) {
    const tasks = [];
    for (const n of SIZES) for (const k of KERNELS) tasks.push({ name: `${k.name}/${n}`, kind: k.torch, shape: [n], args: k.args, min_time: n > 2 ** 22 ? 2 : 1 });
    torch = runTorch(tasks).results;
  }
  const rows = [];
  for (const k of KERNELS) {
    for (const n of SIZES) {
      const key = `${k.name}/${n}`;
      const r = n / ours[key];
      const p = torch[key] ? n / torch[key] : null;
      const j = tfjs[key] ? n / tfjs[key] : null;
      rows.push([
        k.name,
        n === 2 ** 20 ? '2^20' : '2^24',
        fmtRate(r),
        fmtRate(p),
        fmtRate(j),
        fmtRatio(p ? r / p : null),
        fmtRatio(j ? r / j : null),
        verdict(p ? r / p : null, k.goal),
      ]);
    }
  }
  console.log('## Random kernels (float32, elements per second, single thread)\n');
  console.log(table(['kernel', 'n', 'initkit', 'PyTorch', 'TF.js', 'vs PyTorch', 'vs TF.js', 'target'], rows));
}
