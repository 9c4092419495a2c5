// The experiments a failover drill runs, from config or, by default, the staging stack's:
// lose an app instance behind the edge, lose the PostgreSQL primary and promote the replica.

import { parseActions } from '../actions/parse.js'
import type { Experiment } from './runner.js'

export const DEFAULT_FAILOVER: Record<string, { fault: string[]; rollback: string[] }> = {
  'app-instance': { fault: ['staging:kill-app1'], rollback: ['staging:heal'] },
  // the half second between losing the primary and promoting the replica stands for the time a
  // failover manager takes to see it gone (Patroni's takes seconds): without it the promotion
  // followed within milliseconds, and whether a probe fell into that gap decided the figures
  // (failed_requests 0 or 1 on one stack, run to run: the verdict-stability test saw both)
  primary: { fault: ['staging:stop-primary', 'sleep:0.5', 'staging:promote-replica'], rollback: ['staging:heal'] },
}

/** drills take a bare shell line as an action (the drill settings' grammar since the start) */
export const DRILL_ACTIONS = { bareShell: true }

const NAME = /^[a-z0-9][a-z0-9-]*$/

export function readExperiments(s: Record<string, unknown>, check: string, defaults: Record<string, { fault: unknown; rollback: unknown }>): Experiment[] {
  const raw = s.experiments ?? defaults
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`checks.${check}.experiments: expected an object of name → { fault, rollback }`)
  const all = Object.entries(raw as Record<string, unknown>).map(([name, e]) => {
    if (!NAME.test(name))
      throw new Error(`checks.${check}.experiments.${name}: a name of lower-case letters, digits and dashes (it becomes part of the figure names)`)
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new Error(`checks.${check}.experiments.${name}: expected { fault, rollback }`)
    const o = e as Record<string, unknown>
    if (o.fault === undefined) throw new Error(`checks.${check}.experiments.${name}.fault: missing (the action that breaks something)`)
    if (o.underLoad !== undefined && (typeof o.underLoad !== 'string' || o.underLoad === ''))
      throw new Error(
        `checks.${check}.experiments.${name}.underLoad: the name or file of a scenario whose users hold while the fault is applied, e.g. underLoad: 'load'`,
      )
    return {
      name,
      fault: parseActions(o.fault, `checks.${check}.experiments.${name}.fault`, DRILL_ACTIONS),
      rollback: o.rollback === undefined ? [] : parseActions(o.rollback, `checks.${check}.experiments.${name}.rollback`, DRILL_ACTIONS),
      ...(typeof o.underLoad === 'string' ? { underLoad: o.underLoad } : {}),
    }
  })
  const only = s.only
  if (only === undefined) return all
  if (!Array.isArray(only) || !only.every((x) => typeof x === 'string')) throw new Error(`checks.${check}.only: expected a list of experiment names`)
  const unknown = only.filter((n) => !all.some((e) => e.name === n))
  if (unknown.length)
    throw new Error(`checks.${check}.only: no experiment ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${all.map((e) => e.name).join(', ')}`)
  return all.filter((e) => only.includes(e.name))
}
