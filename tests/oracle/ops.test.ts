// Oracle: fresh random shapes and options for every probe op each run, forward outputs and all gradients compared
// with live PyTorch (float32, CPU, one thread) through scripts/gen_ops_fixtures.py --stdin. Prints the seed and
// the worst error per op. Budget: 1e-5 relative per element (against max(|ref|, rms(ref))) and on the std (the probe
// needs 1e-4 on stds; float32 reductions over thousands of elements reach a few 1e-6).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { createTfjsWasmGemm } from '../../src/accel/index.js';
import { Generator } from '../../src/index.js';
import { ACTIVATIONS } from '../../src/analysis/ops/index.js';
import { PYTHON, describeTorch, oracleSeed } from '../helpers/torch.js';
import { type RefCase, type RefResult, compareCase, runOurs } from '../analysis/ops-harness.js';

const TOL = 1e-5;
const STD_TOL = 1e-5;

function makeCases(master: number): RefCase[] {
  const g = new Generator().manualSeed(master);
  const rnd = (): number => g.random() / 2 ** 32;
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const pickOne = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const cases: RefCase[] = [];
  let seed = int(0, 2 ** 30);
  const add = (op: string, inputs: Record<string, number[]>, args: Record<string, unknown> = {}): void => {
    cases.push({ op, seed: seed++, inputs, args });
  };

  // The benchmark's layer: 256 × 1024 → 1024 (K = 1024 is where float32 accumulation differs most).
  add('linear', { x: [256, 1024], weight: [1024, 1024], bias: [1024] }, { scale: 1 });
  for (let k = 0; k < 6; k++) {
    const inF = int(1, 300);
    const outF = int(1, 300);
    const lead = rnd() < 0.3 ? [int(1, 4), int(1, 40)] : [int(1, 300)];
    add('linear', { x: [...lead, inF], weight: [outF, inF], ...(rnd() < 0.7 ? { bias: [outF] } : {}) });
  }
  for (let k = 0; k < 10; k++) {
    const two = k % 2 === 1;
    const groups = pickOne([1, 1, 2, 3]);
    const cg = int(1, 4);
    const og = int(1, 4);
    const ks = two ? [int(1, 4), int(1, 4)] : [int(1, 5)];
    const dil = ks.map(() => (rnd() < 0.3 ? 2 : 1));
    const padMode = rnd() < 0.5 ? 'int' : pickOne(['same', 'valid', 'int']);
    const stride = padMode === 'same' ? ks.map(() => 1) : ks.map(() => int(1, 3));
    const spatial = ks.map((kk, i) => dil[i]! * (kk - 1) + 1 + int(0, 12));
    const padding =
      padMode === 'int' ? ks.map((kk) => int(0, Math.floor(kk / 2) + 1)) : padMode;
    const mode = padMode === 'int' && rnd() < 0.4 ? pickOne(['reflect', 'replicate', 'circular']) : 'zeros';
    const okMode =
      mode === 'zeros' ||
      (Array.isArray(padding) && padding.every((p, i) => p < spatial[i]!));
    add(two ? 'conv2d' : 'conv1d', {
      x: [int(1, 3), cg * groups, ...spatial],
      weight: [og * groups, cg, ...ks],
      ...(rnd() < 0.6 ? { bias: [og * groups] } : {}),
    }, {
      stride,
      padding,
      dilation: dil,
      groups,
      ...(okMode && mode !== 'zeros' ? { paddingMode: mode } : {}),
    });
  }
  for (const kind of ACTIVATIONS) {
    const options: Record<string, unknown> = {};
    if (kind === 'leaky_relu' && rnd() < 0.5) options['negativeSlope'] = rnd() * 0.5;
    if (kind === 'gelu') options['approximate'] = pickOne(['none', 'tanh']);
    if ((kind === 'elu' || kind === 'celu') && rnd() < 0.5) options['alpha'] = 0.2 + rnd() * 2;
    if (kind === 'softplus' && rnd() < 0.5) Object.assign(options, { beta: 0.5 + rnd() * 3, threshold: 5 + rnd() * 20 });
    if (kind === 'hardtanh' && rnd() < 0.5) {
      const lo = -rnd() * 3;
      Object.assign(options, { minVal: lo, maxVal: lo + rnd() * 4 });
    }
    add('activation', { x: [int(100, 3000)] }, { kind, options, scale: 0.3 + rnd() * 6 });
  }
  for (let k = 0; k < 4; k++) {
    const dims = pickOne([[], [int(2, 9)], [int(2, 6), int(2, 6)]]);
    const c = int(1, 8);
    const affine = rnd() < 0.7;
    // At least 8 values per channel: with 2 the normalized outputs are ±1 and ∂x is pure rounding noise on both sides.
    const spatial = (dims as number[]).reduce((p, d) => p * d, 1);
    const batch = Math.max(int(2, 32), Math.ceil(8 / spatial));
    add('batch_norm', { x: [batch, c, ...dims], ...(affine ? { weight: [c], bias: [c] } : {}) }, rnd() < 0.3 ? { eps: 1e-3 } : {});
  }
  for (let k = 0; k < 3; k++) {
    // At least 8 normalized elements (fewer make ∂x rounding noise, as for batch_norm above).
    const norm = rnd() < 0.5 ? [int(8, 64)] : [int(2, 6), int(4, 16)];
    const affine = rnd() < 0.7;
    add('layer_norm', { x: [int(1, 6), int(1, 8), ...norm], ...(affine ? { weight: norm, bias: norm } : {}) }, { normalizedShape: norm });
  }
  for (let k = 0; k < 3; k++) {
    const G = int(1, 4);
    const c = G * int(1, 4);
    const affine = rnd() < 0.7;
    const h = int(2, 7);
    const w = Math.max(int(1, 7), Math.ceil(8 / ((c / G) * h))); // at least 8 elements per group
    add('group_norm', { x: [int(1, 5), c, h, w], ...(affine ? { weight: [c], bias: [c] } : {}) }, { numGroups: G });
  }
  for (let k = 0; k < 2; k++) {
    const norm = [int(2, 48)];
    add('rms_norm', { x: [int(1, 8), int(1, 8), ...norm], ...(rnd() < 0.7 ? { weight: norm } : {}) }, {
      normalizedShape: norm,
      ...(rnd() < 0.5 ? { eps: 1e-6 } : {}),
    });
  }
  for (let k = 0; k < 2; k++) {
    const rows = int(2, 30);
    add('embedding', { indices: [int(1, 4), int(1, 12)], weight: [rows, int(1, 16)] }, {
      numEmbeddings: rows,
      ...(rnd() < 0.5 ? { paddingIdx: int(0, rows - 1) } : {}),
      ...(rnd() < 0.3 ? { scaleGradByFreq: true } : {}),
    });
  }
  for (let k = 0; k < 6; k++) {
    const two = k % 2 === 0;
    const op = pickOne(['max', 'avg']);
    const kernel = two ? [int(1, 4), int(1, 4)] : [int(1, 5)];
    const stride = kernel.map(() => int(1, 3));
    const padding = kernel.map((kk) => int(0, Math.floor(kk / 2)));
    const dilation = op === 'max' ? kernel.map(() => (rnd() < 0.3 ? 2 : 1)) : undefined;
    const spatial = kernel.map((kk, i) => (dilation?.[i] ?? 1) * (kk - 1) + 1 + int(0, 10));
    const args: Record<string, unknown> = { kernelSize: kernel, stride, padding, ceilMode: rnd() < 0.5 };
    if (dilation !== undefined) args['dilation'] = dilation;
    if (op === 'avg') {
      args['countIncludePad'] = rnd() < 0.5;
      if (two && rnd() < 0.3) args['divisorOverride'] = int(1, 9);
    }
    add(`${op}_pool${two ? 2 : 1}d`, { x: [int(1, 3), int(1, 4), ...spatial] }, args);
  }
  add('adaptive_avg_pool2d', { x: [int(1, 3), int(1, 4), int(1, 12), int(1, 12)] }, { outputSize: [int(1, 6), int(1, 6)] });
  add('adaptive_avg_pool1d', { x: [int(1, 3), int(1, 4), int(1, 20)] }, { outputSize: int(1, 8) });
  add('flatten', { x: [int(1, 4), int(1, 4), int(1, 4), int(1, 4)] }, { startDim: int(0, 1), endDim: -1 });
  add('add', { a: [int(1, 40), int(1, 40)], b: [0, 0] }, { alpha: pickOne([1, 0.5, -2]) });
  const last = cases[cases.length - 1]!;
  last.inputs['b'] = last.inputs['a']!;
  const w = int(4, 64);
  add('mlp', { x: [int(2, 64), w], w0: [w, w], b0: [w], w1: [w, w], b1: [w], w2: [int(1, 8), w], b2: [0] });
  const m = cases[cases.length - 1]!;
  m.inputs['b2'] = [m.inputs['w2']![0]!];
  return cases;
}

function report(refs: RefResult[], gemm?: Parameters<typeof runOurs>[1]): { table: string; failures: string[] } {
  const worst = new Map<string, { maxErr: number; stdErr: number; n: number }>();
  const failures: string[] = [];
  for (const ref of refs) {
    const r = compareCase(ref, runOurs(ref, gemm));
    const w = worst.get(ref.case.op) ?? { maxErr: 0, stdErr: 0, n: 0 };
    worst.set(ref.case.op, { maxErr: Math.max(w.maxErr, r.maxErr), stdErr: Math.max(w.stdErr, r.stdErr), n: w.n + 1 });
    for (const [part, p] of Object.entries(r.parts)) {
      if (!(p.maxErr <= TOL) || !(p.stdErr <= STD_TOL)) {
        failures.push(`${r.label} ${part}: maxErr ${p.maxErr.toExponential(2)} stdErr ${p.stdErr.toExponential(2)} (seed ${ref.case.seed})`);
      }
    }
  }
  const table = [...worst.entries()]
    .map(([op, w]) => `  ${op.padEnd(22)} cases ${String(w.n).padStart(2)}  max rel err ${w.maxErr.toExponential(2)}  std rel err ${w.stdErr.toExponential(2)}`)
    .join('\n');
  return { table, failures };
}

function runReference(cases: RefCase[]): RefResult[] {
  const script = fileURLToPath(new URL('../../scripts/gen_ops_fixtures.py', import.meta.url));
  const r = spawnSync(PYTHON, [script, '--stdin'], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
  });
  if (r.status !== 0) throw new Error(`gen_ops_fixtures.py --stdin failed: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout) as RefResult[];
}

describeTorch('probe ops vs live PyTorch (random shapes)', () => {
  let refs: RefResult[] = [];
  let seed = 0;
  it('forward outputs and all gradients agree to 1e-5 (std too)', () => {
    seed = oracleSeed();
    refs = runReference(makeCases(seed));
    const { table, failures } = report(refs);
    process.stderr.write(`ops oracle (seed ${seed}):\n${table}\n`);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('the same with the initkit/accel TensorFlow.js WASM GEMM (linear, conv, MLP cases)', async () => {
    const gemm = await createTfjsWasmGemm({ minMacs: 0 });
    try {
      const some = refs.filter((r) => ['linear', 'conv1d', 'conv2d', 'mlp'].includes(r.case.op));
      expect(some.length).toBeGreaterThan(0);
      const { table, failures } = report(some, gemm);
      process.stderr.write(`ops oracle with tfjs-wasm GEMM (seed ${seed}):\n${table}\n`);
      expect(failures, failures.join('\n')).toEqual([]);
    } finally {
      await gemm.dispose();
    }
  });
});
