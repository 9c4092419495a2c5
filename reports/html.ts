// report.html: one self-contained page per run. The verdict first (GO / NO-GO, the failed
// blockers listed), then the scorecard with expected, actual and why, then pictures of what the
// run measured: per scenario latency over time with users and errors, throughput, the latency
// histogram and the steps; per check its details and timelines. uPlot is inlined, so the file
// opens offline. Every text from a target is escaped (reports/html/text.ts), and the page's
// Content-Security-Policy allows only its own two scripts, by hash: an injected script or
// handler could not run even if a value slipped through.

import { createHash } from 'node:crypto'
import type { ScorecardRow } from '../core/results.js'
import { actualText, duration, expectedText, gateLabel } from './format.js'
import { readRow } from './outcome.js'
import type { ReportInput, Reporter } from './types.js'
import { uplotAssets } from './html/assets.js'
import type { ChartSpec } from './html/chart-spec.js'
import { checksSection } from './html/checks.js'
import { CLIENT_JS } from './html/client.js'
import { scenarioSection } from './html/scenarios.js'
import { browserSection } from './html/browser.js'
import { trendSection } from './html/trend.js'
import { CSS } from './html/style.js'
import { clip, esc, scriptJson, table } from './html/text.js'

export const html: Reporter = {
  format: 'html',
  fileName: 'report.html',
  render({ results, scorecard, history }: ReportInput): string {
    const run = results.run
    const charts: ChartSpec[] = []
    const go = scorecard.verdict === 'go'
    const body: string[] = []

    body.push(
      `<header class="verdict ${go ? 'go' : 'no-go'}" id="verdict" data-verdict="${go ? 'go' : 'no-go'}">`,
      `<h1>${go ? 'GO' : 'NO-GO'}</h1>`,
      `<p class="summary">${clip(scorecard.summary, 1000)}</p>`,
    )
    if (run.partial || scorecard.partial) {
      body.push(`<p class="partial">Partial run: ${clip(run.partialReason ?? 'the run did not finish', 500)}. Figures are what was measured until then.</p>`)
    }
    body.push('</header><main>')
    body.push(
      `<p class="facts">target <code>${clip(run.target, 300)}</code> · environment ${esc(run.environment)} · run ${esc(run.id)} · ` +
        `${esc(duration(run.durationMs))} · ${esc(run.command)} · golive ${esc(run.golive)}</p>`,
    )

    const blockers = scorecard.rows.filter((r) => r.level === 'blocker' && readRow(r).kind === 'failure')
    if (blockers.length > 0) {
      body.push(
        `<section class="blockers" id="blockers"><h2>Blockers (${blockers.length})</h2><ul>${blockers
          .map(
            (r) =>
              `<li><strong>${esc(r.figure)}</strong> — ${esc(readRow(r).label)}: expected ${esc(expectedText(r))}, ` +
              `actual <span class="target-text">${clip(actualText(r) ?? 'none', 200)}</span>. <span class="target-text">${clip(r.why, 500)}</span></li>`,
          )
          .join('')}</ul></section>`,
      )
    }

    body.push('<section id="scorecard"><h2>Scorecard</h2>', scorecardTable(scorecard.rows), '</section>')

    if (results.scenarios.length > 0) {
      body.push('<section id="scenarios"><h2>Load</h2>')
      results.scenarios.forEach((s, i) => body.push(s.kind === 'browser' ? browserSection(s, i, charts) : scenarioSection(s, i, charts)))
      body.push('</section>')
    }
    body.push(checksSection(results.checks, scorecard.rows, charts))
    body.push(trendSection(history, charts))
    body.push(
      `<footer>golive ${esc(run.golive)} · Node ${esc(run.node)} · ${esc(run.host.platform)}, ${esc(run.host.cpus)} CPUs · started ${esc(run.startedAt)} · charts by uPlot (inlined)</footer></main>`,
    )

    const { js, css } = uplotAssets()
    const scripts = [js, CLIENT_JS]
    const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`)
    const csp = `default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`
    return [
      '<!doctype html>',
      '<html lang="en"><head><meta charset="utf-8">',
      `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
      '<meta name="viewport" content="width=device-width, initial-scale=1">',
      `<title>${go ? 'GO' : 'NO-GO'} · golive · ${clip(run.target, 120)}</title>`,
      `<style>${css}\n${CSS}</style>`,
      '</head><body>',
      ...body,
      `<script type="application/json" id="golive-charts">${scriptJson(charts)}</script>`,
      ...scripts.map((s) => `<script>${s}</script>`),
      '</body></html>',
      '',
    ].join('\n')
  },
}

export function scorecardTable(all: ScorecardRow[]): string {
  if (all.length === 0) return '<p>No gates were evaluated.</p>'
  const notRun = all.filter((r) => r.outcome === 'not-run')
  const rows = all.filter((r) => r.outcome !== 'not-run')
  const out = [
    table(
      ['outcome', 'gate', 'expected', 'actual', 'level', 'why'],
      rows.map((row) => {
        const r = readRow(row)
        return [
          `<span class="tag ${r.tone}">${esc(r.label)}</span>`,
          `<code>${esc(gateLabel(row))}</code>`,
          esc(expectedText(row)),
          `<span class="target-text">${clip(actualText(row) ?? '—', 200)}</span>`,
          esc(row.level),
          `<span class="target-text">${clip(row.why, 500)}</span>`,
        ]
      }),
      'scorecard',
    ),
  ]
  if (notRun.length > 0)
    out.push(`<p class="muted">not run (${notRun.length}, do not count): ${notRun.map((r) => `<code>${esc(r.gate)}</code>`).join(', ')}</p>`)
  return out.join('\n')
}
