// The step-table columns for bodies and protocols, shared by the reporters (not escaped: each
// reporter escapes for its format). Wire bytes first, the decoded size after the arrow when
// content decoding changed it; k6 reports only decoded sizes per step.

import type { StepResult } from '../core/results.js'

export function byteSize(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024,
    i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[i]}`
}

/** '257 B → 70.8 KiB' (wire → decoded), '70.8 KiB', '70.8 KiB decoded' (k6), or '—' */
export function bodyBytes(st: Pick<StepResult, 'bytes' | 'bytesDecoded'>): string {
  const { bytes, bytesDecoded } = st
  if (bytes === undefined) return bytesDecoded === undefined ? '—' : `${byteSize(bytesDecoded)} decoded`
  if (bytesDecoded === undefined || bytesDecoded === bytes) return byteSize(bytes)
  return `${byteSize(bytes)} → ${byteSize(bytesDecoded)}`
}

/** 'h2', or 'h2 3 · http/1.1 1' when a step used both; '—' when nothing was recorded */
export function protocolText(st: Pick<StepResult, 'protocols'>): string {
  const e = Object.entries(st.protocols ?? {})
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
  if (e.length === 0) return '—'
  return e.length === 1 ? e[0]![0] : e.map(([p, n]) => `${p} ${n}`).join(' · ')
}
