// A loopback page whose timings the test controls: the LCP image is answered after a known
// delay, so a page-load measurement can be checked against the truth. Port chosen by the OS.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import { deflateSync } from 'node:zlib'

export interface PageServer {
  url: string
  hits: Record<string, number>
  close: () => Promise<void>
}

/** A PNG of w×h noise (deterministic). Noise, not a solid colour: Chromium leaves low-entropy
 *  images (under 0.05 bits per pixel, placeholders) out of LCP. */
export function png(w: number, h: number, seed = 1): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (b: Buffer) => {
    let c = 0xffffffff
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const td = Buffer.concat([Buffer.from(type), data])
    const c = Buffer.alloc(4)
    c.writeUInt32BE(crc(td))
    return Buffer.concat([len, td, c])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(w, 0)
  ihdr.writeUInt32BE(h, 4)
  ihdr[8] = 8
  ihdr[9] = 2
  let x = seed >>> 0
  const next = () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0
    return x >>> 24
  }
  const raw = Buffer.concat(Array.from({ length: h }, () => Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w * 3 }, next))])))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

const HERO = png(500, 250)

/**
 * GET /            a small text page with a large image (the LCP element), answered at once
 * GET /hero.png    the image, answered after `imageDelayMs`
 * GET /broken      a page with a console error and a failing request (404)
 * GET /shifty      a page whose content shifts after load (CLS)
 */
export async function startPageServer(o: {
  imageDelayMs: number
  hostileHeader?: string
  hostileConsole?: string
  tls?: { key: string; cert: string }
}): Promise<PageServer> {
  const hits: Record<string, number> = {}
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!
    hits[path] = (hits[path] ?? 0) + 1
    const extra: Record<string, string> = o.hostileHeader ? { 'x-powered-by': o.hostileHeader } : {}
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...extra })
      res.end(
        '<!doctype html><html><head><title>shop</title></head><body style="margin:0;font:16px sans-serif">' +
          '<p>Welcome</p><img src="/hero.png" width="500" height="250" alt="hero"></body></html>',
      )
    } else if (path === '/hero.png') {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store' })
        res.end(HERO)
      }, o.imageDelayMs)
    } else if (path === '/broken') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      const message = JSON.stringify(o.hostileConsole ?? 'boom from the page').replace(/</g, '\\u003c')
      res.end(
        `<!doctype html><html><body><h1>broken</h1><img src="/missing.png" width="10" height="10"><script>console.error(${message})</script></body></html>`,
      )
    } else if (path === '/shifty') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(
        '<!doctype html><html><body style="margin:0"><div id="ad"></div><h1 style="font-size:60px">Headline</h1><p style="font-size:30px">' +
          'text '.repeat(200) +
          '</p>' +
          '<script>setTimeout(function(){document.getElementById("ad").style.height="300px"},200)</script></body></html>',
      )
    } else if (path === '/favicon.ico') {
      // browsers ask for it on their own: a 404 here would be a console error in every run
      res.writeHead(204)
      res.end()
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' })
      res.end('not found')
    }
  }
  const server: Server = o.tls ? createTlsServer(o.tls, handler) : createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `${o.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
