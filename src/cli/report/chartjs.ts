/** The charting library the HTML report inlines: Chart.js's UMD build, read from node_modules at render time. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fail } from '../../errors.js';

export interface ChartLibrary {
  /** The UMD bundle's source (defines the global `Chart`). */
  source: string;
  /** The version from the bundle's banner (`4.6.1`), or `unknown`. */
  version: string;
  /** Where it was read from. */
  path: string;
}

let cached: ChartLibrary | undefined;

/**
 * Read Chart.js's UMD bundle (`chart.js/dist/chart.umd.js`). The package's `exports` map does not expose that file,
 * so it is found next to the package's CommonJS entry (`chart.js/dist/chart.cjs`). Cached after the first call.
 *
 * @throws InitError `IO_ERROR` when chart.js is not installed or the bundle cannot be read.
 */
export function loadChartLibrary(): ChartLibrary {
  if (cached) return cached;
  let path = '';
  try {
    path = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
    const source = readFileSync(path, 'utf8');
    const version = /Chart\.js v(\d+\.\d+\.\d+\S*)/.exec(source.slice(0, 500))?.[1] ?? 'unknown';
    cached = { source, version, path };
    return cached;
  } catch (e) {
    return fail({
      code: 'IO_ERROR',
      where: 'renderDiagnosisHtml',
      param: 'chart.js',
      expected: "chart.js's UMD bundle (chart.js/dist/chart.umd.js), a runtime dependency of the initkit CLI",
      receivedText: path === '' ? `no chart.js package (${(e as Error).message})` : `${path}: ${(e as Error).message}`,
      fix: 'Reinstall initkit (npm install) so that its dependency chart.js is present.',
    });
  }
}
