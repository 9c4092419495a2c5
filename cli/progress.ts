// Live progress: one rewritten line on a terminal; under CI or without a TTY, one plain line
// every 10 s (logs stay readable).

import type { ProgressEvent } from '../scenarios/engines/embedded/run.js'
import { formatDuration } from '../core/units.js'

export function progressPrinter(stream: NodeJS.WriteStream, ci: boolean): { update(p: ProgressEvent): void; done(): void } {
  const live = stream.isTTY === true && !ci
  let lastPlain = 0
  let drawn = false
  const line = (p: ProgressEvent) => {
    const elapsed = Math.min(p.elapsedMs, p.totalMs)
    const pct = Math.round((elapsed / p.totalMs) * 100)
    const errPct = p.requests ? ((p.errors / p.requests) * 100).toFixed(2) : '0.00'
    const rate = p.iterations !== undefined ? `${p.iterations} iterations` : `${p.rps ?? 0} req/s  p95 ${p.p95 === null ? '—' : formatDuration(p.p95)}`
    return `${p.scenario}: ${fmtS(elapsed)}/${fmtS(p.totalMs)} (${pct}%)  users ${p.active}  ${rate}  errors ${p.errors} (${errPct}%)`
  }
  return {
    update(p) {
      if (live) {
        stream.write(`\r\x1b[2K${line(p)}`)
        drawn = true
      } else if (p.elapsedMs - lastPlain >= 10_000) {
        lastPlain = p.elapsedMs
        stream.write(`${line(p)}\n`)
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K')
      drawn = false
    },
  }
}

function fmtS(ms: number): string {
  const s = Math.round(ms / 1000)
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`
}
