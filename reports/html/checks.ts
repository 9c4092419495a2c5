// The checks: a status table, then per check what a person needs to see why: TLS caps with the
// rule behind each, the Observatory tests and the headers seen, page-load metrics against
// their targets, and any timeline a check recorded (failover probes, alert states, ...).

import type { CheckResult, Figure, ScorecardRow } from '../../core/results.js'
import { formatValue } from '../../core/units.js'
import { duration, expectedText } from '../format.js'
import { readRow } from '../outcome.js'
import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { alertsDetail } from './alerts.js'
import { dbDetail, serverDetail } from './server.js'
import { pageAssetsDetail } from './page-assets.js'
import { capacityDetail } from './capacity.js'
import { timelinesSection } from './timeline.js'
import { clip, esc, isRecord, table } from './text.js'

export function checksSection(checks: CheckResult[], rows: ScorecardRow[], charts: ChartSpec[]): string {
  if (checks.length === 0) return ''
  const out: string[] = ['<section id="checks"><h2>Checks</h2>']
  out.push(table(['check', 'status', 'took', 'reason'], checks.map((c) => [
    `<a href="#check-${esc(c.id)}">${esc(c.id)}</a>`,
    `<span class="tag ${c.status === 'measured' ? 'ok' : c.status === 'error' ? 'bad' : 'warn'}">${esc(c.status)}</span>`,
    esc(duration(c.durationMs)),
    `<span class="target-text">${clip(c.reason ?? '')}</span>`,
  ])))
  checks.forEach((c, i) => out.push(checkDetail(c, i, rows, charts)))
  out.push('</section>')
  return out.join('\n')
}

function checkDetail(c: CheckResult, index: number, rows: ScorecardRow[], charts: ChartSpec[]): string {
  const out: string[] = [`<section class="check" id="check-${esc(c.id)}"><h3>${esc(c.title ?? c.id)} <span class="muted">(${esc(c.id)})</span></h3>`]
  if (c.reason) out.push(`<p class="note target-text">${clip(c.reason, 1000)}</p>`)
  const ev = isRecord(c.evidence) ? c.evidence : {}
  if (c.id === 'tls') out.push(tlsDetail(ev))
  if (c.id === 'headers') out.push(headersDetail(ev))
  if (c.id === 'page-load') out.push(pageLoadDetail(ev, rows, charts, index))
  if (c.id === 'alerts') out.push(alertsDetail(ev, `c${index}`, charts))
  if (c.id === 'server') out.push(serverDetail(ev))
  if (c.id === 'db') out.push(dbDetail(ev))
  if (c.id === 'capacity') out.push(capacityDetail(ev, charts, index))
  out.push(timelinesSection(c.evidence, `c${index}`, charts))
  const figures = Object.entries(c.figures)
  if (figures.length > 0) {
    out.push('<details><summary>Figures</summary>', table(['figure', 'value'], figures.map(([k, f]) => [esc(`${c.id}.${k}`), `<span class="target-text">${clip(figureText(f))}</span>`])), '</details>')
  }
  if (c.evidence !== null && c.evidence !== undefined) {
    const text = JSON.stringify(c.evidence, null, 2) ?? ''
    out.push(`<details><summary>Evidence (JSON)</summary><pre class="target-text">${clip(text, 20_000)}</pre></details>`)
  }
  out.push('</section>')
  return out.join('\n')
}

function figureText(f: Figure): string {
  return typeof f.value === 'number' ? formatValue(f.value, f.unit === 'grade' ? undefined : f.unit) : String(f.value)
}

function list(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : []
}

function tlsDetail(ev: Record<string, unknown>): string {
  const out: string[] = []
  if (!isRecord(ev.rating)) return ''
  const rating = ev.rating
  const caps: Record<string, unknown>[] = [...list(rating.caps).map((c) => ({ ...c, kind: 'cap' })), ...list(rating.warnings).map((c) => ({ ...c, kind: 'warning' }))]
  out.push(`<h4>Grade caps</h4><p class="muted">${esc(rating.method ?? 'SSL Labs rating guide')}: each rule caps the grade at most at the grade shown.</p>`)
  out.push(caps.length ? table(['rule', 'kind', 'caps the grade at', 'why'], caps.map((c) => [esc(c.rule), esc(c.kind), `<strong>${esc(c.grade)}</strong>`, `<span class="target-text">${clip(c.why)}</span>`])) : '<p>No rule caps the grade.</p>')
  if (isRecord(ev.protocols)) {
    out.push('<h4>Protocols</h4>', table(['protocol', 'offered'], Object.entries(ev.protocols).map(([k, v]) => [esc(k), v ? `<span class="${/1\.[23]$/.test(k) ? 'ok' : 'bad'}">yes</span>` : 'no'])))
  }
  if (isRecord(ev.certificate)) {
    const cert = Object.entries(ev.certificate).filter(([, v]) => v === null || ['string', 'number', 'boolean'].includes(typeof v))
    out.push('<h4>Certificate</h4>', table(['field', 'value'], cert.map(([k, v]) => [esc(k), `<span class="target-text">${clip(v)}</span>`])))
  }
  return out.join('\n')
}

function headersDetail(ev: Record<string, unknown>): string {
  const out: string[] = []
  const tests = list(ev.tests)
  if (tests.length) {
    out.push(`<h4>Observatory tests</h4><p class="muted">${esc(isRecord(ev.algorithm) ? JSON.stringify(ev.algorithm) : ev.algorithm ?? '')} — score ${esc(ev.score)}: baseline 100 plus each test's modifier.</p>`)
    out.push(table(['test', 'result', 'modifier', 'pass', 'fix'], tests.map((t) => [
      esc(t.test), esc(t.result), esc(t.modifier), t.pass ? '<span class="ok">yes</span>' : '<span class="bad">no</span>', `<span class="target-text">${clip(t.fix)}</span>`,
    ])))
  }
  const checklist = list(ev.checklist)
  if (checklist.length) {
    out.push('<h4>Header checklist</h4>', table(['header', 'status', 'value', 'fix'], checklist.map((r) => [
      esc(r.header), `<span class="${r.status === 'present' ? 'ok' : r.status === 'weak' ? 'warn' : 'bad'}">${esc(r.status)}</span>`,
      `<code class="target-text">${clip(r.value ?? '')}</code>`, `<span class="target-text">${clip(r.fix)}</span>`,
    ])))
  }
  const seen = list(ev.responseHeaders)
  if (seen.length) {
    out.push('<h4>Response headers seen</h4>', table(['name', 'value'], seen.map((h) => [`<code class="target-text">${clip(h.name, 200)}</code>`, `<code class="target-text header-value">${clip(h.value)}</code>`])))
  }
  const notes = Array.isArray(ev.notes) ? ev.notes : []
  if (notes.length) out.push(`<ul class="notes">${notes.map((n) => `<li class="target-text">${clip(n, 1000)}</li>`).join('')}</ul>`)
  return out.join('\n')
}

/** The page-load metrics, in the order people read them, with the unit each carries. */
const PAGE_METRICS: { key: string; label: string; unit?: 'ms' | 'B' | 'count' }[] = [
  { key: 'ttfb_ms', label: 'TTFB', unit: 'ms' },
  { key: 'fcp_ms', label: 'FCP', unit: 'ms' },
  { key: 'lcp_ms', label: 'LCP', unit: 'ms' },
  { key: 'cls', label: 'CLS' },
  { key: 'dcl_ms', label: 'DOMContentLoaded', unit: 'ms' },
  { key: 'load_ms', label: 'load', unit: 'ms' },
  { key: 'bytes', label: 'bytes', unit: 'B' },
  { key: 'requests', label: 'requests', unit: 'count' },
  { key: 'console_errors', label: 'console errors', unit: 'count' },
  { key: 'failed_requests', label: 'failed requests', unit: 'count' },
]

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null
}

function metricText(v: unknown, unit?: 'ms' | 'B' | 'count'): string {
  const n = num(v)
  if (n === null) return '—'
  return unit ? formatValue(n, unit) : String(Math.round(n * 1000) / 1000)
}

function pageLoadDetail(ev: Record<string, unknown>, rows: ScorecardRow[], charts: ChartSpec[], index: number): string {
  const out: string[] = []
  const browser = isRecord(ev.browser) ? ev.browser : {}
  const throttling = isRecord(ev.throttling) ? ev.throttling : null
  out.push(`<p class="muted">${esc(browser.version ?? 'Chromium')} · ${esc(ev.runsPerPage ?? '?')} runs per page, each in a fresh browser context · throttling: ${esc(throttling ? throttling.name ?? 'custom' : 'none')}</p>`)
  list(ev.pages).forEach((page, p) => {
    const name = String(page.name ?? p)
    out.push(`<h4>Page <span class="name">${esc(name)}</span> <code class="target-text">${clip(page.url, 300)}</code></h4>`)
    const median = isRecord(page.median) ? page.median : {}
    const worst = isRecord(page.worst) ? page.worst : {}
    out.push(table(['metric', 'median', 'worst', 'target', 'verdict'], PAGE_METRICS.map((m) => {
      const row = rows.find((r) => r.figure === `page-load.page.${name}.${m.key}`)
      const reading = row ? readRow(row) : null
      return [esc(m.label), esc(metricText(median[m.key], m.unit)), esc(metricText(worst[m.key], m.unit)),
        row ? esc(expectedText(row)) : '<span class="muted">—</span>',
        reading ? `<span class="tag ${reading.tone}">${esc(reading.label)}</span>` : '']
    }), 'num'))
    const runs = list(page.runs)
    if (runs.length > 0) {
      const id = `c${index}-page${p}`
      const series = (['ttfb_ms', 'fcp_ms', 'lcp_ms', 'dcl_ms', 'load_ms'] as const).map((k, i) => ({
        label: PAGE_METRICS.find((m) => m.key === k)!.label, values: runs.map((r) => num(r[k])),
        color: [COLORS.max, COLORS.p50, COLORS.p95, COLORS.other, COLORS.users][i]!,
        style: 'points' as const,
      }))
      const targets = ['lcp_ms', 'load_ms'].flatMap((k) => {
        const row = rows.find((r) => r.figure === `page-load.page.${name}.${k}` && r.unit === 'ms')
        const t = row ? targetMs(row) : null
        return t === null ? [] : [{ y: t, label: `${k === 'lcp_ms' ? 'LCP' : 'load'} target ${formatValue(t, 'ms')}` }]
      })
      charts.push({ id, x: runs.map((_, i) => i), xNames: runs.map((_, i) => `run ${i + 1}`), xLabel: 'run', yLabel: 'ms', series, targets })
      out.push(chartBox(id, `Timings of each run, ${name}`))
    }
    out.push(pageAssetsDetail(page))
    const errors = Array.isArray(page.consoleErrors) ? page.consoleErrors : []
    if (errors.length) out.push('<h5>Console errors</h5>', `<ul>${errors.slice(0, 20).map((e) => `<li class="target-text">${clip(e, 500)}</li>`).join('')}</ul>`)
    const failed = list(page.failedRequests)
    if (failed.length) out.push('<h5>Failed requests</h5>', table(['url', 'error'], failed.slice(0, 20).map((f) => [`<code class="target-text">${clip(f.url, 300)}</code>`, `<span class="target-text">${clip(f.error, 300)}</span>`])))
  })
  return out.join('\n')
}

/** The target of a '<' gate on a ms figure, in ms, from its expected text ('< 2.5 s'). */
function targetMs(row: ScorecardRow): number | null {
  const m = /([\d.]+)\s*(ms|s)\b/.exec(row.expected)
  if (!m) return null
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1)
}
