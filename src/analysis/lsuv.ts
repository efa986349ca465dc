/**
 * LSUV, layer-sequential unit-variance initialization (Mishkin & Matas 2016, "All you need is a good init", ICLR,
 * https://arxiv.org/abs/1511.06422): an orthonormal pre-init, then, layer by layer in execution order, rescale each
 * Linear / Conv weight until the std of that layer's output on a calibration batch is within a tolerance of the
 * target.
 */
import { checkInteger, fail } from '../errors.js';
import { drawOptions, resolveGenerator } from '../init/common.js';
import { zeros_ } from '../init/constant.js';
import { orthogonal_ } from '../init/orthogonal.js';
import type { Module } from '../nn/module.js';
import { moduleType } from '../presets/sites.js';
import type { RandomEngine } from '../rng/engine.js';
import { Tensor } from '../tensor/tensor.js';
import { buildGraph } from './graph.js';
import type { GemmBackend } from './ops/gemm.js';
import { resolveGemm } from './ops/gemm.js';
import { std as stdOf } from './ops/stats.js';
import { WEIGHTED_LAYERS, checkModel, checkProbeable, forwardPass, prepareInput } from './probe.js';

/** Options of {@link lsuv}. */
export interface LsuvOptions {
  /** The std each Linear / Conv output should have (default 1). */
  targetStd?: number;
  /** Stop rescaling a layer once |std − targetStd| <= tol (default 0.1). */
  tol?: number;
  /** At most this many rescalings per layer (default 10). */
  maxIter?: number;
  /** Orthonormal pre-init of every Linear / Conv weight (orthogonal_, gain 1) and zero biases first (default true). */
  orthogonalInit?: boolean;
  /** The generator for the pre-init and a drawn calibration batch (default: the default generator). */
  generator?: RandomEngine;
  /** The matrix-product backend (default: the current default). */
  gemm?: GemmBackend;
}

/** The calibration batch: a batch-first tensor, or the shape of `randn(batch, ...inputShape)` to draw. */
export type LsuvInput = Tensor | { batch?: number; inputShape: readonly number[] };

export interface LsuvLayer {
  /** Dotted module name (`named_modules()`). */
  name: string;
  /** PyTorch class name. */
  module: string;
  /** The factor the weight was multiplied by, over all iterations (1 when already within tolerance). */
  scale: number;
  /** Number of rescalings. */
  iterations: number;
  /** Output std before the first rescaling (after the pre-init). */
  initialStd: number;
  /** Output std after the last rescaling. */
  finalStd: number;
  /** |finalStd − targetStd| <= tol. */
  converged: boolean;
}

export interface LsuvResult {
  layers: LsuvLayer[];
  /** Every layer converged. */
  converged: boolean;
}

function checkPositive(where: string, param: string, v: unknown, dflt: number, allowZero = false): number {
  const x = v === undefined ? dflt : v;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0 || (!allowZero && x === 0)) {
    fail({ code: 'INVALID_ARGUMENT', where, param, expected: `${param} to be a finite number ${allowZero ? '>= 0' : '> 0'}`, received: x });
  }
  return x;
}

/**
 * LSUV-initialize `model` in place on a calibration batch.
 *
 * Paper: Mishkin & Matas (2016), "All you need is a good init", ICLR, https://arxiv.org/abs/1511.06422, Algorithm 1.
 * 1. With `orthogonalInit`, every Linear / Conv1d / Conv2d weight gets `orthogonal_` (gain 1, drawn from
 *    `generator` in `model.apply` order) and its bias zeros, as the authors' PyTorch code does
 *    (ducha-aiki/LSUV-pytorch, `orthogonal_weights_init`).
 * 2. Layer by layer in execution order, for each Linear / Conv layer L: forward the batch, measure the std of L's
 *    output (pre-activation; Bessel-corrected, as `Tensor.std()`), and while |std − targetStd| > tol and fewer than
 *    `maxIter` rescalings were made: W_L ← W_L · targetStd / std (in place, float32: `W.data *= s`), forward again.
 *    Later layers are processed after earlier ones are final, so each layer's input is its final input.
 *
 * The forward is the probe's (./probe.ts): BatchNorm with batch statistics, Dropout as the identity, Residual as
 * `shortcut(x) + body(x)`. The biases are not changed after the pre-init (the paper rescales weights only; the
 * authors' code also shifts biases toward a target mean). A layer whose output std is 0 or not finite cannot be
 * rescaled and is reported as not converged.
 *
 * @param model a module tree of layers the probe runs, on the cpu device; modified in place.
 * @param input the calibration batch (batch first), or `{ batch (256), inputShape }` to draw
 *   `randn(batch, ...inputShape)` from the generator after the pre-init (token ids for an Embedding first).
 * @param options `targetStd` (1), `tol` (0.1), `maxIter` (10), `orthogonalInit` (true), `generator`, `gemm`.
 * @returns per Linear / Conv layer: the cumulative scale, iterations, initial and final std, convergence.
 * @throws InitError for bad options, a model without Linear / Conv layers, a layer the probe cannot run, or an
 *   input that does not fit the model (naming both shapes).
 * @example
 * ```ts
 * const g = new Generator().manualSeed(0);
 * const model = nn.fromSpec(deepTanhMlp, { generator: g });
 * const r = lsuv(model, { batch: 256, inputShape: [256] }, { generator: g });
 * r.layers.map((l) => l.finalStd); // each within 0.1 of 1
 * ```
 */
export function lsuv(model: Module, input: LsuvInput, options: LsuvOptions = {}): LsuvResult {
  const where = 'lsuv';
  const m = checkModel(where, model);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'options', expected: 'an options object such as { targetStd: 1, tol: 0.1 }', received: options });
  }
  const targetStd = checkPositive(where, 'targetStd', options.targetStd, 1);
  const tol = checkPositive(where, 'tol', options.tol, 0.1, true);
  const maxIter = checkInteger(where, 'maxIter', options.maxIter ?? 10, 0);
  const orthogonalInit = options.orthogonalInit ?? true;
  if (typeof orthogonalInit !== 'boolean') {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'orthogonalInit', expected: 'orthogonalInit to be a boolean', received: orthogonalInit });
  }
  const gemm = options.gemm === undefined ? undefined : resolveGemm(where, options.gemm);
  const gen = resolveGenerator(where, drawOptions(options));
  const graph = buildGraph(m);
  checkProbeable(where, m, graph);
  const weighted = m.namedModules().filter(([, mod]) => WEIGHTED_LAYERS.includes(moduleType(mod)));
  if (weighted.length === 0) {
    fail({
      code: 'INVALID_ARGUMENT',
      where,
      param: 'model',
      expected: 'a model with at least one Linear, Conv1d or Conv2d layer (LSUV rescales their weights)',
      receivedText: `a model of ${[...new Set(m.namedModules().map(([, mod]) => moduleType(mod)))].join(', ')}`,
    });
  }
  let inputOpts: { batch?: number | undefined; inputShape?: readonly number[] | undefined; input?: Tensor | undefined };
  if (input instanceof Tensor) inputOpts = { input };
  else if (typeof input === 'object' && input !== null && !Array.isArray(input)) {
    inputOpts = { batch: input.batch, inputShape: input.inputShape };
  } else {
    return fail({ code: 'INVALID_ARGUMENT', where, param: 'input', expected: 'a batch-first Tensor or { batch, inputShape }', received: input });
  }

  if (orthogonalInit) {
    m.apply((mod) => {
      if (!WEIGHTED_LAYERS.includes(moduleType(mod))) return;
      const w = mod._parameters.get('weight');
      const b = mod._parameters.get('bias');
      if (w) orthogonal_(w, { generator: gen });
      if (b) zeros_(b);
    });
  }
  const prepared = prepareInput(where, m, graph, inputOpts, gen);

  const layers: LsuvLayer[] = [];
  forwardPass(m, graph, prepared, {
    gemm,
    onLeaf: (leaf, _x, run) => {
      let y = run();
      const w = leaf.module._parameters.get('weight');
      if (!WEIGHTED_LAYERS.includes(leaf.type) || !w) return y;
      let s = stdOf(y.data);
      const initialStd = s;
      let iterations = 0;
      let scale = 1;
      while (Math.abs(s - targetStd) > tol && iterations < maxIter && s > 0 && Number.isFinite(s)) {
        // The weight is multiplied by the factor rounded to its dtype (as `W.data *= s` in PyTorch).
        const factor = w.dtype === 'float32' ? Math.fround(targetStd / s) : targetStd / s;
        w.mul_(factor);
        scale *= factor;
        y = run();
        s = stdOf(y.data);
        iterations++;
      }
      layers.push({ name: leaf.name, module: leaf.type, scale, iterations, initialStd, finalStd: s, converged: Math.abs(s - targetStd) <= tol });
      return y;
    },
  });
  return { layers, converged: layers.every((l) => l.converged) };
}
