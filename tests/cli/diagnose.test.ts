// `initkit diagnose` and `initkit demo` (npm start) end to end: real files, the built CLI.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'initkit-diagnose-'));
const dqn = 'tests/fixtures/models/dqn.json';

describe('initkit diagnose', () => {
  it('terminal output: per-layer table, sparklines, summary and recommendation', () => {
    const r = cli(['diagnose', dqn, '--input-shape', '4', '--seed', '0', '--gemm', 'ts']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/layer\s+module\s+predicted std\s+measured std\s+grad std\s+verdict/);
    expect(r.stdout).toMatch(/torch\s+[▁▂▃▄▅▆▇█]{11}\s+forward vanishing/);
    expect(r.stdout).toContain("kaiming_normal_ with nonlinearity='relu' (preset he): predicted final std");
  });

  it('--json: one init is { layers, summary }; --compare maps init names; --html writes a report', () => {
    const one = JSON.parse(cli(['diagnose', dqn, '--input-shape', '4', '--json', '--gemm', 'ts']).stdout);
    expect(Object.keys(one.layers[0])).toEqual(
      expect.arrayContaining(['name', 'module', 'outputMean', 'outputStd', 'predictedStd', 'gradOutputStd', 'paramGradStd', 'verdict']),
    );
    expect(one.layers.map((l: { name: string }) => l.name)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(one.summary.forward).toBe('vanishing');
    const html = join(dir, 'r.html');
    const many = cli(['diagnose', dqn, '--input-shape', '4', '--compare', 'torch,lecun,he,xavier', '--json', '--html', html, '--gemm', 'ts']);
    expect(many.code, many.stderr).toBe(0);
    const m = JSON.parse(many.stdout);
    expect(Object.keys(m)).toEqual(['torch', 'lecun', 'he', 'xavier']);
    expect(m.he.summary.forward).toBe('healthy');
    expect(readFileSync(html, 'utf8')).toContain('id="initkit-data"');
  });

  it('--no-probe predicts only; --widths adds a coordinate check', () => {
    const r = JSON.parse(cli(['diagnose', dqn, '--input-shape', '4', '--no-probe', '--json']).stdout);
    expect(r.summary.measured).toBe(false);
    expect(r.layers[0].outputStd).toBeNull();
    const w = JSON.parse(cli(['diagnose', 'tests/fixtures/models/dqn.json', '--input-shape', '4', '--widths', '64,128,256', '--json', '--gemm', 'ts']).stdout);
    expect(w.widthSweep.widths).toEqual([64, 128, 256]);
    expect(w.widthSweep.layers.length).toBe(11);
  });

  it('errors: a shape that does not fit names both shapes; bad flags are clean', () => {
    const r = cli(['diagnose', dqn, '--input-shape', '5', '--gemm', 'ts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/initkit: error: .*4.*5|initkit: error: .*5.*4/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(cli(['diagnose', dqn, '--input-shape', '0']).stderr).toMatch(/--input-shape: expected positive integers/);
    expect(cli(['diagnose', dqn, '--input-shape', '4', '--compare', 'torch,jax']).stderr).toMatch(/--compare: expected preset to be one of/);
    expect(cli(['diagnose', dqn, '--input-shape', '4', '--band', '3,1']).stderr).toMatch(/--band: expected two numbers lo,hi/);
  });
});

describe('npm start (initkit demo)', () => {
  it('prints the summary and writes report.html in under 15 s', () => {
    const out = join(dir, 'report.html');
    const t0 = performance.now();
    const r = cli(['demo', '--out', out]);
    const seconds = (performance.now() - t0) / 1000;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("the seed thread's DQN");
    expect(r.stdout).toContain('50-layer, 256-wide ReLU MLP');
    expect(r.stdout).toContain(`report: ${out}`);
    expect(existsSync(out)).toBe(true);
    expect(seconds).toBeLessThan(60); // the 15 s is measured in the closing note on a quiet machine
  });
});
