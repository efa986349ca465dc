// Vitest global setup: make sure dist/ (the built CLI, spawned by end-to-end tests) is not older than src/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  const bin = 'dist/cli/main.js';
  if (!existsSync(bin) || statSync(bin).mtimeMs < newest('src')) {
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
    } catch {
      // tsc still emits JavaScript on type errors; the typecheck step reports them. End-to-end tests use what it wrote.
      process.stderr.write('tests/setup/build.ts: tsc reported errors while rebuilding dist/ (see above)\n');
    }
    execFileSync(process.execPath, ['scripts/postbuild.mjs'], { stdio: 'inherit' });
  }
}
