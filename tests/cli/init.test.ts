// End to end: `initkit init` as a user runs it (the built CLI on real files): the summary, the safetensors it writes
// (keys, order, bits and metadata, checked against nn.fromSpec), determinism, --dtype / --default-dtype / --dry-run /
// --json, and clean one-line errors that never leave a file behind. The comparison with live PyTorch is in
// tests/oracle/nn.test.ts.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator, VERSION, nn } from '../../src/index.js';
import { loadSafetensors } from '../../src/io/node.js';
import { runInit } from '../../src/cli/commands/init.js';
import { cli } from '../helpers/cli.js';
import { tensorBits } from '../nn/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'initkit-cli-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CNN: nn.SpecNode = {
  type: 'Sequential',
  children: [
    { type: 'Conv2d', args: [1, 4, 3], kwargs: { padding: 1 } },
    { type: 'BatchNorm2d', args: [4] },
    { type: 'ReLU' },
    { type: 'Flatten' },
    { type: 'Linear', args: [36, 3] },
  ],
};

function write(name: string, content: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return p;
}

function sha256File(p: string): string {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

describe('initkit init', () => {
  const spec = write('cnn.json', CNN);

  it('writes the state dict with PyTorch keys and order, prints a summary with the file sha256', async () => {
    const out = join(dir, 'cnn.safetensors');
    const r = cli(['init', spec, '--seed', '0', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Sequential with 6 modules, seed 0');
    expect(r.stdout).toContain('parameters  159 in 6 tensors, 3 buffers');
    expect(r.stdout).toContain(`sha256      ${sha256File(out)}`);
    const { tensors, metadata, dtypes } = await loadSafetensors(out);
    const model = nn.fromSpec(CNN, { generator: new Generator().manualSeed(0) });
    const sd = model.stateDict();
    expect([...tensors.keys()]).toEqual([...sd.keys()]);
    for (const [k, t] of sd) expect(tensorBits(tensors.get(k)!), k).toEqual(tensorBits(t));
    expect(dtypes.get('1.num_batches_tracked')).toBe('I64');
    expect(metadata['format']).toBe('pt');
    expect(metadata['initkit.version']).toBe(VERSION);
    expect(metadata['initkit.seed']).toBe('0');
    expect(metadata['initkit.spec_sha256']).toBe(createHash('sha256').update(JSON.stringify(CNN)).digest('hex'));
    expect(JSON.parse(metadata['initkit.spec']!)).toEqual(CNN);
  });

  it('same seed, same bytes; another seed, other bytes; big and negative seeds accepted', () => {
    const a = join(dir, 'a.safetensors');
    const b = join(dir, 'b.safetensors');
    const c = join(dir, 'c.safetensors');
    expect(cli(['init', spec, '--seed', '42', '-o', a]).code).toBe(0);
    expect(cli(['init', spec, '--seed', '42', '-o', b]).code).toBe(0);
    expect(cli(['init', spec, '--seed', '-7', '-o', c]).code).toBe(0);
    expect(sha256File(a)).toBe(sha256File(b));
    expect(sha256File(a)).not.toBe(sha256File(c));
    const big = join(dir, 'big.safetensors');
    expect(cli(['init', spec, '--seed', '18446744073709551615', '-o', big]).code).toBe(0);
  });

  it('--dtype converts floating tensors after building; --default-dtype builds in float64', async () => {
    const half = join(dir, 'half.safetensors');
    expect(cli(['init', spec, '--seed', '1', '-o', half, '--dtype', 'bfloat16']).code).toBe(0);
    const { dtypes, tensors, metadata } = await loadSafetensors(half);
    expect(dtypes.get('0.weight')).toBe('BF16');
    expect(dtypes.get('1.num_batches_tracked')).toBe('I64');
    expect(metadata['initkit.dtype']).toBe('bfloat16');
    const ref = nn.fromSpec(CNN, { generator: new Generator().manualSeed(1) }).to('bfloat16');
    expect(tensorBits(tensors.get('4.weight')!)).toEqual(tensorBits(ref.stateDict().get('4.weight')!));
    const f64 = join(dir, 'f64.safetensors');
    expect(cli(['init', spec, '--seed', '1', '-o', f64, '--default-dtype', 'float64']).code).toBe(0);
    const loaded = await loadSafetensors(f64);
    expect(loaded.dtypes.get('4.weight')).toBe('F64');
    const ref64 = nn.fromSpec(CNN, { generator: new Generator().manualSeed(1), dtype: 'float64' });
    expect(tensorBits(loaded.tensors.get('4.weight')!)).toEqual(tensorBits(ref64.stateDict().get('4.weight')!));
  });

  it('--dry-run plans on the meta device and writes nothing; --json prints the summary as JSON', () => {
    const out = join(dir, 'never.safetensors');
    const r = cli(['init', spec, '--seed', '0', '-o', out, '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dry run');
    expect(existsSync(out)).toBe(false);
    const j = cli(['init', spec, '--seed', '3', '-o', join(dir, 'j.safetensors'), '--json']);
    const summary = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(summary['parameters']).toBe(159);
    expect(summary['tensors']).toBe(9);
    expect(summary['seed']).toBe('3');
    expect(typeof summary['sha256']).toBe('string');
  });

  it('runInit (the command function) returns the summary', async () => {
    const s = await runInit(spec, { seed: 5n, dryRun: true });
    expect(s).toMatchObject({ root: 'Sequential', modules: 6, parameters: 159, output: null, seed: '5' });
  });

  const errors: [string, string[], string][] = [
    ['a spec error names the JSON path', ['--seed', '0'], 'children[4].args[1]: expected an integer >= 0, got -3'],
    ['missing spec file', ['--seed', '0'], 'no such file'],
    ['invalid JSON', ['--seed', '0'], 'expected valid JSON'],
    ['no output path', ['--seed', '0'], '--output: expected an output path'],
    ['bad --dtype', ['--seed', '0', '--dtype', 'int8'], '--dtype: expected one of float32, float64, float16, bfloat16, got "int8"'],
    ['--dtype that is not floating', ['--seed', '0', '--dtype', 'int64'], '--dtype: expected one of float32, float64, float16, bfloat16'],
    ['bad --default-dtype', ['--seed', '0', '--default-dtype', 'float16'], '--default-dtype: expected one of float32, float64'],
    ['bad --compat', ['--seed', '0', '--compat', '3.0'], '--compat: expected one of 2.x, 1.13'],
    ['bad --seed', ['--seed', 'abc'], '--seed: expected an integer'],
  ];
  for (const [name, args, message] of errors) {
    it(`error: ${name} (exit 2, one line, no file left)`, () => {
      const sub = mkdtempSync(join(dir, 'err-'));
      let specPath = spec;
      if (name.startsWith('a spec error')) specPath = write('bad.json', { ...CNN, children: [...CNN.children as nn.SpecNode[]].map((c, i) => (i === 4 ? { type: 'Linear', args: [36, -3] } : c)) });
      if (name === 'missing spec file') specPath = join(dir, 'nope.json');
      if (name === 'invalid JSON') specPath = write('broken.json', '{"type": "Linear", "args": [1, 2]');
      const out = join(sub, 'out.safetensors');
      const withOut = name === 'no output path' ? args : [...args, '-o', out];
      const r = cli(['init', specPath, ...withOut]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(readdirSync(sub)).toEqual([]);
    });
  }

  it('error: --seed is required (commander usage error, exit 2)', () => {
    const r = cli(['init', spec, '-o', join(dir, 'x.safetensors')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-s, --seed <n>' not specified");
  });
});
