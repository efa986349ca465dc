#!/usr/bin/env node
/**
 * Generates tests/fixtures/libm.json: golden outputs of this machine's glibc
 * erff / expf / logf, used by tests/rng/libm.test.ts so that CI can check the
 * bit-exact ports in src/rng/libm.ts without a C compiler.
 *
 *   node scripts/gen-libm-fixtures.mjs [--out tests/fixtures/libm.json] [--per-fn 20000] [--seed 20240601]
 *
 * Must run on x86-64 glibc 2.36 (Debian GLIBC 2.36-9+deb12u14 is the
 * reference) on a CPU with AVX2 and FMA, so that libm's ifuncs select the
 * `__expf_fma` / `__logf_fma` variants the ports reproduce. The script refuses
 * to run otherwise (override with --force).
 *
 * Inputs per function (deduplicated, deterministic for a given seed):
 * hand-picked edge cases (±0, subnormals, ±inf, NaNs, every branch boundary of
 * the algorithm ±1 ulp, inputs where the FMA and non-FMA expf differ), then
 * random float32 bit patterns: about 30% uniform over all 2^32 patterns, the
 * rest concentrated in the range where the function does real work.
 * Each case is [inputBitsHex, outputBitsHex] (8 lowercase hex digits).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT as root, buildDumper, dumperCompiler, option, requireReferenceMachine, writeFixture } from './libm-tools.mjs';

const args = process.argv.slice(2);
const out = path.resolve(root, option(args, '--out', 'tests/fixtures/libm.json'));
const perFn = Number(option(args, '--per-fn', '20000'));
const seed = Number(option(args, '--seed', '20240601'));
const glibc = requireReferenceMachine(args.includes('--force'));

// mulberry32: small deterministic PRNG.
let state = seed >>> 0;
function rand32() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x) => ((f32[0] = x), u32[0]);
/** Uniform bit pattern in [lo, hi] (inclusive). */
const bitsIn = (lo, hi) => (lo + Math.floor((rand32() / 2 ** 32) * (hi - lo + 1))) >>> 0;
/** Uniform real in [lo, hi), rounded to float32. */
const valueIn = (lo, hi) => bitsOf(lo + (rand32() / 2 ** 32) * (hi - lo));
const around = (b, n = 2) => Array.from({ length: 2 * n + 1 }, (_, i) => (b + i - n) >>> 0);
const bothSigns = (bs) => bs.flatMap((b) => [b >>> 0, (b ^ 0x80000000) >>> 0]);

const common = [
  0x00000000, 0x80000000, 0x00000001, 0x80000001, 0x00000002, 0x0000ffff, 0x007fffff, 0x807fffff,
  0x00800000, 0x80800000, 0x00800001, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000,
  0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001, 0x7fa00000, 0x7fffffff, 0xffffffff,
  0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, 0x40000000, 0xc0000000, 0x40490fdb, 0x402df854,
  0x33800000, 0x34000000, 0x3e800000, 0x41200000, 0xc1200000, 0x42c80000, 0xc2c80000,
];

const edges = {
  // s_erff.c branch boundaries: 2^-119 (0x04000000), 2^-28 (0x31800000), 0.84375, 1.25, 1/0.35, 6.
  erff: [
    ...common,
    ...bothSigns([0x04000000, 0x31800000, 0x3f580000, 0x3fa00000, 0x4036db6e, 0x40c00000].flatMap((b) => around(b, 3))),
    ...bothSigns([0x3f580000, 0x3f800000, 0x3fa00000, 0x40000000, 0x40400000, 0x40a00000, 0x40b00000, 0x41e00000]),
    ...bothSigns(around(0x03ffffff, 1)),
  ],
  // e_expf.c: |x| >= 88 special path (abstop 0x42b), overflow 0x1.62e42ep6,
  // underflow -0x1.9fe368p6, may-underflow -0x1.9d1d9ep6; plus the two float
  // inputs where the FMA build (__expf_fma) and the generic build differ.
  expf: [
    ...common,
    ...bothSigns(around(0x42b00000, 3)),
    ...around(0x42b17217, 3), ...around(0xc2b17217, 3),
    ...around(0xc2cff1b4, 3), ...around(0xc2ce8ecf, 3),
    ...around(0xc2aeac50, 2), ...around(0xc2aeac4f, 2), // x ~ log(FLT_MIN) = -87.34
    0x4202422f, 0xc27c65d9,
    ...bothSigns([0x3c000000, 0x3d000000, 0x33000000, 0x32800000, 0x2f800000, 0x0c000000]),
  ],
  // e_logf.c: x == 1, subnormal normalisation, OFF = 0x3f330000 subinterval
  // boundaries, negatives, the 16 table subintervals.
  logf: [
    ...common,
    ...around(0x3f800000, 4), ...around(0x3f330000, 3), ...around(0x3fb30000, 3), ...around(0x3eb30000, 3),
    ...around(0x00800000, 3), ...around(0x00400000, 2), ...around(0x7f800000, 2),
    ...Array.from({ length: 16 }, (_, i) => [(0x3f330000 + (i << 19)) >>> 0, (0x3f330000 + (i << 19) - 1) >>> 0]).flat(),
    0xbf800000, 0xc0000000, 0x80000001, 0xff7fffff,
  ],
};

// Random draws concentrated where each function computes (fractions of the random budget).
const focus = {
  erff: [
    [0.3, () => rand32()],
    [0.4, () => ((rand32() & 0x80000000) | bitsIn(0, 0x411fffff)) >>> 0], // |x| < 10 by bit pattern
    [0.3, () => valueIn(-6.5, 6.5)],
  ],
  expf: [
    [0.3, () => rand32()],
    [0.35, () => ((rand32() & 0x80000000) | bitsIn(0, 0x42cfffff)) >>> 0], // |x| < 104 by bit pattern
    [0.35, () => valueIn(-104, 89)],
  ],
  logf: [
    [0.3, () => rand32()],
    [0.3, () => bitsIn(0x00000001, 0x3f800000)], // (0, 1] by bit pattern
    [0.2, () => bitsIn(0x00000001, 0x7f7fffff)], // all positive finite
    [0.2, () => valueIn(0, 4)],
  ],
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'libm-fixtures-'));
try {
  const compiler = dumperCompiler('libm_dump');
  const dumper = buildDumper(tmp, 'libm_dump');
  const fixture = {
    generatedBy: {
      command: `node scripts/gen-libm-fixtures.mjs --per-fn ${perFn} --seed ${seed}`,
      glibc,
      cpu: 'x86-64 with AVX2+FMA (libm ifuncs select __expf_fma / __logf_fma)',
      compiler,
    },
    format: 'per function: array of [inputBits, outputBits], float32 IEEE-754 bit patterns as 8 lowercase hex digits. NaN outputs keep glibc\'s payload; compare them as "is NaN".',
  };
  for (const fn of ['erff', 'expf', 'logf']) {
    const inputs = [];
    const seen = new Set();
    const add = (b) => {
      b >>>= 0;
      if (!seen.has(b)) { seen.add(b); inputs.push(b); }
    };
    for (const b of edges[fn]) add(b);
    const nEdges = inputs.length;
    const budget = perFn - nEdges;
    for (const [frac, gen] of focus[fn]) {
      const target = inputs.length + Math.round(frac * budget);
      while (inputs.length < Math.min(target, perFn)) add(gen());
    }
    while (inputs.length < perFn) add(rand32());
    const stdout = execFileSync(dumper, ['list', fn], {
      input: inputs.map((b) => b.toString(16).padStart(8, '0')).join('\n') + '\n',
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const cases = stdout.trim().split('\n').map((l) => l.split(' '));
    if (cases.length !== inputs.length) throw new Error(`${fn}: expected ${inputs.length} lines, got ${cases.length}`);
    fixture[fn] = cases;
    process.stdout.write(`${fn}: ${cases.length} cases (${nEdges} edge cases)\n`);
  }
  writeFixture(out, fixture, ['erff', 'expf', 'logf']);
  process.stdout.write(`wrote ${path.relative(root, out)}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
