// Where a drill may act: its environment allows drills, and the target (and any other host it
// touches) is loopback or listed in the environment's drillHosts.

import { isLoopback } from '../rate-limit/evaluate.js'
import { targetOf, type CheckContext, type ResultFields } from '../../core/check.js'
import type { CheckTarget } from '../../core/target.js'
import { allowsDrills, consentRefusal } from '../../core/consent.js'
import type { DrillTarget } from './runner.js'
import { userAgentOf } from '../../core/user-agent.js'

/** Loopback (127.0.0.0/8, ::1, localhost): the rate-limit check's test, one for every drill. */
export const isLoopbackHost = isLoopback

/** null when the drill may act on `host`, else why not. */
export function hostRefusal(host: string, ctx: CheckContext, what: string): string | null {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (isLoopbackHost(h) || (ctx.env.drillHosts ?? []).map((x) => x.toLowerCase()).includes(h)) return null
  return `refused: ${what} ${h} is neither loopback nor listed in environments.${ctx.envName}.drillHosts; drills break things, so they act only on hosts you list`
}

/** Consent: the runner refuses a destructive check before it runs (core/consent.ts); this says
 *  the same for a drill run outside the runner. */
export function drillConsent(ctx: CheckContext): string | null {
  return allowsDrills(ctx.env) ? null : consentRefusal(ctx.envName, 'a drill')
}

/** The target of the probes (ctx.target), or why there is none. The probes read what users
 *  read: they carry the environment's headers and auth, which never leave its origin (every
 *  probe path is on it: checks/drill/probes.ts). */
export function drillTarget(ctx: CheckContext): DrillTarget | { refused: string } | { error: string } {
  let t: CheckTarget | undefined
  try {
    t = targetOf(ctx)
  } catch (e) {
    return { error: (e as Error).message }
  }
  if (!t) return { error: `the target '${ctx.env.baseUrl}' is not a URL: give --target https://HOST:PORT or environments.${ctx.envName}.baseUrl` }
  const refused = hostRefusal(new URL(t.origin).hostname, ctx, 'the target')
  if (refused) return { refused }
  const headers: Record<string, string> = { 'user-agent': userAgentOf(ctx.env, 'drill probe'), ...t.headers }
  return { origin: t.origin, base: t.basePath, ...(t.ca !== undefined ? { ca: t.ca } : {}), headers }
}

/** What every drill checks first: consent, then a target it may touch. Either the target, or
 *  the result fields that end the check (skipped or error) with the reason. */
export function openDrill(ctx: CheckContext): { target: DrillTarget } | { stop: ResultFields } {
  const off = drillConsent(ctx)
  if (off) return { stop: { status: 'skipped', reason: off, figures: {}, evidence: null } }
  const target = drillTarget(ctx)
  if ('error' in target) return { stop: { status: 'error', reason: target.error, figures: {}, evidence: null } }
  if ('refused' in target) return { stop: { status: 'skipped', reason: target.refused, figures: {}, evidence: null } }
  return { target }
}
