// Loopback ports: free before `up` (a taken one is named with its component), and free again
// after `down`.

import { createServer } from 'node:net'
import { UsageError } from '../../core/errors.js'
import { allPorts } from '../components.js'

export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(false))
    s.listen({ port, host: '127.0.0.1', exclusive: true }, () => s.close(() => resolve(true)))
  })
}

export async function takenPorts(basePort: number): Promise<{ component: string; use: string; port: number }[]> {
  const all = allPorts(basePort)
  const free = await Promise.all(all.map((p) => portFree(p.port)))
  return all.filter((_, i) => !free[i])
}

export async function assertPortsFree(basePort: number): Promise<void> {
  const taken = await takenPorts(basePort)
  if (taken.length) {
    const list = taken.map((t) => `${t.port} (${t.component}${t.use === 'http' || t.use === 'pg' || t.use === 'redis' ? '' : ` ${t.use}`})`).join(', ')
    throw new UsageError(
      `port${taken.length > 1 ? 's' : ''} ${list} ${taken.length > 1 ? 'are' : 'is'} already in use on 127.0.0.1`,
      `stop what listens there (ss -ltnp 'sport = :${taken[0]!.port}'), or pick other ports: golive staging up --base-port N`,
    )
  }
}
