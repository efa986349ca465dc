/**
 * What the glibc libm scripts share (gen-libm-fixtures.mjs, gen-libm64-fixtures.mjs, check-libm-exhaustive.mjs,
 * check-libm64.mjs): the repository root, option reading, the reference-machine check, building a C dumper
 * (scripts/<name>.c) and a standalone TypeScript port (src/rng/<name>.ts) into a temporary folder, and the
 * one-case-per-line fixture writer.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The value after `name` in `args`, or `dflt` when the flag is absent. */
export function option(args, name, dflt) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
}

/** The first line of `ldd --version` (names the glibc build). */
export function glibcVersion() {
  return execFileSync('sh', ['-c', 'ldd --version | head -1']).toString().trim();
}

/**
 * Throws unless this is the machine the fixtures describe: x86-64 glibc 2.36 on a CPU with AVX2 and FMA (so that
 * libm's ifuncs select the FMA variants the ports reproduce); `force` skips the check. Returns {@link glibcVersion}.
 */
export function requireReferenceMachine(force) {
  const glibc = glibcVersion();
  const cpuFlags = (() => {
    try {
      const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
      return new Set((line ?? '').split(/\s+/));
    } catch {
      return new Set();
    }
  })();
  if (!force && (!/GLIBC 2\.36/.test(glibc) || !cpuFlags.has('fma') || !cpuFlags.has('avx2') || process.arch !== 'x64')) {
    throw new Error(`needs x86-64 glibc 2.36 with AVX2+FMA (got "${glibc}", arch ${process.arch}, fma=${cpuFlags.has('fma')}, avx2=${cpuFlags.has('avx2')}); use --force to override`);
  }
  return glibc;
}

/** Compiles scripts/<name>.c with `cc -O2 -fno-builtin … -lm` into `dir`; returns the executable's path. */
export function buildDumper(dir, name) {
  const exe = path.join(dir, name);
  execFileSync('cc', ['-O2', '-fno-builtin', '-o', exe, path.join(ROOT, `scripts/${name}.c`), '-lm'], { stdio: 'inherit' });
  return exe;
}

/** The compiler and command {@link buildDumper} uses, as a fixture records them. */
export function dumperCompiler(name) {
  const cc = execFileSync('sh', ['-c', 'cc --version | head -1']).toString().trim();
  return `${cc}; cc -O2 -fno-builtin scripts/${name}.c -lm`;
}

/** Transpiles src/rng/<name>.ts (and what it imports) with the project's tsc into `dir`/js; returns its module URL. */
export function buildPort(dir, name) {
  execFileSync(path.join(ROOT, 'node_modules/.bin/tsc'), [
    '--target', 'ES2022', '--module', 'ES2022', '--moduleResolution', 'bundler', '--strict',
    '--noUncheckedIndexedAccess', '--skipLibCheck', '--outDir', path.join(dir, 'js'), path.join(ROOT, `src/rng/${name}.ts`),
  ], { stdio: 'inherit' });
  return pathToFileURL(path.join(dir, 'js', `${name}.js`)).href;
}

/**
 * Writes `fixture` (`generatedBy`, `format`, then one array of cases per name in `fns`) to `out` with one case per
 * line, which keeps the file diffable; checks that it parses and returns the text.
 */
export function writeFixture(out, fixture, fns) {
  mkdirSync(path.dirname(out), { recursive: true });
  const body = ['{',
    `  "generatedBy": ${JSON.stringify(fixture.generatedBy)},`,
    `  "format": ${JSON.stringify(fixture.format)},`,
    ...fns.map((fn, k) => `  "${fn}": [\n${fixture[fn].map((c) => `    ${JSON.stringify(c)}`).join(',\n')}\n  ]${k < fns.length - 1 ? ',' : ''}`),
    '}', ''].join('\n');
  writeFileSync(out, body);
  JSON.parse(readFileSync(out, 'utf8'));
  return body;
}
