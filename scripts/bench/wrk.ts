// wrk (C, from Debian) as the reference: run under /usr/bin/time for its CPU and peak RSS,
// figures parsed from its --latency output.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { collect, pinned } from './children.js'
import type { ChildResult } from './measure.js'

export async function runWrk(url: string, threads: number, connections: number, seconds: number, cpus?: string): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-bench-'))
  const timeFile = join(dir, 'time')
  try {
    const args = ['-f', '%e %U %S %M', '-o', timeFile, 'wrk', `-t${threads}`, `-c${connections}`, `-d${seconds}s`, '--latency', url]
    const { stdout, stderr, code } = await collect(spawn(...pinned(cpus, '/usr/bin/time', args), { stdio: ['ignore', 'pipe', 'pipe'] }), seconds + 20)
    if (code !== 0) throw new Error(`wrk exited (${code}): ${stderr}${stdout}`)
    const [wall, user, sys, maxKB] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
    return { ...parseWrk(stdout), usage: { cpuS: user! + sys!, idleRssMB: NaN, peakRssMB: maxKB! / 1024, peakFrom: 'VmHWM', wallS: wall! } }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function parseWrk(out: string): Omit<ChildResult, 'usage'> {
  const num = (re: RegExp) => {
    const m = re.exec(out)
    return m ? Number(m[1]) : NaN
  }
  const requests = num(/(\d+) requests in/)
  const rps = num(/Requests\/sec:\s+([\d.]+)/)
  if (!Number.isFinite(requests) || !Number.isFinite(rps)) throw new Error(`cannot read wrk's output:\n${out}`)
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out)
  const errors = num(/Non-2xx or 3xx responses: (\d+)/) || 0
  return {
    requests,
    rps,
    p50: latencyMs(out, '50%'),
    p99: latencyMs(out, '99%'),
    errors: errors + (socket ? socket.slice(1).reduce((a, n) => a + Number(n), 0) : 0),
  }
}

function latencyMs(out: string, pct: string): number | null {
  const m = new RegExp(`^\\s*${pct}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out)
  if (!m) return null
  const v = Number(m[1])
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v
}
