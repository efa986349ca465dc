// `npm run bench`: every bench/*.bench.mjs in order, each printing a table with ratios against PyTorch (and TF.js
// where the issue asks), measured in this same run on this machine, single thread. Needs `npm run build` first.
// `npm run bench` runs Node with --single-threaded-gc: PyTorch runs with torch.set_num_threads(1), and V8's default
// GC helper threads would otherwise run beside the measured thread (in the probe they add about 5% process CPU time
// and nothing to wall time). Whether the flag is on is printed.
// Usage: node bench/run.mjs [filter]   (filter: substring of a bench file name, e.g. "rng")
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { torchVersion, PYTHON } from './lib.mjs';
import os from 'node:os';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs') && (!filter || f.includes(filter)))
  .sort();

const tv = torchVersion();
console.log(`# initkit benchmarks`);
const singleGc = process.execArgv.includes('--single-threaded-gc');
console.log(`node ${process.version}${singleGc ? ' --single-threaded-gc' : ' (GC helper threads on: run through `npm run bench` for --single-threaded-gc)'}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}, single thread`);
console.log(tv ? `PyTorch ${tv} via ${PYTHON} (torch.set_num_threads(1))` : `PyTorch: NOT AVAILABLE at ${PYTHON} — ratios against PyTorch are skipped`);
console.log('');
for (const f of files) {
  const mod = await import(pathToFileURL(`${dir}${f}`).href);
  const t0 = performance.now();
  await mod.run({ torchAvailable: tv !== null });
  console.log(`(${f}: ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
