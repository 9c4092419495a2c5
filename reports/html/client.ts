// The script report.html runs: reads the chart specs from the page's JSON block and draws each
// with uPlot (and lends build() to the live dashboard's script). Plain ES2019 in a string, so it needs no build step and no network.

export const CLIENT_JS = String.raw`
(function () {
  'use strict';
  var block = document.getElementById('golive-charts');
  var data = block ? JSON.parse(block.textContent || '[]') : [];
  var charts = [];
  function fmt(v) {
    if (v == null) return '';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
    if (a >= 100 || v === Math.round(v)) return String(Math.round(v));
    return String(Math.round(v * 10) / 10);
  }
  function build(spec, el) {
    var width = Math.max(320, el.clientWidth || 800);
    var hasRight = spec.series.some(function (s) { return s.right; });
    var scales = { x: { time: false }, y: {} };
    if (spec.lanes) scales.y = { range: [-0.5, spec.lanes.length - 0.5] };
    else {
      // target lines stay in view: the distance to the target is the point of the picture
      var top = (spec.targets || []).reduce(function (m, t) { return Math.max(m, t.y); }, 0);
      scales.y = { range: function (u, min, max) { var m = Math.max(max || 0, top); return [0, m > 0 ? m * 1.1 : 1]; } };
    }
    if (hasRight) scales.y2 = { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } };
    if (spec.xNames) scales.x.range = [-0.5, spec.xNames.length - 0.5];
    var series = [{ label: spec.xLabel }];
    spec.series.forEach(function (s) {
      var o = { label: s.label, stroke: s.color, scale: s.right ? 'y2' : 'y', width: 2, spanGaps: false,
        value: function (u, v) { return v == null ? '—' : fmt(v); } };
      if (s.style === 'points') { o.paths = function () { return null; }; o.points = { show: true, size: 8, fill: s.color, stroke: s.color }; }
      else if (s.style === 'bars') { o.paths = uPlot.paths.bars({ size: [0.8, 60] }); o.fill = s.color + '99'; o.points = { show: false }; }
      else if (s.style === 'step') { o.paths = uPlot.paths.stepped({ align: 1 }); o.points = { show: false }; }
      else { o.points = { show: false }; }
      series.push(o);
    });
    var axes = [
      { label: spec.xLabel, values: spec.xNames ? function (u, splits) { return splits.map(function (i) { return spec.xNames[i] != null ? spec.xNames[i] : ''; }); } : undefined,
        splits: spec.xNames ? function () { return spec.xNames.map(function (_, i) { return i; }); } : undefined },
      { label: spec.yLabel, scale: 'y', size: spec.lanes ? 150 : 60,
        values: spec.lanes ? function (u, splits) { return splits.map(function (i) { var l = spec.lanes[i] != null ? String(spec.lanes[i]) : '';
          return l.length > 20 ? l.slice(0, 19) + '…' : l; }); } : function (u, splits) { return splits.map(fmt); },
        splits: spec.lanes ? function () { return spec.lanes.map(function (_, i) { return i; }); } : undefined }
    ];
    if (hasRight) axes.push({ label: spec.y2Label || '', scale: 'y2', side: 1, grid: { show: false }, values: function (u, splits) { return splits.map(fmt); } });
    var draw = [];
    if ((spec.marks && spec.marks.length) || (spec.targets && spec.targets.length)) {
      draw.push(function (u) {
        var ctx = u.ctx; ctx.save();
        ctx.font = Math.round(11 * devicePixelRatio) + 'px sans-serif';
        (spec.targets || []).forEach(function (t) {
          var y = u.valToPos(t.y, 'y', true);
          ctx.strokeStyle = '#c92a2a'; ctx.setLineDash([6, 4]); ctx.lineWidth = devicePixelRatio;
          ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
          ctx.fillStyle = '#c92a2a'; ctx.textAlign = 'right'; ctx.textBaseline = 'bottom'; ctx.fillText(t.label, u.bbox.left + u.bbox.width - 4, y - 2);
        });
        (spec.marks || []).forEach(function (m, i) {
          var x = u.valToPos(m.x, 'x', true);
          ctx.strokeStyle = '#495057'; ctx.setLineDash([3, 3]); ctx.lineWidth = devicePixelRatio;
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
          ctx.fillStyle = '#495057'; ctx.textAlign = 'left'; ctx.textBaseline = 'alphabetic'; ctx.fillText(m.label, x + 4, u.bbox.top + 12 * devicePixelRatio * (1 + (i % 3)));
        });
        ctx.restore();
      });
    }
    var opts = { width: width, height: spec.height || 260, scales: scales, series: series, axes: axes,
      legend: { show: true }, cursor: { drag: { x: true, y: false } }, hooks: { draw: draw } };
    var u = new uPlot(opts, [spec.x].concat(spec.series.map(function (s) { return s.values; })), el);
    charts.push({ u: u, el: el });
    return u;
  }
  data.forEach(function (spec) {
    var el = document.getElementById('chart-' + spec.id);
    if (!el) return;
    try { build(spec, el); } catch (e) { el.textContent = 'chart could not be drawn: ' + e.message; }
  });
  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.u.setSize({ width: Math.max(320, c.el.clientWidth), height: c.u.height }); });
  });
  document.documentElement.setAttribute('data-charts', String(charts.length));
  // the live dashboard (reports/html/live-client.ts) draws its charts with the same code
  window.goliveCharts = { build: build, fmt: fmt };
})();
`
