// The core library in a real browser (headless Chromium via playwright-core): dist/index.js served over HTTP on
// 127.0.0.1, imported as an ES module by a page, with no Node APIs. It must reproduce PyTorch's stream bit for bit
// (the same golden vectors as tests/rng/vectors.test.ts), build a spec'd model, explain it, and run the WebAssembly
// kernels after the asynchronous compile (browsers refuse large synchronous compiles on the main thread).
// Skipped (loudly) where /usr/bin/chromium is missing.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) process.stderr.write(`\nBROWSER TEST SKIPPED: ${CHROMIUM} not found (apt-get install -y chromium)\n\n`);

const root = process.cwd();
let server: Server;
let base = '';
let browser: Browser | undefined;

beforeAll(async () => {
  if (!haveChromium) return;
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const path = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!path.startsWith(join(root, 'dist')) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(url.pathname === '/' ? 200 : 404, { 'content-type': 'text/html' });
      res.end(url.pathname === '/' ? '<!doctype html><title>initkit</title>' : 'not found');
      return;
    }
    res.writeHead(200, { 'content-type': extname(path) === '.js' ? 'text/javascript' : 'application/octet-stream' });
    res.end(readFileSync(path));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

// Runs in the page (a string: this project's tsconfig has no DOM types).
const IN_PAGE = `(async () => {
  const ik = await import('/dist/index.js');
  const bits = (xs) => Array.from(new Uint32Array(new Float32Array(xs).buffer), (u) => u.toString(16).padStart(8, '0'));
  await ik.loadKernels();
  ik.manualSeed(0);
  const rand = bits(ik.init.uniform_(ik.empty([5])).data);
  ik.manualSeed(0);
  const randn20 = bits(ik.init.normal_(ik.empty([20])).data);
  ik.manualSeed(0);
  const trunc = bits(ik.init.truncNormal_(ik.empty([8]), { std: 0.02 }).data);
  const spec = { type: 'Sequential', children: [{ type: 'Linear', args: [4, 3] }] };
  const model = ik.fromSpec(spec, { generator: new ik.Generator().manualSeed(0) });
  const linear = bits(model.stateDict().get('0.weight').data);
  const explained = ik.explain(model).parameters[0];
  return { rand, randn20, trunc, linear, init: explained.init, vsLecun: explained.vsLecun, backend: ik.getKernelBackend(), hasProcess: typeof process !== 'undefined' };
})()`;

describe('the core library in Chromium', () => {
  it.skipIf(!haveChromium)('reproduces PyTorch bit for bit, builds and explains a model, runs the WebAssembly kernels', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(`${base}/`);
    const r = (await page.evaluate(IN_PAGE)) as Record<string, unknown>;
    expect(errors).toEqual([]);
    expect(r['hasProcess']).toBe(false);
    // torch.manual_seed(0): rand(5), randn(20), trunc_normal_(empty(8), std=.02), nn.Linear(4, 3).weight (torch-cpu-rng.md §11)
    expect(r['rand']).toEqual(['3efe1558', '3f44aa2f', '3db533a8', '3e073300', '3e9d6686']);
    expect((r['randn20'] as string[]).join(' ')).toBe(
      'bf901b85 bf93808a be804bd6 bede255d 3f194d8b bfc70d5b beaec6ca 3fed2f4e 3eefaa55 be217f5f ' +
        '3fb8c9db 3e8837a1 3fb1d6c0 3fcb0d00 3f72409c bf57fb33 3f6e8c30 3fa12737 4000519a 3d5c1b3a',
    );
    expect(r['trunc']).toEqual(['b944c926', '3c7030c6', 'bcdd3719', 'bcb6fbd6', 'bc24e0da', '3be09365', 'ba02348e', '3cceb144']);
    expect((r['linear'] as string[]).join(' ')).toBe(
      'bb755400 3e89545e bed2b316 bebc6680 be4532f4 3e094bec bc224f40 3ecaface bd35bf70 3e077b4c be1abbac bdc94870',
    );
    expect(r['init']).toBe('kaiming_uniform_(a=√5)');
    expect(r['vsLecun']).toBeCloseTo(1 / Math.sqrt(3), 12);
    expect(r['backend']).toBe('wasm');
    await page.close();
  });
});
