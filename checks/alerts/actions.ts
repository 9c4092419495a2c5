// Trigger and resolve actions of the alert drill: a fault of golive's staging stack
// ('staging:kill-app1', 'staging:heal'), or a command (argv, no shell) with a time limit.
// Traffic: a bounded stream of GETs some alerts need (an error rate needs requests).

import { spawn } from 'node:child_process'
import { Agent, request } from 'undici'
import { mayLoad, notAllowedMessage, originPolicy } from '../../core/origins.js'
import { headersFor, type CheckTarget } from '../../core/target.js'

export type Action =
  | { kind: 'staging'; fault: string; stateDir?: string }
  | { kind: 'command'; argv: string[]; timeoutMs: number }

export function describeAction(a: Action): string {
  return a.kind === 'staging' ? (a.fault === 'heal' ? 'golive staging heal' : `golive staging fault ${a.fault}`) : a.argv.join(' ')
}

/** Runs an action; resolves with what it printed, rejects with a message naming it. */
export async function runAction(a: Action): Promise<string> {
  if (a.kind === 'staging') {
    // the staging stack is golive's own: its faults are called directly (no second process)
    const [{ stackPaths }, { readState }, faults] = await Promise.all([
      import('../../staging/native/paths.js'), import('../../staging/native/state.js'), import('../../staging/native/faults.js'),
    ])
    const paths = stackPaths(a.stateDir)
    const state = readState(paths)
    if (!state) throw new Error(`no staging stack in ${paths.root}: start it (golive staging up), or set checks.alerts.stagingDir`)
    if (a.fault === 'heal') return (await faults.heal(paths, state)).join('; ')
    const f = faults.FAULTS[a.fault as keyof typeof faults.FAULTS]
    if (!f) throw new Error(`unknown staging fault '${a.fault}': one of ${Object.keys(faults.FAULTS).join(', ')}, or heal`)
    return await f(paths, state)
  }
  return await new Promise<string>((resolve, reject) => {
    const p = spawn(a.argv[0]!, a.argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    p.stdout.on('data', (d) => { if (out.length < 4000) out += d })
    p.stderr.on('data', (d) => { if (out.length < 4000) out += d })
    const timer = setTimeout(() => { p.kill('SIGKILL') }, a.timeoutMs)
    p.on('error', (e) => { clearTimeout(timer); reject(new Error(`${a.argv[0]}: ${e.message}`)) })
    p.on('close', (code, sig) => {
      clearTimeout(timer)
      if (code === 0) resolve(out.trim())
      else reject(new Error(`${a.argv.join(' ')} ${sig ? `was stopped after ${a.timeoutMs} ms` : `exited ${code}`}: ${out.trim().slice(-500)}`))
    })
  })
}

export interface TrafficSpec { path: string; rps: number }
export interface Traffic { stop(): Promise<{ sent: number; statuses: Record<string, number> }> }

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
  let sent = 0, inFlight = 0
  const pending = new Set<Promise<void>>()
  const started = Date.now()
  const timer = setInterval(() => {
    if (Date.now() - started > maxSeconds * 1000) { clearInterval(timer); return }
    if (inFlight >= 4) return
    sent++; inFlight++
    const p = request(url, { dispatcher: agent, headers, headersTimeout: 5000, bodyTimeout: 5000 })
      .then(async (r) => { await r.body.dump(); statuses[r.statusCode] = (statuses[r.statusCode] ?? 0) + 1 },
        (e: Error & { code?: string }) => { const k = e.code ?? 'ERROR'; statuses[k] = (statuses[k] ?? 0) + 1 })
      .finally(() => { inFlight--; pending.delete(p) })
    pending.add(p)
  }, Math.max(5, 1000 / t.rps))
  return {
    async stop() {
      clearInterval(timer)
      await Promise.all(pending)
      await agent.close()
      return { sent, statuses }
    },
  }
}
