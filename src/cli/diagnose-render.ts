/** Terminal rendering of a diagnosis: per-layer tables, sparklines of std through depth, a summary line per init. */
import type { Diagnosis, DiagnosisReport, Verdict } from '../analysis/diagnose-types.js';
import { fmtNum, style, textTable } from './render.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of values on a log scale: one block character per value, scaled between the smallest and largest
 * positive finite values given (shared across inits when `range` is passed); `·` for missing values.
 */
export function sparkline(valuesIn: (number | null)[], range?: [number, number], width = 60): string {
  // Long models: one character per bucket of layers (the bucket's last value), so the line fits a terminal.
  const values =
    valuesIn.length <= width ? valuesIn : Array.from({ length: width }, (_, i) => valuesIn[Math.min(valuesIn.length - 1, Math.round(((i + 1) * valuesIn.length) / width) - 1)] ?? null);
  const logs = values.map((v) => (v !== null && v > 0 && Number.isFinite(v) ? Math.log10(v) : null));
  const finite = logs.filter((x): x is number => x !== null);
  if (finite.length === 0) return values.map(() => '·').join('');
  const lo = range ? Math.log10(range[0]) : Math.min(...finite);
  const hi = range ? Math.log10(range[1]) : Math.max(...finite);
  return logs
    .map((x) => {
      if (x === null) return '·';
      const t = hi > lo ? (x - lo) / (hi - lo) : 0.5;
      return BLOCKS[Math.max(0, Math.min(7, Math.round(t * 7)))]!;
    })
    .join('');
}

function verdictText(v: Verdict, color: boolean): string {
  const st = style(color);
  return v === 'healthy' ? st.green(v) : v === 'vanishing' ? st.yellow(v) : st.red(v);
}

/** The std values (measured, else predicted) through depth. */
export function stdSeries(d: Diagnosis): (number | null)[] {
  return d.layers.map((l) => l.outputStd ?? l.predictedStd);
}

export function renderDiagnosisTable(d: Diagnosis, color: boolean): string {
  const st = style(color);
  const header = ['layer', 'module', 'predicted std', 'measured std', 'grad std', 'verdict'];
  const rows = d.layers.map((l) => [
    l.name,
    l.module,
    fmtNum(l.predictedStd),
    fmtNum(l.outputStd),
    fmtNum(l.gradOutputStd ?? l.predictedGradStd),
    l.verdict === 'healthy' && l.gradVerdict === 'healthy'
      ? verdictText('healthy', color)
      : [l.verdict !== 'healthy' ? `fwd ${verdictText(l.verdict, color)}` : '', l.gradVerdict !== 'healthy' ? `bwd ${verdictText(l.gradVerdict, color)}` : ''].filter(Boolean).join(', '),
  ]);
  return `${st.bold(`init ${d.init}`)}\n${textTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'left'], st)}\n`;
}

export function summaryLine(d: Diagnosis, color: boolean): string {
  const s = d.summary;
  const parts = [
    `forward ${verdictText(s.forward, color)} (final std ${fmtNum(s.finalStd)}, gain ${fmtNum(s.endToEndGain)}${s.forwardLeavesBandAt ? `, leaves the band at ${s.forwardLeavesBandAt}` : ''})`,
    `backward ${verdictText(s.backward, color)}${s.gradientGain !== null ? ` (gradient gain ${fmtNum(s.gradientGain)})` : ''}`,
  ];
  return parts.join('; ');
}

export function renderDiagnosisReport(r: DiagnosisReport, opts: { color: boolean; layers?: boolean }): string {
  const st = style(opts.color);
  const lines: string[] = [];
  lines.push(st.bold(`initkit diagnose: ${r.model}`), st.dim(`input [${r.batch}, ${r.inputShape.join(', ')}] ~ randn, seed ${r.seed}; band ×[${r.results[r.inits[0]!]!.summary.band.join(', ')}] of the input std`), '');
  if (opts.layers !== false) {
    for (const name of r.inits) lines.push(renderDiagnosisTable(r.results[name]!, opts.color));
  }
  // Sparklines on a shared log scale so the inits compare at a glance.
  const all = r.inits.flatMap((n) => stdSeries(r.results[n]!)).filter((x): x is number => x !== null && x > 0 && Number.isFinite(x));
  const range: [number, number] | undefined = all.length ? [Math.min(...all), Math.max(...all)] : undefined;
  const width = Math.max(...r.inits.map((n) => n.length));
  lines.push(st.bold('activation std through depth (log scale, shared)'));
  for (const name of r.inits) {
    const d = r.results[name]!;
    lines.push(`  ${name.padEnd(width)}  ${sparkline(stdSeries(d), range)}  ${summaryLine(d, opts.color)}`);
  }
  const recs = r.inits.map((n) => r.results[n]!).filter((d) => d.summary.recommendation !== null);
  if (recs.length) {
    lines.push('', st.bold('recommendations'));
    for (const d of recs) lines.push(`  ${d.init}: ${d.summary.recommendation}`);
  }
  if (r.widthSweep) {
    lines.push('', st.bold(`width sweep (coordinate check at init): std per layer at widths ${r.widthSweep.widths.join(', ')}`));
    const rows = r.widthSweep.layers.map((l) => [l.name, l.module, ...l.std.map((x) => fmtNum(x)), l.slope.toFixed(2), l.drifts ? st.yellow('drifts') : st.green('stable')]);
    lines.push(textTable(['layer', 'module', ...r.widthSweep.widths.map(String), 'slope', ''], rows, ['left', 'left', ...r.widthSweep.widths.map(() => 'right' as const), 'right', 'left'], st));
  }
  return `${lines.join('\n')}\n`;
}
