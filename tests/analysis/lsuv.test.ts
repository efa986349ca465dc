// LSUV (src/analysis/lsuv.ts): converges on deep MLPs (30 layers, tanh and ReLU) and CNNs, measured afterwards with
// the probe on the same calibration batch: every Linear/Conv output std within tol of the target. Also the
// orthonormal pre-init, options, determinism, non-convergence reporting, one test per error branch, and the CLI end
// to end (the built dist/cli/main.js, real files).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lsuv } from '../../src/analysis/lsuv.js';
import { probe } from '../../src/analysis/probe.js';
import { normal_ } from '../../src/init/normal.js';
import { parseSafetensors } from '../../src/io/safetensors.js';
import type { Module } from '../../src/nn/module.js';
import { fromSpec } from '../../src/nn/spec.js';
import { Generator } from '../../src/rng/generator.js';
import { type Tensor, empty, zeros } from '../../src/tensor/tensor.js';
import { cli } from '../helpers/cli.js';
import { thrown } from '../helpers/errors.js';

function mlp(depth: number, width: number, act: string): unknown {
  return { type: 'Sequential', children: Array.from({ length: depth }, () => [{ type: 'Linear', args: [width, width] }, { type: act }]).flat() };
}

const CNN = {
  type: 'Sequential',
  children: [
    { type: 'Conv2d', args: [3, 16, 3], kwargs: { padding: 1 } }, { type: 'ReLU' },
    { type: 'Conv2d', args: [16, 16, 3], kwargs: { padding: 1 } }, { type: 'ReLU' },
    { type: 'MaxPool2d', args: [2] },
    { type: 'Conv2d', args: [16, 32, 3], kwargs: { padding: 1, groups: 2 } }, { type: 'Tanh' },
    { type: 'Conv2d', args: [32, 32, 3], kwargs: { stride: 2, padding: 1 } }, { type: 'ReLU' },
    { type: 'Conv2d', args: [32, 32, 1] }, { type: 'ReLU' },
    { type: 'AdaptiveAvgPool2d', args: [1] }, { type: 'Flatten' },
    { type: 'Linear', args: [32, 10] },
  ],
};

/** The per-layer output std of every Linear / Conv on `x`, measured by the probe. */
function weightedStds(model: Module, x: Tensor): number[] {
  return probe(model, { input: x, generator: new Generator().manualSeed(99) })
    .layers.filter((l) => /^(Linear|Conv[12]d)$/.test(l.module))
    .map((l) => l.outputStd);
}

describe('lsuv: convergence', () => {
  it.each(['Tanh', 'ReLU'])('a 30-layer, 128-wide %s MLP: every Linear output std within 0.1 of 1 on the batch', (act) => {
    const g = new Generator().manualSeed(0);
    const model = fromSpec(mlp(30, 128, act), { generator: g });
    const x = normal_(empty([256, 128]), 0, 1, { generator: new Generator().manualSeed(1) });
    // Before: PyTorch's default shrinks the signal through depth.
    expect(weightedStds(model, x).at(-1)!).toBeLessThan(0.1);
    const r = lsuv(model, x, { generator: g });
    expect(r.converged).toBe(true);
    expect(r.layers).toHaveLength(30);
    expect(r.layers.map((l) => l.name)).toEqual(Array.from({ length: 30 }, (_, i) => String(2 * i)));
    for (const l of r.layers) {
      expect(Math.abs(l.finalStd - 1)).toBeLessThanOrEqual(0.1);
      expect(l.iterations).toBeLessThanOrEqual(10);
      expect(l.converged).toBe(true);
    }
    const after = weightedStds(model, x);
    after.forEach((s, i) => expect(Math.abs(s - 1), `layer ${i}: ${s}`).toBeLessThanOrEqual(0.1));
    // The probe measures what LSUV measured (same forward).
    after.forEach((s, i) => expect(s).toBeCloseTo(r.layers[i]!.finalStd, 10));
  });

  it('a CNN (Conv2d with groups and stride, pooling, a Linear head) converges, with a target std of 0.5 and tol 0.02', () => {
    const g = new Generator().manualSeed(2);
    const model = fromSpec(CNN, { generator: g });
    const x = normal_(empty([16, 3, 12, 12]), 0, 1, { generator: g });
    const r = lsuv(model, x, { targetStd: 0.5, tol: 0.02, generator: g });
    expect(r.converged).toBe(true);
    expect(r.layers.map((l) => l.module)).toEqual(['Conv2d', 'Conv2d', 'Conv2d', 'Conv2d', 'Conv2d', 'Linear']);
    weightedStds(model, x).forEach((s, i) => expect(Math.abs(s - 0.5), `layer ${i}: ${s}`).toBeLessThanOrEqual(0.02));
  });

  it('draws randn(batch, ...inputShape) after the pre-init, and is deterministic', () => {
    const run = (): { r: ReturnType<typeof lsuv>; sd: number[][]; next: number } => {
      const g = new Generator().manualSeed(5);
      const model = fromSpec(mlp(4, 32, 'ReLU'), { generator: g });
      const r = lsuv(model, { batch: 64, inputShape: [32] }, { generator: g });
      return { r, sd: [...model.stateDict().values()].map((t) => Array.from(t.data)), next: g.random() };
    };
    const a = run();
    expect(run()).toEqual(a);
    // The stream: construction, four orthogonal_ draws in model.apply order, then the batch.
    const g = new Generator().manualSeed(5);
    fromSpec(mlp(4, 32, 'ReLU'), { generator: g });
    for (let i = 0; i < 4; i++) normal_(empty([32, 32]), 0, 1, { generator: g });
    const x = normal_(empty([64, 32]), 0, 1, { generator: g });
    expect(a.next).toBe(g.random());
    // That batch passed explicitly gives the same result.
    const g2 = new Generator().manualSeed(5);
    const model = fromSpec(mlp(4, 32, 'ReLU'), { generator: g2 });
    expect(lsuv(model, x, { generator: g2 })).toEqual(a.r);
  });

  it('the orthonormal pre-init: rows orthogonal with equal norms (the LSUV scale), biases zero', () => {
    const g = new Generator().manualSeed(3);
    const model = fromSpec(mlp(3, 24, 'Tanh'), { generator: g });
    const r = lsuv(model, { batch: 128, inputShape: [24] }, { generator: g });
    const sd = model.stateDict();
    r.layers.forEach((l) => {
      const w = sd.get(`${l.name}.weight`)!.data;
      const b = sd.get(`${l.name}.bias`)!.data;
      expect(Array.from(b).every((v) => v === 0)).toBe(true);
      for (let i = 0; i < 24; i++) {
        for (let j = 0; j < 24; j++) {
          let dot = 0;
          for (let k = 0; k < 24; k++) dot += w[i * 24 + k]! * w[j * 24 + k]!;
          expect(dot).toBeCloseTo(i === j ? l.scale * l.scale : 0, 5);
        }
      }
    });
  });

  it('without the pre-init, the weights as built are rescaled (biases kept); scale is the product of the factors', () => {
    const g = new Generator().manualSeed(4);
    const model = fromSpec(mlp(6, 64, 'ReLU'), { generator: g });
    const before = [...model.stateDict()].map(([k, t]) => [k, Array.from(t.data)] as const);
    const r = lsuv(model, { batch: 128, inputShape: [64] }, { orthogonalInit: false, generator: g });
    expect(r.converged).toBe(true);
    const sd = model.stateDict();
    for (const [k, v] of before) {
      const now = Array.from(sd.get(k)!.data);
      if (k.endsWith('bias')) expect(now).toEqual(v);
      else {
        const l = r.layers.find((x) => `${x.name}.weight` === k)!;
        now.forEach((w, i) => expect(w).toBeCloseTo(v[i]! * l.scale, 6));
      }
    }
  });

  it('reports non-convergence: maxIter 0 changes nothing; a dead layer (std 0) cannot be rescaled', () => {
    const g = new Generator().manualSeed(6);
    const model = fromSpec(mlp(3, 16, 'Tanh'), { generator: g });
    const r = lsuv(model, { batch: 32, inputShape: [16] }, { maxIter: 0, tol: 1e-9, generator: g });
    expect(r.converged).toBe(false);
    for (const l of r.layers) {
      expect(l.iterations).toBe(0);
      expect(l.scale).toBe(1);
      expect(l.finalStd).toBe(l.initialStd);
    }
    const dead = lsuv(fromSpec(mlp(2, 8, 'ReLU')), zeros([4, 8]), { generator: g });
    expect(dead.converged).toBe(false);
    expect(dead.layers[0]).toMatchObject({ iterations: 0, initialStd: 0, finalStd: 0, converged: false });
  });
});

describe('lsuv: errors', () => {
  const model = (): Module => fromSpec(mlp(2, 4, 'ReLU'));
  it.each([
    ['targetStd 0', { targetStd: 0 }, 'lsuv: expected targetStd to be a finite number > 0, got 0.'],
    ['targetStd NaN', { targetStd: NaN }, 'lsuv: expected targetStd to be a finite number > 0, got NaN.'],
    ['tol -1', { tol: -1 }, 'lsuv: expected tol to be a finite number >= 0, got -1.'],
    ['maxIter 1.5', { maxIter: 1.5 }, 'lsuv: expected maxIter to be an integer >= 0, got 1.5.'],
    ['orthogonalInit "yes"', { orthogonalInit: 'yes' }, 'lsuv: expected orthogonalInit to be a boolean, got "yes".'],
    ['bad generator', { generator: 'g' }, 'lsuv: expected generator to be a Generator or PhiloxGenerator, got "g".'],
  ])('%s', (_n, opts, msg) => {
    expect(thrown(() => lsuv(model(), { inputShape: [4] }, opts as never)).message.startsWith(msg)).toBe(true);
  });

  it('options, input and model arguments', () => {
    expect(thrown(() => lsuv(model(), { inputShape: [4] }, null as never)).message).toBe('lsuv: expected an options object such as { targetStd: 1, tol: 0.1 }, got null.');
    expect(thrown(() => lsuv(model(), 5 as never)).message).toBe('lsuv: expected a batch-first Tensor or { batch, inputShape }, got 5.');
    expect(thrown(() => lsuv(model(), {} as never)).message).toContain('lsuv: expected inputShape (the input shape without the batch dimension) or an input tensor');
    expect(thrown(() => lsuv(model(), { batch: 0, inputShape: [4] })).message).toBe('lsuv: expected batch to be an integer >= 1, got 0.');
    expect(thrown(() => lsuv('model' as never, { inputShape: [4] })).message).toBe('lsuv: expected a Module (e.g. nn.fromSpec(spec)), got "model".');
    const e = thrown(() => lsuv(fromSpec({ type: 'Sequential', children: [{ type: 'ReLU' }, { type: 'Tanh' }] }), { inputShape: [4] }));
    expect(e.message).toBe('lsuv: expected a model with at least one Linear, Conv1d or Conv2d layer (LSUV rescales their weights), got a model of Sequential, ReLU, Tanh.');
  });

  it('an unsupported layer and an input that does not fit (both shapes named)', () => {
    const rnn = fromSpec({ type: 'Sequential', children: [{ type: 'Linear', args: [4, 4] }, { type: 'GRU', args: [4, 4] }] });
    expect(thrown(() => lsuv(rnn, { inputShape: [4] })).message).toContain('1 (GRU): expected a layer the probe runs');
    expect(thrown(() => lsuv(model(), { batch: 8, inputShape: [5] })).message).toContain(
      '0 (Linear): expected input with last dimension 4 (in_features), got input shape [8, 5].',
    );
  });
});

describe('initkit lsuv (CLI, end to end)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'initkit-lsuv-'));
  const spec = join(dir, 'mlp.json');
  writeFileSync(spec, JSON.stringify(mlp(8, 32, 'Tanh')));

  it('writes the LSUV-initialized state dict with its settings and per-layer scales, and prints the table', () => {
    const out = join(dir, 'out.safetensors');
    const r = cli(['lsuv', spec, '--seed', '7', '--input-shape', '32', '--batch', '64', '--gemm', 'ts', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('LSUV (Mishkin & Matas 2016), target std 1 ± 0.1');
    expect(r.stdout).toContain('calibration batch randn(64, 32)');
    expect(r.stdout).toMatch(/layer\s+module\s+initial std\s+scale\s+iterations\s+final std/);
    expect(r.stdout).toContain('all 8 layers converged');
    const file = parseSafetensors(readFileSync(out));
    const meta = file.metadata;
    expect(meta['initkit.seed']).toBe('7');
    expect(JSON.parse(meta['initkit.lsuv']!)).toEqual({ targetStd: 1, tol: 0.1, maxIter: 10, orthogonalInit: true, batch: 64, inputShape: [32] });
    const layers = JSON.parse(meta['initkit.lsuv_layers']!) as { name: string; scale: number }[];
    expect(layers.map((l) => l.name)).toEqual(['0', '2', '4', '6', '8', '10', '12', '14']);
    // The same as the API with the same seed.
    const g = new Generator().manualSeed(7);
    const model = fromSpec(mlp(8, 32, 'Tanh'), { generator: g });
    const api = lsuv(model, { batch: 64, inputShape: [32] }, { generator: g });
    expect(layers).toEqual(JSON.parse(JSON.stringify(api.layers)));
    const keys = [...model.stateDict().keys()];
    expect([...file.tensors.keys()]).toEqual(keys);
    for (const [name, t] of file.tensors) {
      expect(Array.from(t.data), name).toEqual(Array.from(model.stateDict().get(name)!.data));
    }
  });

  it('--json, --no-orthogonal, --target-std, --tol and --max-iter', () => {
    const out = join(dir, 'out2.safetensors');
    const r = cli(['lsuv', spec, '-s', '1', '--input-shape', '32', '--batch', '32', '--target-std', '0.5', '--tol', '0.05', '--max-iter', '3', '--no-orthogonal', '--gemm', 'ts', '--json', '-o', out]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as { targetStd: number; tol: number; maxIter: number; orthogonalInit: boolean; result: { layers: { finalStd: number; iterations: number }[] } };
    expect(s).toMatchObject({ targetStd: 0.5, tol: 0.05, maxIter: 3, orthogonalInit: false });
    for (const l of s.result.layers) expect(l.iterations).toBeLessThanOrEqual(3);
  });

  it('errors: a missing option, an input shape that does not fit, a bad number, a missing file', () => {
    const noShape = cli(['lsuv', spec, '--seed', '1', '-o', join(dir, 'x.safetensors')]);
    expect(noShape.code).toBe(2);
    expect(noShape.stderr).toContain("required option '--input-shape <dims>' not specified");
    const bad = cli(['lsuv', spec, '--seed', '1', '--input-shape', '31', '--gemm', 'ts', '-o', join(dir, 'x.safetensors')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('initkit: error: 0 (Linear): expected input with last dimension 32 (in_features), got input shape [256, 31].');
    const num = cli(['lsuv', spec, '--seed', '1', '--input-shape', '32', '--tol', 'abc', '-o', join(dir, 'x.safetensors')]);
    expect(num.code).toBe(2);
    expect(num.stderr).toContain('--tol: expected a finite number, got "abc".');
    const dims = cli(['lsuv', spec, '--seed', '1', '--input-shape', '3,0', '-o', join(dir, 'x.safetensors')]);
    expect(dims.code).toBe(2);
    expect(dims.stderr).toContain('--input-shape: expected positive integers separated by commas, e.g. 3,32,32, got "3,0".');
    const missing = cli(['lsuv', join(dir, 'nope.json'), '--seed', '1', '--input-shape', '4', '-o', join(dir, 'x.safetensors')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file');
  });
});
