/** Number and shape formatting shared by the HTML report's tables, cards and (mirrored in client.ts) charts. */
import { fmtNum } from '../render.js';

/** A number as the report shows it: `fmtNum`'s 4 significant digits (exponent outside [1e-3, 1e5)), `—` for null/NaN. */
export function formatNumber(x: number | null | undefined): string {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : fmtNum(x);
}

/** A fraction in [0, 1] as a percentage with one decimal (`50.2%`), `—` for null/NaN. */
export function formatPercent(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(100 * x).toFixed(1)}%`;
}

/** A ratio to 3 significant digits as `0.577×`, `—` when not finite. */
export function formatRatio(x: number | null | undefined): string {
  return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${fmtNum(x, 3)}×`;
}

/** A shape as `[32, 4]`. */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
