/** `initkit explain <spec.json>`: how every parameter is initialized, against LeCun, He and Xavier. */
import type { Command } from 'commander';
import { type Explanation, explain } from '../../analysis/explain.js';
import { getPreset } from '../../presets/catalogue.js';
import { PRESETS, type PresetName } from '../../presets/types.js';
import { loadModel, loadRules } from '../spec-file.js';
import { fmtBytes, fmtCount, fmtNum, fmtRatio, markdownTable, style, textTable } from '../render.js';
import { useColor } from '../util.js';

interface ExplainFlags {
  preset?: string;
  rules?: string;
  json?: boolean;
  markdown?: boolean;
  compare?: string;
  buffers?: boolean;
}

const shapeText = (s: number[]): string => `[${s.join(', ')}]`;

/** The `--json` document: `{ "parameters": [ { name, shape, module, fanIn, fanOut, init, distribution, bound, std, vsLecun, vsHe, vsXavier } ] }`. */
export function explainJson(e: Explanation): unknown {
  return {
    preset: e.preset,
    parameters: e.parameters.map((r) => ({
      name: r.name,
      shape: r.shape,
      module: r.module,
      kind: r.kind,
      fanIn: r.fanIn,
      fanOut: r.fanOut,
      init: r.init,
      distribution: r.distribution,
      summary: r.summary,
      bound: r.bound,
      std: r.std,
      vsLecun: r.vsLecun,
      vsHe: r.vsHe,
      vsXavier: r.vsXavier,
      source: r.source,
      note: r.note,
    })),
    modules: e.modules,
    totals: e.totals,
  };
}

export function renderExplain(e: Explanation, opts: { markdown?: boolean; color?: boolean; buffers?: boolean }): string {
  const st = style(opts.color ?? false);
  const rows = e.parameters.filter((r) => opts.buffers || r.kind === 'parameter');
  const header = ['parameter', 'shape', 'module', 'fan_in', 'fan_out', 'init', 'distribution', 'std', 'vs LeCun', 'vs He', 'vs Xavier'];
  const cells = rows.map((r) => [
    r.name,
    shapeText(r.shape),
    r.module,
    r.fanIn === null ? '-' : String(r.fanIn),
    r.fanOut === null ? '-' : String(r.fanOut),
    r.source === 'preset' ? r.init : `${r.init} [${r.source}]`,
    r.distribution,
    fmtNum(r.std),
    fmtRatio(r.vsLecun),
    fmtRatio(r.vsHe),
    fmtRatio(r.vsXavier),
  ]);
  const align = ['left', 'left', 'left', 'right', 'right', 'left', 'left', 'right', 'right', 'right', 'right'] as const;
  const lines: string[] = [];
  const title = `preset ${e.preset}: ${e.title}`;
  const totals = `${fmtCount(e.totals.parameters)} parameters in ${rows.filter((r) => r.kind === 'parameter').length} tensors, ${fmtBytes(e.totals.bytes)}`;
  if (opts.markdown) {
    lines.push(`**${title}**`, '', markdownTable(header, cells, [...align]), '');
    if (e.modules.length) lines.push(...e.modules.map((m) => `- \`${m.name || '(root)'}\` (${m.module}): ${m.note}`), '');
    lines.push(`_${totals}. Source: ${e.source}._`);
  } else {
    lines.push(st.bold(title), '', textTable(header, cells, [...align], st), '');
    for (const m of e.modules) lines.push(`${st.cyan(m.name || '(root)')} ${st.dim(`(${m.module})`)}: ${m.note}`);
    if (e.modules.length) lines.push('');
    lines.push(st.dim(`${totals}. Source: ${e.source}`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderCompare(list: Explanation[], opts: { markdown?: boolean; color?: boolean }): string {
  const st = style(opts.color ?? false);
  const first = list[0]!;
  const header = ['parameter', 'shape', ...list.map((e) => e.preset), ...list.map((e) => `std ${e.preset}`)];
  const cells = first.parameters
    .filter((r) => r.kind === 'parameter')
    .map((r) => {
      const per = list.map((e) => e.parameters.find((x) => x.name === r.name)!);
      return [r.name, shapeText(r.shape), ...per.map((p) => `${p.summary}${p.covered ? '' : '*'}`), ...per.map((p) => fmtNum(p.std))];
    });
  const align = ['left', 'left', ...list.map(() => 'left' as const), ...list.map(() => 'right' as const)] as ('left' | 'right')[];
  const foot = 'std: realized standard deviation of the entries. *: that framework has no such layer; PyTorch\'s default shown.';
  if (opts.markdown) return `${markdownTable(header, cells, align)}\n\n_${foot}_\n`;
  return `${textTable(header, cells, align, st)}\n\n${st.dim(foot)}\n`;
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('per parameter: fans, init, distribution, bound and std, against LeCun, He and Xavier (works on meta models: any size)')
    .argument('<spec>', 'model spec (JSON)')
    .option('-p, --preset <name>', `one of ${PRESETS.join(', ')} (default torch, or the rules file's)`)
    .option('-r, --rules <file>', 'init rules (JSON)')
    .option('--compare <presets>', 'comma-separated presets side by side, e.g. torch,keras,flax')
    .option('--buffers', 'also list buffers (running statistics)')
    .option('--json', 'print JSON')
    .option('--markdown', 'print a Markdown table')
    .action(async (specPath: string, flags: ExplainFlags) => {
      const { model } = await loadModel(specPath, { device: 'meta' });
      const rules = await loadRules(flags.rules);
      if (flags.compare !== undefined) {
        const names = flags.compare.split(',').map((s) => s.trim()).filter(Boolean);
        const list = names.map((n) => explain(model, { preset: getPreset('--compare', n).name as PresetName, ...(rules !== undefined ? { rules } : {}) }));
        if (flags.json) process.stdout.write(`${JSON.stringify({ compare: Object.fromEntries(list.map((e) => [e.preset, explainJson(e)])) }, null, 2)}\n`);
        else process.stdout.write(renderCompare(list, { markdown: flags.markdown ?? false, color: useColor() }));
        return;
      }
      const e = explain(model, {
        ...(flags.preset !== undefined ? { preset: getPreset('--preset', flags.preset).name } : {}),
        ...(rules !== undefined ? { rules } : {}),
      });
      if (flags.json) process.stdout.write(`${JSON.stringify(explainJson(e), null, 2)}\n`);
      else process.stdout.write(renderExplain(e, { markdown: flags.markdown ?? false, color: useColor(), buffers: flags.buffers ?? false }));
    });
}
