/**
 * `initkit lsuv <spec.json> --seed <n> --input-shape <dims> -o out.safetensors`: build the model from its spec after
 * `torch.manual_seed(n)`, LSUV-initialize it (Mishkin & Matas 2016: orthonormal pre-init, then each Linear / Conv
 * rescaled until its output std on a randn calibration batch is within the tolerance of the target), write the
 * state dict as safetensors and print the per-layer table.
 */
import { createHash } from 'node:crypto';
import type { Command } from 'commander';
import { type LsuvResult, lsuv } from '../../analysis/lsuv.js';
import { fail } from '../../errors.js';
import { saveSafetensors } from '../../io/node.js';
import { fromSpec, parseSpecJson } from '../../nn/spec.js';
import { Generator } from '../../rng/generator.js';
import { VERSION } from '../../version.js';
import { chooseGemm, GEMM_CHOICES } from '../gemm.js';
import { fmtNum, style, textTable } from '../render.js';
import { readTextFile } from '../spec-file.js';
import { parseDims, parseIntOption, parseNumberOption, parseSeedOption, useColor } from '../util.js';

export interface LsuvFlags {
  seed: number | bigint;
  inputShape: number[];
  batch: number;
  targetStd: number;
  tol: number;
  maxIter: number;
  /** commander's `--no-orthogonal`. */
  orthogonal: boolean;
  output: string;
  gemm?: string;
  json?: boolean;
}

/** What `initkit lsuv` did (the `--json` output). */
export interface LsuvSummary {
  spec: string;
  seed: string;
  inputShape: number[];
  batch: number;
  targetStd: number;
  tol: number;
  maxIter: number;
  orthogonalInit: boolean;
  gemm: string;
  result: LsuvResult;
  output: string;
  bytes: number;
  sha256: string;
}

/** Run the command: read, build, LSUV, write. */
export async function runLsuv(specPath: string, flags: LsuvFlags): Promise<LsuvSummary> {
  if (flags.output === undefined || flags.output === '') {
    fail({ code: 'INVALID_ARGUMENT', where: '--output', param: '--output', expected: 'an output path (-o out.safetensors)', receivedText: 'none' });
  }
  const text = await readTextFile(specPath, 'spec');
  const spec = parseSpecJson(text);
  const generator = new Generator().manualSeed(flags.seed);
  const model = fromSpec(spec, { generator });
  const gemm = await chooseGemm(flags.gemm);
  let result: LsuvResult;
  try {
    result = lsuv(
      model,
      { batch: flags.batch, inputShape: flags.inputShape },
      {
        targetStd: flags.targetStd,
        tol: flags.tol,
        maxIter: flags.maxIter,
        orthogonalInit: flags.orthogonal,
        generator,
        ...(gemm.backend ? { gemm: gemm.backend } : {}),
      },
    );
  } finally {
    gemm.dispose();
  }
  const canonical = JSON.stringify(spec);
  const seed = String(flags.seed);
  const settings = {
    targetStd: flags.targetStd,
    tol: flags.tol,
    maxIter: flags.maxIter,
    orthogonalInit: flags.orthogonal,
    batch: flags.batch,
    inputShape: flags.inputShape,
  };
  const metadata: Record<string, string> = {
    format: 'pt',
    'initkit.version': VERSION,
    'initkit.seed': seed,
    'initkit.spec_sha256': createHash('sha256').update(canonical).digest('hex'),
    'initkit.lsuv': JSON.stringify(settings),
    'initkit.lsuv_layers': JSON.stringify(result.layers),
    'initkit.note':
      `LSUV (Mishkin & Matas 2016) after torch.manual_seed(${seed}); build(spec): orthonormal pre-init ${flags.orthogonal ? 'on' : 'off'}, ` +
      `calibration batch randn(${[flags.batch, ...flags.inputShape].join(', ')}) drawn next; keys and order as model.state_dict()`,
  };
  if (canonical.length <= 65536) metadata['initkit.spec'] = canonical;
  const saved = await saveSafetensors(flags.output, model.stateDict(), metadata);
  return {
    spec: specPath,
    seed,
    ...settings,
    orthogonalInit: flags.orthogonal,
    gemm: gemm.name,
    result,
    output: saved.path,
    bytes: saved.bytes,
    sha256: saved.sha256,
  };
}

/** The terminal report: settings, the per-layer table, the outcome. */
export function formatLsuv(s: LsuvSummary, color = false): string {
  const st = style(color);
  const head =
    `${s.spec}: LSUV (Mishkin & Matas 2016), target std ${fmtNum(s.targetStd)} ± ${fmtNum(s.tol)}, at most ${s.maxIter} rescalings per layer\n` +
    `  seed ${s.seed}, calibration batch randn(${[s.batch, ...s.inputShape].join(', ')}), orthonormal pre-init ${s.orthogonalInit ? 'on' : 'off'}, GEMM ${s.gemm}\n`;
  const rows = s.result.layers.map((l) => [
    l.name === '' ? '(model)' : l.name,
    l.module,
    fmtNum(l.initialStd),
    fmtNum(l.scale),
    String(l.iterations),
    fmtNum(l.finalStd),
    l.converged ? st.green('ok') : st.red('not converged'),
  ]);
  const table = textTable(['layer', 'module', 'initial std', 'scale', 'iterations', 'final std', ''], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'left'], st);
  const n = s.result.layers.length;
  const bad = s.result.layers.filter((l) => !l.converged).length;
  const outcome = bad === 0 ? st.green(`all ${n} layer${n === 1 ? '' : 's'} converged`) : st.yellow(`${bad} of ${n} layers did not converge within ${s.maxIter} rescalings (zero or non-finite std, or maxIter too small)`);
  return `${head}\n${table}\n\n${outcome}\nwrote ${s.output}: ${s.bytes} bytes, sha256 ${s.sha256}\n`;
}

export function registerLsuv(program: Command): void {
  program
    .command('lsuv')
    .description('LSUV init (Mishkin & Matas 2016): orthonormal pre-init, then rescale each Linear/Conv to unit output std; write safetensors')
    .argument('<spec>', 'model spec JSON file (docs/SPEC.md)')
    .requiredOption('-s, --seed <n>', 'seed, as torch.manual_seed(n)', parseSeedOption)
    .requiredOption('--input-shape <dims>', 'input shape without the batch dimension, e.g. 784 or 3,32,32', parseDims('--input-shape'))
    .requiredOption('-o, --output <file>', 'output .safetensors file (written atomically)')
    .option('--batch <n>', 'calibration batch size', parseIntOption('--batch', 2), 256)
    .option('--target-std <x>', 'target std of every Linear/Conv output', parseNumberOption('--target-std'), 1)
    .option('--tol <x>', 'tolerance on |std - target|', parseNumberOption('--tol'), 0.1)
    .option('--max-iter <n>', 'at most this many rescalings per layer', parseIntOption('--max-iter', 0), 10)
    .option('--no-orthogonal', 'skip the orthonormal pre-init (rescale the weights as built)')
    .option('--gemm <backend>', `matrix products: ${GEMM_CHOICES.join(', ')} (auto: TF.js WASM SIMD when installed)`)
    .option('--json', 'print the summary as JSON')
    .exitOverride()
    .action(async (spec: string, flags: LsuvFlags) => {
      const summary = await runLsuv(spec, flags);
      process.stdout.write(flags.json ? `${JSON.stringify(summary)}\n` : formatLsuv(summary, useColor()));
    });
}
