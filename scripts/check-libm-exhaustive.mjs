#!/usr/bin/env node
/**
 * Exhaustive bit-exactness check of src/rng/libm.ts (erff, expf, logf) against
 * this machine's glibc. Local tool, not part of CI (needs a C compiler and
 * glibc; CI uses tests/fixtures/libm.json instead).
 *
 *   node scripts/check-libm-exhaustive.mjs                 # all 2^32 inputs, all three functions
 *   node scripts/check-libm-exhaustive.mjs --fn erff       # one function
 *   node scripts/check-libm-exhaustive.mjs --start 0x3f000000 --end 0x3f800000
 *   node scripts/check-libm-exhaustive.mjs --workers 2 --chunk-log2 22
 *
 * How: compiles scripts/libm_dump.c (cc -O2 -fno-builtin ... -lm) and
 * src/rng/libm.ts (the project's tsc, standalone options) into a temporary
 * directory; splits the bit-pattern range [start, end) into chunks; worker
 * threads run `libm_dump range <fn> <start> <count>` for each chunk and compare
 * every output bit pattern with the TypeScript port. Non-NaN outputs must be
 * bit-identical (so -0 vs +0 counts as a mismatch); a NaN output only has to be
 * matched by a NaN (JS numbers do not carry NaN payloads).
 *
 * Prints per-function mismatch counts (and the first few mismatches) and exits
 * with status 1 if any mismatch was found.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildDumper, buildPort, glibcVersion } from './libm-tools.mjs';

const FNS = ['erff', 'expf', 'logf'];

if (isMainThread) {
  await main();
} else {
  await worker();
}

function parseArgs(argv) {
  const opts = {
    fns: FNS,
    start: 0,
    end: 2 ** 32,
    workers: Math.max(1, os.availableParallelism?.() ?? os.cpus().length),
    chunkLog2: 24,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--fn') { opts.fns = v.split(','); i++; }
    else if (a === '--start') { opts.start = Number(v); i++; }
    else if (a === '--end') { opts.end = Number(v); i++; }
    else if (a === '--workers') { opts.workers = Number(v); i++; }
    else if (a === '--chunk-log2') { opts.chunkLog2 = Number(v); i++; }
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: check-libm-exhaustive.mjs [--fn erff,expf,logf] [--start N] [--end N] [--workers N] [--chunk-log2 N]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const f of opts.fns) if (!FNS.includes(f)) throw new Error(`unknown function ${f}`);
  if (!(opts.start >= 0 && opts.end <= 2 ** 32 && opts.start < opts.end)) throw new Error('bad range');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'libm-check-'));
  try {
    const dumper = buildDumper(tmp, 'libm_dump');
    const moduleUrl = buildPort(tmp, 'libm');
    const glibc = glibcVersion();
    process.stdout.write(`glibc: ${glibc}\nrange: [0x${opts.start.toString(16)}, 0x${opts.end.toString(16)}), functions: ${opts.fns.join(', ')}, workers: ${opts.workers}\n`);

    let exitCode = 0;
    for (const fn of opts.fns) {
      const t0 = Date.now();
      const chunk = 2 ** opts.chunkLog2;
      const jobs = [];
      for (let s = opts.start; s < opts.end; s += chunk) jobs.push([s, Math.min(chunk, opts.end - s)]);
      let next = 0;
      let done = 0;
      let checked = 0;
      let mismatches = 0;
      const examples = [];
      await Promise.all(Array.from({ length: Math.min(opts.workers, jobs.length) }, () => new Promise((resolve, reject) => {
        const w = new Worker(fileURLToPath(import.meta.url), { workerData: { fn, dumper, moduleUrl } });
        const feed = () => {
          if (next < jobs.length) w.postMessage(jobs[next++]);
          else { w.postMessage(null); }
        };
        w.on('message', (m) => {
          if (m.ready) { feed(); return; }
          checked += m.count;
          mismatches += m.mismatches;
          for (const e of m.examples) if (examples.length < 20) examples.push(e);
          done++;
          if (done % 16 === 0 || done === jobs.length) {
            process.stdout.write(`  ${fn}: ${done}/${jobs.length} chunks, ${checked} inputs, ${mismatches} mismatches, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
          }
          feed();
        });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      })));
      process.stdout.write(`${fn}: checked ${checked} inputs [0x${opts.start.toString(16)}, 0x${opts.end.toString(16)}), mismatches: ${mismatches} (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      for (const e of examples) process.stdout.write(`    input 0x${e[0]} glibc 0x${e[1]} port 0x${e[2]}\n`);
      if (mismatches > 0) exitCode = 1;
    }
    process.exitCode = exitCode;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function worker() {
  const { fn, dumper, moduleUrl } = workerData;
  const mod = await import(moduleUrl);
  const f = mod[fn];
  const inF = new Float32Array(1);
  const inU = new Uint32Array(inF.buffer);
  const outF = new Float32Array(1);
  const outU = new Uint32Array(outF.buffer);
  const hex = (u) => u.toString(16).padStart(8, '0');
  parentPort.on('message', (job) => {
    if (job === null) { parentPort.close(); return; }
    const [start, count] = job;
    const buf = execFileSync(dumper, ['range', fn, String(start), String(count)], { maxBuffer: count * 4 + 1024 });
    if (buf.length !== count * 4) throw new Error(`short read from libm_dump: ${buf.length}`);
    const want = new Uint32Array(buf.buffer, buf.byteOffset, count);
    let mismatches = 0;
    const examples = [];
    for (let i = 0; i < count; i++) {
      inU[0] = start + i;
      outF[0] = f(inF[0]);
      const got = outU[0];
      const w = want[i];
      if (got !== w) {
        const wantNaN = (w & 0x7fffffff) > 0x7f800000;
        const gotNaN = (got & 0x7fffffff) > 0x7f800000;
        if (!(wantNaN && gotNaN)) {
          mismatches++;
          if (examples.length < 5) examples.push([hex(start + i), hex(w), hex(got)]);
        }
      }
    }
    parentPort.postMessage({ count, mismatches, examples });
  });
  parentPort.postMessage({ ready: true });
}
