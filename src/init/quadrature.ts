/**
 * Quadrature rules for Gaussian expectations E[f(Z)], Z ~ N(0, 1): what {@link computeGain} integrates with, and
 * what the analysis code reuses for moment propagation.
 *
 * Two rules:
 * - Gauss–Hermite (Golub & Welsch 1969, "Calculation of Gauss quadrature rules", Math. Comp. 23(106),
 *   https://doi.org/10.1090/S0025-5718-69-99647-1; nodes here by Newton's method on the orthonormal Hermite
 *   recurrence, as in Press et al., Numerical Recipes, §4.6) for integrands that are smooth on the whole line: the
 *   n-node rule is exact for polynomials of degree 2n - 1 and converges geometrically for analytic functions.
 * - Composite Gauss–Legendre on [-13, 13], split at the integrand's kinks, for piecewise-smooth integrands (relu,
 *   hardtanh, elu, ...): a kink destroys Gauss–Hermite's geometric convergence (E[hardtanh(Z)²] with 160 nodes is
 *   off by 2e-3; relu escapes only through the rule's symmetry), while Gauss–Legendre on each smooth piece is exact
 *   to rounding. The tails beyond |z| = 13 hold z²·φ(z) mass below 1e-35 and are dropped.
 */
import { fail } from '../errors.js';

/** Nodes and weights of a quadrature rule: ∫ f(x) w(x) dx ≈ Σ weights[i]·f(nodes[i]). */
export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

/** Default node count of the Gauss–Hermite rule {@link gaussianExpectation} uses for smooth integrands. */
export const GAUSS_HERMITE_NODES = 160;
/** Half-width of the interval the piecewise rule integrates over: P(|Z| > 13) ≈ 1.2e-38. */
export const GAUSSIAN_TRUNCATION = 13;
/** Gauss–Legendre nodes per panel, and the widest panel, of the piecewise rule. */
export const PIECEWISE_ORDER = 24;
export const PIECEWISE_PANEL_WIDTH = 0.5;

const hermiteCache = new Map<number, QuadratureRule>();
const legendreCache = new Map<number, QuadratureRule>();

function checkNodeCount(where: string, n: unknown, max: number): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'n', expected: `n to be an integer in [1, ${max}]`, received: n });
  }
  return n;
}

/**
 * The n-node Gauss–Hermite rule for the weight e^{-x²} on (-∞, ∞) (physicists' convention): Σ weights = √π,
 * exact for polynomials of degree ≤ 2n - 1. Nodes are in increasing order. Cached per n.
 *
 * Method: Newton's method on the orthonormal Hermite polynomials h̃ₖ (three-term recurrence
 * h̃ₖ₊₁ = x·√(2/(k+1))·h̃ₖ - √(k/(k+1))·h̃ₖ₋₁, h̃₀ = π^{-1/4}), with the asymptotic starting guesses of Numerical
 * Recipes' `gauher`; weight = 2 / h̃ₙ'(x)². Accurate to a few ulp for n ≤ 180 (the starting guesses fail beyond about 190).
 *
 * @param n number of nodes, an integer in [1, 180].
 * @throws InitError for any other n.
 *
 * @example
 * ```ts
 * const { nodes, weights } = gaussHermite(3); // nodes ±√(3/2), 0; weights √π/6, 2√π/3, √π/6
 * ```
 */
export function gaussHermite(n: number): QuadratureRule {
  checkNodeCount('gaussHermite', n, 180);
  const hit = hermiteCache.get(n);
  if (hit !== undefined) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const PIM4 = 0.7511255444649425; // π^{-1/4}
  const m = Math.floor((n + 1) / 2);
  let z = 0;
  for (let i = 0; i < m; i++) {
    // Starting guesses for the i-th largest root (Numerical Recipes, gauher).
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * Math.pow(2 * n + 1, -0.16667);
    else if (i === 1) z -= (1.14 * Math.pow(n, 0.426)) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = PIM4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  if (n % 2 === 1) x[m - 1] = 0; // the middle node is exactly 0
  // Store in increasing order.
  x.reverse();
  w.reverse();
  const rule = { nodes: x, weights: w };
  hermiteCache.set(n, rule);
  return rule;
}

/**
 * The n-node Gauss–Legendre rule on [-1, 1] (weight 1): Σ weights = 2, exact for polynomials of degree ≤ 2n - 1.
 * Nodes in increasing order, by Newton's method on the Legendre recurrence (Press et al., Numerical Recipes, §4.6,
 * `gauleg`; the rule itself: Golub & Welsch 1969, https://doi.org/10.1090/S0025-5718-69-99647-1). Cached per n.
 *
 * @param n number of nodes, an integer in [1, 1000].
 * @throws InitError for any other n.
 *
 * @example
 * ```ts
 * gaussLegendre(2).nodes; // [-1/√3, 1/√3]
 * ```
 */
export function gaussLegendre(n: number): QuadratureRule {
  checkNodeCount('gaussLegendre', n, 1000);
  const hit = legendreCache.get(n);
  if (hit !== undefined) return hit;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const m = Math.floor((n + 1) / 2);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5));
    let pp = 0;
    for (let it = 0; it < 100; it++) {
      let p1 = 1;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = ((2 * j + 1) * z * p2 - j * p3) / (j + 1);
      }
      pp = (n * (z * p1 - p2)) / (z * z - 1);
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-16) break;
    }
    x[i] = -z;
    x[n - 1 - i] = z;
    w[i] = 2 / ((1 - z * z) * pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  if (n % 2 === 1) x[m - 1] = 0;
  const rule = { nodes: x, weights: w };
  legendreCache.set(n, rule);
  return rule;
}

/** How {@link gaussianExpectation} integrates. */
export interface GaussianExpectationOptions {
  /**
   * Points where the integrand has a kink or jump (relu: [0]; hardtanh: [-1, 1]). With none (default), the
   * Gauss–Hermite rule is used; with some, composite Gauss–Legendre on each smooth piece of [-13, 13].
   */
  breakpoints?: readonly number[];
  /** Gauss–Hermite node count for smooth integrands (default {@link GAUSS_HERMITE_NODES}). */
  nodes?: number;
}

/**
 * The standard normal density φ(z) = e^{-z²/2} / √(2π).
 *
 * @param z any number.
 * @returns φ(z).
 *
 * @example
 * ```ts
 * normalPdf(0); // 0.3989422804014327
 * ```
 */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/**
 * E[f(Z)] for Z ~ N(0, 1), by quadrature.
 *
 * Smooth integrands (no `breakpoints`): Gauss–Hermite, E[f(Z)] = π^{-1/2}·Σ wᵢ·f(√2·xᵢ).
 * Piecewise-smooth integrands: ∫ f(z)φ(z) dz over [-13, 13], split at the breakpoints, each piece cut into panels
 * no wider than 0.5 with a 24-node Gauss–Legendre rule on each.
 *
 * @param f the integrand, a function of one real number; it must be finite on the integration nodes.
 * @param options `breakpoints` (none), `nodes` (160).
 * @throws InitError if `f` is not a function, a breakpoint is not finite, or `nodes` is out of range.
 *
 * @example
 * ```ts
 * gaussianExpectation((z) => z * z);                                 // 1
 * gaussianExpectation((z) => Math.max(0, z) ** 2, { breakpoints: [0] }); // 0.5
 * ```
 */
export function gaussianExpectation(f: (z: number) => number, options: GaussianExpectationOptions = {}): number {
  const where = 'gaussianExpectation';
  if (typeof f !== 'function') {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'f', expected: 'f to be a function of one number', received: f });
  }
  const bps = options.breakpoints ?? [];
  if (!Array.isArray(bps) || bps.some((b) => typeof b !== 'number' || !Number.isFinite(b))) {
    fail({ code: 'INVALID_ARGUMENT', where, param: 'breakpoints', expected: 'breakpoints to be an array of finite numbers', received: bps });
  }
  if (bps.length === 0) {
    const { nodes, weights } = gaussHermite(options.nodes ?? GAUSS_HERMITE_NODES);
    let s = 0;
    // Sum from the outside in (smallest weights first) to limit rounding.
    for (let i = 0, j = nodes.length - 1; i <= j; i++, j--) {
      s += weights[i]! * f(Math.SQRT2 * nodes[i]!);
      if (i !== j) s += weights[j]! * f(Math.SQRT2 * nodes[j]!);
    }
    return s / Math.sqrt(Math.PI);
  }
  const T = GAUSSIAN_TRUNCATION;
  const cuts = [-T, ...[...new Set(bps)].filter((b) => b > -T && b < T).sort((a, b) => a - b), T];
  const { nodes, weights } = gaussLegendre(PIECEWISE_ORDER);
  const parts: number[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) {
    const lo = cuts[k]!;
    const hi = cuts[k + 1]!;
    const panels = Math.max(1, Math.ceil((hi - lo) / PIECEWISE_PANEL_WIDTH));
    const h = (hi - lo) / panels;
    for (let p = 0; p < panels; p++) {
      const a = lo + p * h;
      const b = p === panels - 1 ? hi : a + h;
      const half = (b - a) / 2;
      const mid = (a + b) / 2;
      let s = 0;
      for (let i = 0; i < nodes.length; i++) {
        const z = mid + half * nodes[i]!;
        s += weights[i]! * f(z) * normalPdf(z);
      }
      parts.push(s * half);
    }
  }
  // Add the small (tail) panels first.
  parts.sort((a, b) => Math.abs(a) - Math.abs(b));
  let total = 0;
  for (const p of parts) total += p;
  return total;
}
