// The HTML report (src/cli/report/): structure, escaping, self-containedness. No browser here; the page running in
// headless Chromium is tests/e2e/report.browser.test.ts.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DiagnosisReport } from '../../src/analysis/diagnose-types.js';
import { InitError } from '../../src/errors.js';
import { loadChartLibrary } from '../../src/cli/report/chartjs.js';
import { REPORT_CLIENT_JS } from '../../src/cli/report/client.js';
import { escapeHtml, jsonForScript, scriptForInline } from '../../src/cli/report/escape.js';
import { formatNumber } from '../../src/cli/report/format.js';
import { renderDiagnosisHtml } from '../../src/cli/report/html.js';

const fixture = JSON.parse(readFileSync('tests/fixtures/diagnosis-sample.json', 'utf8')) as { reports: DiagnosisReport[] };
const [dqn, mlp] = fixture.reports as [DiagnosisReport, DiagnosisReport];
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** The contents of every `<script>` element, in order, with its opening tag. */
function scripts(html: string): { open: string; body: string }[] {
  return [...html.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script>/gi)].map((m) => ({ open: m[1] as string, body: m[2] as string }));
}
function dataJson(html: string): unknown {
  const s = scripts(html).find((x) => x.open.includes('id="initkit-data"'));
  expect(s, 'the #initkit-data element').toBeDefined();
  return JSON.parse((s as { body: string }).body);
}
/** The page without its three inline scripts (what the HTML parser renders as markup and text). */
function markup(html: string): string {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
}
/** Text of the cell `data-col="col"` in the row `data-index="k"` of the panel with this id. */
function cell(html: string, panelId: string, k: number, col: string): string {
  const start = html.indexOf(`id="${panelId}"`);
  expect(start, panelId).toBeGreaterThan(0);
  const end = html.indexOf('</table>', start);
  const row = new RegExp(`<tr data-index="${k}"[\\s\\S]*?</tr>`).exec(html.slice(start, end))?.[0] ?? '';
  const m = new RegExp(`data-col="${col}">([\\s\\S]*?)</td>`).exec(row);
  return (m?.[1] ?? '<missing>').replace(/<[^>]+>/g, '');
}
const unescape = (s: string): string => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('renderDiagnosisHtml: a self-contained page', () => {
  const html = renderDiagnosisHtml(mlp);
  const lib = loadChartLibrary();

  it('inlines Chart.js 4.6.1 from node_modules (the UMD bundle, in its own script element)', () => {
    expect(lib.version).toBe('4.6.1');
    expect(lib.path).toMatch(/node_modules[/\\]chart\.js[/\\]dist[/\\]chart\.umd\.js$/);
    const s = scripts(html);
    expect(s).toHaveLength(3);
    expect(s.map((x) => x.open)).toEqual(['<script type="application/json" id="initkit-data">', '<script>', '<script>']);
    expect(s[1]?.body).toBe(scriptForInline(lib.source));
    expect(s[1]?.body.length).toBeGreaterThan(150_000);
    expect(s[1]?.body).toContain('Chart.js v4.6.1');
    expect(s[2]?.body).toBe(REPORT_CLIENT_JS);
    expect(html).toContain('Chart.js v4.6.1 (MIT licence)');
  });

  it('embeds the report as JSON that parses back equal to the input (one report, or the array of several)', () => {
    expect(dataJson(html)).toEqual(mlp);
    const both = renderDiagnosisHtml(fixture.reports);
    expect(dataJson(both)).toEqual(fixture.reports);
  });

  it('loads nothing: no src/href/@import/url(), a CSP forbidding fetches, and URLs only in the library banners or report text', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/\burl\s*\(/i);
    expect(html).not.toMatch(/<(img|iframe|object|embed|video|audio|source)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/\bhref\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
    // The library's URLs sit only in its /*! ... */ banners.
    const libCode = lib.source.replace(/\/\*![\s\S]*?\*\//g, '');
    expect(libCode).not.toMatch(/https?:\/\//);
    // Everywhere else, a URL is text from the report (the explain table's paper citation), never a resource.
    const dataText = JSON.stringify(mlp);
    const rest = html.replace(scriptForInline(lib.source), '');
    const urls = [...rest.matchAll(/https?:\/\/[^\s"'<>)\\]+/g)].map((m) => m[0]);
    for (const u of urls) expect(dataText, u).toContain(u);
    expect(REPORT_CLIENT_JS).not.toMatch(/https?:|fetch\(|XMLHttpRequest|import\(/);
  });

  it('keeps every script element closed where it should be (no </script or <!-- inside)', () => {
    for (const s of scripts(html)) expect(s.body).not.toMatch(/<\/script|<!--/i);
    expect(html.match(/<\/script>/gi)).toHaveLength(3);
  });

  it('shows no NaN, undefined or Infinity in the markup', () => {
    const m = markup(html);
    expect(m).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe('renderDiagnosisHtml: structure and numbers', () => {
  const html = renderDiagnosisHtml(fixture.reports);

  it('has a section per model with a header naming model, seed, input shape, batch and generatedBy', () => {
    expect(html.match(/<section class="model"/g)).toHaveLength(2);
    for (const r of fixture.reports) {
      expect(html).toContain(escapeHtml(r.model));
      expect(html).toContain(`<dd data-field="batch">${r.batch}</dd>`);
      expect(html).toContain(`<dd data-field="inputShape">[${r.inputShape.join(', ')}]</dd>`);
      expect(html).toContain(`<dd data-field="seed">${r.seed}</dd>`);
    }
    expect(html).toContain(`<dd data-field="generatedBy">${dqn.generatedBy}</dd>`);
    expect(html).toContain('<title>initkit diagnose: 2 models</title>');
    expect(renderDiagnosisHtml(dqn, { title: 'My <DQN>' })).toContain('<title>My &lt;DQN&gt;</title>');
  });

  it('has a verdict card per init with the summary numbers, verdicts and recommendation', () => {
    for (const r of fixture.reports) {
      r.inits.forEach((name) => {
        const s = r.results[name]!.summary;
        expect(html).toContain(`data-init-name="${escapeHtml(name)}"`);
        expect(html).toContain(`<dd data-field="endToEndGain">${formatNumber(s.endToEndGain)}</dd>`);
        expect(html).toContain(`<dd data-field="finalStd">${formatNumber(s.finalStd)}</dd>`);
        if (s.recommendation !== null) expect(html).toContain(escapeHtml(s.recommendation));
      });
    }
    // the MLP under PyTorch's default: the gradient shrinks to ~1e-19 at the first layer
    expect(mlp.results.torch!.summary.gradientGain).toBeLessThan(1e-18);
    expect(html).toContain(`<dd data-field="gradientGain">${formatNumber(mlp.results.torch!.summary.gradientGain)}</dd>`);
    expect(html).toMatch(/data-field="forward"><span class="dir">forward<\/span> ↓ vanishing/);
    expect(html).toMatch(/data-field="backward"><span class="dir">backward<\/span> ✓ healthy/);
  });

  it('has, per init, a per-layer table whose cells are the fixture numbers formatted', () => {
    fixture.reports.forEach((r, mi) => {
      r.inits.forEach((name, i) => {
        const layers = r.results[name]!.layers;
        const panel = `m${mi}-layers-${i}`;
        const body = html.slice(html.indexOf(`id="${panel}"`), html.indexOf('</table>', html.indexOf(`id="${panel}"`)));
        expect(body.match(/<tr data-index=/g)).toHaveLength(layers.length);
        for (const k of [0, Math.floor(layers.length / 2), layers.length - 1]) {
          const l = layers[k]!;
          expect(unescape(cell(html, panel, l.index, 'name'))).toContain(l.name);
          expect(cell(html, panel, l.index, 'module')).toBe(l.module);
          expect(cell(html, panel, l.index, 'outputStd')).toBe(formatNumber(l.outputStd));
          expect(cell(html, panel, l.index, 'predictedStd')).toBe(formatNumber(l.predictedStd));
          expect(cell(html, panel, l.index, 'gradOutputStd')).toBe(formatNumber(l.gradOutputStd));
          expect(cell(html, panel, l.index, 'verdict')).toContain(l.verdict);
          expect(cell(html, panel, l.index, 'gradVerdict')).toContain(l.gradVerdict);
        }
      });
    });
  });

  it('has, per init, the explain table (parameter, shape, init, distribution, std, vs LeCun / He / Xavier)', () => {
    const ex = dqn.results.he!.explain;
    const start = html.indexOf('id="m0-explain-2"');
    const panel = html.slice(start, html.indexOf('</table>', start));
    expect(panel.match(/<tr data-param=/g)).toHaveLength(ex.parameters.length);
    const w = ex.parameters[0]!;
    const row = new RegExp(`<tr data-param="${w.name}">[\\s\\S]*?</tr>`).exec(panel)?.[0] ?? '';
    expect(row).toContain(`[${w.shape.join(', ')}]`);
    expect(row).toContain(escapeHtml(w.init));
    expect(row).toContain(escapeHtml(w.distribution));
    expect(row).toContain(`data-col="std">${formatNumber(w.std)}<`);
    expect(row).toMatch(/data-col="vsHe">1×</); // He's own weights: exactly He's std
    for (const col of ['vsLecun', 'vsHe', 'vsXavier']) expect(row).toContain(`data-col="${col}"`);
  });

  it('has the chart canvases: 3 line charts per model, a detail histogram, first/middle/last histograms per init, the width sweep', () => {
    const m = markup(html);
    expect(m.match(/<canvas data-chart="activation"/g)).toHaveLength(2);
    expect(m.match(/<canvas data-chart="gradient"/g)).toHaveLength(2);
    expect(m.match(/<canvas data-chart="predicted-vs-measured"/g)).toHaveLength(2);
    expect(m.match(/<canvas data-chart="histogram"/g)).toHaveLength(2);
    expect(m.match(/<canvas data-chart="histogram-mini"/g)).toHaveLength(2 * 4 * 3);
    expect(m.match(/<canvas data-chart="width-sweep"/g)).toHaveLength(1); // only the MLP has a sweep
    // init tabs: one tablist per table kind and model, each with one tab per init
    expect(m.match(/role="tablist"/g)).toHaveLength(4);
    expect(m.match(/role="tab" /g)).toHaveLength(16);
  });
});

describe('renderDiagnosisHtml: escaping', () => {
  const evil = '<img src=x onerror="alert(1)"> & </script><script>alert(2)</script><!-- \u2028';

  function evilReport(): DiagnosisReport {
    const r = clone(dqn);
    r.model = `model ${evil}`;
    r.seed = `7${evil}`;
    r.generatedBy = `initkit ${evil}`;
    const name = `he ${evil}`;
    const d = r.results.he!;
    delete r.results.he;
    r.results[name] = d;
    r.inits = r.inits.map((n) => (n === 'he' ? name : n));
    d.init = name;
    d.summary.init = name;
    d.summary.recommendation = `use ${evil}`;
    d.layers[3]!.name = `layer ${evil}`;
    d.layers[3]!.module = `Mod${evil}`;
    d.layers[3]!.paramGradStd = { [`w${evil}`]: 0.5 };
    d.summary.forwardLeavesBandAt = d.layers[3]!.name;
    d.explain.parameters[0]!.name = `p ${evil}`;
    d.explain.parameters[0]!.init = `init ${evil}`;
    d.explain.parameters[0]!.distribution = `dist ${evil}`;
    d.explain.modules = [{ name: `m ${evil}`, module: 'Linear', note: `note ${evil}` }];
    d.explain.title = `title ${evil}`;
    return r;
  }

  it('escapes names with < > & " in text and attributes, and the data still parses back equal', () => {
    const r = evilReport();
    const html = renderDiagnosisHtml(r, { title: `T ${evil}` });
    expect(dataJson(html)).toEqual(r);
    const m = markup(html);
    expect(m).not.toContain('<img');
    expect(m).not.toContain('onerror="');
    expect(m).not.toContain('<!--');
    expect(m).not.toMatch(/<script>alert/);
    expect(m).toContain(escapeHtml(evil));
    expect(m).toContain(`data-init-name="he ${escapeHtml(evil)}"`);
    expect(m).toContain(`data-layer="layer ${escapeHtml(evil)}"`);
    expect(scripts(html)).toHaveLength(3);
    for (const s of scripts(html)) expect(s.body).not.toMatch(/<\/script|<!--/i);
  });

  it('escapeHtml covers & < > " \'', () => {
    expect(escapeHtml(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&#39;f');
  });

  it('jsonForScript: JSON.parse gives back the value, and no <, >, &, U+2028/9 appear (fast-check)', () => {
    const seed = Date.now() >>> 0;
    fc.assert(
      fc.property(fc.jsonValue(), fc.string(), (v, s) => {
        const value = { v, s: `${s}</script><!--\u2028\u2029&` };
        const out = jsonForScript(value);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { seed, numRuns: 200 },
    );
  });

  it('scriptForInline keeps the meaning of strings, templates and regexes that contain </script or <!--', () => {
    const code =
      "return ['</script>', \"<!--x\", `</SCRIPT ${1}`, /<\\/script>|<!--/g.exec('x <!-- y')[0], /a<!--b/u.test('a<!--b'), /<\\/script/i.test('</SCRIPT')].join('|');";
    const safe = scriptForInline(code);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    expect(new Function(safe)()).toBe(new Function(code)());
  });
});

describe('renderDiagnosisHtml: awkward numbers and input', () => {
  it('renders nulls, zeros, non-finite values and 1e-300 without NaN in the markup', () => {
    const r = clone(mlp);
    const d = r.results.torch!;
    d.layers[0]!.outputStd = null;
    d.layers[1]!.outputStd = 0;
    d.layers[2]!.outputStd = Number.NaN;
    d.layers[3]!.outputStd = Number.POSITIVE_INFINITY;
    d.layers[4]!.outputStd = 1e-300;
    d.layers[5]!.gradOutputStd = null;
    d.layers[5]!.histogram = null;
    d.layers[6]!.zeroFraction = null;
    d.summary.gradientGain = null;
    d.summary.forwardLeavesBandAt = 'no-such-layer';
    const html = renderDiagnosisHtml(r);
    expect(markup(html)).not.toMatch(/NaN|undefined/);
    expect(cell(html, 'm0-layers-0', 0, 'outputStd')).toBe('—');
    expect(cell(html, 'm0-layers-0', 1, 'outputStd')).toBe('0');
    expect(cell(html, 'm0-layers-0', 2, 'outputStd')).toBe('—');
    expect(cell(html, 'm0-layers-0', 3, 'outputStd')).toBe('inf');
    expect(cell(html, 'm0-layers-0', 4, 'outputStd')).toBe('1.00e-300');
    expect(html).toContain('<dd data-field="gradientGain">—</dd>');
  });

  it('renders a report with no layers and an init missing from `inits`', () => {
    const r = clone(dqn);
    for (const d of Object.values(r.results)) d.layers = [];
    r.inits = ['he'];
    const html = renderDiagnosisHtml(r);
    expect(html.match(/<article class="card/g)).toHaveLength(4); // results not listed in inits still shown, after
    expect(html.indexOf('data-init-name="he"')).toBeLessThan(html.indexOf('data-init-name="torch"'));
    expect(markup(html)).not.toMatch(/NaN|undefined/);
  });

  it('throws InitError naming `report` for an empty array', () => {
    expect(() => renderDiagnosisHtml([])).toThrow(InitError);
    expect(() => renderDiagnosisHtml([])).toThrow(/^renderDiagnosisHtml: expected report to be a DiagnosisReport or a non-empty array of them, got an empty array/);
  });

  it('stays small: the sample fixture is under 400 KB and its two-model page under 1.5 MB', () => {
    expect(readFileSync('tests/fixtures/diagnosis-sample.json').length).toBeLessThan(400_000);
    expect(renderDiagnosisHtml(fixture.reports).length).toBeLessThan(1_500_000);
  });
});
