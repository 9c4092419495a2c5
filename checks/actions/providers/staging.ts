// The staging provider: a fault, heal or component action of golive's staging stack, through
// the stack port cli gives (ctx.stack, core/stack.ts). Never cut short halfway.

import type { StackComponentAction, StackFault } from '../../../core/stack.js'
import type { Action, ActionContext } from '../model.js'

type Staging = Extract<Action, { kind: 'staging' }>

function port(c: ActionContext) {
  if (!c.stack) throw new Error("staging actions need golive's staging stack, and this command was given none (run it through golive run, check or drill)")
  return c.stack
}

export function run(a: Staging, c: ActionContext): Promise<string> {
  const stack = port(c)
  return a.component === undefined
    ? stack.fault(c.stagingDir ?? '', a.name as StackFault)
    : stack.component(c.stagingDir ?? '', a.name as StackComponentAction, a.component)
}

export function plan(a: Staging, c: ActionContext): string {
  const what =
    a.component === undefined
      ? a.name === 'heal'
        ? 'heal the staging stack'
        : `apply the staging fault ${a.name}`
      : `${a.name} the staging component ${a.component}`
  let where: string
  try {
    where = port(c).describe(c.stagingDir ?? '')
  } catch (e) {
    where = `no stack: ${(e as Error).message}`
  }
  return `${what} (${where})`
}
