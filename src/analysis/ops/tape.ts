/**
 * A minimal reverse-mode tape over the ops: run a forward pass op by op (eagerly), then `backward` from an output
 * gradient, collecting the gradient of every recorded output and of every parameter.
 *
 * The probe drives it from a module graph: each leaf module becomes one tape call with the module's dotted name,
 * containers just sequence calls, and a residual block is `add(x, body(x))`, so gradients of a value used twice
 * are summed, as autograd does. Nodes are recorded in execution order, which is a topological order, so the
 * backward walks them in reverse and each node's output gradient is complete when its turn comes.
 *
 * Memory: every forward output is kept (the probe reports them) and backward functions reference their inputs
 * instead of copying them. Gradients are kept on the Vars unless `retainGrad: false`, in which case each is
 * handed to `onGrad` and dropped once its node has run.
 *
 * @example
 * ```ts
 * const tape = new Tape();
 * const x = tape.input(buf([256, 784], inputData));
 * const h = tape.activation(tape.linear(x, fc1.weight, fc1.bias, { name: 'fc1' }), 'relu', { name: 'act1' });
 * const y = tape.linear(h, fc2.weight, fc2.bias, { name: 'fc2' });
 * tape.backward(y, g); // g = randn_like(y): L = sum(y ⊙ g)
 * tape.nodes.map((n) => [n.name, std(n.output.data), std(n.output.grad!)]);
 * ```
 */
import { fail } from '../../errors.js';
import { type Activation, type ActivationOptions, activation, activationBackward } from './activation.js';
import { type Buf, checkBuf, shapeText } from './buffer.js';
import { type ConvOptions, conv1d, conv1dBackward, conv2d, conv2dBackward } from './conv.js';
import { type EmbeddingOptions, type Indices, embedding, embeddingBackward } from './embedding.js';
import { type GemmBackend, resolveGemm } from './gemm.js';
import { type GradNeeds, type ParamGrads, linear, linearBackward } from './linear.js';
import {
  type NormOptions,
  batchNorm,
  batchNormBackward,
  groupNorm,
  groupNormBackward,
  layerNorm,
  layerNormBackward,
  rmsNorm,
  rmsNormBackward,
} from './norm.js';
import {
  type AvgPoolOptions,
  type MaxPoolOptions,
  adaptiveAvgPool1d,
  adaptiveAvgPool1dBackward,
  adaptiveAvgPool2d,
  adaptiveAvgPool2dBackward,
  avgPool1d,
  avgPool1dBackward,
  avgPool2d,
  avgPool2dBackward,
  maxPool1d,
  maxPool1dBackward,
  maxPool2d,
  maxPool2dBackward,
} from './pool.js';
import { type FlattenOptions, add, flatten } from './shape-ops.js';

/** A trainable array (a module's weight or bias); `grad` accumulates over backward calls, as in PyTorch. */
export interface Param extends Buf {
  readonly name: string;
  requiresGrad: boolean;
  grad: Float32Array | null;
}

/**
 * Wrap a weight as a tape parameter (sharing its data).
 *
 * @example
 * ```ts
 * const w = param('fc1.weight', bufFromTensor(model.fc1.weight));
 * ```
 */
export function param(name: string, value: Buf, options: { requiresGrad?: boolean } = {}): Param {
  const b = checkBuf('param', 'value', value);
  return { name, data: b.data, shape: b.shape, requiresGrad: options.requiresGrad ?? true, grad: null };
}

/** A value on the tape: an input or an op's output, with its gradient after backward. */
export interface Var extends Buf {
  readonly id: number;
  readonly requiresGrad: boolean;
  grad: Float32Array | null;
}

/** One recorded op. */
export interface TapeNode {
  /** The op (`'linear'`, `'conv2d'`, `'relu'`, `'batch_norm'`, `'add'`, ...). */
  readonly op: string;
  /** The caller's label (the module's dotted name); default `<op>_<index>`. */
  readonly name: string;
  readonly inputs: readonly Var[];
  readonly output: Var;
  /** Parameters by role (`weight`, `bias`). */
  readonly params: Readonly<Record<string, Param>>;
  /** Forward state worth reporting (batch-norm statistics, max-pool indices). */
  readonly saved: Readonly<Record<string, Float32Array | Int32Array>>;
}

/** Label for a recorded op. */
export interface NodeOptions {
  name?: string;
}

/** Options of {@link Tape.backward}. */
export interface BackwardOptions {
  /** Called with each node and its output's complete gradient, in reverse execution order. */
  onGrad?: (node: TapeNode, gradOutput: Float32Array) => void;
  /** Keep each Var's gradient after use (default true); false frees them as the backward goes. */
  retainGrad?: boolean;
}

interface Entry {
  node: TapeNode;
  /** Gradients for (inputs, params) from the output gradient; null entries were not needed. */
  backward: (gy: Buf) => { inputs: (Float32Array | null)[]; params: Record<string, Float32Array | null> };
}

/** Which arrays a backward function may hand over without copying. */
const SHARED = new WeakSet<Float32Array>();

/**
 * The tape. Ops record themselves when called; {@link Tape.backward} runs the recorded backward functions.
 */
export class Tape {
  /** Recorded ops in execution order. */
  readonly nodes: TapeNode[] = [];
  private readonly entries: Entry[] = [];
  private readonly gemm: GemmBackend | undefined;
  private nextId = 0;

  /** @param options `gemm`: the matrix-product backend for this tape's ops (default: the process-wide one). */
  constructor(options: { gemm?: GemmBackend } = {}) {
    this.gemm = options.gemm === undefined ? undefined : resolveGemm('Tape', options.gemm);
  }

  private gemmOpt(): { gemm?: GemmBackend } {
    return this.gemm === undefined ? {} : { gemm: this.gemm };
  }

  private makeVar(b: Buf, requiresGrad: boolean): Var {
    return { id: this.nextId++, data: b.data, shape: b.shape, requiresGrad, grad: null };
  }

  private checkVar(where: string, v: unknown, param = 'input'): Var {
    const x = v as Partial<Var> | null;
    if (typeof x !== 'object' || x === null || typeof x.id !== 'number' || !(x.data instanceof Float32Array)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param,
        expected: `${param} to be a Var returned by this tape (tape.input(...) or an op)`,
        received: v,
      });
    }
    return x as Var;
  }

  private record(
    op: string,
    opts: NodeOptions,
    inputs: Var[],
    params: Record<string, Param>,
    out: Buf,
    saved: Record<string, Float32Array | Int32Array>,
    backward: Entry['backward'],
  ): Var {
    const requiresGrad = inputs.some((v) => v.requiresGrad) || Object.values(params).some((p) => p.requiresGrad);
    const output = this.makeVar(out, requiresGrad);
    const node: TapeNode = {
      op,
      name: opts.name ?? `${op}_${this.nodes.length}`,
      inputs,
      output,
      params,
      saved,
    };
    this.nodes.push(node);
    this.entries.push({ node, backward });
    return output;
  }

  /**
   * A leaf value (the probe's input). `requiresGrad` (default false) asks for its gradient too.
   */
  input(x: Buf, options: { requiresGrad?: boolean } = {}): Var {
    const b = checkBuf('Tape.input', 'x', x);
    return this.makeVar(b, options.requiresGrad ?? false);
  }

  /** `nn.Linear`: see {@link linear}. */
  linear(x: Var, weight: Param, bias: Param | null, options: NodeOptions = {}): Var {
    const v = this.checkVar('Tape.linear', x);
    const y = linear(v, weight, bias, this.gemmOpt());
    const params: Record<string, Param> = bias === null ? { weight } : { weight, bias };
    return this.record('linear', options, [v], params, y, {}, (gy) => {
      const g = linearBackward(v, weight, gy, {
        ...this.gemmOpt(),
        hasBias: bias !== null,
        needs: needs(v, weight, bias),
      });
      return grads(g, bias !== null);
    });
  }

  /** `nn.Conv1d`: see {@link conv1d}. */
  conv1d(x: Var, weight: Param, bias: Param | null, options: Omit<ConvOptions, 'gemm'> & NodeOptions = {}): Var {
    return this.conv('conv1d', x, weight, bias, options);
  }

  /** `nn.Conv2d`: see {@link conv2d}. */
  conv2d(x: Var, weight: Param, bias: Param | null, options: Omit<ConvOptions, 'gemm'> & NodeOptions = {}): Var {
    return this.conv('conv2d', x, weight, bias, options);
  }

  private conv(
    op: 'conv1d' | 'conv2d',
    x: Var,
    weight: Param,
    bias: Param | null,
    options: Omit<ConvOptions, 'gemm'> & NodeOptions,
  ): Var {
    const v = this.checkVar(`Tape.${op}`, x);
    const { name, ...rest } = options;
    const convOpts: ConvOptions = { ...rest, ...this.gemmOpt() };
    const y = (op === 'conv1d' ? conv1d : conv2d)(v, weight, bias, convOpts);
    const params: Record<string, Param> = bias === null ? { weight } : { weight, bias };
    return this.record(op, nameOpt(name), [v], params, y, {}, (gy) => {
      const back = op === 'conv1d' ? conv1dBackward : conv2dBackward;
      const g = back(v, weight, gy, { ...convOpts, hasBias: bias !== null, needs: needs(v, weight, bias) });
      return grads(g, bias !== null);
    });
  }

  /** An activation module (`nn.ReLU`, `nn.GELU`, ...): see {@link activation}. The op is the kind. */
  activation(x: Var, kind: Activation, options: ActivationOptions & NodeOptions = {}): Var {
    const v = this.checkVar('Tape.activation', x);
    const { name, ...actOpts } = options;
    const y = activation(kind, v, actOpts);
    return this.record(kind, nameOpt(name), [v], {}, y, {}, (gy) => ({
      inputs: [v.requiresGrad ? activationBackward(kind, v, y, gy, actOpts).data : null],
      params: {},
    }));
  }

  /** `nn.Dropout` in the probe, `nn.Identity`: the output is the input (shared). */
  identity(x: Var, options: NodeOptions & { op?: string } = {}): Var {
    const v = this.checkVar('Tape.identity', x);
    return this.record(options.op ?? 'identity', nameOpt(options.name), [v], {}, v, {}, (gy) => ({
      inputs: [v.requiresGrad ? shared(gy.data) : null],
      params: {},
    }));
  }

  /** `nn.BatchNorm1d/2d` in training mode: see {@link batchNorm}. Saves mean, rstd, var, varUnbiased. */
  batchNorm(x: Var, weight: Param | null, bias: Param | null, options: NormOptions & NodeOptions = {}): Var {
    const v = this.checkVar('Tape.batchNorm', x);
    const r = batchNorm(v, weight, bias, epsOpt(options.eps));
    const saved = { mean: r.mean, rstd: r.rstd, var: r.var, varUnbiased: r.varUnbiased };
    return this.record('batch_norm', nameOpt(options.name), [v], affine(weight, bias), r.output, saved, (gy) =>
      grads(batchNormBackward(v, weight, gy, r, { needs: needs(v, weight, bias) }), bias !== null),
    );
  }

  /** `nn.LayerNorm`: see {@link layerNorm}. */
  layerNorm(
    x: Var,
    normalizedShape: readonly number[],
    weight: Param | null,
    bias: Param | null,
    options: NormOptions & NodeOptions = {},
  ): Var {
    const v = this.checkVar('Tape.layerNorm', x);
    const r = layerNorm(v, normalizedShape, weight, bias, epsOpt(options.eps));
    const saved = { mean: r.mean, rstd: r.rstd };
    return this.record('layer_norm', nameOpt(options.name), [v], affine(weight, bias), r.output, saved, (gy) =>
      grads(layerNormBackward(v, normalizedShape, weight, gy, r, { needs: needs(v, weight, bias) }), bias !== null),
    );
  }

  /** `nn.GroupNorm`: see {@link groupNorm}. */
  groupNorm(
    x: Var,
    numGroups: number,
    weight: Param | null,
    bias: Param | null,
    options: NormOptions & NodeOptions = {},
  ): Var {
    const v = this.checkVar('Tape.groupNorm', x);
    const r = groupNorm(v, numGroups, weight, bias, epsOpt(options.eps));
    const saved = { mean: r.mean, rstd: r.rstd };
    return this.record('group_norm', nameOpt(options.name), [v], affine(weight, bias), r.output, saved, (gy) =>
      grads(groupNormBackward(v, numGroups, weight, gy, r, { needs: needs(v, weight, bias) }), bias !== null),
    );
  }

  /** `nn.RMSNorm`: see {@link rmsNorm} (eps default 2⁻²³, PyTorch's None). */
  rmsNorm(x: Var, normalizedShape: readonly number[], weight: Param | null, options: NormOptions & NodeOptions = {}): Var {
    const v = this.checkVar('Tape.rmsNorm', x);
    const r = rmsNorm(v, normalizedShape, weight, epsOpt(options.eps));
    return this.record('rms_norm', nameOpt(options.name), [v], affine(weight, null), r.output, { rstd: r.rstd }, (gy) =>
      grads(rmsNormBackward(v, normalizedShape, weight, gy, r, { needs: needs(v, weight, null) }), false),
    );
  }

  /** `nn.Embedding`: see {@link embedding}. The indices are a leaf without gradient. */
  embedding(indices: Indices, weight: Param, options: EmbeddingOptions & NodeOptions = {}): Var {
    const { name, ...embOpts } = options;
    const y = embedding(indices, weight);
    return this.record('embedding', nameOpt(name), [], { weight }, y, {}, (gy) => ({
      inputs: [],
      params: { weight: weight.requiresGrad ? embeddingBackward(indices, weight, gy, embOpts).data : null },
    }));
  }

  /** `nn.MaxPool1d` / `nn.MaxPool2d`: see {@link maxPool2d}. Saves the argmax indices. */
  maxPool(x: Var, dims: 1 | 2, options: MaxPoolOptions & NodeOptions): Var {
    const v = this.checkVar('Tape.maxPool', x);
    const { name, ...poolOpts } = options;
    const r = (dims === 1 ? maxPool1d : maxPool2d)(v, poolOpts);
    return this.record(`max_pool${dims}d`, nameOpt(name), [v], {}, r.output, { indices: r.indices }, (gy) => ({
      inputs: [v.requiresGrad ? (dims === 1 ? maxPool1dBackward : maxPool2dBackward)(v, r.indices, gy, poolOpts).data : null],
      params: {},
    }));
  }

  /** `nn.AvgPool1d` / `nn.AvgPool2d`: see {@link avgPool2d}. */
  avgPool(x: Var, dims: 1 | 2, options: AvgPoolOptions & NodeOptions): Var {
    const v = this.checkVar('Tape.avgPool', x);
    const { name, ...poolOpts } = options;
    const y = dims === 1 ? avgPool1d(v, poolOpts) : avgPool2d(v, poolOpts);
    return this.record(`avg_pool${dims}d`, nameOpt(name), [v], {}, y, {}, (gy) => ({
      inputs: [v.requiresGrad ? (dims === 1 ? avgPool1dBackward(v, gy, poolOpts) : avgPool2dBackward(v, gy, poolOpts)).data : null],
      params: {},
    }));
  }

  /** `nn.AdaptiveAvgPool1d` / `nn.AdaptiveAvgPool2d`: see {@link adaptiveAvgPool2d}. */
  adaptiveAvgPool(x: Var, dims: 1 | 2, outputSize: number | readonly number[], options: NodeOptions = {}): Var {
    const v = this.checkVar('Tape.adaptiveAvgPool', x);
    const y = (dims === 1 ? adaptiveAvgPool1d : adaptiveAvgPool2d)(v, outputSize);
    return this.record(`adaptive_avg_pool${dims}d`, nameOpt(options.name), [v], {}, y, {}, (gy) => ({
      inputs: [
        v.requiresGrad ? (dims === 1 ? adaptiveAvgPool1dBackward : adaptiveAvgPool2dBackward)(v, gy, outputSize).data : null,
      ],
      params: {},
    }));
  }

  /** `nn.Flatten`: see {@link flatten} (a view). */
  flatten(x: Var, options: FlattenOptions & NodeOptions = {}): Var {
    const v = this.checkVar('Tape.flatten', x);
    const { name, ...flatOpts } = options;
    const y = flatten(v, flatOpts);
    return this.record('flatten', nameOpt(name), [v], {}, y, {}, (gy) => ({
      inputs: [v.requiresGrad ? shared(gy.data) : null],
      params: {},
    }));
  }

  /** A residual sum a + α·b: see {@link add}. */
  add(a: Var, b: Var, options: { alpha?: number } & NodeOptions = {}): Var {
    const va = this.checkVar('Tape.add', a, 'input');
    const vb = this.checkVar('Tape.add', b, 'other');
    const alpha = options.alpha ?? 1;
    const y = add(va, vb, { alpha });
    return this.record('add', nameOpt(options.name), [va, vb], {}, y, {}, (gy) => {
      let gb: Float32Array | null = null;
      if (vb.requiresGrad) {
        if (Math.fround(alpha) === 1) {
          gb = shared(gy.data);
        } else {
          const a32 = Math.fround(alpha);
          gb = gy.data.map((g) => a32 * g);
        }
      }
      return { inputs: [va.requiresGrad ? shared(gy.data) : null, gb], params: {} };
    });
  }

  /** The distinct parameters the recorded ops used, in first-use order. */
  params(): Param[] {
    const seen = new Set<Param>();
    for (const n of this.nodes) for (const p of Object.values(n.params)) seen.add(p);
    return [...seen];
  }

  /**
   * Backpropagate L = Σ y ⊙ g from the output `y` (the probe's g = randn_like(y)): fills `grad` on every Var that
   * requires it and accumulates into every parameter's `grad`.
   *
   * @param gradOutput g, with y's element count (a Float32Array or a Buf of y's shape).
   * @param options `onGrad` (a callback per node with its output gradient), `retainGrad` (true).
   * @throws InitError when y is not on this tape or g has the wrong size.
   */
  backward(y: Var, gradOutput: Float32Array | Buf, options: BackwardOptions = {}): void {
    const where = 'Tape.backward';
    const out = this.checkVar(where, y, 'y');
    const g = gradOutput instanceof Float32Array ? gradOutput : checkBuf(where, 'gradOutput', gradOutput).data;
    if (!(g instanceof Float32Array) || g.length !== out.data.length) {
      fail({
        code: 'SHAPE_MISMATCH',
        where,
        param: 'gradOutput',
        expected: `${out.data.length} elements (y ${shapeText(out.shape)})`,
        receivedText: g instanceof Float32Array ? `${g.length} elements` : typeof g,
      });
    }
    if (!this.nodes.some((n) => n.output === out)) {
      fail({
        code: 'INVALID_ARGUMENT',
        where,
        param: 'y',
        expected: 'an output of an op recorded on this tape',
        receivedText: `Var ${out.id}`,
      });
    }
    const retain = options.retainGrad ?? true;
    accumulate(out, g.slice());
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const { node, backward } = this.entries[i]!;
      const gy = node.output.grad;
      if (gy === null || !node.output.requiresGrad) continue;
      options.onGrad?.(node, gy);
      const r = backward({ data: gy, shape: node.output.shape });
      node.inputs.forEach((v, k) => {
        const gi = r.inputs[k] ?? null;
        if (gi !== null && v.requiresGrad) accumulate(v, gi);
      });
      for (const [role, p] of Object.entries(node.params)) {
        const gp = r.params[role] ?? null;
        if (gp === null || !p.requiresGrad) continue;
        // Backward functions return fresh parameter gradients, so the first one is taken over without a copy.
        if (p.grad === null) p.grad = gp;
        else for (let j = 0; j < gp.length; j++) p.grad[j]! += gp[j]!;
      }
      if (!retain && node.output !== out) node.output.grad = null;
    }
  }
}

function nameOpt(name: string | undefined): NodeOptions {
  return name === undefined ? {} : { name };
}

function epsOpt(eps: number | undefined): NormOptions {
  return eps === undefined ? {} : { eps };
}

function affine(weight: Param | null, bias: Param | null): Record<string, Param> {
  const p: Record<string, Param> = {};
  if (weight !== null) p['weight'] = weight;
  if (bias !== null) p['bias'] = bias;
  return p;
}

function needs(v: Var, weight: Param | null, bias: Param | null): GradNeeds {
  return {
    input: v.requiresGrad,
    weight: weight !== null && weight.requiresGrad,
    bias: bias !== null && bias.requiresGrad,
  };
}

function grads(g: ParamGrads, hasBias: boolean): ReturnType<Entry['backward']> {
  const params: Record<string, Float32Array | null> = { weight: g.gradWeight?.data ?? null };
  if (hasBias) params['bias'] = g.gradBias?.data ?? null;
  return { inputs: [g.gradInput?.data ?? null], params };
}

/** Mark an array as borrowed (another Var's gradient): the first accumulation copies it. */
function shared(a: Float32Array): Float32Array {
  SHARED.add(a);
  return a;
}

function accumulate(v: Var, g: Float32Array): void {
  if (v.grad === null) {
    v.grad = SHARED.has(g) ? g.slice() : g;
  } else {
    const acc = v.grad;
    for (let j = 0; j < g.length; j++) acc[j]! += g[j]!;
  }
}
