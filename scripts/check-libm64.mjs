#!/usr/bin/env node
/**
 * Bit-exactness check of src/rng/libm64.ts (exp, log, log1p, sin, cos, sincos, erf, erfc) against this machine's
 * glibc, on random and targeted inputs. Local tool, not part of CI (needs a C compiler and glibc 2.36 on an
 * AVX2+FMA x86-64 CPU; CI uses tests/fixtures/libm64.json instead). 2^64 inputs cannot be enumerated, so every
 * function gets at least 50M random inputs over the domain PyTorch uses it on, plus enumerated and targeted sets:
 *
 *   log    (0, 1]: 50M random 53-bit uniform grid values k·2^-53 (the `log(1 - u)` arguments), every grid value
 *          with k <= 2^24 and every one within 2^24 grid steps of 1, the near-1 polynomial range, random positive
 *          bit patterns (subnormals included), random bit patterns;
 *   log1p  (-1, 0]: 50M random -k·2^-53 (the 2.x `log1p(-u)` arguments), every one with k < 2^24 and every one
 *          within 2^24 steps of -1, random reals in [-1, 4], random bit patterns >= -1;
 *   exp    50M random reals in [-745, 710], reals in [-40, 0.5] (erf's internal arguments), random bit patterns
 *          with |x| < 1100 (|x| >= 512 takes the special-case scaling);
 *   sin, cos, sincos  50M random `2π·u` for 53-bit uniform u (PyTorch's Box–Muller angles), every angle within
 *          2^22 grid steps of 0 and of 2π, reals in [-2π, 2π], reals in [-1e6, 1e6], huge bit patterns
 *          (|x| >= 105414350, the __branred path), random bit patterns;
 *   erf    50M random reals in [-6, 6], `x/√2` for x in [-10, 10] (trunc_normal_'s CDF), tiny and random bit patterns;
 *   erfc   20M random reals in [-6, 28], random bit patterns;
 *   every function: edge cases (±0, subnormals, ±Infinity, NaN, each branch threshold of the glibc source ±4 ulps,
 *          multiples of π/2 for the trigonometric functions);
 *   fma    (the port's private fused multiply-add, against the hardware fma) 5M random triples and 5M triples whose
 *          exact result lies within ~2^-106 (relative) of a rounding midpoint, where double rounding would show.
 *
 *   node scripts/check-libm64.mjs                      # everything (about 480M evaluations)
 *   node scripts/check-libm64.mjs --fn log,log1p       # some functions
 *   node scripts/check-libm64.mjs --scale 0.01         # 1% of every random/enumerated set (a quick run)
 *   node scripts/check-libm64.mjs --workers 2 --seed 7
 *
 * How: compiles scripts/libm64_dump.c (cc -O2 -fno-builtin ... -lm) and src/rng/libm64.ts (with the project's tsc)
 * into a temporary directory; worker threads generate each chunk of inputs deterministically (seeded PRNG), run
 * `libm64_dump bin <fn>` on it and compare every output with the port. Non-NaN outputs must be bit-identical
 * (-0 vs +0 is a mismatch); a NaN only has to be matched by a NaN. Prints per-set counts and the first mismatches;
 * exits with status 1 if any mismatch was found.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { buildDumper, buildPort, glibcVersion } from './libm-tools.mjs';

export const FNS = ['exp', 'log', 'log1p', 'sin', 'cos', 'sincos', 'erf', 'erfc', 'fma'];
const CHUNK = 1 << 20;
const M = 1e6;
const TWO_PI = 2 * Math.PI; // 2.0f * c10::pi<double>, exact
const TWO_M53 = 2 ** -53;

// ---------------------------------------------------------------------------
// Bit helpers and a small deterministic PRNG (shared by the main thread and the workers)
// ---------------------------------------------------------------------------

const F = new Float64Array(1);
const U = new Uint32Array(F.buffer); // little-endian: U[0] low word, U[1] high word
export function fromWords(hi, lo) {
  U[1] = hi >>> 0;
  U[0] = lo >>> 0;
  return F[0];
}
export function hexOf(x) {
  F[0] = x;
  return U[1].toString(16).padStart(8, '0') + U[0].toString(16).padStart(8, '0');
}

/** xoshiro128** seeded by splitmix32 of `seed`: 32-bit outputs. */
export function makeRng(seed) {
  let s = seed >>> 0;
  const sm = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = sm(), b = sm(), c = sm(), d = sm();
  const next = () => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t; d = rotl(d, 11);
    return r;
  };
  const u53 = () => (next() >>> 11) * 2 ** 32 + next(); // integer in [0, 2^53)
  return {
    u32: next,
    /** integer in [0, 2^53) */
    u53,
    /** real in [lo, hi) with a full 53-bit random significand draw */
    real: (lo, hi) => lo + (hi - lo) * (u53() * TWO_M53),
    /** random bit pattern as a double */
    bits: () => fromWords(next(), next()),
  };
}
function rotl(x, k) {
  return (x << k) | (x >>> (32 - k));
}

// ---------------------------------------------------------------------------
// Input sets: name -> { count (at scale 1), value(rng, index) }
// ---------------------------------------------------------------------------

/** A positive finite double from random bits (exponent field 0..0x7fe), subnormals included. */
function positiveFinite(rng) {
  for (;;) {
    const x = Math.abs(rng.bits());
    if (Number.isFinite(x)) return x;
  }
}
/** A double with |x| < limit from random bits. */
function bitsBelow(rng, limit) {
  for (;;) {
    const x = rng.bits();
    if (Math.abs(x) < limit) return x;
  }
}

export const SETS = {
  log: {
    'u53 random (0,1]': { count: 50 * M, value: (r) => (r.u53() + 1) * TWO_M53 },
    'u53 k <= 2^24 (all)': { count: 2 ** 24, value: (r, i) => (i + 1) * TWO_M53 },
    'u53 within 2^24 of 1 (all)': { count: 2 ** 24, value: (r, i) => (2 ** 53 - i) * TWO_M53 },
    'near-1 reals [0.9375, 1.0647)': { count: 5 * M, value: (r) => r.real(0.9375, 1.0647) },
    'positive bit patterns': { count: 5 * M, value: (r) => positiveFinite(r) },
    'any bit patterns': { count: 1 * M, value: (r) => r.bits() },
  },
  log1p: {
    'neg u53 random (-1,0]': { count: 50 * M, value: (r) => -r.u53() * TWO_M53 },
    'neg u53 k < 2^24 (all)': { count: 2 ** 24, value: (r, i) => -i * TWO_M53 },
    'neg u53 within 2^24 of -1 (all)': { count: 2 ** 24, value: (r, i) => -(2 ** 53 - 1 - i) * TWO_M53 },
    'reals [-1, 4)': { count: 5 * M, value: (r) => r.real(-1, 4) },
    'bit patterns >= -1': {
      count: 5 * M,
      value: (r) => {
        for (;;) {
          const x = r.bits();
          if (x >= -1 || x !== x) return x;
        }
      },
    },
  },
  exp: {
    'reals [-745, 710)': { count: 50 * M, value: (r) => r.real(-745, 710) },
    'reals [-40, 0.5) (erf arguments)': { count: 5 * M, value: (r) => r.real(-40, 0.5) },
    'bit patterns |x| < 1100': { count: 5 * M, value: (r) => bitsBelow(r, 1100) },
    'any bit patterns': { count: 1 * M, value: (r) => r.bits() },
  },
  erf: {
    'reals [-6, 6)': { count: 50 * M, value: (r) => r.real(-6, 6) },
    'x/sqrt(2), x in [-10, 10)': { count: 5 * M, value: (r) => r.real(-10, 10) / Math.SQRT2 },
    'bit patterns |x| < 2^-20': { count: 1 * M, value: (r) => bitsBelow(r, 2 ** -20) },
    'any bit patterns': { count: 2 * M, value: (r) => r.bits() },
  },
  erfc: {
    'reals [-6, 28)': { count: 20 * M, value: (r) => r.real(-6, 28) },
    'any bit patterns': { count: 2 * M, value: (r) => r.bits() },
  },
};
const TRIG_SETS = {
  '2pi*u53 random [0, 2pi)': { count: 50 * M, value: (r) => TWO_PI * (r.u53() * TWO_M53) },
  '2pi*u53 within 2^22 of 0 (all)': { count: 2 ** 22, value: (r, i) => TWO_PI * (i * TWO_M53) },
  '2pi*u53 within 2^22 of 2pi (all)': { count: 2 ** 22, value: (r, i) => TWO_PI * ((2 ** 53 - 1 - i) * TWO_M53) },
  'reals [-2pi, 2pi)': { count: 5 * M, value: (r) => r.real(-TWO_PI, TWO_PI) },
  'reals [-1e6, 1e6)': { count: 2 * M, value: (r) => r.real(-1e6, 1e6) },
  'bit patterns |x| >= 105414350 (branred)': {
    count: 1 * M,
    value: (r) => {
      for (;;) {
        const x = r.bits();
        if (Math.abs(x) >= 105414350 && Number.isFinite(x)) return x;
      }
    },
  },
  'any bit patterns': { count: 1 * M, value: (r) => r.bits() },
};
SETS.fma = {
  'random triples': { count: 5 * M, width: 3, value: (r) => randomTriple(r) },
  'near-midpoint triples': { count: 5 * M, width: 3, value: (r) => midpointTriple(r) },
};
SETS.sin = TRIG_SETS;
SETS.cos = TRIG_SETS;
SETS.sincos = TRIG_SETS;

const TRIPLE = new Float64Array(3);
const SPLIT = 134217729;
/** A real with a random sign, significand in [1, 2) and exponent in [-e, e]. */
function scaled(r, e) {
  const x = r.real(1, 2) * 2 ** ((r.u32() % (2 * e + 1)) - e);
  return r.u32() & 1 ? -x : x;
}
function randomTriple(r) {
  TRIPLE[0] = scaled(r, 40);
  TRIPLE[1] = scaled(r, 40);
  TRIPLE[2] = r.u32() % 4 === 0 ? -TRIPLE[0] * TRIPLE[1] : scaled(r, 80);
  return TRIPLE;
}
/** ulp of a finite non-zero double (the weight of its last significand bit). */
function ulpOf(x) {
  F[0] = Math.abs(x);
  const e = (U[1] >>> 20) & 0x7ff;
  return 2 ** (Math.max(e, 1) - 1075);
}
/**
 * (a, b, c) with a·b + c = p ± ulp(p)/2 + δ, δ the (tiny, non-zero) rounding error of c: the exact result lies within
 * ~ulp(c)/2 of a rounding midpoint, so rounding a·b + c in two steps would go wrong.
 */
function midpointTriple(r) {
  const a = scaled(r, 20);
  const b = scaled(r, 20);
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  const pe = ah * bh - p + ah * bl + al * bh + al * bl; // a*b = p + pe exactly
  const h = (r.u32() & 1 ? 0.5 : -0.5) * ulpOf(p);
  let c = h - pe;
  const k = (r.u32() % 5) - 2;
  if (k !== 0 && c !== 0) c += k * ulpOf(c);
  TRIPLE[0] = a;
  TRIPLE[1] = b;
  TRIPLE[2] = c;
  return TRIPLE;
}

/** Targeted inputs: specials, every branch threshold of the glibc sources ±4 ulps (both signs). */
export function edgeCases(fn) {
  if (fn === 'fma') {
    // Exact products, zeros, signed-zero sums, cancellation to zero, huge and tiny magnitudes (the ./fma.ts fallback).
    return Float64Array.from([
      0, 1, 0, -0, 1, 0, 0, -1, -0, 1, 1, -1, 0.1, 10, -1, 3, 1 / 3, -1, 1e300, 1e10, -1e310, 1e-300, 1e-20, 0,
      2 ** -1074, 0.5, 0, 2 ** 1000, 2 ** 100, -(2 ** 1100), 1 + 2 ** -52, 1 - 2 ** -53, -1, Infinity, 0, 1, NaN, 1, 1,
      1e-200, 1e-200, 1e-400, -0.1, 0.1, 0.01,
    ]);
  }
  const out = [];
  const near = (x, n = 4) => {
    F[0] = x;
    const hi = U[1];
    const lo = U[0];
    for (let d = -n; d <= n; d++) {
      let l = lo + d;
      let h = hi;
      if (l < 0) { l += 2 ** 32; h -= 1; }
      if (l >= 2 ** 32) { l -= 2 ** 32; h += 1; }
      const v = fromWords(h, l);
      out.push(v, -v);
    }
  };
  const hw = (hi) => near(fromWords(hi, 0));
  out.push(0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE);
  for (const x of [1, 2, 0.5, 2 ** -1022, 2 ** -1022 - 2 ** -1074, 3, 10, 100, 1e-10, 1e-300, 1e300]) near(x, 2);
  if (fn === 'exp') {
    for (const x of [2 ** -54, 512, 1024, 709.782712893384, 709.79, -708.39641853226408, -744.44007192138126,
      -745.13321910194110, -745.1332191019412, -1022 * Math.LN2, 0.5 * Math.LN2 / 128]) near(x);
    for (let k = -8; k <= 8; k++) near((k * Math.LN2) / 128);
  }
  if (fn === 'log') {
    for (const hi of [0x3fee0000, 0x3ff10900, 0x3ff00000, 0x3fe60000, 0x3ff60000, 0x00100000, 0x7fe00000]) hw(hi);
    for (let i = 0; i < 128; i++) hw(0x3fe60000 + (i << 13));
    for (let e = -1074; e <= 1023; e += 7) near(2 ** e, 1);
  }
  if (fn === 'log1p') {
    for (const hi of [0x3fda827a, 0xbfd2bec3, 0xbfd2bec4, 0x3ff00000, 0xbff00000, 0x3e200000, 0xbe200000, 0x3c900000,
      0x43400000, 0x3ff6a09e, 0x3fe6a09e, 0x7fe00000]) hw(hi);
    near(-1 + 2 ** -53, 8);
    for (let e = -60; e <= 60; e++) near(2 ** e - 1, 1);
  }
  if (fn === 'sin' || fn === 'cos' || fn === 'sincos') {
    for (const hi of [0x3e400000, 0x3e500000, 0x3feb6000, 0x400368fd, 0x419921fb, 0x7fe00000]) hw(hi);
    for (const x of [0.126, Math.PI / 4, Math.PI, TWO_PI, 105414350]) near(x);
    for (let n = 1; n <= 200; n++) near((n * Math.PI) / 2, 2);
    for (let i = 0; i <= 440; i++) near(i / 128, 1);
    // pi/2 - |x| on a table-step midpoint (k + 1/2)/128: where sincos's sine and sin can take different table rows.
    for (let k = 0; k < 110; k++) for (const x of [Math.PI / 2 - (k + 0.5) / 128, Math.PI / 2 + (k + 0.5) / 128]) near(x, 2);
  }
  if (fn === 'erf' || fn === 'erfc') {
    for (const hi of [0x00800000, 0x3c700000, 0x3e300000, 0x3fd00000, 0x3feb0000, 0x3ff40000, 0x4006db6d, 0x4006db6e,
      0x40180000, 0x403c0000]) hw(hi);
  }
  return Float64Array.from(out);
}

// ---------------------------------------------------------------------------
// Main thread and workers
// ---------------------------------------------------------------------------

const isEntry = process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url;
if (isMainThread && isEntry) {
  await main();
} else if (!isMainThread && workerData?.checkLibm64) {
  await worker();
}

function parseArgs(argv) {
  const opts = { fns: FNS, scale: 1, workers: Math.min(2, Math.max(1, os.availableParallelism?.() ?? os.cpus().length)), seed: 20240701 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--fn') { opts.fns = v.split(','); i++; }
    else if (a === '--scale') { opts.scale = Number(v); i++; }
    else if (a === '--workers') { opts.workers = Number(v); i++; }
    else if (a === '--seed') { opts.seed = Number(v); i++; }
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: check-libm64.mjs [--fn exp,log,...] [--scale S] [--workers N] [--seed N]\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const f of opts.fns) if (!FNS.includes(f)) throw new Error(`unknown function ${f}`);
  if (!(opts.scale > 0)) throw new Error('--scale must be > 0');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'libm64-check-'));
  try {
    const dumper = buildDumper(tmp, 'libm64_dump');
    const moduleUrl = buildPort(tmp, 'libm64');
    const glibc = glibcVersion();
    process.stdout.write(`glibc: ${glibc}\nfunctions: ${opts.fns.join(', ')}; scale ${opts.scale}; seed ${opts.seed}; workers ${opts.workers}\n`);

    let total = 0;
    let totalBad = 0;
    for (const fn of opts.fns) {
      const t0 = Date.now();
      const jobs = [{ fn, set: 'edge cases', edges: edgeCases(fn) }];
      for (const [set, spec] of Object.entries(SETS[fn])) {
        const count = Math.max(1, Math.round(spec.count * opts.scale));
        for (let start = 0; start < count; start += CHUNK) {
          jobs.push({ fn, set, start, count: Math.min(CHUNK, count - start), seed: (opts.seed ^ hashString(`${fn}/${set}`) ^ Math.imul(start / CHUNK + 1, 0x9e3779b1)) >>> 0 });
        }
      }
      const perSet = new Map();
      let next = 0;
      await Promise.all(Array.from({ length: Math.min(opts.workers, jobs.length) }, () => new Promise((resolve, reject) => {
        const w = new Worker(fileURLToPath(import.meta.url), { workerData: { checkLibm64: true, dumper, moduleUrl } });
        const feed = () => w.postMessage(next < jobs.length ? jobs[next++] : null);
        w.on('message', (m) => {
          if (m.ready) { feed(); return; }
          const s = perSet.get(m.set) ?? { count: 0, bad: 0, examples: [] };
          s.count += m.count;
          s.bad += m.bad;
          for (const e of m.examples) if (s.examples.length < 5) s.examples.push(e);
          perSet.set(m.set, s);
          feed();
        });
        w.on('error', reject);
        w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker exited with ${code}`))));
      })));
      let fnCount = 0;
      let fnBad = 0;
      for (const [set, s] of perSet) {
        fnCount += s.count;
        fnBad += s.bad;
        process.stdout.write(`  ${fn} ${set}: ${s.count} inputs, ${s.bad} mismatches\n`);
        for (const e of s.examples) process.stdout.write(`      input ${e[0]} glibc ${e[1]} port ${e[2]}\n`);
      }
      process.stdout.write(`${fn}: ${fnCount} inputs, ${fnBad} mismatches (${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      total += fnCount;
      totalBad += fnBad;
    }
    process.stdout.write(`total: ${total} inputs, ${totalBad} mismatches\n`);
    process.exitCode = totalBad > 0 ? 1 : 0;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function hashString(s) {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

async function worker() {
  const { dumper, moduleUrl } = workerData;
  const mod = await import(moduleUrl);
  const sc = new Float64Array(2);
  parentPort.on('message', (job) => {
    if (job === null) { parentPort.close(); return; }
    const { fn } = job;
    const arity = fn === 'fma' ? 3 : 1;
    let inputs;
    if (job.edges) {
      inputs = job.edges;
    } else {
      const spec = SETS[fn][job.set];
      const rng = makeRng(job.seed);
      inputs = new Float64Array(job.count * arity);
      for (let i = 0; i < job.count; i++) {
        const v = spec.value(rng, job.start + i);
        if (arity === 1) inputs[i] = v;
        else inputs.set(v, arity * i);
      }
    }
    const n = inputs.length / arity;
    const width = fn === 'sincos' ? 2 : 1;
    const args = fn === 'fma' ? ['fma'] : ['bin', fn];
    const buf = execFileSync(dumper, args, { input: Buffer.from(inputs.buffer, inputs.byteOffset, inputs.length * 8), maxBuffer: n * 8 * width + 1024 });
    if (buf.length !== n * 8 * width) throw new Error(`short read from libm64_dump: ${buf.length}`);
    const want = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    const f = mod[fn];
    let bad = 0;
    const examples = [];
    const same = (a, b) => (a !== a ? b !== b : Object.is(a, b));
    for (let i = 0; i < n; i++) {
      const x = inputs[i];
      let ok;
      if (arity === 3) {
        const got = mod.fma(inputs[3 * i], inputs[3 * i + 1], inputs[3 * i + 2]);
        ok = same(want[i], got);
        if (!ok && examples.length < 5) examples.push([[0, 1, 2].map((k) => hexOf(inputs[3 * i + k])).join(','), hexOf(want[i]), hexOf(got)]);
      } else if (width === 2) {
        mod.sincos(x, sc);
        ok = same(want[2 * i], sc[0]) && same(want[2 * i + 1], sc[1]);
        if (!ok && examples.length < 5) examples.push([hexOf(x), `${hexOf(want[2 * i])},${hexOf(want[2 * i + 1])}`, `${hexOf(sc[0])},${hexOf(sc[1])}`]);
      } else {
        const got = f(x);
        ok = same(want[i], got);
        if (!ok && examples.length < 5) examples.push([hexOf(x), hexOf(want[i]), hexOf(got)]);
      }
      if (!ok) bad++;
    }
    parentPort.postMessage({ set: job.set, count: n, bad, examples });
  });
  parentPort.postMessage({ ready: true });
}
