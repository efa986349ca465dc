/**
 * The HTML report's own script (inlined after Chart.js). It reads the report from `#initkit-data` and draws every chart
 * from it; the tables and cards are rendered on the server side (html.ts), so they read, print and search without it.
 *
 * Plain ES2017 in a string (the library's tsconfig has no DOM types); the browser test (tests/e2e/report.browser.test.ts)
 * runs it. No template literals and no `${` inside, so it can sit in String.raw.
 *
 * Log axes: values that are null, non-finite or ≤ 0 become gaps (a log axis has no place for them); the axis spans
 * whole decades around the data, with ticks at powers of ten (every k-th decade beyond 8) or at 1-2-5 within two
 * decades, so 1e-19 and 1e+12 fit on one readable axis.
 */
export const REPORT_CLIENT_JS = String.raw`(function () {
  'use strict';
  var Chart = window.Chart;
  var dataEl = document.getElementById('initkit-data');
  var parsed = JSON.parse(dataEl ? dataEl.textContent || 'null' : 'null');
  var reports = Array.isArray(parsed) ? parsed : [parsed];
  var css = getComputedStyle(document.documentElement);
  var PALETTE = [];
  for (var ci = 0; ci < 8; ci++) PALETTE.push((css.getPropertyValue('--init-' + ci) || '').trim() || '#444444');
  var POINTS = ['circle', 'rect', 'triangle', 'rectRot', 'star', 'crossRot', 'cross', 'rectRounded'];
  var PREDICTED_DASH = [6, 4];
  var charts = [];

  function color(i) { return PALETTE[i % PALETTE.length]; }
  function pointStyle(i) { return POINTS[i % POINTS.length]; }
  function rgba(hex, a) {
    var m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) return hex;
    var n = parseInt(m[1], 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
  }
  function isNum(v) { return typeof v === 'number' && isFinite(v); }
  function positive(v) { return isNum(v) && v > 0 ? v : null; }
  // Same as formatNumber in src/cli/report/format.ts (fmtNum: 4 significant digits, exponent outside [1e-3, 1e5)).
  function fmt(x) {
    if (typeof x !== 'number' || x !== x) return '\u2014';
    if (!isFinite(x)) return x > 0 ? 'inf' : '-inf';
    if (x === 0) return '0';
    var a = Math.abs(x);
    if (a >= 1e5 || a < 1e-3) return x.toExponential(2);
    return String(Number(x.toPrecision(4)));
  }
  var SUP = { '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074', '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079' };
  function pow10Label(p) {
    if (p >= 0 && p <= 3) return String(Math.pow(10, p));
    if (p < 0 && p >= -3) return '0.' + new Array(-p).join('0') + '1';
    return '10' + String(p).split('').map(function (c) { return SUP[c] || c; }).join('');
  }
  function tickLabel(v) {
    if (!isNum(v) || v <= 0) return '';
    var p = Math.log10(v);
    var r = Math.round(p);
    if (Math.abs(p - r) < 1e-9) return pow10Label(r);
    return fmt(v);
  }
  function truncate(s, n) { s = String(s); return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }

  // Decade-aligned range of all positive finite values in the given arrays (null when there are none).
  function logRange(arrays) {
    var lo = Infinity, hi = -Infinity;
    arrays.forEach(function (arr) {
      arr.forEach(function (v) { if (isNum(v) && v > 0) { if (v < lo) lo = v; if (v > hi) hi = v; } });
    });
    if (!(lo < Infinity)) return null;
    var a = Math.floor(Math.log10(lo) + 1e-9);
    var b = Math.ceil(Math.log10(hi) - 1e-9);
    if (b <= a) b = a + 1;
    return { a: a, b: b };
  }
  function logAxis(range, title) {
    var span = range.b - range.a;
    var step = Math.max(1, Math.ceil(span / 8));
    var min = Math.pow(10, range.a), max = Math.pow(10, range.b);
    return {
      type: 'logarithmic', min: min, max: max,
      title: { display: true, text: title },
      afterBuildTicks: function (axis) {
        var ticks = [];
        for (var p = range.a; p <= range.b; p++) {
          if (span <= 2) {
            [1, 2, 5].forEach(function (m) {
              var v = m * Math.pow(10, p);
              if (v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9)) ticks.push({ value: v, major: m === 1 });
            });
          } else if (p % step === 0) {
            ticks.push({ value: Math.pow(10, p), major: true });
          }
        }
        axis.ticks = ticks;
      },
      ticks: { autoSkip: false, callback: function (v) { return tickLabel(v); } },
      grid: { color: function (ctx) { return ctx.tick && ctx.tick.major ? 'rgba(0,0,0,0.13)' : 'rgba(0,0,0,0.05)'; } }
    };
  }
  function depthAxis(labels, title) {
    return {
      type: 'category', labels: labels,
      title: { display: true, text: title || 'layer (execution order)' },
      ticks: {
        autoSkip: true, autoSkipPadding: 10, maxRotation: 0,
        callback: function (v) { return truncate(this.getLabelForValue(v), 12); }
      },
      grid: { color: 'rgba(0,0,0,0.05)' }
    };
  }
  function baseOptions(layerInfo) {
    return {
      responsive: true, maintainAspectRatio: false, animation: false, normalized: true,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        legend: {
          position: 'top',
          labels: {
            usePointStyle: true, boxWidth: 8, boxHeight: 8, padding: 12,
            filter: function (item, data) { return !data.datasets[item.datasetIndex].hideInLegend; }
          }
        },
        tooltip: {
          filter: function (item) { return !item.dataset.noTooltip && item.raw !== null; },
          callbacks: {
            title: function (items) { return items.length ? layerInfo(items[0].dataIndex) : ''; },
            label: function (item) {
              var extra = item.dataset.predictedAt && item.dataset.predictedAt[item.dataIndex] ? ' (predicted)' : '';
              return ' ' + item.dataset.label + ': ' + fmt(item.raw) + extra;
            }
          }
        }
      }
    };
  }
  function noData(canvas, text) {
    var box = canvas.parentNode;
    var div = document.createElement('div');
    div.className = 'no-data';
    div.textContent = text;
    box.replaceChild(div, canvas);
  }
  function make(canvas, config) {
    var chart = new Chart(canvas, config);
    charts.push(chart);
    return chart;
  }
  function bandDatasets(n, lo, hi, label) {
    if (!(positive(lo) && positive(hi) && hi > lo)) return [];
    var fillColor = 'rgba(120,130,145,0.13)';
    var lower = [], upper = [];
    for (var i = 0; i < n; i++) { lower.push(lo); upper.push(hi); }
    return [
      { label: label, data: lower, borderColor: 'rgba(120,130,145,0.45)', borderWidth: 1, borderDash: [2, 3], pointRadius: 0,
        fill: false, hideInLegend: true, noTooltip: true, order: 100 },
      { label: label, data: upper, borderColor: 'rgba(120,130,145,0.45)', borderWidth: 1, borderDash: [2, 3], pointRadius: 0,
        backgroundColor: fillColor, fill: '-1', noTooltip: true, order: 100, pointStyle: 'rect' }
    ];
  }
  // Long series: a marker on every k-th point only (enough to tell the inits apart without colour), none in between.
  function markerRadius(n, r) {
    if (n <= 30) return r;
    var every = Math.ceil(n / 15);
    return function (ctx) { return ctx.dataIndex % every === 0 || ctx.dataIndex === n - 1 ? r : 0; };
  }
  function line(label, data, i, opts) {
    var ds = {
      label: label, data: data, borderColor: color(i), backgroundColor: color(i), borderWidth: 2,
      pointStyle: pointStyle(i), pointRadius: markerRadius(data.length, 3), pointHoverRadius: 5,
      spanGaps: false, fill: false, tension: 0
    };
    if (opts) for (var k in opts) ds[k] = opts[k];
    return ds;
  }

  function histogramOf(layer) {
    var h = layer && layer.histogram;
    if (!h || !Array.isArray(h.edges) || !Array.isArray(h.counts) || h.counts.length === 0 || h.edges.length !== h.counts.length + 1) return null;
    if (!h.edges.every(isNum)) return null;
    var counts = h.counts.map(function (c) { return isNum(c) && c > 0 ? c : 0; });
    var total = counts.reduce(function (s, c) { return s + c; }, 0);
    var labels = counts.map(function (_, i) { return fmt((h.edges[i] + h.edges[i + 1]) / 2); });
    return { counts: counts, labels: labels, edges: h.edges, total: total };
  }
  function histConfig(hist, i, mini) {
    return {
      type: 'bar',
      data: { labels: hist.labels, datasets: [{ label: 'count', data: hist.counts, backgroundColor: rgba(color(i), 0.55), borderColor: color(i),
        borderWidth: mini ? 0 : 1, barPercentage: 1, categoryPercentage: 1 }] },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: false },
          tooltip: {
            enabled: !mini,
            callbacks: {
              title: function (items) {
                var k = items[0].dataIndex;
                return '[' + fmt(hist.edges[k]) + ', ' + fmt(hist.edges[k + 1]) + (k === hist.counts.length - 1 ? ']' : ')');
              },
              label: function (item) {
                var pct = hist.total > 0 ? (100 * item.raw / hist.total).toFixed(1) + '%' : '';
                return ' ' + item.raw + ' values ' + (pct ? '(' + pct + ')' : '');
              }
            }
          }
        },
        scales: {
          x: { display: !mini, ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 6 }, grid: { display: false },
            title: { display: !mini, text: 'output value (bin centre)' } },
          y: { display: !mini, beginAtZero: true, ticks: { precision: 0 }, title: { display: !mini, text: 'count' } }
        }
      }
    };
  }
  function histStatsText(layer) {
    if (!layer) return '';
    var zeros = isNum(layer.zeroFraction) ? (100 * layer.zeroFraction).toFixed(1) + '%' : '\u2014';
    return 'std ' + fmt(layer.outputStd) + ' \u00b7 mean ' + fmt(layer.outputMean) + ' \u00b7 min ' + fmt(layer.outputMin) +
      ' \u00b7 max ' + fmt(layer.outputMax) + ' \u00b7 zeros ' + zeros;
  }

  function initOrder(report) {
    var results = report.results || {};
    var names = (Array.isArray(report.inits) ? report.inits : []).filter(function (n) { return results[n]; });
    Object.keys(results).forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); });
    return names.map(function (n) { return { name: n, d: results[n] }; });
  }

  function buildModel(report, mi, section) {
    var inits = initOrder(report);
    var q = function (sel) { return section.querySelector(sel); };
    var longest = inits.reduce(function (best, x) { return x.d.layers.length > best.length ? x.d.layers : best; }, []);
    var labels = longest.map(function (l) { return String(l.name); });
    var layerInfo = function (k) {
      var l = longest[k];
      return l ? '#' + l.index + '  ' + l.name + '  (' + l.module + ')' : '';
    };
    var first = inits.length ? inits[0].d.summary : null;
    var band = first && Array.isArray(first.band) ? first.band : null;

    // (1) activation std through depth
    var actCanvas = q('canvas[data-chart="activation"]');
    if (actCanvas) {
      var actSets = inits.map(function (x, i) {
        var predictedAt = [];
        var data = x.d.layers.map(function (l, k) {
          var m = positive(l.outputStd);
          if (m === null && l.outputStd === null) { predictedAt[k] = true; return positive(l.predictedStd); }
          return m;
        });
        return line(x.name, data, i, { predictedAt: predictedAt, segment: { borderDash: function (ctx) {
          return predictedAt[ctx.p0DataIndex] || predictedAt[ctx.p1DataIndex] ? PREDICTED_DASH : undefined; } } });
      });
      var inStd = first ? positive(first.inputStd) : null;
      var actBand = band && inStd ? bandDatasets(labels.length, band[0] * inStd, band[1] * inStd, 'healthy band') : [];
      var actRange = logRange(actSets.concat(actBand).map(function (d) { return d.data; }));
      if (!actRange) noData(actCanvas, 'No activation std to plot.');
      else {
        var o1 = baseOptions(layerInfo);
        o1.scales = { x: depthAxis(labels), y: logAxis(actRange, 'output std (log)') };
        make(actCanvas, { type: 'line', data: { labels: labels, datasets: actSets.concat(actBand) }, options: o1 });
      }
    }

    // (2) gradient std through depth (measured, else predicted: dashed)
    var gradCanvas = q('canvas[data-chart="gradient"]');
    if (gradCanvas) {
      var gradSets = inits.map(function (x, i) {
        var predictedAt = [];
        var data = x.d.layers.map(function (l, k) {
          if (isNum(l.gradOutputStd)) return positive(l.gradOutputStd);
          predictedAt[k] = true;
          return positive(l.predictedGradStd);
        });
        return line(x.name, data, i, { predictedAt: predictedAt, segment: { borderDash: function (ctx) {
          return predictedAt[ctx.p0DataIndex] || predictedAt[ctx.p1DataIndex] ? PREDICTED_DASH : undefined; } } });
      });
      var lastGrad = null;
      if (inits.length) {
        var ll = inits[0].d.layers[inits[0].d.layers.length - 1];
        lastGrad = ll ? positive(isNum(ll.gradOutputStd) ? ll.gradOutputStd : ll.predictedGradStd) : null;
      }
      var gradBand = band && lastGrad ? bandDatasets(labels.length, band[0] * lastGrad, band[1] * lastGrad, 'healthy band') : [];
      var gradRange = logRange(gradSets.concat(gradBand).map(function (d) { return d.data; }));
      if (!gradRange) noData(gradCanvas, 'No gradient std measured or predicted.');
      else {
        var o2 = baseOptions(layerInfo);
        o2.scales = { x: depthAxis(labels), y: logAxis(gradRange, 'std of dL/d(output) (log)') };
        make(gradCanvas, { type: 'line', data: { labels: labels, datasets: gradSets.concat(gradBand) }, options: o2 });
      }
    }

    // (3) predicted (dashed) vs measured (solid) activation std
    var pvmCanvas = q('canvas[data-chart="predicted-vs-measured"]');
    if (pvmCanvas) {
      var pvmSets = [];
      inits.forEach(function (x, i) {
        var measured = x.d.layers.map(function (l) { return positive(l.outputStd); });
        var predicted = x.d.layers.map(function (l) { return positive(l.predictedStd); });
        var hasM = measured.some(function (v) { return v !== null; });
        var hasP = predicted.some(function (v) { return v !== null; });
        if (hasM) pvmSets.push(line(x.name + ' \u00b7 measured', measured, i));
        if (hasP) pvmSets.push(line(x.name + ' \u00b7 predicted', predicted, i, { borderDash: PREDICTED_DASH, borderWidth: 1.75, pointRadius: 0,
          backgroundColor: 'rgba(255,255,255,0)', pointStyle: 'line' }));
      });
      var pvmRange = logRange(pvmSets.map(function (d) { return d.data; }));
      if (!pvmRange) noData(pvmCanvas, 'Neither predicted nor measured stds are available.');
      else {
        var o3 = baseOptions(layerInfo);
        o3.scales = { x: depthAxis(labels), y: logAxis(pvmRange, 'output std (log)') };
        make(pvmCanvas, { type: 'line', data: { labels: labels, datasets: pvmSets }, options: o3 });
      }
    }

    // (4) histograms: a detail chart driven by the selects, and first / middle / last small multiples per init
    var initSel = q('select[data-role="hist-init"]');
    var layerSel = q('select[data-role="hist-layer"]');
    var detailCanvas = q('canvas[data-chart="histogram"]');
    var detailStats = q('[data-role="hist-stats"]');
    var detail = null;
    var detailBox = detailCanvas ? detailCanvas.parentNode : null;
    function showDetail() {
      if (!initSel || !layerSel || !detailBox) return;
      var x = inits[Number(initSel.value)];
      var layer = x ? x.d.layers[Number(layerSel.value)] : null;
      var hist = histogramOf(layer);
      if (detailStats) detailStats.textContent = layer ? x.name + ' \u00b7 ' + layer.name + ' (' + layer.module + ') \u00b7 ' + histStatsText(layer) : '';
      var canvas = detailBox.querySelector('canvas');
      var msg = detailBox.querySelector('.no-data');
      if (!hist) {
        if (detail) { detail.destroy(); charts.splice(charts.indexOf(detail), 1); detail = null; }
        if (canvas) canvas.hidden = true;
        if (!msg) { msg = document.createElement('div'); msg.className = 'no-data'; detailBox.appendChild(msg); }
        msg.textContent = 'No histogram recorded for this layer.';
        return;
      }
      if (msg) detailBox.removeChild(msg);
      canvas.hidden = false;
      var cfg = histConfig(hist, Number(initSel.value), false);
      if (detail) { detail.data = cfg.data; detail.options = cfg.options; detail.update(); }
      else detail = make(canvas, cfg);
    }
    if (initSel && layerSel) {
      initSel.addEventListener('change', function () { selectInit(section, Number(initSel.value)); });
      layerSel.addEventListener('change', showDetail);
      showDetail();
    }
    section.querySelectorAll('canvas[data-chart="histogram-mini"]').forEach(function (canvas) {
      var i = Number(canvas.getAttribute('data-init'));
      var k = Number(canvas.getAttribute('data-layer'));
      var x = inits[i];
      var hist = histogramOf(x ? x.d.layers[k] : null);
      if (!hist) noData(canvas, 'no histogram');
      else make(canvas, histConfig(hist, i, true));
    });

    // (7) width sweep (coordinate check): std per layer, one line per width
    var sweepCanvas = q('canvas[data-chart="width-sweep"]');
    var sweep = report.widthSweep;
    if (sweepCanvas && sweep && Array.isArray(sweep.widths) && Array.isArray(sweep.layers)) {
      var sLabels = sweep.layers.map(function (l) { return String(l.name); });
      var nW = sweep.widths.length;
      var sweepSets = sweep.widths.map(function (w, j) {
        var t = nW > 1 ? j / (nW - 1) : 1;
        var c = 'rgb(' + Math.round(90 - t * 82) + ',' + Math.round(160 - t * 112) + ',' + Math.round(214 - t * 107) + ')';
        return { label: 'width ' + w, data: sweep.layers.map(function (l) { return positive(Array.isArray(l.std) ? l.std[j] : null); }),
          borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: markerRadius(sLabels.length, 3), pointStyle: pointStyle(j), spanGaps: false };
      });
      var sRange = logRange(sweepSets.map(function (d) { return d.data; }));
      if (!sRange) noData(sweepCanvas, 'No width-sweep stds.');
      else {
        var o4 = baseOptions(function (k) {
          var l = sweep.layers[k];
          return l ? l.name + ' (' + l.module + ') \u00b7 slope ' + fmt(l.slope) + (l.drifts ? ' \u00b7 drifts' : '') : '';
        });
        o4.scales = { x: depthAxis(sLabels), y: logAxis(sRange, 'output std (log)') };
        make(sweepCanvas, { type: 'line', data: { labels: sLabels, datasets: sweepSets }, options: o4 });
      }
    }

    section.__showDetail = showDetail;
  }

  // Tabs (one init selection per model, shared by the layer table, the explain table and the histogram).
  function selectInit(section, idx) {
    var s = String(idx);
    section.querySelectorAll('[role="tab"][data-init]').forEach(function (b) {
      var on = b.getAttribute('data-init') === s;
      b.setAttribute('aria-selected', on ? 'true' : 'false');
      b.tabIndex = on ? 0 : -1;
    });
    section.querySelectorAll('[role="tabpanel"][data-init]').forEach(function (p) { p.hidden = p.getAttribute('data-init') !== s; });
    var initSel = section.querySelector('select[data-role="hist-init"]');
    if (initSel && initSel.value !== s) initSel.value = s;
    if (section.__showDetail) section.__showDetail();
  }
  function wireTabs(section) {
    section.querySelectorAll('[role="tablist"]').forEach(function (list) {
      list.hidden = false;
      var tabs = Array.prototype.slice.call(list.querySelectorAll('[role="tab"]'));
      tabs.forEach(function (tab, k) {
        tab.addEventListener('click', function () { selectInit(section, Number(tab.getAttribute('data-init'))); });
        tab.addEventListener('keydown', function (e) {
          var next = e.key === 'ArrowRight' ? k + 1 : e.key === 'ArrowLeft' ? k - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? tabs.length - 1 : null;
          if (next === null) return;
          e.preventDefault();
          var t = tabs[(next + tabs.length) % tabs.length];
          selectInit(section, Number(t.getAttribute('data-init')));
          t.focus();
        });
      });
    });
  }

  if (typeof Chart === 'function') {
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = 12;
    Chart.defaults.color = '#424a53';
  }
  reports.forEach(function (report, mi) {
    var section = document.querySelector('section.model[data-model="' + mi + '"]');
    if (!section || !report) return;
    wireTabs(section);
    selectInit(section, 0);
    try {
      if (typeof Chart !== 'function') throw new Error('the inlined chart library did not load');
      buildModel(report, mi, section);
    } catch (err) {
      var box = document.createElement('p');
      box.className = 'render-error';
      box.textContent = 'Could not draw the charts: ' + (err && err.message ? err.message : String(err));
      section.insertBefore(box, section.firstChild);
      console.error(err);
    }
  });

  function resizeAll() { charts.forEach(function (c) { c.resize(); }); }
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.setAttribute('data-was-open', d.open ? '1' : '0'); d.open = true; });
    resizeAll();
  });
  window.addEventListener('afterprint', function () {
    document.querySelectorAll('details[data-was-open]').forEach(function (d) { d.open = d.getAttribute('data-was-open') === '1'; });
    resizeAll();
  });
  document.documentElement.setAttribute('data-charts', String(charts.length));
})();
`;
