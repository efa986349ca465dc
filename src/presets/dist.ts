/**
 * Distributions of initial values, as data: what a preset or rule draws for one parameter, with its moments in
 * closed form (for `explain`, `lint` and signal propagation) and a sampler built on initkit's exact kernels.
 */
import { normCdf } from '../init/trunc-normal.js';
import { constant_ } from '../init/constant.js';
import { normal_ } from '../init/normal.js';
import { truncNormal_ } from '../init/trunc-normal.js';
import { uniform_ } from '../init/uniform.js';
import { orthogonal_ } from '../init/orthogonal.js';
import { deltaOrthogonal_ } from '../init/delta-orthogonal.js';
import { eye_, dirac_ } from '../init/identity.js';
import { sparse_ } from '../init/sparse.js';
import type { RandomEngine } from '../rng/engine.js';
import type { Tensor } from '../tensor/tensor.js';

export type Dist =
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'normal'; mean: number; std: number }
  /** A normal N(mean, std²) truncated to the absolute interval [a, b]. */
  | { kind: 'truncated_normal'; mean: number; std: number; a: number; b: number }
  | { kind: 'constant'; value: number }
  | { kind: 'orthogonal'; gain: number }
  | { kind: 'delta_orthogonal'; gain: number }
  | { kind: 'eye' }
  | { kind: 'dirac'; groups: number }
  | { kind: 'sparse'; sparsity: number; std: number }
  /** Different distributions for row ranges along dim 0 (LSTM gate slices, an embedding's padding row). */
  | { kind: 'rows'; parts: { start: number; end: number; dist: Dist }[] }
  /** Left as it is (a value this preset does not set). */
  | { kind: 'keep' };

export interface DistStats {
  mean: number;
  /** Standard deviation of the entries (population); 0 for constants. */
  std: number;
  /** Largest possible |value|, or null when unbounded (normal). */
  bound: number | null;
}

const phi = (x: number): number => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);

/** Mean and std of N(mean, std²) truncated to [a, b] (the standard closed form). */
export function truncatedNormalMoments(mean: number, std: number, a: number, b: number): { mean: number; std: number } {
  const al = (a - mean) / std;
  const be = (b - mean) / std;
  const z = normCdf(be) - normCdf(al);
  if (!(z > 0)) return { mean: Math.min(Math.max(mean, a), b), std: 0 };
  const pa = phi(al);
  const pb = phi(be);
  const m = (pa - pb) / z;
  const ta = Number.isFinite(al) ? al * pa : 0;
  const tb = Number.isFinite(be) ? be * pb : 0;
  const v = 1 + (ta - tb) / z - m * m;
  return { mean: mean + std * m, std: std * Math.sqrt(Math.max(v, 0)) };
}

/** Moments of the entries of a tensor of `shape` drawn from `d`. */
export function distStats(d: Dist, shape: readonly number[]): DistStats {
  const numel = shape.reduce((p, x) => p * x, 1);
  const rows = shape[0] ?? 1;
  const cols = rows === 0 ? 0 : numel / rows;
  switch (d.kind) {
    case 'uniform':
      return { mean: (d.low + d.high) / 2, std: (d.high - d.low) / Math.sqrt(12), bound: Math.max(Math.abs(d.low), Math.abs(d.high)) };
    case 'normal':
      return { mean: d.mean, std: d.std, bound: d.std === 0 ? Math.abs(d.mean) : null };
    case 'truncated_normal': {
      const m = truncatedNormalMoments(d.mean, d.std, d.a, d.b);
      return { mean: m.mean, std: m.std, bound: Math.max(Math.abs(d.a), Math.abs(d.b)) };
    }
    case 'constant':
      return { mean: d.value, std: 0, bound: Math.abs(d.value) };
    case 'orthogonal':
    case 'delta_orthogonal': {
      // Q has min(r, c) orthonormal rows or columns: the squares of its entries sum to gain²·min(r, c). For
      // delta-orthogonal, Q is the (out, in) matrix at the kernel's centre tap.
      const c = d.kind === 'delta_orthogonal' ? (shape[1] ?? 1) : cols;
      const m2 = numel === 0 ? 0 : (d.gain * d.gain * Math.min(rows, c)) / numel;
      return { mean: 0, std: Math.sqrt(m2), bound: Math.abs(d.gain) };
    }
    case 'eye': {
      const ones = Math.min(rows, cols);
      return identityStats(ones, numel);
    }
    case 'dirac': {
      const outPerGroup = rows / d.groups;
      const ones = d.groups * Math.min(outPerGroup, shape[1] ?? 0);
      return identityStats(ones, numel);
    }
    case 'sparse': {
      const zeros = Math.ceil(d.sparsity * rows);
      const keep = rows === 0 ? 0 : (rows - zeros) / rows;
      return { mean: 0, std: d.std * Math.sqrt(keep), bound: null };
    }
    case 'rows': {
      let s1 = 0;
      let s2 = 0;
      let n = 0;
      let bound: number | null = 0;
      for (const p of d.parts) {
        const k = (p.end - p.start) * cols;
        const st = distStats(p.dist, [p.end - p.start, ...shape.slice(1)]);
        s1 += st.mean * k;
        s2 += (st.std * st.std + st.mean * st.mean) * k;
        n += k;
        bound = bound === null || st.bound === null ? null : Math.max(bound, st.bound);
      }
      const mean = n ? s1 / n : 0;
      return { mean, std: n ? Math.sqrt(Math.max(s2 / n - mean * mean, 0)) : 0, bound };
    }
    case 'keep':
      return { mean: NaN, std: NaN, bound: null };
  }
}

function identityStats(ones: number, numel: number): DistStats {
  if (numel === 0) return { mean: 0, std: 0, bound: 0 };
  const mean = ones / numel;
  return { mean, std: Math.sqrt(Math.max(mean - mean * mean, 0)), bound: ones > 0 ? 1 : 0 };
}

/** A compact number for formulas: 4 significant digits, no trailing noise. */
export function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(3).replace(/\.?0+e/, 'e');
  return String(Number(x.toPrecision(4)));
}

/** The distribution in words: `U(-0.1, 0.1)`, `N(0, 0.02²)`, `TN(0, 0.02²; [-0.04, 0.04])`. */
export function distText(d: Dist): string {
  switch (d.kind) {
    case 'uniform':
      return `U(${num(d.low)}, ${num(d.high)})`;
    case 'normal':
      return `N(${num(d.mean)}, ${num(d.std)}²)`;
    case 'truncated_normal':
      return `TN(${num(d.mean)}, ${num(d.std)}²; [${num(d.a)}, ${num(d.b)}])`;
    case 'constant':
      return `constant ${num(d.value)}`;
    case 'orthogonal':
      return d.gain === 1 ? 'orthogonal' : `orthogonal × ${num(d.gain)}`;
    case 'delta_orthogonal':
      return d.gain === 1 ? 'delta-orthogonal' : `delta-orthogonal × ${num(d.gain)}`;
    case 'eye':
      return 'identity';
    case 'dirac':
      return d.groups === 1 ? 'Dirac delta' : `Dirac delta (${d.groups} groups)`;
    case 'sparse':
      return `sparse N(0, ${num(d.std)}²), ${num(d.sparsity * 100)}% zeros per column`;
    case 'rows': {
      const texts = d.parts.map((p) => distText(p.dist));
      if (texts.every((t) => t === texts[0])) return `${texts[0]} per block (×${d.parts.length})`;
      return d.parts.map((p, i) => `rows ${p.start}:${p.end} ${texts[i]}`).join('; ');
    }
    case 'keep':
      return 'unchanged';
  }
}

/** Draw `d` into `t` with initkit's kernels (from `generator`). */
export function sampleDist(d: Dist, t: Tensor, generator: RandomEngine): void {
  const g = { generator };
  switch (d.kind) {
    case 'uniform':
      uniform_(t, d.low, d.high, g);
      return;
    case 'normal':
      normal_(t, d.mean, d.std, g);
      return;
    case 'truncated_normal':
      truncNormal_(t, { mean: d.mean, std: d.std, a: d.a, b: d.b, generator });
      return;
    case 'constant':
      constant_(t, d.value);
      return;
    case 'orthogonal':
      orthogonal_(t, { gain: d.gain, generator });
      return;
    case 'delta_orthogonal':
      deltaOrthogonal_(t, { gain: d.gain, generator });
      return;
    case 'eye':
      eye_(t);
      return;
    case 'dirac':
      dirac_(t, d.groups);
      return;
    case 'sparse':
      sparse_(t, d.sparsity, { std: d.std, generator });
      return;
    case 'rows':
      for (const p of d.parts) sampleDist(p.dist, t.narrow(0, p.start, p.end - p.start), generator);
      return;
    case 'keep':
      return;
  }
}
