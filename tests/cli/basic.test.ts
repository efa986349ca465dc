import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { VERSION } from '../../src/index.js';
import { readFileSync } from 'node:fs';

describe('initkit CLI basics', () => {
  it('--help and --version', () => {
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('Usage: initkit');
    const v = cli(['--version']);
    expect(v.stdout.trim()).toBe(VERSION);
    expect(JSON.parse(readFileSync('package.json', 'utf8')).version).toBe(VERSION);
  });

  it('sample reproduces torch.manual_seed(0); torch.randn(5) bit for bit', () => {
    const r = cli(['sample', 'randn', '5', '--seed', '0', '--bits']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('3fc53f5c be963c50 c00b7149 3f1184b6 bf8ad1a1');
    const p = cli(['sample', 'randperm', '10', '--json']);
    expect(JSON.parse(p.stdout)).toEqual([4, 1, 7, 5, 3, 9, 0, 8, 6, 2]);
  });

  it('bad input: a clear one-line error, no stack trace, exit code 2', () => {
    const r = cli(['sample', 'rand', '3', '--seed', '1.5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('initkit: error: --seed: expected an integer');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const u = cli(['nonsense']);
    expect(u.code).toBe(2);
    const k = cli(['sample', 'gauss', '3']);
    expect(k.stderr).toMatch(/expected one of rand, randn, trunc_normal, randperm, got "gauss"/);
  });
});
