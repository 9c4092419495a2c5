// golive's own webhook receiver for the run: Alertmanager posts here (loopback only), so
// delivery is tested end to end. Records every notification with the time it arrived.

import { createServer, type Server } from 'node:http'

export interface Delivery {
  /** Date.now() when it arrived */
  at: number
  status: 'firing' | 'resolved' | string
  receiver: string
  alerts: { status: string; labels: Record<string, string>; startsAt?: string; endsAt?: string }[]
}

export interface Receiver {
  url: string
  deliveries: Delivery[]
  /** the first delivery after `since` carrying `alertname` in `status` */
  first(
    alertname: string,
    status: 'firing' | 'resolved',
    since: number,
    startsAt?: string,
  ): { delivery: Delivery; labels: Record<string, string>; startsAt?: string } | undefined
  close(): Promise<void>
}

const MAX_BODY = 1 << 20
const MAX_KEPT = 1000

export function startReceiver(host: string, port: number, path: string): Promise<Receiver> {
  const deliveries: Delivery[] = []
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
      res.writeHead(404).end()
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size <= MAX_BODY) chunks.push(c)
    })
    req.on('end', () => {
      const at = Date.now()
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status?: string; receiver?: string; alerts?: Delivery['alerts'] }
        if (deliveries.length < MAX_KEPT)
          deliveries.push({ at, status: body.status ?? '', receiver: body.receiver ?? '', alerts: Array.isArray(body.alerts) ? body.alerts : [] })
        res.writeHead(200).end('ok')
      } catch {
        res.writeHead(400).end('not JSON')
      }
    })
  })
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new Error(
          e.code === 'EADDRINUSE'
            ? `golive's alert receiver cannot listen on ${host}:${port}: the port is taken (another golive run, or something else: ss -ltnp); ` +
                "set checks.alerts.receiverPort to the port Alertmanager's webhook points at"
            : `golive's alert receiver cannot listen on ${host}:${port}: ${e.message}`,
        ),
      ),
    )
    server.listen(port, host, () => {
      resolve({
        url: `http://${host}:${port}${path}`,
        deliveries,
        first(alertname, status, since, startsAt) {
          for (const d of deliveries) {
            if (d.at < since) continue
            // startsAt: the same alert instance (a resolved one of an earlier drill is not this one's)
            const a = d.alerts.find((x) => x.labels?.alertname === alertname && x.status === status && (startsAt === undefined || x.startsAt === startsAt))
            if (a) return { delivery: d, labels: a.labels, ...(a.startsAt ? { startsAt: a.startsAt } : {}) }
          }
          return undefined
        },
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}
