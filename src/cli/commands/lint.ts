/** `initkit lint <spec.json>`: the init traps, with why and how to fix; exit code 1 when there are errors. */
import type { Command } from 'commander';
import { type LintReport, lint } from '../../analysis/lint.js';
import { getPreset } from '../../presets/catalogue.js';
import { PRESETS } from '../../presets/types.js';
import { loadModel, loadRules } from '../spec-file.js';
import { style } from '../render.js';
import { EXIT, useColor } from '../util.js';

export function renderLint(r: LintReport, color: boolean): string {
  const st = style(color);
  if (r.findings.length === 0) return `${st.green('no findings')}\n`;
  const lines: string[] = [];
  for (const f of r.findings) {
    const sev = f.severity === 'error' ? st.red('error') : f.severity === 'warning' ? st.yellow('warning') : st.cyan('info');
    lines.push(`${sev} ${st.bold(f.code)} ${st.cyan(f.path || '(model)')}`);
    lines.push(`  ${f.message}`);
    lines.push(`  ${st.dim('why:')} ${f.why}`);
    lines.push(`  ${st.dim('fix:')} ${f.fix}`);
    lines.push('');
  }
  lines.push(`${r.errors} error(s), ${r.warnings} warning(s), ${r.infos} note(s)`);
  return `${lines.join('\n')}\n`;
}

export function registerLint(program: Command): void {
  program
    .command('lint')
    .description('find init traps (identical deep-copied layers, no-op truncation, fan over-counts, vanishing ReLU stacks, ...)')
    .argument('<spec>', 'model spec (JSON)')
    .option('-p, --preset <name>', `one of ${PRESETS.join(', ')}`)
    .option('-r, --rules <file>', 'init rules (JSON)')
    .option('--json', 'print JSON')
    .action(async (specPath: string, flags: { preset?: string; rules?: string; json?: boolean }) => {
      const { model } = await loadModel(specPath, { device: 'meta' });
      const rules = await loadRules(flags.rules);
      const report = lint(model, {
        ...(flags.preset !== undefined ? { preset: getPreset('--preset', flags.preset).name } : {}),
        ...(rules !== undefined ? { rules } : {}),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : renderLint(report, useColor()));
      if (report.errors > 0) process.exitCode = EXIT.findings;
    });
}
