/**
 * The data `diagnose` produces (and `initkit diagnose --json` prints): per-layer measured and predicted activation
 * and gradient scales, verdicts and a summary, for one init or several compared.
 */
import type { Explanation } from './explain.js';

export const VERDICTS = ['healthy', 'vanishing', 'exploding'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Histogram {
  /** Bin edges, length = counts.length + 1. */
  edges: number[];
  counts: number[];
}

export interface LayerDiagnosis {
  /** The module's dotted name as PyTorch's `named_modules()` gives it. */
  name: string;
  /** PyTorch class name. */
  module: string;
  /** Position in execution order (0-based). */
  index: number;
  /** Measured output statistics (null when only predicted). */
  outputMean: number | null;
  /** PyTorch's `Tensor.std()` (Bessel-corrected) of the layer's output. */
  outputStd: number | null;
  outputMin: number | null;
  outputMax: number | null;
  /** Fraction of exact zeros in the output. */
  zeroFraction: number | null;
  histogram: Histogram | null;
  /** Predicted output std from mean-field propagation (null when the layer is not modelled). */
  predictedStd: number | null;
  /** Predicted std of the gradient with respect to the output. */
  predictedGradStd: number | null;
  /** Measured std of the gradient of L = sum(y ⊙ g) with respect to this layer's output. */
  gradOutputStd: number | null;
  /** Measured std of the gradient with respect to each of the layer's own parameters (local names). */
  paramGradStd: Record<string, number>;
  /** Forward verdict for this layer (the std against the band around the input's). */
  verdict: Verdict;
  /** Backward verdict (the gradient std against the band around the final layer's). */
  gradVerdict: Verdict;
}

export interface DiagnosisSummary {
  /** Display name of the init (`torch`, `he`, `xavier_normal_ + bias 0.01`). */
  init: string;
  /** Std of the input (measured when probed, else the assumed inputStd). */
  inputStd: number;
  /** Std of the last layer's output. */
  finalStd: number;
  /** finalStd / inputStd. */
  endToEndGain: number;
  /** Std of the gradient at the first layer's output over that at the last layer's output. */
  gradientGain: number | null;
  forward: Verdict;
  backward: Verdict;
  /** The band: a layer is healthy while std / reference stays within [band[0], band[1]]. */
  band: [number, number];
  /** First layer whose activation std leaves the band (null if none). */
  forwardLeavesBandAt: string | null;
  /** First layer (from the output backwards) whose gradient std leaves the band (null if none). */
  backwardLeavesBandAt: string | null;
  /** A concrete change and its predicted effect, or null when healthy. */
  recommendation: string | null;
  /** Whether numbers are measured (probe) or predicted only. */
  measured: boolean;
}

export interface Diagnosis {
  /** Init display name (same as summary.init). */
  init: string;
  preset: string;
  layers: LayerDiagnosis[];
  summary: DiagnosisSummary;
  /** The explain table for this init (parameters, distributions, ratios). */
  explain: Explanation;
}

/** `--compare a,b`: each init's name mapped to its diagnosis. */
export type DiagnosisComparison = Record<string, Diagnosis>;

/** The whole report: what the CLI's --json prints (single init: a Diagnosis; compare: a comparison) plus context. */
export interface DiagnosisReport {
  /** Spec file or model description. */
  model: string;
  seed: string;
  inputShape: number[];
  batch: number;
  /** Init names in display order. */
  inits: string[];
  results: DiagnosisComparison;
  /** Optional width sweep (coordinate check). */
  widthSweep?: WidthSweep;
  generatedBy: string;
}

export interface WidthSweep {
  widths: number[];
  /** Per layer name: the output scale (std) at each width. */
  layers: { name: string; module: string; std: number[]; slope: number; drifts: boolean }[];
  /** |slope| of log std vs log width above which a layer is said to drift. */
  threshold: number;
}
