// The flow on k6: before/after become k6's setup()/teardown() (once per run, teardown also after
// Ctrl-C); a user's setup runs in its VU's first iteration. k6 has no per-VU end hook, so a user's
// teardown runs at the end of the iteration that finishes at the scenario's end; that holds only
// where every VU runs to the end (closed, no iterations cap, no ramp-down). Elsewhere the k6
// compiler refuses a teardown rather than drop it.

import { UsageError } from '../../../core/errors.js'
import type { ScenarioPlan } from '../../compile.js'

/** k6's clock and exec.scenario.startTime may differ by a few ms: an iteration ending this close
 *  to the end is taken as the last (a later one is idle: no requests, golive_idle_iterations) */
export const END_MARGIN_MS = 250

/** The time (ms from the scenario's start) from which an iteration's end is a user's last, or
 *  null without teardown steps. Throws where k6 cannot tell a VU it is stopping. */
export function teardownAtMs(plan: ScenarioPlan, file: string): number | null {
  if (plan.flow.teardown.length === 0) return null
  const p = plan.profile
  const refuse = (why: string): never => {
    throw new UsageError(
      `${file}: teardown: a per-user teardown on ${why}, which k6 cannot run: k6 does not tell a VU it is stopping; the k6 compiler refuses it rather than drop it`,
      'use a closed profile without iterations whose stages never ramp down (vus + duration), or run this scenario on the embedded engine',
    )
  }
  if (p.model === 'open') refuse('the open model (a pool of VUs that may be idle at the end)')
  if (p.iterations !== null) refuse('an iterations cap (a VU cannot know that the shared iterations ran out)')
  if (p.stages.some((s) => s.to < s.from)) refuse('a profile that ramps down (k6 stops the VUs it ramps down)')
  return p.totalMs
}
