/**
 * `initkit demo` (what `npm start` runs): the seed thread's DQN network and a 50-layer, 256-wide ReLU MLP under
 * PyTorch's default init, the thread's `init_weights` (xavier_normal_, bias 0.01), Kaiming and LeCun: a terminal
 * summary and a self-contained report.html.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { type InitChoice, diagnose } from '../../analysis/diagnose.js';
import type { DiagnosisReport } from '../../analysis/diagnose-types.js';
import { probe } from '../../analysis/probe.js';
import { writeFileAtomic } from '../../io/node.js';
import { Generator } from '../../rng/generator.js';
import { normal_ } from '../../init/normal.js';
import { empty } from '../../tensor/tensor.js';
import { renderDiagnosisReport } from '../diagnose-render.js';
import { chooseGemm } from '../gemm.js';
import { fmtNum, style } from '../render.js';
import { renderDiagnosisHtml } from '../report/html.js';
import { useColor } from '../util.js';

/** The seed thread's DQN: Linear 4→32→64→128→128→128→2 with ReLU. */
export const DQN_SPEC = {
  type: 'Sequential',
  children: [
    { type: 'Linear', args: [4, 32] }, { type: 'ReLU' },
    { type: 'Linear', args: [32, 64] }, { type: 'ReLU' },
    { type: 'Linear', args: [64, 128] }, { type: 'ReLU' },
    { type: 'Linear', args: [128, 128] }, { type: 'ReLU' },
    { type: 'Linear', args: [128, 128] }, { type: 'ReLU' },
    { type: 'Linear', args: [128, 2] },
  ],
};

/** A deep ReLU MLP: `depth` × (Linear(width, width) + ReLU). */
export function deepMlpSpec(depth: number, width: number): unknown {
  return { type: 'Sequential', children: Array.from({ length: depth }, () => [{ type: 'Linear', args: [width, width] }, { type: 'ReLU' }]).flat() };
}

/** The thread's `init_weights`: `xavier_normal_(m.weight); m.bias.data.fill_(0.01)` for every Linear. */
export const THREAD_RULES = {
  rules: [
    { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
    { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
  ],
};

export const DEMO_INITS: InitChoice[] = [
  { name: 'torch default', preset: 'torch' },
  { name: 'xavier_normal_ + bias 0.01', preset: 'torch', rules: THREAD_RULES },
  { name: 'kaiming (he)', preset: 'he' },
  { name: 'lecun', preset: 'lecun' },
];

export async function runDemo(out: string, color: boolean): Promise<{ text: string; reports: DiagnosisReport[]; path: string }> {
  const st = style(color);
  const gemm = await chooseGemm('auto');
  let reports: DiagnosisReport[];
  try {
    const probeFn = (m: Parameters<typeof probe>[0], o: Parameters<typeof probe>[1]) => probe(m, { ...o, ...(gemm.backend ? { gemm: gemm.backend } : {}) });
    reports = [
      diagnose(DQN_SPEC, { seed: 0, batch: 256, inputShape: [4], inits: DEMO_INITS, probe: probeFn, modelName: "the seed thread's DQN (Linear 4→32→64→128→128→128→2, ReLU)" }),
      diagnose(deepMlpSpec(50, 256), { seed: 0, batch: 256, inputShape: [256], inits: DEMO_INITS, probe: probeFn, modelName: '50-layer, 256-wide ReLU MLP' }),
    ];
  } finally {
    gemm.dispose();
  }
  const path = resolve(out);
  await writeFileAtomic(path, renderDiagnosisHtml(reports, { title: 'initkit demo: does your init keep the signal alive?' }));
  const g = new Generator().manualSeed(0);
  const randn = Array.from(normal_(empty([5]), 0, 1, { generator: g }).data, (x) => x.toFixed(4)).join(', ');
  const lines: string[] = [];
  lines.push(st.bold("initkit: PyTorch's initialization, reproduced bit for bit, explained and diagnosed"), '');
  lines.push(`torch.manual_seed(0); torch.randn(5) = [${randn}]  (the same bits here)`);
  lines.push("nn.Linear's default is kaiming_uniform_(a=√5) = U(±1/√fan_in): std 1/√(3·fan_in), 0.58x LeCun, 0.41x He.", '');
  for (const r of reports) lines.push(renderDiagnosisReport(r, { color, layers: false }));
  const mlp = reports[1]!;
  const t = mlp.results['torch default']!.summary;
  const k = mlp.results['kaiming (he)']!.summary;
  lines.push(
    st.bold('in one line: ') +
      `after 50 ReLU layers under PyTorch's default, the activations' std is ${fmtNum(t.finalStd)} (input: 1) and the gradient reaching the first layer is ${fmtNum(t.gradientGain)} of the gradient at the output; with Kaiming they are ${fmtNum(k.finalStd)} and ${fmtNum(k.gradientGain)}.`,
  );
  lines.push('', `report: ${path}   (${gemm.name} matrix products)`);
  return { text: `${lines.join('\n')}\n`, reports, path };
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description("the built-in demo: PyTorch's default init vs xavier_normal_+0.01, Kaiming and LeCun on the DQN and a 50-layer MLP")
    .option('-o, --out <file>', 'where to write the HTML report', 'report.html')
    .action(async (flags: { out: string }) => {
      const { text } = await runDemo(flags.out, useColor());
      process.stdout.write(text);
    });
}
