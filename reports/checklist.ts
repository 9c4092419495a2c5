// The go-live checklist a release ticket takes as pasted: every gate of the scorecard as an item
// (checked, failed, or not measured), grouped the way sign-off meetings go, plus the items only
// a person can check, with who signed them. Markdown (task list) and a self-contained HTML page.

import type { ChecklistGroup, ManualItem } from '../core/config.js'
import type { ScorecardRow } from '../core/results.js'
import { escapeMarkdownCell, escapeXml, singleLine } from './escape.js'
import { actualText, expectedText } from './format.js'
import { readRow } from './outcome.js'
import type { ReportInput } from './types.js'

export const GROUP_ORDER: readonly ChecklistGroup[] = ['Performance', 'Security', 'Data safety', 'Resilience', 'Observability', 'User experience', 'Operations']

export type ItemState = 'checked' | 'failed' | 'warning' | 'not-measured'

export interface ChecklistItem {
  group: ChecklistGroup
  state: ItemState
  title: string
  /** figure, actual and target, or who signed */
  detail: string
  why?: string
  /** where a person sees the evidence */
  link?: string
}

export interface ChecklistInput extends ReportInput {
  manual?: ManualItem[]
  /** the file the evidence links point into: 'report.html' (anchors per check) or 'results.json' */
  evidenceFile?: string
  /** check id → the checklist group it declares (cli passes the checks' declarations) */
  groups?: Readonly<Record<string, ChecklistGroup | undefined>>
}

/** A gate's group: load figures are Performance; a check's, the group the check declares
 *  (`groups`: check id → group); anything else Operations. */
export function groupOf(source: string, groups: Readonly<Record<string, ChecklistGroup | undefined>> = {}): ChecklistGroup {
  if (source.startsWith('load.')) return 'Performance'
  return groups[source] ?? 'Operations'
}

function stateOf(row: ScorecardRow): ItemState {
  const r = readRow(row)
  if (r.state === 'pass') return 'checked'
  if (r.state === 'fail') return 'failed'
  if (r.state === 'warn') return 'warning'
  return 'not-measured'
}

export function checklistItems(input: ChecklistInput): ChecklistItem[] {
  const items: ChecklistItem[] = []
  const groups = input.groups ?? {}
  for (const row of input.scorecard.rows) {
    if (row.level === 'off' || row.source === 'run') continue
    const state = stateOf(row)
    const actual = actualText(row)
    const source = row.source ?? ''
    const anchor = input.evidenceFile?.endsWith('report.html') ? `#${source.startsWith('load.') ? `scenario-${source.slice(5)}` : `check-${source}`}` : ''
    items.push({
      group: groupOf(source, groups),
      state,
      title: row.gate,
      detail: `${row.figure}: ${actual ?? 'not measured'} (target ${expectedText(row)}${row.level === 'warn' ? ', warning only' : ''})`,
      ...(state === 'checked' ? {} : { why: row.why }),
      ...(input.evidenceFile && state !== 'not-measured' ? { link: `${input.evidenceFile}${anchor}` } : {}),
    })
  }
  for (const m of input.manual ?? []) {
    const signed = Boolean(m.signedBy)
    items.push({
      group: m.group ?? 'Operations',
      state: signed ? 'checked' : 'not-measured',
      title: m.item,
      detail: signed ? `signed by ${m.signedBy}${m.signedAt ? ` on ${m.signedAt}` : ''}` : 'not signed yet (checklist.manual in the config)',
      ...(m.evidence ? { link: m.evidence } : {}),
    })
  }
  return items
}

function counts(items: ChecklistItem[]) {
  const n = (s: ItemState) => items.filter((i) => i.state === s).length
  return `${n('checked')} checked, ${n('failed')} failed, ${n('warning')} warnings, ${n('not-measured')} not measured or not signed`
}

const MD_MARK: Record<ItemState, string> = { checked: '[x] ✅', failed: '[ ] ❌', warning: '[x] ⚠️', 'not-measured': '[ ] ➖' }

export function checklistMarkdown(input: ChecklistInput): string {
  const esc = (t: string) => escapeMarkdownCell(t)
  const { results, scorecard } = input
  const items = checklistItems(input)
  const out = [
    `# Go-live checklist: ${esc(results.run.environment)} · ${scorecard.verdict === 'go' ? '✅ GO' : '❌ NO-GO'}`,
    '',
    `Run ${esc(results.run.id)} against ${esc(results.run.target)}${results.run.partial ? ' · **partial run**' : ''}. ${esc(scorecard.summary)}`,
    '',
    `${counts(items)}.`,
  ]
  for (const group of GROUP_ORDER) {
    const inGroup = items.filter((i) => i.group === group)
    if (inGroup.length === 0) continue
    out.push('', `## ${group}`, '')
    for (const i of inGroup) {
      const link = i.link && safeHref(i.link) !== '#' ? ` · [evidence](${encodeURI(safeHref(i.link))})` : ''
      out.push(`- ${MD_MARK[i.state]} **${esc(i.title)}**: ${esc(i.detail)}${i.why ? `. ${esc(i.why)}` : ''}${link}`)
    }
  }
  return out.join('\n') + '\n'
}

const HTML_MARK: Record<ItemState, [string, string]> = {
  checked: ['✔', 'checked'],
  failed: ['✖', 'failed'],
  warning: ['▲', 'warning'],
  'not-measured': ['–', 'not measured'],
}

export function checklistHtml(input: ChecklistInput): string {
  const h = (t: string) => escapeXml(t)
  const { results, scorecard } = input
  const items = checklistItems(input)
  const go = scorecard.verdict === 'go'
  const groups = GROUP_ORDER.map((group) => {
    const inGroup = items.filter((i) => i.group === group)
    if (inGroup.length === 0) return ''
    const lis = inGroup
      .map((i) => {
        const [mark, word] = HTML_MARK[i.state]
        const link = i.link ? ` <a href="${h(safeHref(i.link))}">evidence</a>` : ''
        return (
          `<li class="${i.state}"><span class="mark" title="${word}">${mark}</span> <b>${h(i.title)}</b><br><span class="detail">${h(i.detail)}</span>` +
          `${i.why ? `<br><span class="why">${h(i.why)}</span>` : ''}${link}</li>`
        )
      })
      .join('\n')
    return `<section><h2>${h(group)}</h2><ul>\n${lis}\n</ul></section>`
  }).join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Go-live checklist: ${h(results.run.environment)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
.verdict{padding:.8rem 1rem;border-radius:.4rem;color:#fff;font-weight:700;font-size:1.3rem}
.go{background:#1a7f37}.no-go{background:#cf222e}
ul{list-style:none;padding:0}li{padding:.45rem .6rem;border-bottom:1px solid #d0d7de}
.mark{display:inline-block;width:1.4rem;font-weight:700}
.checked .mark{color:#1a7f37}.failed .mark{color:#cf222e}.warning .mark{color:#9a6700}.not-measured .mark{color:#6e7781}
.detail{color:#424a53;font-size:.92rem}.why{color:#6e7781;font-size:.88rem}
</style></head>
<body>
<div class="verdict ${go ? 'go' : 'no-go'}">${go ? 'GO' : 'NO-GO'}: go-live checklist for ${h(results.run.environment)}</div>
<p>Run ${h(results.run.id)} against ${h(results.run.target)}${results.run.partial ? ' (<b>partial run</b>)' : ''}. ${h(scorecard.summary)}</p>
<p>${h(counts(items))}.</p>
${groups}
</body></html>
`
}

/** Links from config or our own files only; a javascript: URL from anywhere becomes inert. */
function safeHref(link: string): string {
  const l = singleLine(link)
  return /^(https?:|\.{0,2}\/|[\w.-]+(?:[#/]|$))/i.test(l) && !/^javascript:/i.test(l) ? l : '#'
}
