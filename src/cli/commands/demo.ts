/** `initkit demo` (what `npm start` runs): the built-in demonstration. */
import type { Command } from 'commander';
import { Generator } from '../../rng/generator.js';
import { empty } from '../../tensor/tensor.js';
import { kaimingUniform_ } from '../../init/kaiming.js';
import { uniform_ } from '../../init/uniform.js';
import { normal_ } from '../../init/normal.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the built-in demo: what PyTorch\'s default init really does, reproduced bit for bit')
    .action(() => {
      process.stdout.write(demoText());
    });
}

export function demoText(): string {
  const lines: string[] = [];
  const g = new Generator().manualSeed(0);
  const fmt = (xs: ArrayLike<number>): string => Array.from(xs, (x) => x.toFixed(4).padStart(7)).join(' ');
  lines.push('initkit: PyTorch\'s CPU random stream and default init, bit for bit\n');
  lines.push('torch.manual_seed(0)');
  lines.push(`  torch.rand(5)  = ${fmt(uniform_(empty([5]), 0, 1, { generator: g }).data)}`);
  g.manualSeed(0);
  lines.push(`  torch.randn(5) = ${fmt(normal_(empty([5]), 0, 1, { generator: g }).data)}`);
  g.manualSeed(0);
  const w = kaimingUniform_(empty([3, 4]), { a: Math.sqrt(5), generator: g });
  lines.push(`  nn.Linear(4, 3).weight[0] = ${fmt(w.data.subarray(0, 4))}`);
  lines.push('');
  lines.push('nn.Linear(fan_in, out) draws kaiming_uniform_(w, a=sqrt(5)): U(-b, b) with b = 1/sqrt(fan_in).');
  lines.push('  fan_in    bound      std     vs LeCun  vs He');
  for (const fanIn of [64, 256, 1024, 4096]) {
    const bound = 1 / Math.sqrt(fanIn);
    const std = bound / Math.sqrt(3);
    const lecun = 1 / Math.sqrt(fanIn);
    const he = Math.sqrt(2 / fanIn);
    lines.push(
      `  ${String(fanIn).padStart(6)}  ${bound.toFixed(5)}  ${std.toFixed(5)}   ${(std / lecun).toFixed(3)}x    ${(std / he).toFixed(3)}x`,
    );
  }
  lines.push('');
  lines.push('std = 1/sqrt(3*fan_in): 0.577x LeCun, 0.408x He. Run `initkit --help` for the commands.');
  return `${lines.join('\n')}\n`;
}
