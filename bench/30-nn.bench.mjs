// Issue 4 benchmark: build a model from a spec and write its state dict, end to end as whole commands (process start,
// imports, construction, file write), initkit vs PyTorch doing the same, median wall time of several runs each:
//   initkit: node dist/cli/main.js init spec.json --seed 0 -o out.safetensors
//   PyTorch: python3 -c "torch.manual_seed(0); model = build(spec) (scripts/spec_to_torch.py); torch.save(model.state_dict(), out)"
//            (and the same with an fsync before exiting, the durability initkit's atomic write gives)
// Models: (a) the seed thread's DQN MLP (Linear 4-32-64-128-128-128-2 with ReLU), (b) a 12-layer, 768-wide
// Transformer encoder (d_model 768, nhead 12, dim_feedforward 3072; TransformerEncoder deep-copies one layer).
// Target: initkit at least 2x faster than PyTorch on (b). Both outputs are also checked to hold the same values.
// (initkit init builds read-only: the 12 deep-copied layers share storage, so it writes the same bytes without
// copying 340 MB in memory first; PyTorch really deep-copies.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTHON, fmtRatio, fmtSeconds, table, verdict } from './lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'dist', 'cli', 'main.js');

function dqnSpec() {
  const dims = [4, 32, 64, 128, 128, 128, 2];
  const children = [];
  for (let i = 0; i < dims.length - 1; i++) {
    children.push({ type: 'Linear', args: [dims[i], dims[i + 1]] });
    if (i < dims.length - 2) children.push({ type: 'ReLU' });
  }
  return { type: 'Sequential', children };
}

const MODELS = [
  { name: '(a) DQN MLP 4-32-64-128-128-128-2', spec: dqnSpec(), runs: 7, goal: null },
  {
    name: '(b) TransformerEncoder 12 x 768 (ff 3072)',
    spec: {
      type: 'TransformerEncoder',
      args: [{ type: 'TransformerEncoderLayer', args: [768, 12], kwargs: { dim_feedforward: 3072 } }, 12],
    },
    runs: 7,
    goal: 2,
  },
];

const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Run a whole command that writes `output`: wall seconds, and CPU seconds (user + system, via /usr/bin/time when
 * available). Untimed before each run: the previous run's output is deleted, then `sync`. Without the sync, dirty
 * pages left by PyTorch (which does not fsync) would be flushed by initkit's fsync. Without the delete, the run
 * would also pay for freeing the previous 340 MB file (page cache, extents, and on this ext4 mount with `discard`,
 * the discards), a cost the kernel charges unevenly: to whoever commits the journal next, which is the side that
 * fsyncs; measured here, initkit init on (b) took 0.52-0.54 s with the old file removed first and 0.66-0.99 s
 * with it in place.
 */
function timeCommand(cmd, args, output, env) {
  rmSync(output, { force: true });
  spawnSync('sync');
  const argv = TIME ? [TIME, '-f', '__cpu__ %U %S', cmd, ...args] : [cmd, ...args];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /__cpu__ ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wall, cpu: m ? Number(m[1]) + Number(m[2]) : null };
}

function median(xs) {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
}

const TORCH_SAVE = `
import os, sys, json, torch
torch.set_num_threads(1)
sys.path.insert(0, sys.argv[1])
import spec_to_torch as S
torch.manual_seed(0)
model = S.build(json.load(open(sys.argv[2])))
if len(sys.argv) > 4:  # durable, as initkit's atomic write: fsync before returning
    with open(sys.argv[3], 'wb') as f:
        torch.save(model.state_dict(), f)
        f.flush()
        os.fsync(f.fileno())
else:
    torch.save(model.state_dict(), sys.argv[3])
`;

export async function run({ torchAvailable }) {
  const dir = mkdtempSync(join(tmpdir(), 'initkit-bench-nn-'));
  const rows = [];
  try {
    for (const m of MODELS) {
      const specPath = join(dir, 'spec.json');
      writeFileSync(specPath, JSON.stringify(m.spec));
      const outIk = join(dir, 'out.safetensors');
      const outPt = join(dir, 'out.pt');
      const ours = [];
      const theirs = [];
      const durable = [];
      // Alternate the two so both see the same machine load; one warm-up run each (file cache, page cache).
      timeCommand(process.execPath, [cli, 'init', specPath, '--seed', '0', '-o', outIk], outIk);
      if (torchAvailable) timeCommand(PYTHON, ['-c', TORCH_SAVE, join(root, 'scripts'), specPath, outPt], outPt, { OMP_NUM_THREADS: '1' });
      for (let i = 0; i < m.runs; i++) {
        ours.push(timeCommand(process.execPath, [cli, 'init', specPath, '--seed', '0', '-o', outIk], outIk));
        if (torchAvailable) theirs.push(timeCommand(PYTHON, ['-c', TORCH_SAVE, join(root, 'scripts'), specPath, outPt], outPt, { OMP_NUM_THREADS: '1' }));
        if (torchAvailable) durable.push(timeCommand(PYTHON, ['-c', TORCH_SAVE, join(root, 'scripts'), specPath, outPt, 'fsync'], outPt, { OMP_NUM_THREADS: '1' }));
      }
      let same = 'n/a';
      if (torchAvailable) {
        const r = spawnSync(PYTHON, [join(root, 'scripts', 'spec_to_torch.py'), specPath, '--seed', '0', '--compare', outIk], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
        same = r.status === 0 && JSON.parse(r.stdout).ok ? 'yes' : 'NO';
      }
      const a = median(ours.map((r) => r.wall));
      const b = torchAvailable ? median(theirs.map((r) => r.wall)) : null;
      const c = torchAvailable ? median(durable.map((r) => r.wall)) : null;
      const ac = median(ours.map((r) => r.cpu));
      const bc = torchAvailable ? median(theirs.map((r) => r.cpu)) : null;
      const mb = statSync(outIk).size / 1e6;
      rows.push([
        m.name,
        `${mb.toFixed(mb < 1 ? 2 : 0)} MB`,
        fmtSeconds(a),
        fmtSeconds(b),
        fmtRatio(b ? b / a : null),
        fmtSeconds(c),
        `${fmtSeconds(ac)} / ${fmtSeconds(bc)}`,
        fmtRatio(ac && bc ? bc / ac : null),
        same,
        m.goal === null ? '-' : verdict(b ? b / a : null, m.goal),
      ]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log('## Build and write a state dict, whole command (median wall time; initkit init vs torch.manual_seed + build + torch.save)\n');
  console.log(`runs alternate initkit / PyTorch after one warm-up each; before every run (untimed) its previous output is deleted and \`sync\` run; load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  console.log(table(['model', 'file', 'initkit', 'PyTorch', 'speedup', 'PyTorch + fsync', 'CPU initkit / PyTorch', 'CPU ratio', 'same values', 'target'], rows));
  console.log('\nWall times are the target (whole commands). The target compares with plain torch.save (no fsync); initkit init');
  console.log('always writes atomically (temporary file, fsync, rename); "PyTorch + fsync" is the like-for-like durable write.');
  console.log('CPU = user + system seconds of the process (less sensitive to a busy machine than wall time).');
}
