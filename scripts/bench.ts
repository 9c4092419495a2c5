// `npm run bench`: golive's embedded engine against plain autocannon and wrk, side by side, on
// one local target (a keep-alive Node server in its own process, 127.0.0.1, random port).
// Throughput at one connection count (rounds alternate the tools), then memory at 1000 users.
// Prints a Markdown table and updates BENCHMARKS.md. Every run is bounded in time.
//
//   npm run bench -- [--connections 100] [--seconds 10] [--rounds 3] [--mem-users 1000]
//                    [--mem-seconds 10] [--wrk-threads 1,2] [--warmup 3] [--pin] [--no-write]
//                    [--no-k6] [--no-checks] [--checks-only] [--tls-rounds 3]
//
// k6 (npm run install-k6) joins the load tools when it is installed. The checks part brings the
// staging stack up when it is not (and down again after), times golive's tls check against
// testssl.sh on its edge, and times `golive run --env staging-local` over every check, no load.
//
// --pin: the target on CPU 0, every load generator on CPU 1 (taskset), so they never share a core.

import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { parseArgs } from 'node:util'
import { bundleChildren, ROOT, runChild, startTarget, type Target } from './bench/children.js'
import { machine } from './bench/machine.js'
import type { ChildResult } from './bench/measure.js'
import { summarize, updateBenchmarksFile, type Run, type Settings } from './bench/report.js'
import { runWrk } from './bench/wrk.js'
import { k6Available, runGoliveK6Pair, runK6 } from './bench/k6.js'
import { checksMarkdown, ensureStaging, runChecks, stagingDown, tlsVsTestssl } from './bench/checks.js'
import { loadConfig } from '../core/load-config.js'

const { values: v } = parseArgs({
  options: {
    connections: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    'mem-users': { type: 'string', default: '1000' },
    'mem-seconds': { type: 'string', default: '10' },
    'wrk-threads': { type: 'string', default: '1,2' },
    warmup: { type: 'string', default: '3' },
    pin: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    'no-k6': { type: 'boolean', default: false },
    'no-checks': { type: 'boolean', default: false },
    'checks-only': { type: 'boolean', default: false },
    'tls-rounds': { type: 'string', default: '3' },
  },
})
const int = (name: keyof typeof v, min: number): number => {
  const n = Number(v[name])
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name}: expected an integer ≥ ${min}, got ${String(v[name])}`)
    process.exit(2)
  }
  return n
}
const connections = int('connections', 1),
  seconds = int('seconds', 1),
  rounds = int('rounds', 1)
const memUsers = int('mem-users', 1),
  memSeconds = int('mem-seconds', 1),
  warmup = int('warmup', 0)
// wrk is the C reference when Debian's package is there (apt-get install wrk); without it the bench goes on
const hasWrk = spawnSync('wrk', ['--version']).error === undefined
const wrkThreads = hasWrk ? String(v['wrk-threads']).split(',').filter(Boolean).map(Number) : []
if (wrkThreads.some((t) => !Number.isInteger(t) || t < 1 || t > connections)) {
  console.error('--wrk-threads: a list like 1,2 (each ≤ connections)')
  process.exit(2)
}
const extra = process.argv.slice(2).join(' ')
const settings: Settings = { connections, seconds, rounds, memUsers, memSeconds, command: `npm run bench${extra ? ` -- ${extra}` : ''}` }

const log = (s: string) => process.stderr.write(`${s}\n`)
const started = Date.now()
const k6 = v['no-k6'] ? null : k6Available()
const loadPart = !v['checks-only']
const checksPart = !v['no-checks'] || v['checks-only']
const tlsRounds = int('tls-rounds', 1)
const estimate =
  (loadPart ? warmup + rounds * ((2 + (k6 ? 3 : 0)) * (seconds + 1.5) + wrkThreads.length * seconds) + (2 + (k6 ? 1 : 0)) * (memSeconds + 2) : 0) +
  (checksPart ? 120 : 0)
const loadTools = `target + autocannon + golive embedded + wrk ${wrkThreads.map((t) => `-t${t}`).join('/')}${k6 ? ' + k6' : ' (k6 not installed: npm run install-k6)'}`
log(
  `golive bench: about ${Math.round(estimate)} s (${loadPart ? loadTools : ''}${loadPart && checksPart ? '; ' : ''}` +
    `${checksPart ? 'tls vs testssl.sh, golive run of every staging-local check' : ''})`,
)

let summary: ReturnType<typeof summarize> | null = null
if (loadPart) {
  await bundleChildren()
  const pin = v.pin ? { target: '0', tool: '1' } : { target: undefined, tool: undefined }
  const target = await startTarget(pin.target)
  const runs: Run[] = []
  try {
    if (!hasWrk) log('wrk is not installed (apt-get install wrk): the bench goes on without it')
    if (warmup > 0 && hasWrk) {
      log(`warm-up: wrk -t1 -c${connections} -d${warmup}s`)
      await runWrk(target.url, 1, connections, warmup, pin.tool)
    }
    type Tool = { label: string; run: (conns: number, secs: number) => Promise<ChildResult> }
    const limit = (secs: number) => secs + 30
    const node = (label: string, child: 'autocannon-child' | 'golive-child'): Tool => ({
      label,
      run: (conns, secs) => runChild(child, { url: target.url, connections: conns, seconds: secs, workers: 1 }, limit(secs), pin.tool),
    })
    const autocannon = node('autocannon', 'autocannon-child')
    const golive = node('golive embedded', 'golive-child')
    const wrks = wrkThreads.map((t): Tool => ({ label: `wrk -t${t}`, run: (conns, secs) => runWrk(target.url, t, conns, secs, pin.tool) }))
    const k6s: Tool[] = k6 ? [{ label: 'k6', run: (conns, secs) => runK6(target.url, conns, secs, pin.tool) }] : []

    for (let round = 1; round <= rounds; round++) {
      // alternate who goes first, so neither node tool always follows the other
      const order = round % 2 === 1 ? [autocannon, golive, ...k6s, ...wrks] : [golive, autocannon, ...wrks.slice().reverse(), ...k6s]
      for (const tool of order) runs.push(await measured(target, tool, round, connections, seconds))
      if (k6) runs.push(...(await k6Pair(target, round, connections, seconds, pin.tool)))
    }
    for (const tool of [golive, autocannon, ...k6s]) runs.push(await measured(target, tool, null, memUsers, memSeconds))
  } finally {
    target.close()
  }
  summary = summarize(runs, settings, machine(ROOT), new Date(started), (Date.now() - started) / 1000)
  process.stdout.write(`\n${summary.markdown}\n`)
}

let checksText: string | null = null
if (checksPart) {
  const loaded = await loadConfig({ cwd: ROOT })
  const env = loaded.config.environments['staging-local']
  const checkIds = Object.entries(env?.checks ?? {})
    .filter(([, s]) => s !== false)
    .map(([id]) => id)
  log(`checks: staging stack up (if it is not), then golive check tls ×${tlsRounds}, testssl.sh, golive run --only ${checkIds.join(',')}`)
  const startedStack = await ensureStaging()
  try {
    const origin = env!.baseUrl
    const tls = await tlsVsTestssl(origin, join(ROOT, env!.ca!), tlsRounds)
    for (const t of tls)
      log(`  ${t.label}: ${Number.isFinite(t.seconds) ? t.seconds.toFixed(2) : '—'} s, grade ${t.grade ?? '—'}${t.note ? ` (${t.note})` : ''}`)
    const run = checkIds.length ? await runChecks(checkIds) : null
    if (run)
      log(`  golive run (checks only): ${run.wallS.toFixed(1)} s, ${run.verdict}; ${run.checks.map((c) => `${c.id} ${c.seconds.toFixed(1)} s`).join(', ')}`)
    checksText = `Run of ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on the machine above; command \`${settings.command}\`.\n\n${checksMarkdown(tls, run, checkIds)}`
    process.stdout.write(`\n${checksText}\n`)
  } finally {
    if (startedStack) await stagingDown()
  }
}

if (!v['no-write']) {
  updateBenchmarksFile(join(ROOT, 'BENCHMARKS.md'), summary, checksText)
  log('\nBENCHMARKS.md updated')
}

/** golive --engine k6 through the CLI, then the script it wrote on k6 alone (scripts/bench/k6.ts) */
async function k6Pair(t: Target, round: number, conns: number, secs: number, cpus: string | undefined): Promise<Run[]> {
  log(`round ${round}/${rounds}: golive --engine k6 (CLI), then its script on k6 alone, ${conns} users, ${secs} s`)
  let before = await t.served()
  let servedGolive = 0
  const { golive, alone } = await runGoliveK6Pair(t.url, conns, secs, cpus, async () => {
    const now = await t.served()
    servedGolive = now - before
    before = now
    await new Promise((r) => setTimeout(r, 500))
  })
  const servedAlone = (await t.served()) - before
  for (const [label, r] of [
    ['golive --engine k6', golive],
    ["k6 alone, golive's script", alone],
  ] as const)
    log(`  ${label}: ${Math.round(r.rps)} req/s, p99 ${r.p99} ms, CPU ${r.usage.cpuS.toFixed(2)} s`)
  await new Promise((r) => setTimeout(r, 500))
  return [
    { round, label: 'golive --engine k6', connections: conns, seconds: secs, result: golive, served: servedGolive },
    { round, label: "k6 alone, golive's script", connections: conns, seconds: secs, result: alone, served: servedAlone },
  ]
}

async function measured(
  t: Target,
  tool: { label: string; run: (c: number, s: number) => Promise<ChildResult> },
  round: number | null,
  conns: number,
  secs: number,
): Promise<Run> {
  log(`${round === null ? 'memory' : `round ${round}/${rounds}`}: ${tool.label}, ${conns} connections, ${secs} s`)
  const before = await t.served()
  const result = await tool.run(conns, secs)
  const served = (await t.served()) - before
  log(`  ${Math.round(result.rps)} req/s, p99 ${result.p99} ms, CPU ${result.usage.cpuS.toFixed(2)} s, peak RSS ${result.usage.peakRssMB.toFixed(1)} MB`)
  // let the target's sockets close before the next tool
  await new Promise((r) => setTimeout(r, 500))
  return { round, label: tool.label, connections: conns, seconds: secs, result, served }
}
