// The reverse-mode tape: wiring (every tape op equals the direct op and its backward), gradient flow through
// residual sums and shared weights, requiresGrad pruning, the onGrad/retainGrad memory mode, and saved state.
// PyTorch agreement of a residual MLP through the tape is in the golden and oracle suites ('mlp' cases).
import { describe, expect, it } from 'vitest';
import {
  type Buf,
  type GemmBackend,
  Tape,
  activationBackward,
  batchNorm,
  buf,
  conv1d,
  conv1dBackward,
  conv2d,
  conv2dBackward,
  layerNorm,
  layerNormBackward,
  linear,
  linearBackward,
  param,
  tsGemm,
} from '../../src/analysis/ops/index.js';

function fill(shape: number[], seed: number): Buf {
  const b = buf(shape);
  let s = seed >>> 0;
  for (let i = 0; i < b.data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    b.data[i] = s / 2 ** 31 - 1;
  }
  return b;
}

const arr = (a: ArrayLike<number> | null | undefined): number[] => Array.from(a ?? []);

describe('Tape', () => {
  it('records nodes in execution order with names, ops, params and default labels', () => {
    const tape = new Tape();
    const w = param('fc.weight', fill([4, 3], 1));
    const b = param('fc.bias', fill([4], 2));
    const x = tape.input(fill([5, 3], 3));
    const h = tape.linear(x, w, b, { name: 'fc' });
    const y = tape.activation(h, 'tanh');
    expect(tape.nodes.map((n) => [n.op, n.name])).toEqual([
      ['linear', 'fc'],
      ['tanh', 'tanh_1'],
    ]);
    expect(tape.nodes[0]!.params).toEqual({ weight: w, bias: b });
    expect(tape.nodes[1]!.inputs[0]).toBe(h);
    expect(tape.params()).toEqual([w, b]);
    expect(y.shape).toEqual([5, 4]);
    expect(x.requiresGrad).toBe(false);
    expect(y.requiresGrad).toBe(true);
  });

  it('linear → tanh: gradients equal the direct backward ops', () => {
    const xb = fill([6, 5], 4);
    const wb = fill([3, 5], 5);
    const bb = fill([3], 6);
    const g = fill([6, 3], 7);
    const tape = new Tape();
    const w = param('w', wb);
    const b = param('b', bb);
    const x = tape.input(xb, { requiresGrad: true });
    const h = tape.linear(x, w, b);
    const y = tape.activation(h, 'tanh');
    tape.backward(y, g.data);
    const hd = linear(xb, wb, bb);
    expect(arr(h.data)).toEqual(arr(hd.data));
    const gh = activationBackward('tanh', hd, y, g);
    expect(arr(h.grad)).toEqual(arr(gh.data));
    const gl = linearBackward(xb, wb, gh);
    expect(arr(x.grad)).toEqual(arr(gl.gradInput?.data));
    expect(arr(w.grad)).toEqual(arr(gl.gradWeight?.data));
    expect(arr(b.grad)).toEqual(arr(gl.gradBias?.data));
    expect(arr(y.grad)).toEqual(arr(g.data));
  });

  it('a residual sum adds both paths into the input gradient', () => {
    const xb = fill([4, 6], 8);
    const wb = fill([6, 6], 9);
    const g = fill([4, 6], 10);
    const tape = new Tape();
    const x = tape.input(xb, { requiresGrad: true });
    const w = param('w', wb);
    const h = tape.activation(tape.linear(x, w, null), 'relu');
    const y = tape.add(x, h);
    tape.backward(y, g);
    // ∂x = g + Wᵀ-path of relu'(·)·g
    const pre = linear(xb, wb, null);
    const gRelu = activationBackward('relu', pre, h, g);
    const gBranch = linearBackward(xb, wb, gRelu, { hasBias: false }).gradInput!;
    const want = g.data.map((v, i) => v + gBranch.data[i]!);
    expect(arr(x.grad)).toEqual(arr(want));
    // the add's input gradients are copies, not the output's array
    expect(h.grad).not.toBe(y.grad);
    expect(arr(h.grad)).toEqual(arr(g.data));
  });

  it('add with alpha scales the second gradient', () => {
    const tape = new Tape();
    const a = tape.input(fill([3], 1), { requiresGrad: true });
    const b = tape.input(fill([3], 2), { requiresGrad: true });
    const y = tape.add(a, b, { alpha: -2 });
    tape.backward(y, Float32Array.of(1, 2, 3));
    expect(arr(a.grad)).toEqual([1, 2, 3]);
    expect(arr(b.grad)).toEqual([-2, -4, -6]);
  });

  it('a weight used twice (tied) accumulates both gradients; a second backward accumulates again', () => {
    const wb = fill([4, 4], 11);
    const xb = fill([2, 4], 12);
    const g = fill([2, 4], 13);
    const run = (tape: Tape, w: ReturnType<typeof param>): void => {
      const y = tape.linear(tape.linear(tape.input(xb), w, null), w, null);
      tape.backward(y, g.data);
    };
    const w = param('w', wb);
    run(new Tape(), w);
    const once = arr(w.grad);
    const h = linear(xb, wb, null);
    const g2 = linearBackward(h, wb, g, { hasBias: false });
    const g1 = linearBackward(xb, wb, g2.gradInput!, { hasBias: false });
    const want = g1.gradWeight!.data.map((v, i) => v + g2.gradWeight!.data[i]!);
    once.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 6));
    run(new Tape(), w);
    arr(w.grad).forEach((v, i) => expect(v).toBeCloseTo(2 * once[i]!, 5));
  });

  it('skips gradients nobody needs: no ∂x for an input without requiresGrad, nothing for frozen params', () => {
    const calls: string[] = [];
    const spy: GemmBackend = {
      name: 'spy',
      sgemm(tA, tB, m, n, k, a, b, c, acc) {
        calls.push(`${tA ? 'T' : 'N'}${tB ? 'T' : 'N'}`);
        tsGemm.sgemm(tA, tB, m, n, k, a, b, c, acc);
      },
    };
    const tape = new Tape({ gemm: spy });
    const w1 = param('w1', fill([8, 8], 1));
    const w2 = param('w2', fill([8, 8], 2), { requiresGrad: false });
    const x = tape.input(fill([4, 8], 3));
    const y = tape.linear(tape.activation(tape.linear(x, w1, null), 'relu'), w2, null);
    calls.length = 0;
    tape.backward(y, fill([4, 8], 4).data);
    // layer 2: ∂h only (w2 frozen); layer 1: ∂W only (x needs no gradient)
    expect(calls).toEqual(['NN', 'TN']);
    expect(x.grad).toBeNull();
    expect(w2.grad).toBeNull();
    expect(w1.grad).not.toBeNull();
    // a tape with nothing trainable records outputs that need no gradient
    const t2 = new Tape();
    const out = t2.activation(t2.input(fill([2], 1)), 'relu');
    expect(out.requiresGrad).toBe(false);
    t2.backward(out, Float32Array.of(1, 1));
    expect(t2.nodes[0]!.inputs[0]!.grad).toBeNull();
  });

  it('onGrad sees each node once, last to first, with its complete output gradient; retainGrad false frees them', () => {
    const tape = new Tape();
    const w = param('w', fill([5, 5], 1));
    const x = tape.input(fill([3, 5], 2), { requiresGrad: true });
    const h = tape.linear(x, w, null, { name: 'a' });
    const r = tape.activation(h, 'relu', { name: 'b' });
    const y = tape.add(r, h, { name: 'c' });
    const seen: [string, number[]][] = [];
    const g = fill([3, 5], 3).data;
    tape.backward(y, g, { retainGrad: false, onGrad: (n, gy) => seen.push([n.name, arr(gy)]) });
    expect(seen.map(([n]) => n)).toEqual(['c', 'b', 'a']);
    // h's gradient is complete when 'a' runs: g (from the add) + relu'(h)·g
    const full = arr(g).map((v, i) => v + (r.data[i]! > 0 ? v : 0));
    expect(seen[2]![1]).toEqual(arr(Float32Array.from(full)));
    expect(h.grad).toBeNull();
    expect(r.grad).toBeNull();
    expect(arr(y.grad)).toEqual(arr(g));
    expect(x.grad).not.toBeNull();
    expect(w.grad).not.toBeNull();
  });

  it('conv, norm, pool, flatten, embedding and identity nodes equal the direct ops', () => {
    const tape = new Tape();
    const x = tape.input(fill([2, 3, 8, 8], 1), { requiresGrad: true });
    const cw = param('conv.weight', fill([4, 3, 3, 3], 2));
    const cb = param('conv.bias', fill([4], 3));
    const c = tape.conv2d(x, cw, cb, { padding: 1, stride: 2, name: 'conv' });
    expect(arr(c.data)).toEqual(arr(conv2d(x, cw, cb, { padding: 1, stride: 2 }).data));
    const bnw = param('bn.weight', fill([4], 4));
    const bn = tape.batchNorm(c, bnw, null, { name: 'bn' });
    expect(arr(bn.data)).toEqual(arr(batchNorm(c, bnw, null).output.data));
    expect(Object.keys(tape.nodes[1]!.saved).sort()).toEqual(['mean', 'rstd', 'var', 'varUnbiased']);
    const gn = tape.groupNorm(bn, 2, null, null);
    const mp = tape.maxPool(gn, 2, { kernelSize: 2 });
    expect(tape.nodes[3]!.saved['indices']).toBeInstanceOf(Int32Array);
    const ap = tape.adaptiveAvgPool(mp, 2, 1);
    const fl = tape.flatten(ap);
    expect(fl.shape).toEqual([2, 4]);
    expect(fl.data).toBe(ap.data);
    const dr = tape.identity(fl, { op: 'dropout', name: 'drop' });
    expect(dr.data).toBe(fl.data);
    const lnw = param('ln.weight', fill([4], 5));
    const ln = tape.layerNorm(dr, [4], lnw, null);
    const rms = tape.rmsNorm(ln, [4], null, { eps: 1e-6 });
    const seq = tape.avgPool(rms, 1, { kernelSize: 2 });
    expect(seq.shape).toEqual([2, 2]);
    const g = fill([2, 2], 6);
    tape.backward(seq, g);
    // every parameter and the input got a gradient; the conv weight's equals the direct backward
    expect(x.grad).not.toBeNull();
    for (const p of tape.params()) expect(p.grad, p.name).not.toBeNull();
    const gc = conv2dBackward(x, cw, { data: c.grad!, shape: c.shape }, { padding: 1, stride: 2 });
    expect(arr(cw.grad)).toEqual(arr(gc.gradWeight?.data));
    expect(arr(cb.grad)).toEqual(arr(gc.gradBias?.data));
    expect(arr(x.grad)).toEqual(arr(gc.gradInput?.data));
    // layer norm's gradient wiring
    const lg = layerNormBackward(dr, [4], lnw, { data: ln.grad!, shape: ln.shape }, layerNorm(dr, [4], lnw, null));
    expect(arr(lnw.grad)).toEqual(arr(lg.gradWeight?.data));
    // dropout-as-identity passes the gradient through as a copy
    expect(arr(fl.grad)).toEqual(arr(dr.grad));
    expect(fl.grad).not.toBe(dr.grad);
  });

  it('conv1d, maxPool 1-d and embedding nodes', () => {
    const tape = new Tape();
    const emb = param('emb.weight', fill([10, 6], 1));
    const e = tape.embedding({ data: Int32Array.of(1, 3, 3, 0), shape: [1, 4] }, emb, { paddingIdx: 0, name: 'emb' });
    expect(e.shape).toEqual([1, 4, 6]);
    const w = param('c.weight', fill([2, 4, 3], 2));
    const c = tape.conv1d(e, w, null, { padding: 'same' });
    expect(arr(c.data)).toEqual(arr(conv1d(e, w, null, { padding: 'same' }).data));
    const p = tape.maxPool(c, 1, { kernelSize: 2 });
    tape.backward(p, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).subarray(0, p.data.length));
    const gc = conv1dBackward(e, w, { data: c.grad!, shape: c.shape }, { padding: 'same', hasBias: false });
    expect(arr(w.grad)).toEqual(arr(gc.gradWeight?.data));
    // the padding row (index 0) gets no gradient; row 3 (used twice) gets the sum
    expect(arr(emb.grad).slice(0, 6)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(arr(emb.grad).slice(18, 24).some((v) => v !== 0)).toBe(true);
  });
});
