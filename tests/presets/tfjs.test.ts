// The tfjs preset against real TF.js 4.22 layers of the same shapes: the layers' default initializer configs, and
// moments and bounds of what they draw (TF.js uses its own RNG, so values differ; the distribution must not).
// Draws are seeded (TF.js's default initializers with an explicit seed, same class and config), so the test is
// deterministic. Tolerance: 6 standard errors of the sample std.
import { beforeAll, describe, expect, it } from 'vitest';
import { distStats, fromSpec, planModel } from '../../src/index.js';
import type * as tfjsModule from '@tensorflow/tfjs';

type Tf = typeof tfjsModule;
let tf: Tf | null = null;

beforeAll(async () => {
  try {
    tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
  } catch {
    tf = null;
  }
});

interface InitializerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}
/** A layer's initializer (TF.js keeps them private): `field` is e.g. 'kernelInitializer'. */
function initializerOf(layer: unknown, field: string): InitializerLike {
  return (layer as Record<string, InitializerLike>)[field]!;
}

function moments(xs: Float32Array | Int32Array | Uint8Array): { std: number; max: number; mean: number } {
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  let max = 0;
  for (const x of xs) {
    v += (x - m) ** 2;
    max = Math.max(max, Math.abs(x));
  }
  return { std: Math.sqrt(v / xs.length), max, mean: m };
}

function ourPlan(spec: unknown, path: string) {
  const s = planModel(fromSpec(spec, { device: 'meta' }), { preset: 'tfjs' }).sites.find((x) => x.site.path === path)!;
  return distStats(s.plan.dist, s.site.shape);
}

function checkClose(real: { std: number; max: number }, ours: { std: number; bound: number | null }, n: number): void {
  const se = ours.std / Math.sqrt(2 * n);
  expect(Math.abs(real.std - ours.std)).toBeLessThan(6 * se);
  if (ours.bound !== null) expect(real.max).toBeLessThanOrEqual(ours.bound * (1 + 1e-6));
}

describe('tfjs preset vs real TF.js layers', () => {
  it('dense: glorotNormal truncated without correction', async () => {
    if (tf === null) return void process.stderr.write('TF.js not installed: tfjs comparison SKIPPED\n');
    const probe = tf.layers.dense({ units: 4, inputShape: [3] });
    expect(initializerOf(probe, 'kernelInitializer').getClassName()).toBe('VarianceScaling');
    expect(initializerOf(probe, 'kernelInitializer').getConfig()).toMatchObject({ scale: 1, mode: 'fanAvg', distribution: 'normal' });
    expect(initializerOf(probe, 'biasInitializer').getClassName()).toBe('Zeros');
    const layer = tf.layers.dense({ units: 256, inputShape: [128], kernelInitializer: tf.initializers.glorotNormal({ seed: 11 }) });
    const model = tf.sequential({ layers: [layer] });
    const [kernel, bias] = model.getWeights();
    const real = moments(await kernel!.data() as Float32Array);
    const ours = ourPlan({ type: 'Linear', args: [128, 256] }, 'weight');
    checkClose(real, ours, 128 * 256);
    expect(ours.std).toBeCloseTo(0.8796256610342398 * Math.sqrt(2 / 384), 10);
    expect(Array.from(await bias!.data()).every((x) => x === 0)).toBe(true);
  });

  it('conv2d with TF.js default initializer: channels-last fans', async () => {
    if (tf === null) return;
    const layer = tf.layers.conv2d({ filters: 64, kernelSize: 3, inputShape: [8, 8, 32], kernelInitializer: tf.initializers.glorotNormal({ seed: 12 }) });
    expect(initializerOf(tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [4, 4, 1] }), 'kernelInitializer').getConfig()).toMatchObject({ mode: 'fanAvg', distribution: 'normal' });
    const model = tf.sequential({ layers: [layer] });
    const real = moments(await model.getWeights()[0]!.data() as Float32Array);
    checkClose(real, ourPlan({ type: 'Conv2d', args: [32, 64, 3] }, 'weight'), 9 * 32 * 64);
  });

  it('embedding: U(-0.05, 0.05)', async () => {
    if (tf === null) return;
    const def = tf.layers.embedding({ inputDim: 5, outputDim: 2 });
    expect(initializerOf(def, 'embeddingsInitializer').getConfig()).toMatchObject({ minval: -0.05, maxval: 0.05 });
    const model = tf.sequential({ layers: [tf.layers.embedding({ inputDim: 500, outputDim: 64, inputLength: 4, embeddingsInitializer: tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed: 13 }) })] });
    const real = moments(await model.getWeights()[0]!.data() as Float32Array);
    checkClose(real, ourPlan({ type: 'Embedding', args: [500, 64] }, 'weight'), 500 * 64);
  });

  it('lstm: glorotNormal kernel, orthogonal recurrent, biases 0 (unitForgetBias off)', async () => {
    if (tf === null) return;
    const cell = (tf.layers.lstm({ units: 4, inputShape: [2, 3] }) as unknown as { cell: { unitForgetBias?: boolean } }).cell;
    expect(initializerOf(cell, 'kernelInitializer').getClassName()).toBe('VarianceScaling');
    expect(initializerOf(cell, 'recurrentInitializer').getClassName()).toBe('Orthogonal');
    expect(cell.unitForgetBias ?? false).toBe(false);
    const model = tf.sequential({
      layers: [
        tf.layers.lstm({
          units: 64,
          inputShape: [5, 48],
          kernelInitializer: tf.initializers.glorotNormal({ seed: 14 }),
          recurrentInitializer: tf.initializers.orthogonal({ gain: 1, seed: 15 }),
        }),
      ],
    });
    const [kernel, recurrent, bias] = model.getWeights();
    const spec = { type: 'LSTM', args: [48, 64] };
    checkClose(moments(await kernel!.data() as Float32Array), ourPlan(spec, 'weight_ih_l0'), 48 * 256);
    const rec = moments(await recurrent!.data() as Float32Array);
    const ourRec = ourPlan(spec, 'weight_hh_l0');
    // Orthogonal: the entries' second moment is exactly min(r, c)/(r·c) = 1/256; their mean is ~0 (not exactly).
    expect(Math.abs(rec.std - ourRec.std) / ourRec.std).toBeLessThan(1e-3);
    expect(Array.from(await bias!.data()).every((x) => x === 0)).toBe(true);
  });
});
