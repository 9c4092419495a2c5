// Measurement helpers used inside the load-generator child processes: the same code measures
// autocannon and golive, so their CPU and memory figures are taken the same way.

import { readFileSync, writeFileSync } from 'node:fs'

/** A field of /proc/<pid>/status in MB (VmRSS: now; VmHWM: peak since start or last reset). */
export function procMB(field: 'VmRSS' | 'VmHWM', pid: number | 'self' = 'self'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : NaN
}

/** Linux ≥ 4.0: writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5')
    return true
  } catch {
    return false
  }
}

export interface Usage {
  /** user + system CPU seconds of the whole process (all threads) during fn */
  cpuS: number
  /** RSS just before fn, after start-up settled */
  idleRssMB: number
  /** peak RSS during fn (VmHWM after a reset; else the highest 50 ms sample) */
  peakRssMB: number
  peakFrom: 'VmHWM' | 'samples'
  wallS: number
}

export async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; usage: Usage }> {
  // let start-up garbage settle so the idle figure is the process at rest
  await new Promise((r) => setTimeout(r, 300))
  const idleRssMB = procMB('VmRSS')
  const exactPeak = resetPeak()
  let sampled = idleRssMB
  const sampler = setInterval(() => {
    sampled = Math.max(sampled, procMB('VmRSS'))
  }, 50)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const value = await fn()
  const wallS = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  clearInterval(sampler)
  sampled = Math.max(sampled, procMB('VmRSS'))
  const peakRssMB = exactPeak ? Math.max(procMB('VmHWM'), sampled) : sampled
  return { value, usage: { cpuS: (cpu.user + cpu.system) / 1e6, idleRssMB, peakRssMB, peakFrom: exactPeak ? 'VmHWM' : 'samples', wallS } }
}

/** What every load-generator child prints (one line) when done. */
export interface ChildResult {
  requests: number
  /** responses per second over the measured window */
  rps: number
  p50: number | null
  p99: number | null
  errors: number
  /** responses in each whole second of the run (node tools), to see warm-up */
  perSecond?: number[]
  usage: Usage
  note?: string
}

export const RESULT_PREFIX = 'BENCH_RESULT '

export function report(r: ChildResult): void {
  process.stdout.write(RESULT_PREFIX + JSON.stringify(r) + '\n')
}

export function childArgs<T>(): T {
  return JSON.parse(process.argv[2] ?? '{}') as T
}
