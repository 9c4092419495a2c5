// The benchmark's figures as Markdown: the summary table, the goals, every run, and the
// BENCHMARKS.md update (the generated section is replaced; the history gains one line).

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Machine } from './machine.js'
import type { ChildResult } from './measure.js'

export interface Run {
  /** 1.. for the throughput rounds; null for the memory runs */
  round: number | null
  label: string
  connections: number
  seconds: number
  result: ChildResult
  /** responses the target served during the run (its own count) */
  served: number
}

export interface Settings {
  connections: number
  seconds: number
  rounds: number
  memUsers: number
  memSeconds: number
  command: string
}

// issue 22's goals: ahead of autocannon and near wrk, at 100 and at 1000 users, per request no
// dearer than autocannon, and small per user
const GOAL_RATIO = 1.0
const GOAL_WRK_RATIO = 0.8
const GOAL_P99_RATIO_1000 = 1.5
const GOAL_MB_PER_USER = 0.1
// golive reading k6's samples costs k6 at most 5 % of its own req/s
const GOAL_K6_RATIO = 0.95

const f = (v: number | null | undefined, digits = 0) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits))
const thousands = (v: number) => Math.round(v).toLocaleString('en-US')
export const mbPerUser = (r: Run) => (Number.isFinite(r.result.usage.idleRssMB) ? (r.result.usage.peakRssMB - r.result.usage.idleRssMB) / r.connections : NaN)
const cpuPerReq = (r: Run) => (r.result.usage.cpuS / r.result.requests) * 1e6
/** req/s over the whole seconds after the first (start-up and JIT warm-up left out) */
const afterFirst = (r: Run) => {
  const s = r.result.perSecond?.slice(1) ?? []
  return s.length ? s.reduce((a, n) => a + n, 0) / s.length : NaN
}
const perSecondK = (r: Run) => r.result.perSecond?.map((n) => (n / 1000).toFixed(1)).join(' ') ?? '—'

/** The run with the median req/s (the lower middle for an even count), and the range. */
export function medianRun(runs: Run[]): { run: Run; min: number; max: number } {
  const sorted = [...runs].sort((a, b) => a.result.rps - b.result.rps)
  return { run: sorted[Math.floor((sorted.length - 1) / 2)]!, min: sorted[0]!.result.rps, max: sorted[sorted.length - 1]!.result.rps }
}

export interface Summary {
  ratio: number
  mbPerUser: number
  mbPerUserMarginal: number
  ratioPass: boolean
  memPass: boolean
  markdown: string
  historyRow: string
}

export function summarize(runs: Run[], s: Settings, m: Machine, when: Date, elapsedS: number): Summary {
  const labels = [...new Set(runs.filter((r) => r.round !== null).map((r) => r.label))]
  const rows: { run: Run; range: string; base: Run | undefined }[] = []
  const byLabel = new Map(labels.map((l) => [l, medianRun(runs.filter((r) => r.round !== null && r.label === l))]))
  const ac = byLabel.get('autocannon')?.run
  for (const l of labels) {
    const { run, min, max } = byLabel.get(l)!
    rows.push({ run, range: s.rounds > 1 ? `${thousands(min)}–${thousands(max)}` : '—', base: ac })
  }
  const mem = runs.filter((r) => r.round === null)
  const acMem = mem.find((r) => r.label === 'autocannon')
  for (const r of mem) rows.push({ run: r, range: '—', base: acMem })

  const golive = byLabel.get('golive embedded')!.run
  const goliveMem = mem.find((r) => r.label === 'golive embedded')!
  const ratio = golive.result.rps / ac!.result.rps
  const perUser = mbPerUser(goliveMem)
  const marginal = (goliveMem.result.usage.peakRssMB - golive.result.usage.peakRssMB) / (goliveMem.connections - golive.connections)
  const ratioPass = ratio >= GOAL_RATIO
  const memPass = perUser <= GOAL_MB_PER_USER
  const wrk1 = byLabel.get('wrk -t1')?.run
  const wrkRatio = wrk1 ? golive.result.rps / wrk1.result.rps : NaN
  const ratio1000 = acMem ? goliveMem.result.rps / acMem.result.rps : NaN
  const p99Ratio1000 = acMem && goliveMem.result.p99 !== null && acMem.result.p99 ? goliveMem.result.p99 / acMem.result.p99 : NaN

  const table = [
    '| tool | connections | req/s | req/s range | × autocannon | req/s after 1st s | p50 ms | p99 ms | CPU s | CPU µs/req | idle RSS MB | peak RSS MB | MB/user | errors |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      ({ run: r, range, base }) =>
        `| ${r.label} | ${r.connections} | ${thousands(r.result.rps)} | ${range} | ${base ? f(r.result.rps / base.result.rps, 2) : '—'} | ` +
        `${Number.isFinite(afterFirst(r)) ? thousands(afterFirst(r)) : '—'} | ${f(r.result.p50, 2)} | ${f(r.result.p99, 2)} | ${f(r.result.usage.cpuS, 2)} | ` +
        `${f(cpuPerReq(r))} | ${f(r.result.usage.idleRssMB, 1)} | ${f(r.result.usage.peakRssMB, 1)} | ${f(mbPerUser(r), 3)} | ${r.result.errors} |`,
    ),
  ]
  const detail = [
    '| round | tool | connections | req/s | thousands of responses in each second | p50 ms | p99 ms | CPU s | peak RSS MB | counted | target served |',
    '|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|',
    ...runs.map(
      (r) =>
        `| ${r.round ?? 'mem'} | ${r.label} | ${r.connections} | ${thousands(r.result.rps)} | ${perSecondK(r)} | ${f(r.result.p50, 2)} | ${f(r.result.p99, 2)} | ` +
        `${f(r.result.usage.cpuS, 2)} | ${f(r.result.usage.peakRssMB, 1)} | ${r.result.requests} | ${r.served} |`,
    ),
  ]
  const pf = (ok: boolean) => (ok ? '**PASS**' : '**MISS**')
  const markdown = [
    `Run of ${when.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${Math.round(elapsedS)} s in all.`,
    '',
    `- machine: ${m.cpus} CPUs (\`nproc\`), ${m.cpu}, ${m.memoryGB} GB RAM`,
    `- software: Node ${m.node}, ${m.os}; ${m.tools}`,
    `- command: \`${s.command}\``,
    `- throughput: ${s.connections} connections, ${s.seconds} s per run, ${s.rounds} round(s), tools alternating; each row shows the run with the median req/s, and the range over the rounds`,
    `- memory: ${s.memUsers} connections/users for ${s.memSeconds} s, one run each`,
    '',
    ...table,
    '',
    '| goal | measured | verdict |',
    '|---|---:|---|',
    `| golive embedded req/s ≥ ${GOAL_RATIO}× autocannon's (${s.connections} connections, medians) | ` +
      `${f(ratio, 2)}× (${thousands(golive.result.rps)} vs ${thousands(ac!.result.rps)}) | ${pf(ratioPass)} |`,
    `| golive embedded req/s ≥ ${GOAL_WRK_RATIO}× wrk -t1's (${s.connections} connections, medians) | ` +
      `${wrk1 ? `${f(wrkRatio, 2)}× (${thousands(golive.result.rps)} vs ${thousands(wrk1.result.rps)})` : 'not measured (apt-get install wrk)'} | ` +
      `${wrk1 ? pf(wrkRatio >= GOAL_WRK_RATIO) : '**NOT RUN**'} |`,
    `| golive embedded CPU per request ≤ autocannon's (${s.connections} connections) | ${f(cpuPerReq(golive))} vs ${f(cpuPerReq(ac!))} µs | ${pf(cpuPerReq(golive) <= cpuPerReq(ac!))} |`,
    `| golive embedded req/s ≥ ${GOAL_RATIO}× autocannon's at ${s.memUsers} users, p99 ≤ ${GOAL_P99_RATIO_1000}× autocannon's | ` +
      `${f(ratio1000, 2)}× (${thousands(goliveMem.result.rps)} vs ${acMem ? thousands(acMem.result.rps) : '—'}); ` +
      `p99 ${f(p99Ratio1000, 2)}× (${f(goliveMem.result.p99, 1)} vs ${f(acMem?.result.p99, 1)} ms) | ${pf(ratio1000 >= GOAL_RATIO && p99Ratio1000 <= GOAL_P99_RATIO_1000)} |`,
    ...k6Goal(byLabel, s.connections),
    `| golive embedded memory ≤ ${GOAL_MB_PER_USER} MB per user at ${s.memUsers} users ((peak − idle RSS) / users) | ${f(perUser, 3)} MB/user | ${pf(memPass)} |`,
    `| (for reference) marginal memory, ${golive.connections} → ${s.memUsers} users | ${f(marginal, 3)} MB/user | — |`,
    ...mem
      .filter((r) => r.label !== 'golive embedded')
      .map((r) => {
        const at100 = byLabel.get(r.label)?.run
        const m = at100 ? (r.result.usage.peakRssMB - at100.result.usage.peakRssMB) / (r.connections - at100.connections) : NaN
        return `| (for reference) ${r.label}: marginal memory ${at100?.connections ?? '?'} → ${r.connections} users; peak RSS ${f(r.result.usage.peakRssMB, 1)} MB | ${f(m, 3)} MB/user | — |`
      }),
    '',
    '<details><summary>Every run</summary>',
    '',
    ...detail,
    '',
    '</details>',
  ].join('\n')
  const historyRow = `| ${when.toISOString().slice(0, 16).replace('T', ' ')} | \`${s.command}\` | ${thousands(ac!.result.rps)} | ${thousands(golive.result.rps)} | ${f(ratio, 2)} | ${labels
    .filter((l) => l.startsWith('wrk'))
    .map((l) => `${l}: ${thousands(byLabel.get(l)!.run.result.rps)}`)
    .join(', ')} | ${f(perUser, 3)} | ${f(mbPerUser(golive), 3)} |`
  return { ratio, mbPerUser: perUser, mbPerUserMarginal: marginal, ratioPass, memPass, markdown, historyRow }
}

/** golive --engine k6 against the very script it wrote, on k6 alone: what golive's reading costs k6 */
function k6Goal(byLabel: Map<string, { run: Run }>, connections: number): string[] {
  const g = byLabel.get('golive --engine k6')?.run
  const alone = byLabel.get("k6 alone, golive's script")?.run
  if (!g || !alone) return []
  const r = g.result.rps / alone.result.rps
  return [
    `| golive --engine k6 req/s ≥ ${GOAL_K6_RATIO}× k6's own on the same script, no output (${connections} users, medians) | ` +
      `${f(r, 2)}× (${thousands(g.result.rps)} vs ${thousands(alone.result.rps)}) | ${r >= GOAL_K6_RATIO ? '**PASS**' : '**MISS**'} |`,
  ]
}

const RESULTS = ['<!-- bench:results:start -->', '<!-- bench:results:end -->'] as const
const CHECKS = ['<!-- bench:checks:start -->', '<!-- bench:checks:end -->'] as const
const HISTORY_END = '<!-- bench:history:end -->'
const HISTORY_HEAD = [
  '| run (UTC) | command | autocannon req/s | golive req/s | ratio | wrk req/s | golive MB/user @1000 | golive MB/user @100 |',
  '|---|---|---:|---:|---:|---|---:|---:|',
].join('\n')

/** Replaces the generated sections of BENCHMARKS.md (load tools; checks) and adds a line to its
 *  history. A part the bench did not run this time (--no-checks, --checks-only) stays as it was. */
export function updateBenchmarksFile(file: string, s: Summary | null, checks: string | null = null): void {
  let text = existsSync(file)
    ? readFileSync(file, 'utf8')
    : `# Benchmarks\n\n## Latest run\n\n${RESULTS[0]}\n${RESULTS[1]}\n\n## Checks\n\n${CHECKS[0]}\n${CHECKS[1]}\n\n## History\n\n${HISTORY_HEAD}\n${HISTORY_END}\n`
  if (checks !== null) {
    const c = text.indexOf(CHECKS[0]),
      d = text.indexOf(CHECKS[1])
    if (c < 0 || d < c) throw new Error(`${file}: the markers ${CHECKS.join(' … ')} are missing`)
    text = `${text.slice(0, c + CHECKS[0].length)}\n${checks}\n${text.slice(d)}`
  }
  if (s === null) {
    writeFileSync(file, text)
    return
  }
  const a = text.indexOf(RESULTS[0]),
    b = text.indexOf(RESULTS[1])
  if (a < 0 || b < a) throw new Error(`${file}: the markers ${RESULTS.join(' … ')} are missing`)
  text = `${text.slice(0, a + RESULTS[0].length)}\n${s.markdown}\n${text.slice(b)}`
  const h = text.indexOf(HISTORY_END)
  if (h < 0) throw new Error(`${file}: the marker ${HISTORY_END} is missing`)
  text = `${text.slice(0, h)}${s.historyRow}\n${text.slice(h)}`
  writeFileSync(file, text)
}
