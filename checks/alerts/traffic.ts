// The traffic of an alert drill: a bounded stream of GETs some alerts need (an error rate
// needs requests). Its trigger and resolve actions are the one action model (checks/actions/).

import { Agent, request } from 'undici'
import { mayLoad, notAllowedMessage, originPolicy } from '../../core/origins.js'
import { headersFor, type CheckTarget } from '../../core/target.js'

export interface TrafficSpec {
  path: string
  rps: number
}
export interface Traffic {
  stop(): Promise<{ sent: number; statuses: Record<string, number> }>
}

/** GETs baseUrl+path at a fixed rate until stopped; at most 4 in flight, each with a 5 s timeout.
 *  With a target: its CA, its hosts, and its headers (the environment's, with auth) when the
 *  path is on its own origin. */
export function startTraffic(baseUrl: string, target: CheckTarget | undefined, t: TrafficSpec, maxSeconds: number, userAgent = 'golive'): Traffic {
  const url = new URL(t.path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  // an absolute traffic.path goes nowhere the environment does not list (core/origins.ts), and
  // the credentials only to the environment's own origin
  if (!mayLoad(target?.policy ?? originPolicy(baseUrl), url)) throw new Error(`traffic ${t.path}: ${notAllowedMessage(url)}`)
  const headers = { 'user-agent': userAgent, ...(target ? headersFor(target, url) : {}) }
  const agent = new Agent({ connections: 4, ...(target?.ca !== undefined ? { connect: { ca: target.ca } } : {}) })
  const statuses: Record<string, number> = {}
  let sent = 0,
    inFlight = 0
  const pending = new Set<Promise<void>>()
  const started = Date.now()
  const timer = setInterval(
    () => {
      if (Date.now() - started > maxSeconds * 1000) {
        clearInterval(timer)
        return
      }
      if (inFlight >= 4) return
      sent++
      inFlight++
      const p = request(url, { dispatcher: agent, headers, headersTimeout: 5000, bodyTimeout: 5000 })
        .then(
          async (r) => {
            await r.body.dump()
            statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1
          },
          (e: Error & { code?: string }) => {
            const k = e.code ?? 'ERROR'
            statuses[k] = (statuses[k] ?? 0) + 1
          },
        )
        .finally(() => {
          inFlight--
          pending.delete(p)
        })
      pending.add(p)
    },
    Math.max(5, 1000 / t.rps),
  )
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(pending)
      await agent.close()
      return { sent, statuses }
    },
  }
}
