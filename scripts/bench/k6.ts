// k6 (Go, the pinned build in .tools/bin) on the same target: a plain script of one GET, closed
// model (vus = connections), run under /usr/bin/time for its CPU and peak RSS; figures from its
// --summary-export JSON.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findK6 } from '../../scenarios/engines/k6/binary.js'
import { collect, pinned } from './children.js'
import type { ChildResult } from './measure.js'

export function k6Available(): string | null {
  try {
    return findK6()
  } catch {
    return null
  }
}

export async function runK6(url: string, vus: number, seconds: number, cpus?: string): Promise<ChildResult> {
  const k6 = findK6()
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-k6-'))
  const timeFile = join(dir, 'time'),
    summary = join(dir, 'summary.json'),
    script = join(dir, 'get.js')
  try {
    writeFileSync(
      script,
      `import http from 'k6/http'
export const options = { vus: ${vus}, duration: '${seconds}s', discardResponseBodies: true, summaryTrendStats: ['p(50)', 'p(99)'] }
export default function () { http.get(${JSON.stringify(url)}) }
`,
    )
    const args = ['-f', '%e %U %S %M', '-o', timeFile, k6, 'run', '--quiet', '--no-color', '--no-usage-report', '--summary-export', summary, script]
    const { stdout, stderr, code } = await collect(spawn(...pinned(cpus, '/usr/bin/time', args), { stdio: ['ignore', 'pipe', 'pipe'] }), seconds + 40)
    if (code !== 0) throw new Error(`k6 exited (${code}): ${stderr.slice(-2000)}${stdout.slice(-500)}`)
    const [wall, user, sys, maxKB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    const m = (JSON.parse(readFileSync(summary, 'utf8')) as { metrics: Record<string, Record<string, number>> }).metrics
    const reqs = m.http_reqs!,
      dur = m.http_req_duration!,
      failed = m.http_req_failed
    return {
      requests: reqs.count!,
      rps: reqs.rate!,
      p50: dur['p(50)'] ?? null,
      p99: dur['p(99)'] ?? null,
      errors: failed?.passes ?? 0,
      usage: { cpuS: user! + sys!, idleRssMB: NaN, peakRssMB: maxKB! / 1024, peakFrom: 'VmHWM', wallS: wall! },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
