/**
 * `initkit init <spec.json> --seed <n> -o <out.safetensors>`: build a model from a JSON spec exactly as
 * `torch.manual_seed(n); model = build(spec)` does in PyTorch, and write `model.state_dict()` (same keys, same
 * order, same bits) as a safetensors file. Same seed, same bytes.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InitError, fail } from '../../errors.js';
import { saveSafetensors } from '../../io/node.js';
import type { Module } from '../../nn/module.js';
import { fromSpec, parseSpecJson } from '../../nn/spec.js';
import { TORCH_COMPAT, type TorchCompat } from '../../rng/engine.js';
import { Generator } from '../../rng/generator.js';
import { type FloatDType, parseDType } from '../../tensor/dtype.js';
import { VERSION } from '../../version.js';
import { parseSeedOption } from '../util.js';
import { checkEnum } from '../../errors.js';
import { getPreset } from '../../presets/catalogue.js';
import { initialize } from '../../presets/initialize.js';
import { planModel } from '../../presets/plan.js';
import { STREAMS, parseRules } from '../../presets/rules.js';
import { PRESETS } from '../../presets/types.js';
import { loadRules } from '../spec-file.js';

const OUT_DTYPES = ['float32', 'float64', 'float16', 'bfloat16'] as const;
const DEFAULT_DTYPES = ['float32', 'float64'] as const;

export interface InitCommandOptions {
  seed: number | bigint;
  output?: string;
  dtype?: string;
  defaultDtype?: string;
  compat?: string;
  dryRun?: boolean;
  json?: boolean;
  preset?: string;
  rules?: string;
  stream?: string;
  allowUnmatched?: boolean;
}

/** What `initkit init` did, as printed (and as `--json` prints it). */
export interface InitSummary {
  spec: string;
  root: string;
  modules: number;
  parameters: number;
  parameterTensors: number;
  buffers: number;
  tensors: number;
  seed: string;
  dtype: string;
  output: string | null;
  bytes: number | null;
  sha256: string | null;
  specSha256: string;
  /** The preset applied after construction (torch: none). */
  preset: string;
  stream: string;
  /** Number of rules applied. */
  rules: number;
  warnings: string[];
}

function choice<T extends string>(flag: string, v: string | undefined, valid: readonly T[], dflt: T): T {
  if (v === undefined) return dflt;
  let name: string = v;
  if (flag !== '--compat') {
    try {
      name = parseDType(flag, v); // accepts PyTorch spellings: torch.float16, half, bf16
    } catch {
      name = v;
    }
  }
  if (!(valid as readonly string[]).includes(name)) {
    fail({ code: 'INVALID_ARGUMENT', where: flag, param: flag, expected: `one of ${valid.join(', ')}`, received: v });
  }
  return name as T;
}

/** The canonical form of a spec (compact JSON in document order) and its SHA-256, recorded in the file. */
export function canonicalSpec(spec: unknown): { text: string; sha256: string } {
  const text = JSON.stringify(spec);
  return { text, sha256: createHash('sha256').update(text).digest('hex') };
}

/** Count modules, parameter and buffer tensors and elements as PyTorch does (`modules()`, `parameters()`). */
function census(model: Module): { modules: number; parameters: number; parameterTensors: number; buffers: number } {
  const params = model.parameters();
  return {
    modules: model.modules().length,
    parameters: params.reduce((n, p) => n + p.numel, 0),
    parameterTensors: params.length,
    buffers: model.buffers().length,
  };
}

/**
 * Run `initkit init`: read and build the spec (any error is an InitError naming the JSON path, raised before
 * anything is written), then write the state dict atomically. Returns the summary.
 */
export async function runInit(specPath: string, opts: InitCommandOptions): Promise<InitSummary> {
  const outDtype = choice<FloatDType>('--dtype', opts.dtype, OUT_DTYPES, 'float32');
  const defaultDtype = choice('--default-dtype', opts.defaultDtype, DEFAULT_DTYPES, 'float32');
  const compat = choice<TorchCompat>('--compat', opts.compat, TORCH_COMPAT, '2.x');
  if (!opts.dryRun && (opts.output === undefined || opts.output === '')) {
    fail({ code: 'INVALID_ARGUMENT', where: '--output', param: '--output', expected: 'an output path (-o out.safetensors)', receivedText: 'none', fix: 'Or pass --dry-run to only plan the model.' });
  }
  let text: string;
  try {
    text = await readFile(specPath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new InitError({
      code: 'IO_ERROR',
      where: 'init',
      param: 'spec',
      expected: 'a readable spec JSON file',
      receivedText: `${JSON.stringify(specPath)} (${code === 'ENOENT' ? 'no such file' : code || String(e)})`,
    });
  }
  const spec = parseSpecJson(text);
  const { text: canonical, sha256: specSha256 } = canonicalSpec(spec);
  const rulesDoc = await loadRules(opts.rules);
  const rules = rulesDoc === undefined ? undefined : parseRules(rulesDoc, opts.rules);
  const preset = opts.preset !== undefined ? getPreset('--preset', opts.preset).name : (rules?.preset ?? 'torch');
  const stream = opts.stream !== undefined ? checkEnum('--stream', 'stream', opts.stream, STREAMS) : (rules?.stream ?? 'sequential');
  const reinit = preset !== 'torch' || (rules !== undefined && rules.rules.length > 0) || stream !== 'sequential';
  const generator = new Generator({ compat }).manualSeed(opts.seed);
  // Without a preset or rules the model is only written out, never modified: deep-copied layers can share storage.
  const model = fromSpec(spec, { generator, dtype: defaultDtype, shareCopies: !reinit, ...(opts.dryRun ? { device: 'meta' as const } : {}) });
  let warnings: string[] = [];
  if (reinit && !opts.dryRun) {
    const report = initialize(model, {
      preset,
      ...(rules !== undefined ? { rules } : {}),
      stream,
      ...(stream === 'path' ? { seed: opts.seed } : { generator, skipConstruction: true }),
      allowUnmatched: opts.allowUnmatched ?? false,
    });
    warnings = report.warnings;
  } else if (reinit) {
    planModel(model, { preset, ...(rules !== undefined ? { rules } : {}) }); // validate the rules against the model
  }
  const counts = census(model);
  const stateDict = model.stateDict();
  const seed = String(opts.seed);
  const summary: InitSummary = {
    spec: specPath,
    root: model.getName(),
    ...counts,
    tensors: stateDict.size,
    seed,
    dtype: outDtype,
    output: null,
    bytes: null,
    sha256: null,
    specSha256,
    preset,
    stream,
    rules: rules?.rules.length ?? 0,
    warnings,
  };
  if (opts.dryRun) return summary;
  const metadata: Record<string, string> = {
    format: 'pt',
    'initkit.version': VERSION,
    'initkit.seed': seed,
    'initkit.torch_compat': compat,
    'initkit.spec_sha256': specSha256,
    'initkit.note': `state_dict of the spec built after torch.manual_seed(${seed}); keys and order as model.state_dict()`,
  };
  if (canonical.length <= 65536) metadata['initkit.spec'] = canonical;
  // Provenance: enough to regenerate the file (initkit init spec --seed s --preset p --rules r --stream m).
  metadata['initkit.preset'] = preset;
  metadata['initkit.stream'] = stream;
  if (rulesDoc !== undefined) metadata['initkit.rules'] = JSON.stringify(rulesDoc);
  if (opts.dtype !== undefined) metadata['initkit.dtype'] = outDtype;
  const result = await saveSafetensors(opts.output!, stateDict, metadata, opts.dtype !== undefined ? { dtype: outDtype } : undefined);
  summary.output = result.path;
  summary.bytes = result.bytes;
  summary.sha256 = result.sha256;
  return summary;
}

/** 1234567 → '1,234,567' (without Intl, whose first use costs milliseconds). */
function group(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatSummary(s: InitSummary): string {
  const lines = [
    `${s.spec}: ${s.root} with ${group(s.modules)} module${s.modules === 1 ? '' : 's'}, seed ${s.seed}`,
    `  parameters  ${group(s.parameters)} in ${s.parameterTensors} tensor${s.parameterTensors === 1 ? '' : 's'}, ${s.buffers} buffer${s.buffers === 1 ? '' : 's'}`,
  ];
  if (s.preset !== 'torch' || s.rules > 0 || s.stream !== 'sequential') {
    lines.push(`  init        preset ${s.preset}${s.rules ? ` + ${s.rules} rule${s.rules === 1 ? '' : 's'}` : ''}, ${s.stream} stream`);
  }
  for (const w of s.warnings) lines.push(`  warning     ${w}`);
  if (s.output === null) {
    lines.push('  (dry run: built on the meta device, nothing written)');
  } else {
    lines.push(`  wrote       ${s.output}: ${s.tensors} tensors, ${group(s.bytes ?? 0)} bytes, ${s.dtype}`);
    lines.push(`  sha256      ${s.sha256}`);
  }
  return `${lines.join('\n')}\n`;
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description("build a model from a JSON spec after torch.manual_seed(seed) and write its state_dict (safetensors), bit-identical to PyTorch")
    .argument('<spec>', 'model spec JSON file (docs/SPEC.md)')
    .requiredOption('-s, --seed <n>', 'seed, as torch.manual_seed(n)', parseSeedOption)
    .option('-o, --output <file>', 'output .safetensors file (written atomically)')
    .option('--dtype <dtype>', `store floating tensors as ${OUT_DTYPES.join('|')} (converted after building, like model.to(dtype))`)
    .option('--default-dtype <dtype>', `build with this default dtype, like torch.set_default_dtype (${DEFAULT_DTYPES.join('|')})`)
    .option('--compat <version>', `PyTorch numerics to follow where releases differ (${TORCH_COMPAT.join('|')}; only float64 small normals)`)
    .option('-p, --preset <name>', `re-initialize as a framework would: ${PRESETS.join(', ')} (default torch: PyTorch's own)`)
    .option('-r, --rules <file>', 'init rules JSON (docs/PRESETS.md): { preset?, stream?, rules: [{ match, init, args }] }')
    .option('--stream <mode>', 'sequential (PyTorch-exact, default) or path (one Philox stream per parameter path)')
    .option('--allow-unmatched', 'warn instead of failing when a rule matches no parameter')
    .option('--dry-run', 'build on the meta device (no memory, no draws) and print the summary only')
    .option('--json', 'print the summary as JSON')
    // Usage errors become CommanderErrors that runMain turns into exit code 2 (subcommands do not inherit this).
    .exitOverride()
    .action(async (spec: string, opts: InitCommandOptions) => {
      const summary = await runInit(spec, opts);
      process.stdout.write(opts.json ? `${JSON.stringify(summary)}\n` : formatSummary(summary));
    });
}
