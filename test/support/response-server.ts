// A truth server for the response side of the engines, on loopback: compressed bodies (gzip,
// deflate, br) whose content a check reads, HTML forms, bodies of any size generated on the fly
// (never stored), and hostile answers: a body that trickles one byte a second, a status line that
// is not HTTP, a socket reset, a TLS port that never answers the handshake.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createNetServer, type Server, type Socket } from 'node:net'
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib'
import type { AddressInfo } from 'node:net'

export interface ResponseServer {
  url: string
  /** raw TCP: '/not-http' answers an SSH banner, '/reset' resets the socket */
  rawUrl: string
  /** accepts TCP and never answers the TLS handshake */
  stallUrl: string
  /** accept-encoding of the requests seen, by path */
  acceptEncoding: Map<string, string | undefined>
  close(): Promise<void>
}

export const MARKER = 'golive-marker-7f3a'
/** the text every compressed route encodes: the marker sits past 64 KiB so chunks split it */
export const TEXT = `${'lorem ipsum dolor sit amet '.repeat(2500)}${MARKER}${' tail'.repeat(1000)}`
export const HTML = `<!doctype html><html><body><form id="login" method="post">
<input type="hidden" name="csrf" value="tok-123&amp;x"><input name="user"><h1 class="title"> Sign in </h1></form></body></html>`

function route(req: IncomingMessage, res: ServerResponse, seen: Map<string, string | undefined>): void {
  const url = new URL(req.url ?? '/', 'http://x')
  seen.set(url.pathname, req.headers['accept-encoding'])
  const send = (encoding: string, body: Buffer) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': encoding })
    res.end(body)
  }
  switch (url.pathname) {
    case '/gzip':
      return send('gzip', gzipSync(TEXT))
    case '/br':
      return send('br', brotliCompressSync(TEXT))
    case '/deflate':
      return send('deflate', deflateSync(TEXT))
    case '/plain':
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(TEXT)
      return
    case '/html':
      res.writeHead(200, { 'content-type': 'text/html' })
      res.end(HTML)
      return
    case '/echo':
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(`got ${url.searchParams.get('v')}`)
      return
    case '/bad-gzip':
      return send('gzip', Buffer.from('this is not gzip at all'))
    case '/big':
      return big(res, Number(url.searchParams.get('mb') ?? 1), Number(url.searchParams.get('at') ?? -1))
    case '/trickle': {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const t = setInterval(() => res.write('x'), 1000)
      res.on('close', () => clearInterval(t))
      return
    }
    default:
      res.writeHead(404)
      res.end('no such route')
  }
}

/** `mb` MiB of 'a', the marker at byte `at` (none when < 0), written as the socket drains */
function big(res: ServerResponse, mb: number, at: number): void {
  const total = Math.floor(mb * 1024 * 1024)
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(total) })
  const chunk = Buffer.alloc(64 * 1024, 'a')
  let sent = 0
  const pump = () => {
    while (sent < total) {
      let c = chunk.subarray(0, Math.min(chunk.length, total - sent))
      if (at >= sent && at < sent + c.length) {
        c = Buffer.from(c)
        c.write(MARKER.slice(0, c.length - (at - sent)), at - sent)
      }
      sent += c.length
      if (!res.write(c)) {
        res.once('drain', pump)
        return
      }
    }
    res.end()
  }
  res.on('close', () => {
    sent = total
  })
  pump()
}

function raw(socket: Socket): void {
  socket.on('error', () => {})
  socket.once('data', (d) => {
    const path = d.toString('latin1').split(' ')[1]
    if (path === '/reset') socket.resetAndDestroy()
    else socket.end('SSH-2.0-OpenSSH_9.2p1 Debian\r\nProtocol mismatch.\r\n')
  })
}

const listen = (s: Server | ReturnType<typeof createServer>): Promise<number> =>
  new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)))

export async function startResponseServer(): Promise<ResponseServer> {
  const acceptEncoding = new Map<string, string | undefined>()
  const http = createServer((req, res) => route(req, res, acceptEncoding))
  const sockets = new Set<Socket>()
  const rawServer = createNetServer(raw)
  const stall = createNetServer((s) => {
    sockets.add(s)
    s.on('error', () => {})
  })
  for (const s of [http, rawServer])
    s.on('connection', (c: Socket) => {
      sockets.add(c)
      c.on('close', () => sockets.delete(c))
    })
  const [a, b, c] = await Promise.all([listen(http), listen(rawServer), listen(stall)])
  return {
    url: `http://127.0.0.1:${a}`,
    rawUrl: `http://127.0.0.1:${b}`,
    stallUrl: `https://127.0.0.1:${c}`,
    acceptEncoding,
    async close() {
      for (const s of sockets) s.destroy()
      await Promise.all([http, rawServer, stall].map((s) => new Promise((r) => s.close(() => r(null)))))
    },
  }
}
