// The HTML report as a user opens it: real headless Chromium (Debian's `chromium`, driven by playwright-core) loads
// the file from disk. Checks: no request beyond the file itself, no console or page errors, every chart drawn (a
// Chart.js instance with the fixture's data, non-blank pixels, log axes reaching 1e-19), the numbers in the tables and
// cards equal the JSON's formatted the same way, the init tabs and histogram selects work, print shows every panel,
// a phone-width viewport has no horizontal overflow. Screenshots go to $TMPDIR/initkit-report-e2e/.
// Skipped (loudly) where /usr/bin/chromium is missing; CI installs it with `apt-get install -y chromium`.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../src/analysis/diagnose-types.js';
import { formatNumber } from '../../src/cli/report/format.js';
import { renderDiagnosisHtml } from '../../src/cli/report/html.js';

const CHROMIUM = '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  process.stderr.write(`\nBROWSER TEST SKIPPED: ${CHROMIUM} not found (install Debian's chromium: apt-get install -y chromium)\n\n`);
}

const fixture = JSON.parse(readFileSync('tests/fixtures/diagnosis-sample.json', 'utf8')) as { reports: DiagnosisReport[] };
const reports = fixture.reports;

interface ChartInfo {
  kind: string;
  model: number;
  type: string;
  datasets: { label: string; data: (number | null)[] }[];
  yType: string | null;
  yMin: number | null;
  yMax: number | null;
  yTicks: string[];
  yTickValues: number[];
  painted: number;
  width: number;
  height: number;
}

// Runs in the page (a string: this project's tsconfig has no DOM types). For every chart canvas: its Chart.js instance's
// type, datasets and y axis, and how many of its pixels are painted.
const INSPECT_CHARTS = `[...document.querySelectorAll('canvas[data-chart]')].map((canvas) => {
  const chart = Chart.getChart(canvas);
  const img = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < img.length; i += 4) if (img[i] > 0) painted++;
  const y = chart && chart.scales.y;
  return {
    kind: canvas.getAttribute('data-chart'),
    model: Number(canvas.closest('section.model').getAttribute('data-model')),
    type: chart ? chart.config.type : 'none',
    datasets: chart ? chart.data.datasets.map((d) => ({ label: d.label, data: d.data })) : [],
    yType: y ? y.type : null, yMin: y ? y.min : null, yMax: y ? y.max : null,
    yTicks: y ? y.ticks.map((t) => String(t.label)) : [],
    yTickValues: y ? y.ticks.map((t) => t.value) : [],
    painted, width: canvas.width, height: canvas.height,
  };
})`;

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  const dir = join(tmpdir(), 'initkit-report-e2e');
  const file = join(dir, 'report.html');
  const url = pathToFileURL(file).href;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The only URLs a page may load: the report files this test writes. */
  const allowed = new Set([url]);
  const requests: string[] = [];
  const blocked: string[] = [];
  const errors: string[] = [];
  let charts: ChartInfo[] = [];

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, renderDiagnosisHtml(reports));
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--host-resolver-rules=MAP * ~NOTFOUND'],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    // Anything that is not one of the report files is recorded and aborted.
    await context.route((u) => !allowed.has(u.href), async (route) => {
      blocked.push(route.request().url());
      await route.abort();
    });
    page = await context.newPage();
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction("document.documentElement.hasAttribute('data-charts')", undefined, { timeout: 15_000 });
    charts = (await page.evaluate(INSPECT_CHARTS)) as ChartInfo[];
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('makes no network request: only the file itself is requested, nothing was blocked', () => {
    expect(blocked).toEqual([]);
    expect(requests).toEqual([url]);
  });

  it('logs no console errors or warnings and throws no page errors', () => {
    expect(errors).toEqual([]);
  });

  it('draws every chart: a Chart.js instance on each canvas, with non-blank pixels', () => {
    // per model: 3 line charts, the detail histogram, 3 small multiples per init; the MLP adds the width sweep
    const expected = reports.reduce((n, r) => n + 4 + 3 * r.inits.length + (r.widthSweep ? 1 : 0), 0);
    expect(charts).toHaveLength(expected);
    for (const c of charts) {
      expect(c.type, `${c.kind} in model ${c.model}`).not.toBe('none');
      expect(c.width * c.height).toBeGreaterThan(0);
      // a drawn chart paints a good share of its canvas (axes, lines, bars); a blank one paints nothing
      expect(c.painted / (c.width * c.height), `${c.kind} in model ${c.model}`).toBeGreaterThan(0.01);
    }
  });

  it('plots the fixture values: activation and gradient std per init on log axes that reach 1e-19', () => {
    reports.forEach((r, mi) => {
      const act = charts.find((c) => c.kind === 'activation' && c.model === mi) as ChartInfo;
      const grad = charts.find((c) => c.kind === 'gradient' && c.model === mi) as ChartInfo;
      const pvm = charts.find((c) => c.kind === 'predicted-vs-measured' && c.model === mi) as ChartInfo;
      for (const c of [act, grad, pvm]) expect(c.yType).toBe('logarithmic');
      r.inits.forEach((name) => {
        const layers = r.results[name]!.layers;
        const pos = (v: number | null): number | null => (v !== null && Number.isFinite(v) && v > 0 ? v : null);
        expect(act.datasets.find((d) => d.label === name)?.data).toEqual(layers.map((l) => pos(l.outputStd)));
        expect(grad.datasets.find((d) => d.label === name)?.data).toEqual(layers.map((l) => pos(l.gradOutputStd)));
        expect(pvm.datasets.find((d) => d.label === `${name} · predicted`)?.data).toEqual(layers.map((l) => pos(l.predictedStd)));
        expect(pvm.datasets.find((d) => d.label === `${name} · measured`)?.data).toEqual(layers.map((l) => pos(l.outputStd)));
      });
      for (const c of [act, grad, pvm]) {
        for (const t of c.yTicks) expect(t).not.toMatch(/NaN|undefined|Infinity/);
        expect(c.yTicks.length).toBeGreaterThanOrEqual(2);
      }
    });
    // the MLP under PyTorch's default: first-layer gradient std about 1e-19, on the axis
    const mlpGrad = charts.find((c) => c.kind === 'gradient' && c.model === 1) as ChartInfo;
    const smallest = Math.min(...reports[1]!.results.torch!.layers.map((l) => l.gradOutputStd ?? Infinity));
    expect(smallest).toBeLessThan(1e-18);
    expect(mlpGrad.yMin).toBeLessThanOrEqual(smallest);
    expect(mlpGrad.yMax).toBeGreaterThanOrEqual(1);
    // ticks at powers of ten, written 10⁻ⁿ, down to the 1e-18 decade
    const lowest = Math.min(...mlpGrad.yTickValues);
    expect(lowest).toBeLessThanOrEqual(1e-17);
    const exponent = Math.round(Math.log10(lowest));
    const sup = (n: number): string => [...String(n)].map((c) => '⁻⁰¹²³⁴⁵⁶⁷⁸⁹'['-0123456789'.indexOf(c)]).join('');
    expect(mlpGrad.yTicks[mlpGrad.yTickValues.indexOf(lowest)]).toBe(`10${sup(exponent)}`);
  });

  it('shows the summary cards and per-layer table numbers of the JSON, formatted the same way', async () => {
    for (const [mi, r] of reports.entries()) {
      for (const [i, name] of r.inits.entries()) {
        const d = r.results[name]!;
        const card = page.locator(`section[data-model="${mi}"] .card[data-init="${i}"]`);
        expect(await card.locator('[data-field="init"]').innerText()).toBe(name);
        expect(await card.locator('[data-field="endToEndGain"]').innerText()).toBe(formatNumber(d.summary.endToEndGain));
        expect(await card.locator('[data-field="finalStd"]').innerText()).toBe(formatNumber(d.summary.finalStd));
        expect(await card.locator('[data-field="gradientGain"]').innerText()).toBe(formatNumber(d.summary.gradientGain));
        expect(await card.locator('[data-field="forward"]').innerText()).toContain(d.summary.forward);
        expect(await card.locator('[data-field="backward"]').innerText()).toContain(d.summary.backward);
        const leaves = await card.locator('[data-field="forwardLeavesBandAt"]').innerText();
        expect(leaves).toContain(d.summary.forwardLeavesBandAt ?? 'never');
        const rec = await card.locator('[data-field="recommendation"]').innerText();
        if (d.summary.recommendation !== null) expect(rec).toContain(d.summary.recommendation);
        // the table of this init, after selecting its tab
        await page.locator(`section[data-model="${mi}"] [role="tab"][aria-controls="m${mi}-layers-${i}"]`).click();
        const panel = page.locator(`#m${mi}-layers-${i}`);
        expect(await panel.isVisible()).toBe(true);
        for (const k of [0, Math.floor(d.layers.length / 2), d.layers.length - 1]) {
          const l = d.layers[k]!;
          const row = panel.locator(`tr[data-index="${l.index}"]`);
          expect(await row.locator('[data-col="module"]').innerText()).toBe(l.module);
          expect(await row.locator('[data-col="outputStd"]').innerText()).toBe(formatNumber(l.outputStd));
          expect(await row.locator('[data-col="predictedStd"]').innerText()).toBe(formatNumber(l.predictedStd));
          expect(await row.locator('[data-col="gradOutputStd"]').innerText()).toBe(formatNumber(l.gradOutputStd));
          expect(await row.locator('[data-col="verdict"]').innerText()).toContain(l.verdict);
        }
      }
    }
    const text = await page.locator('body').innerText();
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });

  it('switches init tabs together and drives the histogram from the selects', async () => {
    const mi = 1;
    const r = reports[mi]!;
    const he = r.inits.indexOf('he');
    await page.locator(`#m${mi}-explain-tab-${he}`).click();
    expect(await page.locator(`#m${mi}-explain-${he}`).isVisible()).toBe(true);
    expect(await page.locator(`#m${mi}-explain-0`).isVisible()).toBe(false);
    expect(await page.locator(`#m${mi}-layers-${he}`).isVisible()).toBe(true); // tabs of a model move together
    expect(await page.locator(`#m${mi}-explain-tab-${he}`).getAttribute('aria-selected')).toBe('true');
    const section = page.locator(`section[data-model="${mi}"]`);
    expect(await section.locator('select[data-role="hist-init"]').inputValue()).toBe(String(he));
    const histData = async (): Promise<number[]> =>
      (await page.evaluate(
        `Chart.getChart(document.querySelector('section[data-model="${mi}"] canvas[data-chart="histogram"]')).data.datasets[0].data`,
      )) as number[];
    const layers = r.results.he!.layers;
    expect(await histData()).toEqual(layers.at(-1)!.histogram!.counts); // the last layer by default
    await section.locator('select[data-role="hist-layer"]').selectOption('0');
    expect(await histData()).toEqual(layers[0]!.histogram!.counts);
    expect(await section.locator('[data-role="hist-stats"]').innerText()).toContain(`std ${formatNumber(layers[0]!.outputStd)}`);
    await section.locator('select[data-role="hist-init"]').selectOption('0');
    expect(await histData()).toEqual(r.results[r.inits[0]!]!.layers[0]!.histogram!.counts);
    expect(await page.locator(`#m${mi}-layers-0`).isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('prints every tab panel, and fits a phone-width screen without horizontal scrolling', async () => {
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await page.emulateMedia({ media: 'print' });
    const panels = await page.locator('[role="tabpanel"]').count();
    let visible = 0;
    for (let k = 0; k < panels; k++) if (await page.locator('[role="tabpanel"]').nth(k).isVisible()) visible++;
    expect(visible).toBe(panels);
    expect(await page.locator('[role="tablist"]').first().isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 390, height: 844 });
    // Chart.js resizes its canvases from a ResizeObserver, a frame or more later
    const overflow = async (): Promise<number> =>
      (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    await expect.poll(overflow, { timeout: 5_000 }).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(dir, 'report-phone.png'), fullPage: false });
    expect(errors).toEqual([]);
    process.stderr.write(`report e2e: screenshots in ${dir}\n`);
  });

  it('copes with predicted-only numbers, 1e+12, zeros, nulls and no histograms: gaps, dashes, no NaN, no errors', async () => {
    // The DQN under `he`, turned into an exploding, predicted-only diagnosis with awkward values.
    const r = JSON.parse(JSON.stringify(reports[0])) as DiagnosisReport;
    r.inits = ['he'];
    r.results = { he: r.results.he! };
    const d = r.results.he!;
    d.summary.measured = false;
    d.summary.forward = 'exploding';
    d.layers.forEach((l, k) => {
      l.outputStd = l.outputMean = l.outputMin = l.outputMax = l.zeroFraction = l.gradOutputStd = null;
      l.histogram = null;
      l.paramGradStd = {};
      l.predictedStd = 10 ** (1.2 * k); // up to 1e+12
      l.predictedGradStd = 10 ** (-1.9 * (d.layers.length - 1 - k)); // down to 1e-19
      l.verdict = k > 0 ? 'exploding' : 'healthy';
    });
    d.layers[3]!.predictedStd = 0; // no place on a log axis: a gap
    d.layers[4]!.predictedStd = null;
    d.layers[5]!.predictedGradStd = Number.POSITIVE_INFINITY; // JSON: null
    const odd = join(dir, 'report-predicted.html');
    writeFileSync(odd, renderDiagnosisHtml(r));
    allowed.add(pathToFileURL(odd).href);
    const p2 = await context.newPage();
    const requests2: string[] = [];
    p2.on('request', (q) => requests2.push(q.url()));
    const errs: string[] = [];
    p2.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errs.push(m.text());
    });
    p2.on('pageerror', (e) => errs.push(e.message));
    await p2.goto(pathToFileURL(odd).href);
    await p2.waitForFunction("document.documentElement.hasAttribute('data-charts')");
    const info = (await p2.evaluate(INSPECT_CHARTS)) as ChartInfo[];
    expect(errs).toEqual([]);
    expect(requests2).toEqual([pathToFileURL(odd).href]);
    const act = info.find((c) => c.kind === 'activation') as ChartInfo;
    const grad = info.find((c) => c.kind === 'gradient') as ChartInfo;
    const he = act.datasets.find((x) => x.label === 'he')?.data as (number | null)[];
    expect(he[3]).toBeNull();
    expect(he[4]).toBeNull();
    expect(he.at(-1)).toBeCloseTo(1e12, -3);
    expect(act.yMax).toBeGreaterThanOrEqual(1e12);
    expect(grad.datasets.find((x) => x.label === 'he')?.data[5]).toBeNull();
    expect(grad.yMin).toBeLessThanOrEqual(1e-19);
    for (const c of [act, grad]) {
      expect(c.painted).toBeGreaterThan(0);
      for (const t of c.yTicks) expect(t).not.toMatch(/NaN|undefined|Infinity/);
    }
    // no histograms recorded: the small multiples and the detail chart say so instead of drawing
    expect(await p2.locator('.mini-box .no-data').count()).toBe(3);
    expect(await p2.locator('canvas[data-chart="histogram"]').isVisible()).toBe(false);
    expect(await p2.locator('.hist-layout').innerText()).toContain('No histogram recorded');
    expect(await p2.locator('.card [data-field="forward"]').innerText()).toContain('exploding');
    expect(await p2.locator('.card').innerText()).toContain('predicted only');
    expect(await p2.locator('body').innerText()).not.toMatch(/NaN|undefined|Infinity/);
    await p2.screenshot({ path: join(dir, 'report-predicted.png'), fullPage: true });
    await p2.close();
  });
});
