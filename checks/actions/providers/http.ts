// The http provider: one request, bounded by the action's time limit and the signal, to a URL
// the host rules allow (a drill's: loopback or drillHosts). The environment's headers (with its
// auth) ride only to its own origin; the action's own headers win.

import { Agent, request } from 'undici'
import type { Action, ActionContext } from '../model.js'

type Http = Extract<Action, { kind: 'http' }>

function refusal(a: Http, c: ActionContext): string | null {
  return c.mayRequest ? c.mayRequest(new URL(a.url)) : null
}

export async function run(a: Http, c: ActionContext): Promise<string> {
  const refused = refusal(a, c)
  if (refused) throw new Error(refused)
  const url = new URL(a.url)
  const signal = AbortSignal.any([c.signal, AbortSignal.timeout(a.timeoutSeconds * 1000)])
  const agent = new Agent({ connections: 1 })
  try {
    const r = await request(url, {
      method: a.method as 'GET',
      dispatcher: agent,
      signal,
      headers: { ...(c.headersFor ? c.headersFor(url) : {}), ...a.headers },
      ...(a.body !== undefined ? { body: a.body } : {}),
    })
    const text = (await r.body.text()).slice(0, 500)
    const ok = a.expectStatus.length ? a.expectStatus.includes(r.statusCode) : r.statusCode >= 200 && r.statusCode < 300
    if (!ok)
      throw new Error(`${a.text} answered ${r.statusCode}, expected ${a.expectStatus.length ? a.expectStatus.join(' or ') : 'a 2xx'}${text ? `: ${text}` : ''}`)
    return `${r.statusCode}${text ? ` ${text}` : ''}`
  } catch (e) {
    if (signal.aborted && !c.signal.aborted) throw new Error(`${a.text} did not answer within ${a.timeoutSeconds} s`)
    throw e
  } finally {
    await agent.close().catch(() => {})
  }
}

export function plan(a: Http, c: ActionContext): string {
  const refused = refusal(a, c)
  return `send ${a.text}, expecting ${a.expectStatus.length ? a.expectStatus.join(' or ') : 'a 2xx'} (at most ${a.timeoutSeconds} s)${refused ? `: would be ${refused}` : ''}`
}
