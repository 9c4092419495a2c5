// A check's details in report.html, rendered by kind (Lighthouse's details-renderer): a table
// with a unit per column, a timeline from its declared time key and unit (lanes by label, or
// lines for numeric series, with marks), labelled values, a list. Nothing here knows which check
// made a detail. Every value may be target text: it goes through esc() or clip().

import type { Detail, DetailHeading, DetailUnit, DetailValue, KvDetail, ListDetail, ScorecardRow, TableDetail, TimelineDetail } from '../../core/results.js'
import { cellUnit, changesOf, eventRest, gateOf, timelineEntries, valueText } from '../detail-text.js'
import { COLORS, type ChartSpec } from './chart-spec.js'
import { chartBox } from './scenarios.js'
import { tableChartHtml } from './detail-chart.js'
import { clip, esc } from './text.js'

const MAX_ROWS = 300

export interface DetailContext {
  /** prefix of chart ids: unique per check on the page ('c3') */
  id: string
  rows: readonly ScorecardRow[]
  charts: ChartSpec[]
}

export function detailsHtml(details: readonly Detail[], ctx: DetailContext): string {
  const timelines = details.filter((d) => d.kind === 'timeline').length
  let t = 0,
    n = 0
  return details
    .map((d) => {
      switch (d.kind) {
        case 'table': {
          if (!d.chart) return tableHtml(d, ctx.rows)
          // a table drawn as a chart: '<id>-<name>', or '<id>-chart-<n>' for an unnamed one
          const cid = `${ctx.id}-${d.name ? safeName(d.name) : `chart-${n}`}`
          n++
          return tableHtml(d, ctx.rows, tableChartHtml(d, cid, ctx.rows, ctx.charts))
        }
        case 'kv':
          return kvHtml(d)
        case 'list':
          return listHtml(d)
        case 'timeline': {
          // one untitled timeline: '<id>-timeline'; several (or titled): '<id>-timeline-<n>'
          const cid = timelines === 1 && !d.title ? `${ctx.id}-timeline` : `${ctx.id}-timeline-${t}`
          t++
          return timelineHtml(d, cid, ctx.charts)
        }
        default:
          return ''
      }
    })
    .filter(Boolean)
    .join('\n')
}

const heading = (title: string | undefined) => (title ? `<h4 class="name">${esc(title)}</h4>` : '')

/** One cell as HTML, by its unit. */
export function cellHtml(v: DetailValue | undefined, unit: DetailUnit | undefined, rows: readonly ScorecardRow[]): string {
  switch (unit) {
    case 'figure': {
      const g = gateOf(v, rows)
      return g ? `${esc(g.expected)} <span class="tag ${g.reading.tone}">${esc(g.reading.label)}</span>` : '<span class="muted">—</span>'
    }
    case 'bool':
      return v === true ? '<span class="ok">yes</span>' : v === false ? '<span class="bad">no</span>' : esc(valueText(v))
    case 'code':
    case 'url':
      return v === null || v === undefined || v === '' ? '' : `<code class="target-text">${clip(v, 300)}</code>`
    case 'grade':
      return `<strong>${esc(valueText(v))}</strong>`
    case 'ms':
    case 's':
    case 'bytes':
    case 'count':
    case 'percent':
    case 'number':
      return typeof v === 'number' || v === null || v === undefined || v === ''
        ? esc(valueText(v, unit))
        : `<span class="target-text">${clip(valueText(v, unit), 200)}</span>`
    default:
      return `<span class="target-text">${clip(v ?? '', 400)}</span>`
  }
}

const safeName = (name: string) => name.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 60)

function tableHtml(d: TableDetail, rows: readonly ScorecardRow[], chart = ''): string {
  const note = d.note ? `<p class="muted target-text">${clip(d.note, 600)}</p>` : ''
  const shown = d.rows.slice(0, MAX_ROWS)
  // a named table is classed by its name alone (report readers and tests select table.<name>)
  const cls = d.name ? esc(safeName(d.name)) : 'detail'
  const rowHtml = (r: (typeof shown)[number]) =>
    `<tr>${d.headings.map((h) => `<td${h.name ? ` class="${esc(safeName(h.name))}"` : ''}>${cellHtml(r[h.key], cellUnit(h, r), rows)}</td>`).join('')}</tr>`
  const body =
    shown.length === 0
      ? ''
      : `<table class="${cls}"><thead><tr>${d.headings.map((h) => `<th${numeric(h) ? ' class="num"' : ''}>${esc(h.label)}</th>`).join('')}</tr></thead>` +
        `<tbody>${shown.map(rowHtml).join('')}</tbody></table>` +
        (d.rows.length > shown.length ? `<p class="muted">${d.rows.length - shown.length} more rows in results.json</p>` : '')
  if (d.folded) return `<details><summary>${esc(d.title ?? 'Table')}</summary>${note}${chart}${body}</details>`
  return [heading(d.title), note, chart, body].filter(Boolean).join('\n')
}

const numeric = (h: DetailHeading) => ['ms', 's', 'bytes', 'count', 'percent', 'number'].includes(h.unit ?? '')

function kvHtml(d: KvDetail): string {
  if (d.items.length === 0) return ''
  return `${heading(d.title)}<table class="kv"><tbody>${d.items.map((i) => `<tr><th>${esc(i.label)}</th><td>${cellHtml(i.value, i.unit, [])}</td></tr>`).join('')}</tbody></table>`
}

function listHtml(d: ListDetail): string {
  if (d.items.length === 0) return ''
  return `${heading(d.title)}<ul class="notes">${d.items
    .slice(0, MAX_ROWS)
    .map((n) => `<li class="target-text">${clip(n, 1000)}</li>`)
    .join('')}</ul>`
}

function timelineHtml(d: TimelineDetail, id: string, charts: ChartSpec[]): string {
  const { entries, marks } = timelineEntries(d)
  if (entries.length === 0) return ''
  const body = d.series && d.series.length ? seriesHtml(d, d.series, entries, marks, id, charts) : lanesHtml(d, entries, marks, id, charts)
  return [heading(d.title), body].filter(Boolean).join('\n')
}

/** Numeric fields per interval as lines: counts on the left axis, milliseconds on the right. */
function seriesHtml(
  _d: TimelineDetail,
  series: DetailHeading[],
  entries: ReturnType<typeof timelineEntries>['entries'],
  marks: { t: number; label: string }[],
  id: string,
  charts: ChartSpec[],
): string {
  const palette = [COLORS.requests, COLORS.ok, COLORS.other, COLORS.users, COLORS.max]
  const isMs = (h: DetailHeading) => h.unit === 'ms' || h.unit === 's'
  let next = 0,
    failed = 0
  const shown = series.slice(0, 8)
  charts.push({
    id,
    x: entries.map((e) => e.t),
    xLabel: 'seconds',
    yLabel: 'count',
    ...(shown.some(isMs) ? { y2Label: shown.find(isMs)!.unit! } : {}),
    series: shown.map((h) => ({
      label: h.label,
      values: entries.map((e) => (typeof e.event[h.key] === 'number' ? (e.event[h.key] as number) : null)),
      color: /fail|error|lost/i.test(h.key) ? (failed++ % 2 ? '#862e9c' : COLORS.bad) : isMs(h) ? COLORS.max : palette[next++ % palette.length]!,
      ...(isMs(h) ? { right: true } : {}),
    })),
    marks: marks.map((m) => ({ x: m.t, label: m.label })),
  })
  return chartBox(
    id,
    `Timeline: ${shown.map((h) => h.label).join(', ')} per interval${marks.length ? ` (dashed: ${marks.map((m) => m.label).join(', ')})` : ''}`,
  )
}

/** One lane per label, a point per event; then the changes as a table. */
function lanesHtml(
  d: TimelineDetail,
  entries: ReturnType<typeof timelineEntries>['entries'],
  marks: { t: number; label: string }[],
  id: string,
  charts: ChartSpec[],
): string {
  const out: string[] = []
  const lanes = [...new Set(entries.map((e) => e.label))].slice(0, 12)
  const palette = [COLORS.ok, COLORS.bad, COLORS.warn, COLORS.requests, COLORS.other, COLORS.users, COLORS.max]
  charts.push({
    id,
    x: entries.map((e) => e.t),
    xLabel: 'seconds',
    yLabel: '',
    lanes,
    height: Math.max(140, 60 + lanes.length * 32),
    series: lanes.map((lane, i) => ({
      label: lane,
      style: 'points' as const,
      color: pickColor(lane, palette[i % palette.length]!),
      values: entries.map((e) => (e.label === lane ? i : null)),
    })),
    marks: marks.map((m) => ({ x: m.t, label: m.label })),
  })
  out.push(
    chartBox(
      id,
      `Timeline (seconds${d.unit === 'iso' ? ' from the first event' : ''}${marks.length ? '; dashed lines: ' + marks.map((m) => m.label).join(', ') : ''})`,
    ),
  )
  const changes = [
    ...changesOf(entries).map((e) => ({ t: e.t, label: e.label, rest: eventRest(d, e.event) })),
    ...marks.map((m) => ({ t: m.t, label: m.label, rest: 'mark' })),
  ].sort((a, b) => a.t - b.t)
  const shown = changes.slice(0, MAX_ROWS)
  out.push(
    `<table class="timeline"><thead><tr><th>t (s)</th><th>event</th><th>details</th></tr></thead><tbody>${shown
      .map(
        (e) =>
          `<tr><td>${esc(e.t.toFixed(3))}</td><td><span class="target-text">${clip(e.label, 200)}</span></td><td><span class="target-text">${clip(e.rest, 400)}</span></td></tr>`,
      )
      .join('')}</tbody></table>`,
  )
  if (changes.length > shown.length) out.push(`<p class="muted">${changes.length - shown.length} more changes in results.json</p>`)
  return out.join('\n')
}

function pickColor(label: string, fallback: string): string {
  if (/^(ok|up|pass|success|resolved|healthy|notified|2\d\d)$/i.test(label)) return COLORS.ok
  if (/(error|fail|down|refused|timeout|firing|5\d\d)/i.test(label)) return COLORS.bad
  if (/(pending|degraded|warn)/i.test(label)) return COLORS.warn
  return fallback
}
