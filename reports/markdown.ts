// GitHub-flavoured Markdown for a PR comment or a job summary. Every cell goes through
// escapeMarkdownCell, so text from the target can neither split a table row nor inject HTML.

import type { CheckResult, ScenarioResult, ScorecardRow } from '../core/results.js'
import { escapeMarkdownCell as esc } from './escape.js'
import { actualText, count, duration, errorRate, expectedText, gateLabel, latency, rps } from './format.js'
import { bodyBytes, protocolText } from './step-columns.js'
import { readRow, type RowState } from './outcome.js'
import type { ReportInput, Reporter } from './types.js'
import { trendMarkdown } from './history.js'
import { runRelativeHref } from './links.js'
import { checkDetailsMarkdown } from './markdown-details.js'

const ICONS: Record<RowState, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  missing: '❓',
  skipped: '⏭️',
  error: '💥',
  'not-run': '➖',
  off: '⚪',
}

type Align = 'left' | 'right'

export const markdown: Reporter = {
  format: 'markdown',
  fileName: 'report.md',
  render({ results, scorecard, history }: ReportInput): string {
    const run = results.run
    const out: string[] = [scorecard.verdict === 'go' ? '## ✅ GO' : '## ❌ NO-GO', '', esc(scorecard.summary), '']
    if (run.partial || scorecard.partial) {
      out.push(`> ⚠️ **Partial run:** ${esc(run.partialReason ?? 'the run did not finish')}. Figures are what was measured until then.`, '')
    }
    out.push(
      `Target ${esc(run.target)} · environment ${esc(run.environment)} · run ${esc(run.id)} · ${esc(duration(run.durationMs))}`,
      '',
      '### Scorecard',
      '',
      scorecard.rows.length > 0 ? scorecardTable(scorecard.rows) : 'No gates were evaluated.',
    )
    if (results.scenarios.length > 0) out.push('', '### Scenarios', '', scenariosTable(results.scenarios))
    for (const s of results.scenarios) out.push(...scenarioDetail(s))
    if (results.checks.length > 0) out.push('', '### Checks', '', checksTable(results.checks), ...checkDetailsMarkdown(results.checks, scorecard.rows))
    if (results.baseline) out.push('', `Compared with baseline run ${esc(results.baseline.id)} (${esc(results.baseline.environment)}).`)
    if (history && history.length >= 2) out.push('', `### Trend: last ${history.length} runs`, '', trendMarkdown(history))
    return out.join('\n') + '\n'
  },
}

function scorecardTable(rows: ScorecardRow[]): string {
  return table(
    ['Outcome', 'Gate', 'Expected', 'Actual', 'Level', 'Why'],
    rows.map((row) => {
      const r = readRow(row)
      return [`${ICONS[r.state]} ${r.label}`, gateLabel(row), expectedText(row), actualText(row) ?? '—', row.level, row.why]
    }),
  )
}

function scenariosTable(scenarios: ScenarioResult[]): string {
  return table(
    ['Scenario', 'Status', 'Requests', 'Iterations', 'RPS', 'Error rate', 'VUs max', 'p50', 'p95', 'p99', 'max'],
    scenarios.map((s) => {
      // a browser scenario: no request counts; its errors are failed iterations, its times whole iterations
      const it = s.browser?.iterationDuration
      return s.kind === 'browser'
        ? [
            `${s.name} (browser)`,
            s.status,
            '—',
            count(s.iterations),
            '—',
            errorRate(s.errors, s.iterations),
            count(s.vusMax),
            latency(it?.p50),
            latency(it?.p95),
            latency(it?.p99),
            latency(it?.max),
          ]
        : [
            s.name,
            s.status,
            count(s.requests),
            count(s.iterations),
            rps(s.requests, s.durationMs),
            errorRate(s.errors, s.requests),
            count(s.vusMax),
            latency(s.latency?.p50),
            latency(s.latency?.p95),
            latency(s.latency?.p99),
            latency(s.latency?.max),
          ]
    }),
    ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
  )
}

function scenarioDetail(s: ScenarioResult): string[] {
  const out: string[] = []
  if (s.reason) out.push('', `**${esc(s.name)}** ${esc(s.status)}: ${esc(s.reason)}`)
  const engine = engineLine(s)
  if (engine) out.push('', engine)
  const b = s.browser
  if (b) {
    const v = b.webVitals
    out.push(
      '',
      `**${esc(s.name)}** Web Vitals p75 over ${count(b.pageViews)} page views: LCP ${latency(v.lcp.p75)} · INP ${latency(v.inp.p75)} · ` +
        `CLS ${v.cls.p75 ?? '—'} · FCP ${latency(v.fcp.p75)} · TTFB ${latency(v.ttfb.p75)}`,
    )
    if (b.steps.length > 0) {
      out.push(
        '',
        `#### Steps: ${esc(s.name)}`,
        '',
        table(
          ['Step', 'Runs', 'Failed', 'p50', 'p95', 'max'],
          b.steps.map((st) => [st.title, count(st.count), count(st.errors), latency(st.duration?.p50), latency(st.duration?.p95), latency(st.duration?.max)]),
          ['left', 'right', 'right', 'right', 'right', 'right'],
        ),
      )
    }
  }
  if (s.steps.length > 0) {
    out.push(
      '',
      `#### Steps: ${esc(s.name)}`,
      '',
      table(
        ['Step', 'Method', 'Requests', 'Errors', 'p50', 'p95', 'p99', 'max', 'Body', 'HTTP'],
        s.steps.map((st) => [
          st.name,
          st.method,
          count(st.requests),
          count(st.errors),
          latency(st.latency?.p50),
          latency(st.latency?.p95),
          latency(st.latency?.p99),
          latency(st.latency?.max),
          bodyBytes(st),
          protocolText(st),
        ]),
        ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'],
      ),
    )
  }
  if (s.topErrors.length > 0) {
    out.push(
      '',
      `#### Top errors: ${esc(s.name)}`,
      '',
      table(
        ['Step', 'Kind', 'Count', 'Error'],
        s.topErrors.map((e) => [e.step, e.kind, count(e.count), e.message]),
        ['left', 'left', 'right', 'left'],
      ),
    )
  }
  return out
}

/** The engine's own word (k6: version, exit codes, thresholds) and links to the files it
 *  wrote next to results.json, such as k6's HTML dashboard. */
function engineLine(s: ScenarioResult): string | null {
  const d = s.engineDetails
  const parts: string[] = []
  if (d) {
    parts.push(`${esc(s.engine)} ${esc(d.version ?? '')}`.trim())
    if (d.exitCodes) parts.push(`exit ${d.exitCodes.map((c) => (c === null ? 'killed' : String(c))).join(', ')}`)
    if (d.thresholds && Object.keys(d.thresholds).length) parts.push(d.thresholdsCrossed ? 'k6 thresholds crossed' : 'k6 thresholds held')
  }
  for (const a of s.artifacts ?? []) {
    const href = runRelativeHref(a.path)
    parts.push(href ? `[${esc(a.label)}](${href})` : `${esc(a.label)} (not linked: its path is outside the run directory)`)
  }
  return parts.length ? `**${esc(s.name)}** engine: ${parts.join(' · ')}` : null
}

function checksTable(checks: CheckResult[]): string {
  return table(
    ['Check', 'Status', 'Reason'],
    checks.map((c) => [c.id, c.status, c.reason ?? '']),
  )
}

/** A GFM table; every cell escaped here, so callers pass raw text. */
function table(head: string[], rows: string[][], align: Align[] = []): string {
  const line = (cells: string[]) => `| ${cells.map((c) => esc(c)).join(' | ')} |`
  const rule = `| ${head.map((_, i) => (align[i] === 'right' ? '---:' : '---')).join(' | ')} |`
  return [line(head), rule, ...rows.map(line)].join('\n')
}
