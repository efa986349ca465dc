/**
 * The HTML report's stylesheet (inlined; system fonts only, nothing fetched). Init colours are the Okabe–Ito palette
 * (Okabe & Ito 2008, "Color Universal Design"), distinguishable with the common colour-vision deficiencies; every
 * verdict also carries a word and an arrow, never colour alone. Text colours meet WCAG AA (4.5:1) on their backgrounds.
 */

/** Line colours per init, in display order (cycled past 8). The client reads them from `--init-<i>`. */
export const INIT_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#8C564B'] as const;

export const REPORT_CSS = `
:root {
  color-scheme: light;
  --bg: #f5f6f8; --panel: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d8dde3; --line-soft: #eceff2;
  --accent: #0b57d0; --code-bg: #f0f2f5;
  --ok-bg: #e6f4ea; --ok-fg: #136c2e; --ok-line: #9fd3ae;
  --van-bg: #e8f0fe; --van-fg: #174ea6; --van-line: #a9c3f5;
  --exp-bg: #fce8e6; --exp-fg: #a50e0e; --exp-line: #f0aaa4;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Helvetica Neue", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
${INIT_COLORS.map((c, i) => `  --init-${i}: ${c};`).join('\n')}
}
${INIT_COLORS.map((_, i) => `.init-${i} { --c: var(--init-${i}); }`).join('\n')}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.5 var(--font); }
code, .mono { font-family: var(--mono); font-size: 0.92em; }
code { background: var(--code-bg); padding: 0.05em 0.35em; border-radius: 4px; }
.wrap { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
.top { background: #12263f; color: #f4f7fb; padding: 22px 0 18px; }
.top .brand { font: 600 13px/1 var(--mono); letter-spacing: 0.08em; text-transform: uppercase; color: #9fc1ee; }
.top h1 { margin: 6px 0 4px; font-size: 26px; line-height: 1.25; font-weight: 650; }
.top p { margin: 0; color: #c9d6e6; max-width: 75ch; }
.top nav { margin-top: 12px; display: flex; flex-wrap: wrap; gap: 8px; }
.top nav a { color: #f4f7fb; background: rgba(255,255,255,0.1); border: 1px solid rgba(255,255,255,0.25); padding: 3px 10px;
  border-radius: 999px; text-decoration: none; font-size: 13px; }
.top nav a:hover, .top nav a:focus-visible { background: rgba(255,255,255,0.22); }
main { padding: 8px 0 32px; }
section.model { margin-top: 22px; }
.model-head { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; }
.model-head h2 { margin: 0 0 10px; font-size: 20px; line-height: 1.3; overflow-wrap: anywhere; }
dl.meta { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 0; }
dl.meta div { min-width: 0; }
dl.meta dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.04em; }
dl.meta dd { margin: 0; font-family: var(--mono); font-size: 14px; overflow-wrap: anywhere; }
.model-head .band-note { margin: 12px 0 0; color: var(--muted); font-size: 13.5px; }
h3 { font-size: 17px; margin: 26px 0 10px; }
h3 .hint { font-weight: 400; color: var(--muted); font-size: 13.5px; margin-left: 6px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: 14px; }
.card { background: var(--panel); border: 1px solid var(--line); border-top: 4px solid var(--c, var(--line)); border-radius: 10px;
  padding: 12px 14px 14px; display: flex; flex-direction: column; gap: 8px; break-inside: avoid; }
.card h4 { margin: 0; font-size: 16px; display: flex; align-items: center; gap: 8px; overflow-wrap: anywhere; }
.card .preset { margin-left: auto; font: 12px var(--mono); color: var(--muted); white-space: nowrap; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 3px; background: var(--c, #888); flex: none; }
.badges { display: flex; flex-wrap: wrap; gap: 6px; }
.badge { display: inline-flex; align-items: center; gap: 4px; font-size: 13px; font-weight: 600; padding: 2px 9px; border-radius: 999px;
  border: 1px solid; white-space: nowrap; }
.badge .dir { font-weight: 400; color: inherit; opacity: 0.85; }
.v-healthy { background: var(--ok-bg); color: var(--ok-fg); border-color: var(--ok-line); }
.v-vanishing { background: var(--van-bg); color: var(--van-fg); border-color: var(--van-line); }
.v-exploding { background: var(--exp-bg); color: var(--exp-fg); border-color: var(--exp-line); }
.v-unknown { background: var(--code-bg); color: var(--muted); border-color: var(--line); }
.card dl { display: grid; grid-template-columns: 1fr auto; gap: 3px 12px; margin: 0; font-size: 14px; }
.card dt { color: var(--muted); }
.card dd { margin: 0; text-align: right; font-family: var(--mono); font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.card .rec { margin: 2px 0 0; font-size: 13.5px; padding: 8px 10px; border-radius: 6px; background: #fff8e1; border: 1px solid #f1d58a; color: #4d3b00; }
.card .rec.ok { background: var(--ok-bg); border-color: var(--ok-line); color: var(--ok-fg); }
.card .rec strong { display: block; font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; margin-bottom: 2px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 14px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; break-inside: avoid; }
figure.panel { margin: 0; }
.panel.wide { grid-column: 1 / -1; }
.panel figcaption h4, .panel > h4 { margin: 0; font-size: 15px; }
.panel figcaption p { margin: 2px 0 8px; color: var(--muted); font-size: 13px; }
.chart-box { position: relative; height: 320px; width: 100%; overflow: hidden; }
.chart-box.tall { height: 360px; }
.chart-box canvas { display: block; }
.chart-box canvas[hidden] { display: none; }
.no-data { display: flex; align-items: center; justify-content: center; height: 100%; color: var(--muted); font-style: italic; }
.hist-controls { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: end; margin-bottom: 8px; }
.hist-controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); gap: 2px; }
select { font: 14px var(--font); padding: 5px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; color: var(--fg); max-width: 100%; }
.hist-stats { margin: 6px 0 0; font-size: 13px; color: var(--muted); font-family: var(--mono); overflow-wrap: anywhere; }
.hist-layout { display: grid; grid-template-columns: minmax(0, 1.15fr) minmax(0, 2fr); gap: 14px; }
.hist-grid { display: grid; grid-template-columns: minmax(90px, 0.7fr) repeat(3, minmax(0, 1fr)); gap: 6px 10px; align-items: center; }
.hist-grid .colhead { font-size: 12.5px; color: var(--muted); text-align: center; overflow-wrap: anywhere; }
.hist-grid .rowhead { font-size: 13px; font-weight: 600; display: flex; align-items: center; gap: 6px; overflow-wrap: anywhere; min-width: 0; }
.mini { min-width: 0; }
.mini-box { position: relative; height: 82px; min-width: 0; overflow: hidden; }
.mini-cap { font: 11px/1.3 var(--mono); color: var(--muted); text-align: center; overflow-wrap: anywhere; margin-top: 2px; }
.mini-box .no-data { font-size: 12px; }
.tabs { display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid var(--line); margin-bottom: 0; }
.tabs button { font: 600 14px var(--font); color: var(--muted); background: transparent; border: 1px solid transparent; border-bottom: none;
  border-radius: 8px 8px 0 0; padding: 7px 14px 6px; cursor: pointer; display: inline-flex; align-items: center; gap: 7px; margin-bottom: -1px; }
.tabs button:hover { color: var(--fg); background: var(--panel); }
.tabs button[aria-selected="true"] { color: var(--fg); background: var(--panel); border-color: var(--line); border-bottom: 1px solid var(--panel); }
.tabs button:focus-visible, select:focus-visible, .top nav a:focus-visible { outline: 3px solid #7aa7f0; outline-offset: 1px; }
.tabpanel { background: var(--panel); border: 1px solid var(--line); border-top: none; border-radius: 0 0 10px 10px; padding: 10px 12px 12px; }
.tabs + .tabpanel { border-top-left-radius: 0; }
.tabpanel[hidden] { display: none; }
.panel-title { margin: 2px 0 8px; font-size: 13.5px; color: var(--muted); }
.panel-title b { color: var(--fg); }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; max-height: 640px; overflow-y: auto; border: 1px solid var(--line-soft); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
caption { text-align: left; font-size: 13px; color: var(--muted); padding: 6px 8px; caption-side: top; }
th, td { padding: 5px 7px; border-bottom: 1px solid var(--line-soft); text-align: left; vertical-align: top; }
thead th { position: sticky; top: 0; background: #f3f5f8; font-size: 12px; text-transform: uppercase; letter-spacing: 0.03em; color: #424a53;
  border-bottom: 1px solid var(--line); z-index: 1; line-height: 1.25; vertical-align: bottom; }
td.num, th.num { text-align: right; font-family: var(--mono); font-variant-numeric: tabular-nums; white-space: nowrap; }
th.num { font-family: var(--font); }
td.name { font-family: var(--mono); overflow-wrap: anywhere; min-width: 4ch; }
td.small { font-size: 12.5px; color: #424a53; }
tbody tr:nth-child(even) td { background: #fafbfc; }
tbody tr:hover td { background: #f1f5fd; }
tr.leaves td { box-shadow: inset 0 2px 0 #e3a33b; }
tr.leaves td:first-child { box-shadow: inset 4px 0 0 #e3a33b, inset 0 2px 0 #e3a33b; }
.flag { display: inline-block; margin-left: 6px; font: 600 11px var(--font); color: #6a4700; background: #fdf0d2; border: 1px solid #ecc36f;
  border-radius: 4px; padding: 0 5px; white-space: nowrap; }
td.v { white-space: nowrap; }
td.v span { display: inline-block; padding: 0 7px; border-radius: 4px; border: 1px solid; font-size: 12.5px; font-weight: 600; }
.ratio-match { color: var(--ok-fg); font-weight: 700; }
.ratio-far { color: var(--exp-fg); }
.explain-head { margin: 2px 0 8px; font-size: 13.5px; overflow-wrap: anywhere; }
.explain-head .src { color: var(--muted); }
ul.notes { margin: 8px 0 0; padding-left: 18px; font-size: 13px; color: #424a53; }
.totals { margin: 8px 0 0; font-size: 13px; color: var(--muted); }
details summary { cursor: pointer; color: var(--accent); font-size: 14px; margin: 8px 0; }
.legend-note { font-size: 13px; color: var(--muted); margin: 6px 0 0; }
.page-foot { border-top: 1px solid var(--line); margin-top: 30px; padding: 14px 0 28px; color: var(--muted); font-size: 13px; }
.page-foot p { margin: 2px 0; }
.print-only { display: none; }
.render-error { background: var(--exp-bg); color: var(--exp-fg); border: 1px solid var(--exp-line); border-radius: 8px; padding: 10px 12px; }
@media (max-width: 760px) {
  .wrap { padding: 0 12px; }
  .top h1 { font-size: 21px; }
  .charts { grid-template-columns: 1fr; }
  .hist-layout { grid-template-columns: 1fr; }
  .chart-box { height: 270px; }
  .hist-grid { grid-template-columns: minmax(64px, 0.6fr) repeat(3, minmax(0, 1fr)); }
}
@media print {
  @page { margin: 12mm; }
  body { background: #fff; font-size: 11pt; }
  .top { background: #fff; color: #000; border-bottom: 2px solid #000; padding: 0 0 8px; }
  .top .brand, .top p { color: #333; }
  .top nav, .tabs, .hist-controls, .no-print { display: none !important; }
  .wrap { max-width: none; padding: 0; }
  .tabpanel[hidden] { display: block !important; }
  .tabpanel { border: none; padding: 0; margin-bottom: 14px; break-inside: auto; }
  .table-wrap { max-height: none; overflow: visible; border: none; }
  thead th { position: static; }
  .panel, .card, .model-head { border-color: #999; box-shadow: none; }
  .charts { grid-template-columns: 1fr 1fr; }
  .chart-box { height: 250px; }
  section.model + section.model { break-before: page; }
  tr { break-inside: avoid; }
  table { font-size: 8.5pt; }
  th, td { padding: 2px 4px; }
  .opt { display: none; }
  td.v span { font-size: 7.5pt; padding: 0 3px; }
  .flag { font-size: 7pt; margin-left: 3px; }
  .print-only { display: inline; }
  tbody tr:nth-child(even) td, tbody tr:hover td { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;
