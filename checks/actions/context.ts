// What a check's actions act with: the staging stack cli gave (ctx.stack) and its folder, the
// drill host rules for http actions (loopback or the environment's drillHosts), and the
// environment's headers with its auth for a request to its own origin.

import { targetOf, type CheckContext } from '../../core/check.js'
import { headersFor } from '../../core/target.js'
import { hostRefusal } from '../drill/target.js'
import type { ActionContext } from './model.js'

export function actionContext(ctx: CheckContext, stagingDir: string | undefined): Omit<ActionContext, 'signal' | 'dry'> {
  let target: ReturnType<typeof targetOf>
  try {
    target = targetOf(ctx)
  } catch {
    target = undefined
  }
  return {
    ...(ctx.stack ? { stack: ctx.stack } : {}),
    ...(stagingDir !== undefined ? { stagingDir } : {}),
    mayRequest: (url) => hostRefusal(url.hostname, ctx, "the http action's host"),
    headersFor: (url) => (target ? headersFor(target, url) : {}),
  }
}
