// The latency budget of an alert, from the live configuration: how long the path from "the
// condition is true" to "the receiver has it" may take at most, by construction:
//   scrape interval (the condition is seen) + evaluation interval (the rule sees it)
//   + the rule's `for` (pending → firing) + the route's group_wait (Alertmanager's first send).
// Pure functions of what Prometheus and Alertmanager report about themselves.

import { parse } from 'yaml'

/** Prometheus/Alertmanager durations: '2s', '1m30s', '500ms', '1h', '1d', '1w', '1y'. */
export function promSeconds(text: string | number | undefined, dflt: number): number {
  if (text === undefined || text === null || text === '') return dflt
  if (typeof text === 'number') return text
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }
  const parts = String(text)
    .trim()
    .match(/\d+(?:\.\d+)?(ms|s|m|h|d|w|y)/g)
  if (!parts || parts.join('') !== String(text).trim()) return dflt
  return parts.reduce((sum, p) => {
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)$/.exec(p)!
    return sum + Number(m[1]) * units[m[2]!]!
  }, 0)
}

export interface PromIntervals {
  scrapeSeconds: number
  evalSeconds: number
  jobs: Record<string, number>
}

/** Global scrape and evaluation intervals, and each job's scrape interval, from Prometheus's config. */
export function promIntervals(configYaml: string): PromIntervals {
  const c = (parse(configYaml) ?? {}) as {
    global?: { scrape_interval?: string; evaluation_interval?: string }
    scrape_configs?: { job_name: string; scrape_interval?: string }[]
  }
  const scrapeSeconds = promSeconds(c.global?.scrape_interval, 60)
  const evalSeconds = promSeconds(c.global?.evaluation_interval, 60)
  const jobs: Record<string, number> = {}
  for (const j of c.scrape_configs ?? []) jobs[j.job_name] = promSeconds(j.scrape_interval, scrapeSeconds)
  return { scrapeSeconds, evalSeconds, jobs }
}

/** The scrape interval that bounds when a rule sees a change: its jobs' (job="x" in the
 *  expression), else the longest of any job (a rule may read any of them). */
export function scrapeSecondsFor(expr: string, iv: PromIntervals): { seconds: number; jobs: string[] } {
  const named = [...expr.matchAll(/\bjob\s*=\s*"([^"]+)"/g)].map((m) => m[1]!).filter((j) => j in iv.jobs)
  if (named.length) return { seconds: Math.max(...named.map((j) => iv.jobs[j]!)), jobs: named }
  const all = Object.values(iv.jobs)
  return { seconds: all.length ? Math.max(...all) : iv.scrapeSeconds, jobs: [] }
}

interface AmRoute {
  receiver?: string
  group_wait?: string
  group_interval?: string
  repeat_interval?: string
  continue?: boolean
  match?: Record<string, string>
  match_re?: Record<string, string>
  matchers?: string[]
  routes?: AmRoute[]
}

export interface RouteChoice {
  receiver: string
  groupWaitSeconds: number
  groupIntervalSeconds: number
  path: string[]
}

function matcherHolds(m: string, labels: Record<string, string>): boolean {
  const x = /^\s*\{?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,}\s]*)\s*\}?\s*$/.exec(m)
  if (!x) return false
  const [, name, op, raw] = x
  const value = raw!.startsWith('"') ? (JSON.parse(raw!) as string) : raw!
  const have = labels[name!] ?? ''
  switch (op) {
    case '=':
      return have === value
    case '!=':
      return have !== value
    case '=~':
      return new RegExp(`^(?:${value})$`).test(have)
    default:
      return !new RegExp(`^(?:${value})$`).test(have)
  }
}

function routeMatches(r: AmRoute, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(r.match ?? {})) if ((labels[k] ?? '') !== v) return false
  for (const [k, v] of Object.entries(r.match_re ?? {})) if (!new RegExp(`^(?:${v})$`).test(labels[k] ?? '')) return false
  return (r.matchers ?? []).every((m) => matcherHolds(m, labels))
}

/** The route an alert with these labels takes (the first matching child, depth first, as
 *  Alertmanager does), with the group_wait and receiver it inherits. */
export function routeFor(amConfigYaml: string, labels: Record<string, string>): RouteChoice {
  const c = (parse(amConfigYaml) ?? {}) as { route?: AmRoute }
  const root = c.route ?? {}
  let at: RouteChoice = {
    receiver: root.receiver ?? '',
    groupWaitSeconds: promSeconds(root.group_wait, 30),
    groupIntervalSeconds: promSeconds(root.group_interval, 300),
    path: ['route'],
  }
  let node = root
  for (;;) {
    const children = node.routes ?? []
    const i = children.findIndex((r) => routeMatches(r, labels))
    if (i < 0) return at
    const r = children[i]!
    at = {
      receiver: r.receiver ?? at.receiver,
      groupWaitSeconds: promSeconds(r.group_wait, at.groupWaitSeconds),
      groupIntervalSeconds: promSeconds(r.group_interval, at.groupIntervalSeconds),
      path: [...at.path, `routes[${i}]`],
    }
    node = r
  }
}

/** Every webhook URL of a receiver in Alertmanager's config. */
export function webhookUrls(amConfigYaml: string, receiver?: string): string[] {
  const c = (parse(amConfigYaml) ?? {}) as { receivers?: { name: string; webhook_configs?: { url?: string }[] }[] }
  return (c.receivers ?? [])
    .filter((r) => receiver === undefined || r.name === receiver)
    .flatMap((r) => (r.webhook_configs ?? []).map((w) => w.url ?? ''))
    .filter(Boolean)
}

export interface Budget {
  scrapeSeconds: number
  evalSeconds: number
  forSeconds: number
  groupWaitSeconds: number
  totalSeconds: number
}

export function budgetOf(scrapeSeconds: number, evalSeconds: number, forSeconds: number, groupWaitSeconds: number): Budget {
  return { scrapeSeconds, evalSeconds, forSeconds, groupWaitSeconds, totalSeconds: scrapeSeconds + evalSeconds + forSeconds + groupWaitSeconds }
}

const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'inf',
  'nan',
  'atan2',
  'start',
  'end',
])

/** The metric names a PromQL expression reads (selectors, not functions, keywords or labels),
 *  and which of them it reads only inside absent()/absent_over_time() (their absence is the point). */
export function metricNames(expr: string): { names: string[]; onlyInAbsent: string[] } {
  let e = expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
  // label names inside grouping clauses and matchers, and range/offset durations
  e = e.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
  e = e.replace(/\{[^}]*\}/g, ' ')
  e = e.replace(/\[[^\]]*\]/g, ' ')
  const names = new Set<string>()
  const inAbsent = new Set<string>()
  const outside = new Set<string>()
  const re = /[a-zA-Z_:][a-zA-Z0-9_:]*/g
  let m: RegExpExecArray | null
  while ((m = re.exec(e))) {
    const word = m[0]
    const before = e.slice(0, m.index)
    if (/[0-9.]$/.test(before)) continue // 1e3, 5m: part of a number or a duration
    const after = e.slice(m.index + word.length)
    if (/^\s*\(/.test(after)) continue // a function or aggregation
    if (PROMQL_WORDS.has(word.toLowerCase())) continue
    names.add(word)
    const open = enclosingFunctions(before)
    if (open.some((f) => f === 'absent' || f === 'absent_over_time')) inAbsent.add(word)
    else outside.add(word)
  }
  return { names: [...names], onlyInAbsent: [...inAbsent].filter((n) => !outside.has(n)) }
}

function enclosingFunctions(before: string): string[] {
  const stack: string[] = []
  const re = /([a-zA-Z_][a-zA-Z0-9_]*)?\s*\(|\)/g
  let m: RegExpExecArray | null
  while ((m = re.exec(before))) {
    if (m[0] === ')') stack.pop()
    else stack.push(m[1] ?? '')
  }
  return stack
}
