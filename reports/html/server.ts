// The server figures in report.html: per scenario, each Prometheus query's maximum and mean over
// the steady window (evidence of the 'server' result), and the statements the database spent its
// time on (evidence of the 'db' result: pg_stat_statements' normalised text, escaped).

import { clip, esc, isRecord, table } from './text.js'

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter(isRecord) : [])
const num = (v: unknown, unit = '') => (typeof v === 'number' ? `${v.toLocaleString('en-US', { maximumFractionDigits: 3 })}${unit ? ` ${unit}` : ''}` : '—')

export function serverDetail(ev: Record<string, unknown>): string {
  const out: string[] = []
  const windows = list(ev.windows)
  if (windows.length) {
    out.push('<h4>Windows</h4>', table(['scenario', 'from', 'to', 'seconds', 'chosen as'], windows.map((w) => [esc(w.scenario), esc(w.from), esc(w.to), esc(w.seconds), `<span class="target-text">${clip([w.basis, w.note].filter(Boolean).join('; '))}</span>`])))
  }
  const rows = list(ev.queries)
  if (rows.length) {
    out.push('<h4>Queries</h4>', table(['scenario', 'figure', 'max', 'mean', 'points', 'query'], rows.map((r) => [
      esc(r.scenario), esc(r.name),
      r.max === null ? '<span class="bad">no data</span>' : esc(num(r.max, String(r.unit ?? ''))),
      esc(num(r.mean, String(r.unit ?? ''))), esc(r.points),
      `<code class="target-text">${clip(r.query, 300)}</code>${r.note ? `<br><span class="muted target-text">${clip(r.note, 400)}</span>` : ''}`,
    ])))
  }
  return out.join('\n')
}

export function dbDetail(ev: Record<string, unknown>): string {
  const out: string[] = []
  for (const s of list(ev.scenarios)) {
    out.push(`<h4>Top statements: ${esc(s.scenario)}</h4><p class="muted">${esc(ev.database)}, ${esc(s.window)}; ${esc(num(s.calls))} calls of ${esc(num(s.statements))} statements, ${esc(num(s.totalMs, 'ms'))} in all${typeof s.utilityCalls === 'number' && s.utilityCalls > 0 ? `; ${esc(num(s.utilityCalls))} utility calls (text not shown)` : ''}</p>`)
    if (s.error) { out.push(`<p class="note target-text">${clip(s.error, 600)}</p>`); continue }
    const top = list(s.top)
    out.push(top.length
      ? table(['statement (normalised)', 'calls', 'total', 'mean', 'max'], top.map((t) => [
        `<code class="target-text">${clip(t.query, 600)}</code>`, esc(num(t.calls)), esc(num(t.totalMs, 'ms')), esc(num(t.meanMs, 'ms')),
        esc(num(t.maxMs, 'ms')) + (t.maxInWindow ? '' : ' <span class="muted">(since stats began)</span>'),
      ]))
      : '<p>No statement ran in the window.</p>')
  }
  return out.join('\n')
}
