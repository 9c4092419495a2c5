// The live dashboard's page (--dashboard): report.html's styles and chart code, empty charts
// that the script fills from the run's Server-Sent Events, and the scorecard HTML sent when the
// run ends. Renderers return strings: the CLI's dashboard server serves them.

import { createHash } from 'node:crypto'
import type { Scorecard } from '../core/results.js'
import { scorecardTable } from './html.js'
import { uplotAssets } from './html/assets.js'
import { CLIENT_JS } from './html/client.js'
import { LIVE_JS } from './html/live-client.js'
import { TIMELINE_TITLES, timelineCharts } from './html/scenarios.js'
import { CSS } from './html/style.js'
import { clip, esc, scriptJson } from './html/text.js'

export interface DashboardMeta {
  target: string
  environment: string
  command: string
}

/** The page and the Content-Security-Policy it is served with (its three scripts by hash, and
 *  connections to its own origin for the event stream). */
export function dashboardPage(meta: DashboardMeta): { html: string; csp: string } {
  const { js, css } = uplotAssets()
  const scripts = [js, CLIENT_JS, LIVE_JS]
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`)
  const csp = `default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'`
  const config = { templates: timelineCharts('tmpl', []), titles: TIMELINE_TITLES }
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>running · golive live · ${clip(meta.target, 120)}</title>`,
    `<style>${css}\n${CSS}\n.verdict.running { background: #495057; }</style>`,
    '</head><body>',
    '<header class="verdict running" id="verdict" data-verdict="running"><h1 id="verdict-text">RUNNING</h1>',
    '<p class="summary" id="summary">the verdict comes when the run ends</p></header><main>',
    `<p class="facts">target <code>${clip(meta.target, 300)}</code> · environment ${esc(meta.environment)} · ${esc(meta.command)} · <span id="status">waiting for the first scenario</span></p>`,
    '<section id="scorecard"></section>',
    '<section id="scenarios"><h2>Load, per second</h2></section>',
    '<footer>golive live dashboard · charts by uPlot (inlined) · served on 127.0.0.1 for this run only</footer></main>',
    `<script type="application/json" id="golive-live">${scriptJson(config)}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body></html>',
    '',
  ].join('\n')
  return { html, csp }
}

/** The scorecard as report.html shows it (every value escaped there). */
export function liveScorecard(scorecard: Scorecard): string {
  return scorecardTable(scorecard.rows)
}
