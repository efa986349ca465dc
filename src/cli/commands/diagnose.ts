/**
 * `initkit diagnose <spec.json> --seed <n> --input-shape <dims>`: will activations and gradients explode or
 * vanish? Predicted and measured per layer, verdicts, a recommendation; `--json`, `--html report.html`.
 */
import type { Command } from 'commander';
import { type InitChoice, diagnose, widthSweep } from '../../analysis/diagnose.js';
import type { Diagnosis, DiagnosisReport } from '../../analysis/diagnose-types.js';
import { probe } from '../../analysis/probe.js';
import type { ProbeFn } from '../../analysis/probe-types.js';
import { InitError } from '../../errors.js';
import { writeFileAtomic } from '../../io/node.js';
import { parseSpecJson } from '../../nn/spec.js';
import { getPreset } from '../../presets/catalogue.js';
import { parseRules } from '../../presets/rules.js';
import { PRESETS } from '../../presets/types.js';
import { renderDiagnosisReport } from '../diagnose-render.js';
import { chooseGemm, GEMM_CHOICES } from '../gemm.js';
import { renderDiagnosisHtml } from '../report/html.js';
import { loadRules, readTextFile } from '../spec-file.js';
import { parseDims, parseIntOption, parseSeedOption, useColor } from '../util.js';

interface DiagnoseFlags {
  seed: number | bigint;
  inputShape: number[];
  batch: number;
  preset?: string;
  rules?: string;
  compare?: string;
  json?: boolean;
  html?: string;
  widths?: number[];
  probe: boolean;
  gemm?: string;
  band?: [number, number];
}

function parseBand(v: string): [number, number] {
  const parts = v.split(',').map(Number);
  if (parts.length !== 2 || !(parts[0]! > 0) || !(parts[1]! > parts[0]!) || parts.some((x) => !Number.isFinite(x))) {
    throw new InitError({ code: 'INVALID_ARGUMENT', where: '--band', param: '--band', expected: 'two numbers lo,hi with 0 < lo < hi, e.g. 0.1,10', received: v });
  }
  return [parts[0]!, parts[1]!];
}

/** The inits a diagnose run compares. */
export function initChoices(flags: { preset?: string; compare?: string }, rules: unknown): InitChoice[] {
  const withRules = (c: InitChoice): InitChoice => (rules === undefined ? c : { ...c, name: `${c.name}+rules`, rules });
  if (flags.compare !== undefined) {
    const names = flags.compare.split(',').map((s) => s.trim()).filter(Boolean);
    const list: InitChoice[] = names.map((n) => ({ name: n, preset: getPreset('--compare', n).name }));
    if (rules !== undefined) list.push(withRules({ name: flags.preset ?? 'torch', preset: getPreset('--preset', flags.preset ?? 'torch').name }));
    return list;
  }
  const preset = getPreset('--preset', flags.preset ?? 'torch').name;
  return [withRules({ name: preset, preset })];
}

/** The JSON the issue specifies: one init → its `{ layers, summary, ... }`; several → a map of init name to that. */
export function diagnosisJson(report: DiagnosisReport): unknown {
  const one = (d: Diagnosis) => ({ init: d.init, preset: d.preset, layers: d.layers, summary: d.summary, explain: d.explain });
  const body = report.inits.length === 1 ? one(report.results[report.inits[0]!]!) : Object.fromEntries(report.inits.map((n) => [n, one(report.results[n]!)]));
  return report.widthSweep ? { ...(body as object), widthSweep: report.widthSweep } : body;
}

export async function runDiagnose(specPath: string, flags: DiagnoseFlags): Promise<DiagnosisReport> {
  const spec = parseSpecJson(await readTextFile(specPath, 'spec'));
  const rulesDoc = await loadRules(flags.rules);
  const rules = rulesDoc === undefined ? undefined : (parseRules(rulesDoc, flags.rules), rulesDoc);
  const inits = initChoices(flags, rules);
  const gemm = flags.probe ? await chooseGemm(flags.gemm) : null;
  try {
    const probeFn: ProbeFn | undefined = flags.probe ? (m, o) => probe(m, { ...o, ...(gemm?.backend ? { gemm: gemm.backend } : {}) }) : undefined;
    const common = {
      seed: flags.seed,
      batch: flags.batch,
      inputShape: flags.inputShape,
      modelName: specPath,
      ...(probeFn ? { probe: probeFn } : {}),
      ...(flags.band ? { band: flags.band } : {}),
    };
    const report = diagnose(spec, { ...common, inits });
    if (flags.widths) report.widthSweep = widthSweep(spec, { ...common, widths: flags.widths, init: inits[0]! });
    return report;
  } finally {
    gemm?.dispose();
  }
}

export function registerDiagnose(program: Command): void {
  program
    .command('diagnose')
    .description('predict and measure activation and gradient scale through depth; verdicts and a fix')
    .argument('<spec>', 'model spec (JSON)')
    .requiredOption('--input-shape <dims>', 'input shape without the batch dimension, e.g. 784 or 3,32,32', parseDims('--input-shape'))
    .option('-s, --seed <n>', 'seed, as torch.manual_seed', parseSeedOption, 0)
    .option('--batch <n>', 'probe batch size', parseIntOption('--batch', 2), 256)
    .option('-p, --preset <name>', `init to diagnose: ${PRESETS.join(', ')} (default torch)`)
    .option('-r, --rules <file>', 'init rules (JSON), applied on top of the preset')
    .option('--compare <presets>', 'compare several inits side by side, e.g. torch,lecun,he,xavier')
    .option('--widths <list>', 'width sweep (coordinate check): e.g. 64,128,256,512', parseDims('--widths'))
    .option('--band <lo,hi>', 'healthy band as multiples of the reference std (default 0.1,10)', parseBand)
    .option('--no-probe', 'predictions only (no forward/backward pass; works on any size)')
    .option('--gemm <backend>', `matrix products of the probe: ${GEMM_CHOICES.join(', ')} (auto: TF.js WASM SIMD when installed)`)
    .option('--json', 'print JSON')
    .option('--html <file>', 'write a self-contained HTML report with plots')
    .action(async (specPath: string, flags: DiagnoseFlags) => {
      const report = await runDiagnose(specPath, flags);
      if (flags.html) {
        await writeFileAtomic(flags.html, renderDiagnosisHtml(report));
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(diagnosisJson(report), null, 2)}\n`);
      else {
        process.stdout.write(renderDiagnosisReport(report, { color: useColor() }));
        if (flags.html) process.stdout.write(`\nreport: ${flags.html}\n`);
      }
    });
}
