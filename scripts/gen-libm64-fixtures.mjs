#!/usr/bin/env node
/**
 * Generates tests/fixtures/libm64.json: golden outputs of this machine's glibc exp / log / log1p / sin / cos / sincos /
 * erf / erfc (and the hardware fma, for the port's private fused multiply-add), used by tests/rng/libm64.test.ts so
 * that CI can check the bit-exact ports in src/rng/libm64.ts without a C compiler.
 *
 *   node scripts/gen-libm64-fixtures.mjs [--out tests/fixtures/libm64.json] [--seed 20240702]
 *
 * Must run on x86-64 glibc 2.36 (Debian GLIBC 2.36-9+deb12u14 is the reference) on a CPU with AVX2 and FMA, so that
 * libm's ifuncs select the `__ieee754_exp_fma` / `__ieee754_log_fma` / `__log1p_fma` / `__sin_fma` / `__cos_fma` /
 * `__sincos_fma` variants the ports reproduce. The script refuses to run otherwise (override with --force).
 *
 * Inputs per function (deterministic for a given seed): a stride sample of the edge cases of
 * scripts/check-libm64.mjs (branch thresholds ±ulps, specials), then draws from each of its input sets (PyTorch's
 * uniform-grid arguments, the enumerated ranges near 0 and 1, reals over the working range, random bit patterns).
 * Each case is [inputBitsHex, outputBitsHex] (sincos: [input, sin, cos]; fma: [a, b, c, result]), 16 lowercase hex
 * digits per binary64.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SETS, edgeCases, hexOf, makeRng } from './check-libm64.mjs';
import { ROOT as root, buildDumper, dumperCompiler, option, requireReferenceMachine, writeFixture } from './libm-tools.mjs';

const args = process.argv.slice(2);
const out = path.resolve(root, option(args, '--out', 'tests/fixtures/libm64.json'));
const seed = Number(option(args, '--seed', '20240702'));

/** Cases per function (the file stays well under 2 MB). */
const BUDGET = { exp: 3500, log: 4000, log1p: 4000, sin: 3000, cos: 3000, sincos: 3500, erf: 4000, erfc: 2500, fma: 1500 };
const FNS = Object.keys(BUDGET);

const glibc = requireReferenceMachine(args.includes('--force'));

/** The inputs of one function: arrays of 1 (or 3 for fma) doubles. */
function inputsFor(fn) {
  const budget = BUDGET[fn];
  const arity = fn === 'fma' ? 3 : 1;
  const edges = edgeCases(fn);
  const edgeTuples = [];
  for (let i = 0; i + arity <= edges.length; i += arity) edgeTuples.push(Array.from(edges.subarray(i, i + arity)));
  const maxEdges = Math.floor(budget * 0.35);
  const stride = Math.max(1, Math.ceil(edgeTuples.length / maxEdges));
  const picked = edgeTuples.filter((_, i) => i % stride === 0);
  const seen = new Set();
  const list = [];
  const add = (tuple) => {
    const key = tuple.map(hexOf).join(',');
    if (!seen.has(key)) {
      seen.add(key);
      list.push(tuple);
    }
  };
  for (const t of picked) add(t);
  const sets = Object.entries(SETS[fn]);
  const rng = makeRng((seed ^ [...fn].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 16777619), 2166136261)) >>> 0);
  const perSet = Math.ceil((budget - list.length) / sets.length);
  for (const [, spec] of sets) {
    const target = Math.min(budget, list.length + perSet);
    let guard = 0;
    while (list.length < target && guard++ < 100 * perSet) {
      const index = Math.floor((rng.u53() / 2 ** 53) * spec.count);
      const v = spec.value(rng, index);
      add(arity === 1 ? [v] : Array.from(v));
    }
  }
  return list;
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'libm64-fixtures-'));
try {
  const compiler = dumperCompiler('libm64_dump');
  const dumper = buildDumper(tmp, 'libm64_dump');
  const fixture = {
    generatedBy: {
      command: `node scripts/gen-libm64-fixtures.mjs --seed ${seed}`,
      glibc,
      cpu: 'x86-64 with AVX2+FMA (libm ifuncs select __ieee754_exp_fma, __ieee754_log_fma, __log1p_fma, __sin_fma, __cos_fma, __sincos_fma)',
      compiler,
    },
    format:
      'per function: array of [inputBits, outputBits] (sincos: [input, sin, cos]; fma: [a, b, c, fma(a, b, c)]), binary64 IEEE-754 bit patterns as 16 lowercase hex digits. NaN outputs keep glibc\'s payload; compare them as "is NaN".',
  };
  for (const fn of FNS) {
    const tuples = inputsFor(fn);
    let cases;
    if (fn === 'fma') {
      const flat = Float64Array.from(tuples.flat());
      const buf = execFileSync(dumper, ['fma'], { input: Buffer.from(flat.buffer) });
      const res = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
      if (res.length !== tuples.length) throw new Error(`fma: expected ${tuples.length} results, got ${res.length}`);
      cases = tuples.map((t, i) => [...t.map(hexOf), hexOf(res[i])]);
    } else {
      const stdout = execFileSync(dumper, ['list', fn], { input: tuples.map((t) => hexOf(t[0])).join('\n') + '\n', maxBuffer: 64 * 1024 * 1024 }).toString();
      cases = stdout.trim().split('\n').map((l) => l.split(' '));
      if (cases.length !== tuples.length) throw new Error(`${fn}: expected ${tuples.length} lines, got ${cases.length}`);
    }
    fixture[fn] = cases;
    process.stdout.write(`${fn}: ${cases.length} cases\n`);
  }
  const body = writeFixture(out, fixture, FNS);
  process.stdout.write(`wrote ${path.relative(root, out)} (${(body.length / 1024).toFixed(0)} KiB)\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
