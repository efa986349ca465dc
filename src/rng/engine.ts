/**
 * The interface every random engine offers to the distribution kernels.
 *
 * Two engines implement it: {@link Generator} (PyTorch's CPU MT19937, sequential) and {@link PhiloxGenerator}
 * (Philox4x32-10, counter-based, with O(1) random access). A kernel consumes 32-bit words in order through
 * `fillU32`, so the same kernel code produces PyTorch's exact stream on the first engine and a position-addressable
 * stream on the second.
 */

/** Which PyTorch release's numerics to follow where 1.13 and 2.x differ (only the float64 per-element normal). */
export const TORCH_COMPAT = ['2.x', '1.13'] as const;
export type TorchCompat = (typeof TORCH_COMPAT)[number];

export interface RandomEngine {
  /** `'mt19937'` for {@link Generator}, `'philox'` for {@link PhiloxGenerator}. */
  readonly kind: 'mt19937' | 'philox';
  /** One 32-bit output, as an unsigned integer in [0, 2^32). PyTorch's `random()`. */
  random(): number;
  /** Writes the next `n` 32-bit outputs into `out[0..n)`, exactly as `n` calls of `random()` would. */
  fillU32(out: Uint32Array, n: number): void;
  /**
   * The cached second Box–Muller sample of the per-element double normal path (PyTorch's
   * `next_double_normal_sample_`), or `null`. Kernels read and write it; it is part of the engine's state.
   */
  nextDoubleNormal: number | null;
  /** `'2.x'` (default) or `'1.13'`: the float64 per-element normal uses `log1p(-u)` in 2.x and `log(1 - u)` in 1.13. */
  compat: TorchCompat;
}
