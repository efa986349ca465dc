/** `initkit sample`: draw from PyTorch's stream, as `torch.manual_seed(s); torch.rand/randn/...`. */
import type { Command } from 'commander';
import { Generator } from '../../rng/generator.js';
import { empty } from '../../tensor/tensor.js';
import { uniform_ } from '../../init/uniform.js';
import { normal_ } from '../../init/normal.js';
import { truncNormal_ } from '../../init/trunc-normal.js';
import { randperm } from '../../rng/randperm.js';
import { parseDType } from '../../tensor/dtype.js';
import { InitError } from '../../errors.js';
import { parseIntOption, parseNumberOption, parseSeedOption } from '../util.js';

const KINDS = ['rand', 'randn', 'trunc_normal', 'randperm'] as const;

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('print values from PyTorch\'s CPU stream: rand, randn, trunc_normal or randperm after manual_seed(seed)')
    .argument('<kind>', `one of ${KINDS.join(', ')}`)
    .argument('<dims...>', 'shape, e.g. 2 3 (randperm: n)')
    .option('-s, --seed <n>', 'seed, as torch.manual_seed', parseSeedOption, 0)
    .option('--dtype <dtype>', 'float32 or float64', 'float32')
    .option('--mean <x>', 'mean (randn, trunc_normal)', parseNumberOption('--mean'), 0)
    .option('--std <x>', 'standard deviation (randn, trunc_normal)', parseNumberOption('--std'), 1)
    .option('--bits', 'print the float32/float64 bit patterns in hex instead of decimals')
    .option('--json', 'print a JSON array')
    .action((kind: string, dims: string[], opts: { seed: number | bigint; dtype: string; mean: number; std: number; bits?: boolean; json?: boolean }) => {
      if (!(KINDS as readonly string[]).includes(kind)) {
        throw new InitError({ code: 'UNKNOWN_NAME', where: 'sample', param: 'kind', expected: `one of ${KINDS.join(', ')}`, received: kind });
      }
      const shape = dims.map((d) => parseIntOption('dims', 0)(d));
      const g = new Generator().manualSeed(opts.seed);
      const dtype = parseDType('--dtype', opts.dtype);
      let values: number[];
      let bitsOf: (x: number) => string;
      if (kind === 'randperm') {
        values = Array.from(randperm(shape[0] ?? 0, { generator: g }).data);
        bitsOf = (x) => String(x);
      } else {
        const t = empty(shape, { dtype });
        if (kind === 'rand') uniform_(t, 0, 1, { generator: g });
        else if (kind === 'randn') normal_(t, opts.mean, opts.std, { generator: g });
        else truncNormal_(t, { mean: opts.mean, std: opts.std, generator: g });
        values = Array.from(t.data);
        bitsOf =
          dtype === 'float64'
            ? (x) => new BigUint64Array(new Float64Array([x]).buffer)[0]!.toString(16).padStart(16, '0')
            : (x) => new Uint32Array(new Float32Array([x]).buffer)[0]!.toString(16).padStart(8, '0');
      }
      const out = opts.bits ? values.map(bitsOf) : values;
      process.stdout.write(opts.json ? `${JSON.stringify(out)}\n` : `${out.join(' ')}\n`);
    });
}
