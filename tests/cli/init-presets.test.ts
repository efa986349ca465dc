// `initkit init --preset/--rules/--stream`: the values initialize() gives, and provenance in the metadata.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fromSpec, initialize } from '../../src/index.js';
import { loadSafetensors } from '../../src/node.js';
import { Generator } from '../../src/rng/generator.js';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'initkit-init-presets-'));
const specPath = 'tests/fixtures/models/dqn.json';
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const rules = {
  rules: [
    { match: { module: 'Linear', param: 'weight' }, init: 'xavier_normal_' },
    { match: { module: 'Linear', param: 'bias' }, init: 'constant_', args: { val: 0.01 } },
  ],
};
const rulesPath = join(dir, 'rules.json');
writeFileSync(rulesPath, JSON.stringify(rules));

describe('initkit init with presets and rules', () => {
  it('--rules: the same values as initialize(), provenance recorded, same bytes on a rerun', async () => {
    const out = join(dir, 'a.safetensors');
    const r = cli(['init', specPath, '--seed', '3', '--rules', rulesPath, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ preset: 'torch', stream: 'sequential', rules: 2 });
    const file = await loadSafetensors(out);
    expect(JSON.parse(file.metadata['initkit.rules']!)).toEqual(rules);
    expect(file.metadata['initkit.preset']).toBe('torch');
    expect(file.metadata['initkit.stream']).toBe('sequential');
    expect(file.metadata['initkit.seed']).toBe('3');
    const m = fromSpec(spec, { generator: new Generator().manualSeed(99) });
    initialize(m, { seed: 3, rules });
    for (const [k, t] of m.stateDict()) expect(Array.from(file.tensors.get(k)!.data), k).toEqual(Array.from(t.data));
    const again = join(dir, 'b.safetensors');
    cli(['init', specPath, '--seed', '3', '--rules', rulesPath, '-o', again]);
    expect(readFileSync(again).equals(readFileSync(out))).toBe(true);
  });

  it('--preset keras --stream path', async () => {
    const out = join(dir, 'k.safetensors');
    const r = cli(['init', specPath, '--seed', '5', '--preset', 'keras', '--stream', 'path', '-o', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('preset keras, path stream');
    const file = await loadSafetensors(out);
    const m = fromSpec(spec);
    initialize(m, { seed: 5, preset: 'keras', stream: 'path' });
    for (const [k, t] of m.stateDict()) expect(Array.from(file.tensors.get(k)!.data), k).toEqual(Array.from(t.data));
    expect(file.metadata['initkit.preset']).toBe('keras');
  });

  it('bad presets, streams and rules are clean errors and write nothing', () => {
    const out = join(dir, 'never.safetensors');
    const bad = [
      [['--preset', 'jax'], /--preset: expected preset to be one of 'torch'/],
      [['--stream', 'random'], /--stream: expected stream to be one of 'sequential', 'path', got "random"/],
      [['--rules', join(dir, 'missing.json')], /expected a readable rules file/],
    ] as const;
    for (const [args, re] of bad) {
      const r = cli(['init', specPath, '--seed', '0', ...args, '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(re);
    }
    writeFileSync(join(dir, 'unmatched.json'), JSON.stringify({ rules: [{ match: { module: 'Conv2d' }, init: 'zeros_' }] }));
    const u = cli(['init', specPath, '--seed', '0', '--rules', join(dir, 'unmatched.json'), '-o', out]);
    expect(u.stderr).toMatch(/matching nothing/);
    const ok = cli(['init', specPath, '--seed', '0', '--rules', join(dir, 'unmatched.json'), '--allow-unmatched', '-o', out]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/warning\s+rules\[0\]/);
  });
});
