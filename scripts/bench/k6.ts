// k6 (Go, the pinned build in .tools/bin) on the same target: a plain script of one GET, closed
// model (vus = connections), run under /usr/bin/time for its CPU and peak RSS; figures from its
// --summary-export JSON.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findK6 } from '../../scenarios/engines/k6/binary.js'
import type { Results } from '../../core/results.js'
import { ROOT, collect, pinned } from './children.js'
import type { ChildResult } from './measure.js'

export function k6Available(): string | null {
  try {
    return findK6()
  } catch {
    return null
  }
}

export async function runK6(url: string, vus: number, seconds: number, cpus?: string): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-k6-'))
  try {
    const script = join(dir, 'get.js')
    writeFileSync(
      script,
      `import http from 'k6/http'
export const options = { vus: ${vus}, duration: '${seconds}s', discardResponseBodies: true, summaryTrendStats: ['med', 'p(99)'] }
export default function () { http.get(${JSON.stringify(url)}) }
`,
    )
    return await runK6Script(script, cpus, seconds)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `golive loadtest --engine k6` as users run it (the CLI from dist/, k6 as its child, golive
 *  reading k6's samples), then the very script golive wrote, run by k6 alone with no output: the
 *  pair says what golive's reading costs k6 (issue 22: at most 5 % of k6's own req/s). */
export async function runGoliveK6Pair(
  url: string,
  vus: number,
  seconds: number,
  cpus: string | undefined,
  between: () => Promise<void>,
): Promise<{ golive: ChildResult; alone: ChildResult }> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-k6cli-'))
  try {
    const timeFile = join(dir, 'time')
    const cli = join(ROOT, 'dist', 'cli.js')
    const args = [
      '-f',
      '%e %U %S %M',
      '-o',
      timeFile,
      process.execPath,
      cli,
      'loadtest',
      '--engine',
      'k6',
      '--target',
      url,
      '--vus',
      String(vus),
      '--duration',
      `${seconds}s`,
    ]
    const run = await collect(spawn(...pinned(cpus, '/usr/bin/time', args), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }), seconds + 60)
    const results = join(dir, '.golive', 'runs', 'latest', 'results.json')
    if (!existsSync(results)) throw new Error(`golive loadtest --engine k6 wrote no results (${run.code}): ${run.stderr.slice(-2000)}`)
    const s = (JSON.parse(readFileSync(results, 'utf8')) as Results).scenarios[0]!
    const [wall, user, sys, maxKB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    const golive: ChildResult = {
      requests: s.requests,
      // the profile's whole seconds (its timeline), as the embedded rows count: the run's own
      // duration also holds k6's start, which k6's rate of the script alone leaves out
      rps: timelineRps(s, seconds),
      p50: s.latency?.p50 ?? null,
      p99: s.latency?.p99 ?? null,
      errors: s.errors,
      // user + system of golive and of its k6 child (time counts the children it waited for)
      usage: { cpuS: user! + sys!, idleRssMB: NaN, peakRssMB: maxKB! / 1024, peakFrom: 'VmHWM', wallS: wall! },
    }
    const script = readdirSync(join(dir, '.golive', 'runs', 'latest', 'k6')).find((f) => f.endsWith('.k6.js'))
    if (!script) throw new Error('golive loadtest --engine k6 left no k6 script in its run directory')
    await between()
    const alone = await runK6Script(join(dir, '.golive', 'runs', 'latest', 'k6', script), cpus, seconds)
    return { golive, alone }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** One k6 script under /usr/bin/time, figures from its --summary-export; no output besides. */
async function runK6Script(script: string, cpus: string | undefined, seconds: number): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-k6s-'))
  try {
    const timeFile = join(dir, 'time'),
      summary = join(dir, 'summary.json')
    const args = ['-f', '%e %U %S %M', '-o', timeFile, findK6(), 'run', '--quiet', '--no-color', '--no-usage-report', '--summary-export', summary, script]
    const { stdout, stderr, code } = await collect(spawn(...pinned(cpus, '/usr/bin/time', args), { stdio: ['ignore', 'pipe', 'pipe'] }), seconds + 40)
    // a threshold golive's gates made may fail (exit 99): the figures still stand
    if (code !== 0 && code !== 99) throw new Error(`k6 exited (${code}): ${stderr.slice(-2000)}${stdout.slice(-500)}`)
    const [wall, user, sys, maxKB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    const m = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> }).metrics
    return {
      requests: m.http_reqs!.count!,
      rps: m.http_reqs!.rate!,
      p50: m.http_req_duration!.med ?? null,
      p99: m.http_req_duration!['p(99)'] ?? null,
      // golive's script counts its failures; a plain one, k6's http_req_failed
      errors: m.golive_failed_requests?.count ?? m.http_req_failed?.passes ?? 0,
      usage: { cpuS: user! + sys!, idleRssMB: NaN, peakRssMB: maxKB! / 1024, peakFrom: 'VmHWM', wallS: wall! },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function timelineRps(s: Results['scenarios'][number], seconds: number): number {
  const points = s.timeline.slice(0, seconds)
  return points.length ? points.reduce((a, p) => a + p.requests, 0) / points.length : s.requests / (s.durationMs / 1000)
}
