// Finds a scenario's TypeScript hooks again where the plan (plain data) cannot carry them: in a
// worker thread of the embedded engine (which loads the scenario file itself) and in the k6
// script (which bundles the scenario file with esbuild). Each step with a flow records where it
// sits ('steps[3]'); its functions are read from there. Pure: the k6 script bundles it.

import type { PlanStep } from './compile.js'

export interface StepHooks {
  before?: (vars: Record<string, unknown>) => unknown
  after?: (vars: Record<string, unknown>, response: unknown) => unknown
  run?: (vars: Record<string, unknown>) => unknown
}

/** The scenario a module exports: its default export, else the first export with steps (as
 *  findScenario picks it, so every engine reads the same scenario of a file). */
export function pickScenario(mod: Record<string, unknown>): unknown {
  return mod.default ?? Object.values(mod).find((v) => v && typeof v === 'object' && ('steps' in (v as object) || 'journeys' in (v as object)))
}

/** Does any step of the plan call TypeScript? Then the engine must load the scenario's code. */
export function needsCode(steps: PlanStep[]): boolean {
  return steps.some((s) => s.flow && (s.flow.before || s.flow.after || s.flow.run))
}

/** The hooks of each plan step (by index), read at the place each step records. */
export function bindHooks(scenario: unknown, steps: PlanStep[]): (StepHooks | undefined)[] {
  return steps.map((st) => {
    const f = st.flow
    if (!f || !(f.before || f.after || f.run)) return undefined
    const node = at(scenario, f.at) as StepHooks | undefined
    const hooks: StepHooks = { before: node?.before, after: node?.after, run: node?.run }
    for (const k of ['before', 'after', 'run'] as const) {
      if (f[k] && typeof hooks[k] !== 'function')
        throw new Error(`golive: ${f.at}.${k} is not a function in the scenario file as this engine loaded it (did the file change during the run?)`)
    }
    return hooks
  })
}

/** The value at a path like 'steps[3]' or 'journeys[1].steps[0]'. */
function at(root: unknown, path: string): unknown {
  let v = root
  for (const m of path.matchAll(/([A-Za-z_$][\w$]*)|\[(\d+)\]/g)) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[m[1] ?? Number(m[2])]
  }
  return v
}
