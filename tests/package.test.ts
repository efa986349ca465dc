// The package contract: ESM with typed exports, zero runtime dependencies and no Node APIs in the core library.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Files allowed to use Node APIs or packages: the CLI, Node file I/O, and the optional accel entry. */
const NODE_ONLY = (p: string): boolean => p.startsWith('src/cli/') || p === 'src/io/node.ts' || p === 'src/node.ts' || p.startsWith('src/accel/');

describe('package', () => {
  it('is ESM with types-first exports, sideEffects false, a files whitelist, Node >= 20 and the CLI bin', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.engines.node).toBe('>=20');
    expect(pkg.files).toContain('dist');
    expect(pkg.bin.initkit).toBe('./dist/cli/main.js');
    for (const entry of ['.', './node', './accel']) {
      expect(Object.keys(pkg.exports[entry])[0], entry).toBe('types');
    }
    for (const s of ['build', 'typecheck', 'lint', 'test', 'test:torch', 'bench', 'start']) expect(pkg.scripts[s], s).toBeDefined();
  });

  it('the core library imports no packages and no Node APIs (only relative modules)', () => {
    const offenders: string[] = [];
    for (const f of files('src').map((p) => relative('.', p))) {
      if (NODE_ONLY(f)) continue;
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith('.')) offenders.push(`${f}: ${spec}`);
      }
      if (/\bprocess\.|\brequire\(|\bBuffer\./.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) offenders.push(`${f}: uses a Node global`);
    }
    expect(offenders).toEqual([]);
  });

  it('runtime dependencies are the CLI\'s only (commander, chart.js); tfjs is an optional peer', () => {
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['chart.js', 'commander']);
    expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-core'].optional).toBe(true);
    expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-backend-wasm'].optional).toBe(true);
  });

  it('nothing in src/ outside the CLI prints', () => {
    const printing = files('src')
      .map((p) => relative('.', p))
      .filter((f) => !f.startsWith('src/cli/'))
      .filter((f) => /\bconsole\.(log|warn|error|info)\(/.test(readFileSync(f, 'utf8').replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')));
    expect(printing).toEqual([]);
  });
});
