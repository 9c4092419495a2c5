// The checks: a status table, then per check what a person needs to see why: its details,
// rendered by kind (reports/html/details.ts), never by which check it is; its figures; and its
// evidence as escaped JSON, folded. A result from before details shows the details its evidence's
// shapes give (reports/legacy-details.ts), its timelines, and its evidence.

import type { CheckResult, Figure, ScorecardRow } from '../../core/results.js'
import { formatValue } from '../../core/units.js'
import { hasEvidence } from '../detail-text.js'
import { duration } from '../format.js'
import type { ChartSpec } from './chart-spec.js'
import { detailsHtml } from './details.js'
import { legacyDetails } from '../legacy-details.js'
import { legacyTimelines } from './timeline.js'
import { clip, esc, table } from './text.js'

export function checksSection(checks: CheckResult[], rows: ScorecardRow[], charts: ChartSpec[]): string {
  if (checks.length === 0) return ''
  const out: string[] = ['<section id="checks"><h2>Checks</h2>']
  out.push(
    table(
      ['check', 'status', 'took', 'reason'],
      checks.map((c) => [
        `<a href="#check-${esc(c.id)}">${esc(c.id)}</a>`,
        `<span class="tag ${c.status === 'measured' ? 'ok' : c.status === 'error' ? 'bad' : 'warn'}">${esc(c.status)}</span>`,
        esc(duration(c.durationMs)),
        `<span class="target-text">${clip(c.reason ?? '')}</span>`,
      ]),
    ),
  )
  checks.forEach((c, i) => out.push(checkDetail(c, i, rows, charts)))
  out.push('</section>')
  return out.join('\n')
}

function checkDetail(c: CheckResult, index: number, rows: ScorecardRow[], charts: ChartSpec[]): string {
  const out: string[] = [`<section class="check" id="check-${esc(c.id)}"><h3>${esc(c.title ?? c.id)} <span class="muted">(${esc(c.id)})</span></h3>`]
  if (c.reason) out.push(`<p class="note target-text">${clip(c.reason, 1000)}</p>`)
  if (c.details && c.details.length > 0) out.push(detailsHtml(c.details, { id: `c${index}`, rows, charts }))
  // a results.json from before details: its evidence's timelines as that golive drew them, then the raw JSON
  else if (hasEvidence(c.evidence)) {
    // what a current check would give as details, from the shapes those checks recorded
    const legacy = legacyDetails(c.evidence)
    if (legacy.length > 0) out.push(detailsHtml(legacy, { id: `c${index}`, rows, charts }))
    out.push(legacyTimelines(c.evidence, `c${index}`, charts))
  }
  const figures = Object.entries(c.figures)
  if (figures.length > 0) {
    out.push(
      '<details><summary>Figures</summary>',
      table(
        ['figure', 'value'],
        figures.map(([k, f]) => [esc(`${c.id}.${k}`), `<span class="target-text">${clip(figureText(f))}</span>`]),
      ),
      '</details>',
    )
  }
  if (hasEvidence(c.evidence)) out.push(rawEvidence(c.evidence))
  out.push('</section>')
  return out.join('\n')
}

/** The evidence as JSON, escaped and folded: everything the check recorded, whatever its shape. */
export function rawEvidence(evidence: unknown): string {
  let text: string
  try {
    text = JSON.stringify(evidence, null, 2) ?? String(evidence)
  } catch {
    text = String(evidence)
  }
  return `<details class="evidence"><summary>Evidence (JSON)</summary><pre class="target-text">${clip(text, 20_000)}</pre></details>`
}

function figureText(f: Figure): string {
  return typeof f.value === 'number' ? formatValue(f.value, f.unit === 'grade' ? undefined : f.unit) : String(f.value)
}
