// The live dashboard's script: follows the run over Server-Sent Events (/events) and draws each
// scenario's per-second charts with report.html's own chart code (client.ts's build(), the
// chart specs of scenarios.ts's timelineCharts()), a point added each second; at the end, the
// verdict and the scorecard. Text from the run is set as textContent; the scorecard is HTML the
// server rendered and escaped (reports/live.ts). Plain ES2019 in a string, as client.ts.

export const LIVE_JS = String.raw`
(function () {
  'use strict';
  var cfg = JSON.parse(document.getElementById('golive-live').textContent || '{}');
  var charts = window.goliveCharts;
  var main = document.getElementById('scenarios');
  var status = document.getElementById('status');
  var scenarios = {};
  var count = 0;
  var ended = false;
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function scenario(name, info) {
    if (scenarios[name]) return scenarios[name];
    var i = count++;
    var sec = el('section', 'scenario');
    sec.setAttribute('data-scenario', name);
    var h = el('h3', null, 'Scenario ');
    h.appendChild(el('span', 'name', name));
    h.appendChild(document.createTextNode(' '));
    var tag = el('span', 'tag warn', 'running');
    h.appendChild(tag);
    sec.appendChild(h);
    var facts = el('p', 'facts', info ? info.engine + ' · ' + Math.round(info.totalMs / 1000) + ' s planned' : '');
    sec.appendChild(facts);
    var note = el('p', 'muted', '');
    var st = { x: [], charts: [], facts: facts, tag: tag, note: note, info: info, requests: 0, errors: 0 };
    cfg.templates.forEach(function (tmpl) {
      var kind = tmpl.id.slice(tmpl.id.indexOf('-') + 1);
      var id = 's' + i + '-' + kind;
      var fig = el('figure', 'chart');
      fig.appendChild(el('figcaption', null, cfg.titles[kind] || kind));
      var plot = el('div', 'plot');
      plot.id = 'chart-' + id;
      plot.setAttribute('data-kind', kind);
      plot.setAttribute('data-points', '0');
      fig.appendChild(plot);
      sec.appendChild(fig);
      var spec = JSON.parse(JSON.stringify(tmpl));
      spec.id = id; spec.x = st.x;
      spec.series.forEach(function (s) { s.values = []; });
      var u = null;
      try { u = charts.build(spec, plot); } catch (e) { plot.textContent = 'chart could not be drawn: ' + e.message; }
      st.charts.push({ u: u, spec: spec, plot: plot });
    });
    sec.appendChild(note);
    main.appendChild(sec);
    scenarios[name] = st;
    return st;
  }
  function ms(v) { return v == null ? '—' : (v >= 1000 ? (v / 1000).toFixed(2) + ' s' : (Math.round(v * 10) / 10) + ' ms'); }
  function second(e) {
    var st = scenario(e.scenario, null);
    var l = e.latency;
    var point = { t: e.t, requests: e.requests, errors: e.errors, active: e.active,
      p50: l ? l.p50 : null, p95: l ? l.p95 : null, max: l ? l.max : null };
    st.x.push(e.t);
    st.requests += e.requests; st.errors += e.errors;
    st.charts.forEach(function (c) {
      c.spec.series.forEach(function (s) { var v = point[s.key]; s.values.push(s.gapZero && !v ? null : (v == null ? null : v)); });
      if (c.u) c.u.setData([st.x].concat(c.spec.series.map(function (s) { return s.values; })));
      c.plot.setAttribute('data-points', String(st.x.length));
    });
    st.facts.textContent = (st.info ? st.info.engine + ' · ' : '') + e.t + ' s' + (st.info ? ' of ' + Math.round(st.info.totalMs / 1000) + ' s' : '') +
      ' · users ' + e.active + ' · ' + e.requests + ' req/s · p95 ' + ms(point.p95) +
      ' · requests ' + st.requests + ' · errors ' + st.errors + (st.requests ? ' (' + (100 * st.errors / st.requests).toFixed(2) + '%)' : '');
  }
  var es = new EventSource('events');
  es.addEventListener('scenario-start', function (m) { var e = JSON.parse(m.data); scenario(e.scenario, e); status.textContent = 'running: ' + e.scenario; });
  es.addEventListener('second', function (m) { second(JSON.parse(m.data)); });
  es.addEventListener('scenario-end', function (m) {
    var e = JSON.parse(m.data); var st = scenario(e.scenario, null);
    st.tag.textContent = 'done'; st.tag.className = 'tag ok';
    st.facts.textContent = (st.info ? st.info.engine + ' · ' : '') + st.x.length + ' seconds · requests ' + e.requests + ' · errors ' + e.errors +
      (e.requests ? ' (' + (100 * e.errors / e.requests).toFixed(2) + '%)' : '') + ' · the run\'s figures: the scorecard and report.html';
    if (e.late > 0) st.note.textContent = e.late + ' k6 samples came after their second was drawn: they count in results.json, not in these charts';
  });
  es.addEventListener('run-end', function (m) {
    var e = JSON.parse(m.data);
    ended = true; es.close();
    var v = document.getElementById('verdict');
    v.className = 'verdict ' + e.verdict;
    v.setAttribute('data-verdict', e.verdict);
    document.getElementById('verdict-text').textContent = e.verdict === 'go' ? 'GO' : 'NO-GO';
    document.getElementById('summary').textContent = e.summary + (e.partial ? ' (partial run)' : '');
    status.textContent = 'the run has ended' + (e.report ? '; report: ' + e.report : '') + '. This page stays as it is; the dashboard server has closed.';
    document.getElementById('scorecard').innerHTML = '<h2>Scorecard</h2>' + e.scorecardHtml;
    document.title = (e.verdict === 'go' ? 'GO' : 'NO-GO') + ' · golive live';
  });
  es.onerror = function () { if (!ended) status.textContent = 'connection to golive lost; retrying…'; };
})();
`
