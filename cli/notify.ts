// Verdict notifications: after a run, one POST of Slack-compatible JSON ({ text, blocks }) to the
// configured webhook with the verdict, the gates that failed and where the report is. A failed
// post is one warning line and never changes the exit code. The webhook URL (Slack's carries
// its token) is never printed; the environment's credentials are blanked out of the message.

import type { Scorecard, ScorecardRow } from '../core/results.js'
import type { EnvironmentConfig, NotifyConfig } from '../core/config.js'
import { actualText, expectedText } from '../reports/format.js'
import { readRow } from '../reports/outcome.js'
import { singleLine } from '../reports/escape.js'

export type { NotifyConfig } from '../core/config.js'

export interface Notice {
  environment: string
  target: string
  scorecard: Scorecard
  report: string | null
  partial: boolean
}

const TIMEOUT_MS = 10_000
const MAX_ROWS = 10

/** Posts when the config asks for it; returns the warning line, or null when posted or not asked. */
export async function notifyVerdict(cfg: NotifyConfig | undefined, notice: Notice, env: EnvironmentConfig): Promise<string | null> {
  if (!cfg) return null
  if ((cfg.on ?? 'no-go') === 'no-go' && notice.scorecard.verdict === 'go') return null
  const body = JSON.stringify(verdictMessage(notice, secretsOf(env)))
  try {
    const res = await fetch(cfg.webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    await res.arrayBuffer().catch(() => undefined)
    if (!res.ok) return `golive: warning: the verdict notification to ${safeOrigin(cfg.webhook)} got HTTP ${res.status}; the verdict stands`
    return null
  } catch (e) {
    const cause = ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message
    return `golive: warning: the verdict notification to ${safeOrigin(cfg.webhook)} failed (${singleLine(cause)}); the verdict stands`
  }
}

/** Slack's incoming-webhook shape: `text` for notifications and clients without blocks. */
export function verdictMessage(n: Notice, secrets: string[] = []): { text: string; blocks: unknown[] } {
  const hide = (t: string) => secrets.reduce((s, v) => s.split(v).join('***'), singleLine(t))
  const go = n.scorecard.verdict === 'go'
  const head = `${go ? 'GO' : 'NO-GO'} · ${hide(n.environment)} (${hide(withoutUserinfo(n.target))})${n.partial ? ' · PARTIAL RUN' : ''}`
  const failing = n.scorecard.rows.filter((r) => readRow(r).kind === 'failure')
  const lines = failing.slice(0, MAX_ROWS).map((r) => hide(rowLine(r)))
  if (failing.length > MAX_ROWS) lines.push(`… and ${failing.length - MAX_ROWS} more`)
  const summary = hide(n.scorecard.summary)
  const report = n.report ? `report: ${hide(n.report)}` : null
  const text = [head, summary, ...lines.map((l) => `• ${l}`), report].filter(Boolean).join('\n')
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: head.slice(0, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: mrkdwn(summary) } },
  ]
  if (lines.length)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: lines
          .map((l) => `• ${mrkdwn(l)}`)
          .join('\n')
          .slice(0, 3000),
      },
    })
  if (report) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(report) }] })
  return { text, blocks }
}

function rowLine(r: ScorecardRow): string {
  return `${readRow(r).label} ${r.figure}: ${actualText(r) ?? 'none'} vs ${expectedText(r)} (${r.why})`
}

/** Slack mrkdwn: &, < and > are its control characters; target text must not make links or mentions. */
function mrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Values that must never leave in a message: the environment's credentials and header values. */
function secretsOf(env: EnvironmentConfig): string[] {
  const a = env.auth
  const values = [a?.token, a?.password, a?.value, ...Object.values(env.headers ?? {})]
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 3)
}

function withoutUserinfo(target: string): string {
  try {
    const u = new URL(target)
    u.username = ''
    u.password = ''
    return u.href.replace(/\/$/, '')
  } catch {
    return target
  }
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the webhook'
  }
}
