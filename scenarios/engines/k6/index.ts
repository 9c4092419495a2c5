// The k6 engine's entry points for the command line.

import type { Scenario } from '../../dsl.js'
import type { ScenarioPlan } from '../../compile.js'
import { k6Options } from './options.js'
import { assertK6Expressible } from './refusals.js'
import { buildK6Script } from './bundle.js'
import { teardownAtMs } from './flow.js'

export { K6Run, type K6Options } from './run.js'
export { buildK6Script } from './bundle.js'
export { findK6, k6Version, K6_VERSION, K6_INSTALL_HINT } from './binary.js'

/** Refuses, before anything runs, a scenario k6 cannot run as written. */
export function assertRunsOnK6(scenario: Scenario, plan: ScenarioPlan, file: string): void {
  assertK6Expressible(scenario, file)
  k6Options(plan, {}, file)
  assertHooksPortable(plan, file)
  teardownAtMs(plan, file)
}

/** Hooks are bundled from the scenario file as k6 would load them: a Node.js module (I/O) is
 *  refused before the run, on either engine, so one file runs the same on both. */
export function assertHooksPortable(plan: ScenarioPlan, file: string): void {
  if (plan.code) buildK6Script(plan, { file, baseUrl: '', thresholds: {} })
}
