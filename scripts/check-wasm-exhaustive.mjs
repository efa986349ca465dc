// Exhaustive checks of the WebAssembly kernels' float32 functions, too slow for the test suite (minutes).
//
//   node scripts/check-wasm-exhaustive.mjs [erfinv] [libm] [--ts-stride=N]
//
// erfinv: for every float32 y with |y| < 1 (2 * 0x3f800000 bit patterns), the vector erfinv the truncNormal_ kernel
//   runs (with its scalar fallback) against the module's scalar ik_erfinvf, which is exact by construction (exact
//   fmaf, glibc expf/logf with Ziv-tested fast paths); and every N-th pattern (default 64) against the TypeScript
//   reference erfinvF32 (src/rng/erfinv.ts).
// libm: for all 2^32 float32 inputs, the module's expf and logf (fast and exact versions) and erff against the
//   TypeScript ports in src/rng/libm.ts (which scripts/check-libm-exhaustive.mjs checks against glibc itself).
// The normal_ block math is exhaustive in the test suite already (tests/rng/wasm-exhaustive.test.ts).
// Needs `npm run build` first (imports dist/). Prints the mismatches (none expected) and exits 1 if any.
import { activeKernels, setKernelBackend } from '../dist/rng/wasm/backend.js';
import { erfinvF32 } from '../dist/rng/erfinv.js';
import { erff, expf, logf } from '../dist/rng/libm.js';

const args = process.argv.slice(2);
const strideArg = args.find((a) => a.startsWith('--ts-stride='));
const TS_STRIDE = strideArg ? Number(strideArg.split('=')[1]) : 64;
const which = args.filter((a) => !a.startsWith('--'));
const runAll = which.length === 0;

setKernelBackend('wasm');
const k = activeKernels();
const M = k.chunk;
const bits = new Uint32Array(M);
const vals = new Float32Array(bits.buffer);
const a = new Float32Array(M);
const b = new Float32Array(M);
let failures = 0;

function same(x, y) {
  return Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));
}

function report(what, input, got, want) {
  failures++;
  if (failures <= 20) console.log(`MISMATCH ${what}: x=0x${input.toString(16).padStart(8, '0')} got ${got} want ${want}`);
}

function progress(label, done, total, t0) {
  const s = (performance.now() - t0) / 1000;
  process.stdout.write(`\r${label}: ${((100 * done) / total).toFixed(1)}% (${s.toFixed(0)} s)`);
}

if (runAll || which.includes('erfinv')) {
  const t0 = performance.now();
  const total = 2 * 0x3f800000;
  let done = 0;
  for (const sign of [0, 0x80000000]) {
    for (let base = 0; base < 0x3f800000; base += M) {
      const m = Math.min(M, 0x3f800000 - base);
      for (let i = 0; i < m; i++) bits[i] = (sign | (base + i)) >>> 0;
      k.io.set(vals.subarray(0, m));
      k.exports.ik_probe_erfinv(m);
      a.set(k.io.subarray(0, m));
      k.io.set(vals.subarray(0, m));
      k.exports.ik_probe_erfinv_scalar(m);
      b.set(k.io.subarray(0, m));
      for (let i = 0; i < m; i++) {
        if (!same(a[i], b[i])) report('erfinv vector vs scalar', bits[i], a[i], b[i]);
        if ((base + i) % TS_STRIDE === 0) {
          const want = Math.fround(erfinvF32(vals[i]));
          if (!same(b[i], want)) report('erfinv scalar vs TypeScript', bits[i], b[i], want);
        }
      }
      done += m;
      if ((base / M) % 256 === 0) progress('erfinv', done, total, t0);
    }
  }
  console.log(`\nerfinv: ${total} inputs checked in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

if (runAll || which.includes('libm')) {
  // probe ids: 0 expf exact, 1 expf fast, 2 logf exact, 3 logf fast, 4 erff scalar, 5/6/7 vector expf/logf/erff
  const families = [
    [expf, [[0, 'expf exact'], [1, 'expf fast'], [5, 'expf vector']]],
    [logf, [[2, 'logf exact'], [3, 'logf fast'], [6, 'logf vector']]],
    [erff, [[4, 'erff scalar'], [7, 'erff vector']]],
  ];
  const t0 = performance.now();
  const total = 2 ** 32;
  const want = new Float32Array(M);
  for (let base = 0; base < total; base += M) {
    for (let i = 0; i < M; i++) bits[i] = base + i;
    for (const [ref, probes] of families) {
      for (let i = 0; i < M; i++) want[i] = ref(vals[i]);
      for (const [id, name] of probes) {
        k.io.set(vals);
        k.exports.ik_probe_libm(M, id);
        for (let i = 0; i < M; i++) if (!same(k.io[i], want[i])) report(name, bits[i], k.io[i], want[i]);
      }
    }
    if ((base / M) % 1024 === 0) progress('libm', base + M, total, t0);
  }
  console.log(`\nlibm: ${total} inputs x 8 functions checked in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}

console.log(failures === 0 ? 'OK: no mismatches' : `FAILED: ${failures} mismatches`);
process.exit(failures === 0 ? 0 : 1);
