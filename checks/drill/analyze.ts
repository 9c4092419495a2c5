// The drill's figures, as a pure function of its probe timeline: what the steady-state probes
// saw before, during and after the fault. No clock, no network: unit-tested on made-up timelines.

/** One probe request: when it was sent (seconds since the drill started) and whether it succeeded. */
export interface ProbeSample {
  /** seconds since the drill started, at sending */
  t: number
  probe: 'read' | 'write'
  ok: boolean
  /** round trip in ms (a timeout counts its whole wait) */
  ms: number
  /** HTTP status, or the transport error's code */
  status: number | string
}

/** One write the write probe attempted: its sequence number, when it was acknowledged, and
 *  (after the drill) whether the record was still there. */
export interface WriteRecord {
  seq: number
  /** seconds since the drill started, at sending */
  t: number
  /** the server's id for the record, when it acknowledged the write */
  id?: number | string
  /** seconds since the drill started, when the acknowledgement arrived */
  ackT?: number
  /** after the drill: true found, false missing (lost), undefined not verified */
  found?: boolean
}

export interface Timeline {
  samples: ProbeSample[]
  writes: WriteRecord[]
  /** when the fault action began (seconds since the drill started) */
  faultAt: number
  /** when observation ended */
  endAt: number
  /** consecutive successes that mean the steady state holds again */
  recoverAfter: number
}

export interface DrillFigures {
  /** fault start → first failed probe request; undefined when nothing failed */
  seconds_to_first_failure?: number
  /** fault start → the first success of the run of recoverAfter successes after the last failure;
   *  0 when nothing failed; undefined when the steady state did not return */
  rto_seconds?: number
  failed_requests: number
  requests: number
  /** failed / all probe requests from the fault to the end of observation: how much of the
   *  drill users noticed (a crash most requests see is an outage, whatever its RTO) */
  failed_ratio: number
  /** failed / all probe requests from the fault to recovery (or the end) */
  error_ratio_during: number
  /** acknowledged writes missing afterwards */
  lost_writes: number
  /** the span of time the lost writes cover, up to the fault (0 when none is lost) */
  rpo_seconds: number
  writes_acknowledged: number
  writes_verified: number
  recovered: boolean
  recoveredAt?: number
}

const r3 = (n: number) => Math.round(n * 1000) / 1000

export function analyze(tl: Timeline): DrillFigures {
  const during = tl.samples.filter((s) => s.t >= tl.faultAt).sort((a, b) => a.t - b.t)
  const failures = during.filter((s) => !s.ok)
  const firstFailure = failures[0]
  let recovered = failures.length === 0
  let recoveredAt: number | undefined = failures.length === 0 ? tl.faultAt : undefined
  if (failures.length) {
    const lastFailure = failures[failures.length - 1]!
    const after = during.filter((s) => s.t > lastFailure.t)
    // every probe counts toward the run, read and write alike: all succeeded since the last failure
    if (after.length >= tl.recoverAfter) {
      recovered = true
      recoveredAt = after[0]!.t
    }
  }
  const windowEnd = recoveredAt ?? tl.endAt
  const inWindow = during.filter((s) => s.t <= windowEnd || !recovered)
  const failedInWindow = inWindow.filter((s) => !s.ok).length
  const acked = tl.writes.filter((w) => w.id !== undefined)
  const lost = acked.filter((w) => w.found === false)
  let rpo = 0
  if (lost.length) {
    const ackTimes = lost.map((w) => w.ackT ?? w.t)
    rpo = Math.max(tl.faultAt, ...ackTimes) - Math.min(...ackTimes)
  }
  return {
    ...(firstFailure ? { seconds_to_first_failure: r3(Math.max(0, firstFailure.t - tl.faultAt)) } : {}),
    ...(recovered && recoveredAt !== undefined ? { rto_seconds: r3(Math.max(0, recoveredAt - tl.faultAt)) } : {}),
    failed_requests: failures.length,
    requests: during.length,
    failed_ratio: during.length ? r3(failures.length / during.length) : 0,
    error_ratio_during: inWindow.length ? r3(failedInWindow / inWindow.length) : 0,
    lost_writes: lost.length,
    rpo_seconds: r3(rpo),
    writes_acknowledged: acked.length,
    writes_verified: acked.filter((w) => w.found !== undefined).length,
    recovered,
    ...(recoveredAt !== undefined ? { recoveredAt: r3(recoveredAt) } : {}),
  }
}

/** The timeline for a chart: per half second, requests and failures by probe. */
export function buckets(
  samples: readonly ProbeSample[],
  width = 0.5,
): { t: number; read: number; readFailed: number; write: number; writeFailed: number; p95ms: number | null }[] {
  if (!samples.length) return []
  const end = Math.max(...samples.map((s) => s.t))
  const out = []
  for (let t = 0; t <= end; t += width) {
    const inB = samples.filter((s) => s.t >= t && s.t < t + width)
    const ms = inB.map((s) => s.ms).sort((a, b) => a - b)
    out.push({
      t: r3(t),
      read: inB.filter((s) => s.probe === 'read').length,
      readFailed: inB.filter((s) => s.probe === 'read' && !s.ok).length,
      write: inB.filter((s) => s.probe === 'write').length,
      writeFailed: inB.filter((s) => s.probe === 'write' && !s.ok).length,
      p95ms: ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)]!) : null,
    })
  }
  return out
}
