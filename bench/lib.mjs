// Shared benchmark helpers: timing in-process, running PyTorch (/usr/bin/python3) in a subprocess, printing tables.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const PYTHON = process.env.INITKIT_PYTHON ?? '/usr/bin/python3';
const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Time `fn` in this process: warm up, then repeat until `minTime` seconds have passed (at least `minRuns` runs) and
 * return the median seconds per call.
 */
export function timeIt(fn, { minTime = 1.0, minRuns = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  const start = performance.now();
  while (times.length < minRuns || (performance.now() - start) / 1000 < minTime) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
    if (times.length > 1000) break;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Time `fn` in this process by both clocks: repeat until `minTime` seconds (at least `minRuns` runs) and return the
 * minimum seconds per call of wall time and of CPU time (user + system of this process, `process.cpuUsage`). On a
 * shared machine the minimum and the CPU time are the least disturbed by other jobs.
 */
export function timeItCpu(fn, { minTime = 1.0, minRuns = 3, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  let wall = Infinity;
  let cpu = Infinity;
  let runs = 0;
  const start = performance.now();
  while (runs < minRuns || (performance.now() - start) / 1000 < minTime) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const t1 = performance.now();
    const c = process.cpuUsage(c0);
    wall = Math.min(wall, (t1 - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
    if (++runs > 1000) break;
  }
  return { wall, cpu };
}

/** Is PyTorch importable by PYTHON? Returns its version string or null. */
export function torchVersion() {
  if (!existsSync(PYTHON)) return null;
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/**
 * Run bench/torch_bench.py with a list of tasks; returns its JSON result ({ results: { name: seconds }, info }).
 * Single thread (torch.set_num_threads(1)).
 */
export function runTorch(tasks, { timeout = 600_000 } = {}) {
  const r = spawnSync(PYTHON, [`${here}torch_bench.py`], {
    input: JSON.stringify(tasks),
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`torch_bench.py failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout);
}

export function fmtRate(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x >= 1e9) return `${(x / 1e9).toFixed(2)} G/s`;
  if (x >= 1e6) return `${(x / 1e6).toFixed(1)} M/s`;
  if (x >= 1e3) return `${(x / 1e3).toFixed(1)} k/s`;
  return `${x.toFixed(1)} /s`;
}

export function fmtSeconds(s) {
  if (s === null || s === undefined || !Number.isFinite(s)) return 'n/a';
  if (s >= 1) return `${s.toFixed(2)} s`;
  if (s >= 1e-3) return `${(s * 1e3).toFixed(1)} ms`;
  return `${(s * 1e6).toFixed(0)} us`;
}

export function fmtRatio(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x.toFixed(2)}x`;
}

/** Render rows (arrays of strings) as a Markdown table. */
export function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  return [line(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...rows.map(line)].join('\n');
}

/** A target check: returns 'PASS'/'FAIL' text for a measured ratio against a goal (ratio >= goal). */
export function verdict(ratio, goal) {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return 'n/a';
  return ratio >= goal ? `PASS (>= ${goal}x)` : `FAIL (< ${goal}x)`;
}
