// A check's details in report.md, by kind, like report.html's (reports/html/details.ts): a GFM
// table per table (a unit per column), a timeline as its changes (or its series per interval),
// labelled values as a two-column table, a list as bullets. A check with evidence but no details
// (a results.json from before details) shows its evidence as JSON, escaped, in a folded block.
// Nothing here knows which check made a detail; every cell goes through escapeMarkdownCell.

import type { CheckResult, Detail, DetailValue, DetailUnit, ScorecardRow, TableDetail, TimelineDetail } from '../core/results.js'
import { cellUnit, changesOf, eventRest, gateOf, hasEvidence, timelineEntries, valueText } from './detail-text.js'
import { escapeMarkdownCell as esc, escapeXml } from './escape.js'

const MAX_ROWS = 100

/** The sections for every check with details or evidence; [] for none. */
export function checkDetailsMarkdown(checks: readonly CheckResult[], rows: readonly ScorecardRow[]): string[] {
  const out: string[] = []
  for (const c of checks) {
    const details = c.details ?? []
    if (details.length === 0 && !hasEvidence(c.evidence)) continue
    out.push('', `#### ${esc(c.title ?? c.id)} (${esc(c.id)})`)
    if (details.length) for (const d of details) out.push(...detailMarkdown(d, rows))
    else out.push('', rawEvidenceMarkdown(c.evidence))
  }
  return out
}

export function detailMarkdown(d: Detail, rows: readonly ScorecardRow[]): string[] {
  const title = d.title ? ['', `**${esc(d.title)}**`] : []
  switch (d.kind) {
    case 'table':
      return tableMd(d, rows, title)
    case 'kv':
      return d.items.length
        ? [
            ...title,
            '',
            gfm(
              ['', ''],
              d.items.map((i) => [esc(i.label), cellMd(i.value, i.unit, rows)]),
            ),
          ]
        : []
    case 'list':
      return d.items.length ? [...title, '', ...d.items.slice(0, MAX_ROWS).map((i) => `- ${esc(i)}`)] : []
    case 'timeline':
      return timelineMd(d, title)
    default:
      return []
  }
}

function cellMd(v: DetailValue | undefined, unit: DetailUnit | undefined, rows: readonly ScorecardRow[]): string {
  if (unit === 'figure') {
    const g = gateOf(v, rows)
    return g ? esc(`${g.expected} ${g.reading.label}`) : '—'
  }
  return esc(valueText(v, unit))
}

function tableMd(d: TableDetail, rows: readonly ScorecardRow[], title: string[]): string[] {
  const out = [...title]
  if (d.note) out.push('', esc(d.note))
  if (d.rows.length === 0) return out
  const shown = d.rows.slice(0, MAX_ROWS)
  out.push(
    '',
    gfm(
      d.headings.map((h) => esc(h.label)),
      shown.map((r) => d.headings.map((h) => cellMd(r[h.key], cellUnit(h, r), rows))),
    ),
  )
  if (d.rows.length > shown.length) out.push('', `${d.rows.length - shown.length} more rows in results.json`)
  return out
}

function timelineMd(d: TimelineDetail, title: string[]): string[] {
  const { entries, marks } = timelineEntries(d)
  if (entries.length === 0) return []
  const out = [...title]
  if (d.series && d.series.length) {
    const series = d.series
    const shown = entries.slice(0, MAX_ROWS)
    out.push(
      '',
      gfm(
        ['t (s)', ...series.map((h) => esc(h.label))],
        shown.map((e) => [String(e.t), ...series.map((h) => esc(valueText(e.event[h.key], h.unit)))]),
      ),
    )
    if (entries.length > shown.length) out.push('', `${entries.length - shown.length} more intervals in results.json`)
    if (marks.length) out.push('', `Marks: ${marks.map((m) => `${esc(m.label)} at ${m.t} s`).join(', ')}`)
    return out
  }
  const changes = [
    ...changesOf(entries).map((e) => ({ t: e.t, label: e.label, rest: eventRest(d, e.event) })),
    ...marks.map((m) => ({ t: m.t, label: m.label, rest: 'mark' })),
  ].sort((a, b) => a.t - b.t)
  const shown = changes.slice(0, MAX_ROWS)
  out.push(
    '',
    gfm(
      ['t (s)', 'event', 'details'],
      shown.map((e) => [e.t.toFixed(3), esc(e.label), esc(e.rest)]),
    ),
  )
  if (changes.length > shown.length) out.push('', `${changes.length - shown.length} more changes in results.json`)
  return out
}

/** Evidence as JSON in a folded block: HTML-escaped inside <pre>, so no tag or fence survives. */
export function rawEvidenceMarkdown(evidence: unknown): string {
  let text: string
  try {
    text = JSON.stringify(evidence, null, 2) ?? String(evidence)
  } catch {
    text = String(evidence)
  }
  const chars = Array.from(text)
  if (chars.length > 20_000) text = `${chars.slice(0, 19_999).join('')}…`
  // JSON.stringify writes no blank line (a newline inside a string stays escaped), so the <pre> HTML block holds together
  return `<details><summary>Evidence (JSON)</summary>\n\n<pre>${escapeXml(text)}</pre>\n\n</details>`
}

/** A GFM table of cells already escaped. */
function gfm(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(head), `| ${head.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n')
}
