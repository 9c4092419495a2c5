// Collects, for the asset audit (assets.ts), every response of one page load as Chromium's
// DevTools protocol reports it: type, status, protocol (h2/h3/http/1.1), headers, bytes on the wire
// and decoded, whether the cache answered, and (from Resource Timing) whether it blocked rendering.

import type { CDPSession, Page } from 'playwright-core'
import { gzipSync } from 'node:zlib'
import { COMPRESS_MIN_BYTES, isTextType, type CollectedResource } from './assets.js'

interface CdpResponse {
  url: string
  status: number
  headers: Record<string, string>
  mimeType: string
  protocol?: string
  fromDiskCache?: boolean
  fromServiceWorker?: boolean
  fromPrefetchCache?: boolean
  encodedDataLength?: number
}
interface Pending {
  seq: number
  id: string
  url: string
  type: string
  response?: CdpResponse
  receivedAt: number
  body: number
  fromCache: boolean
  wire?: number
}

const MAX_RESOURCES = 300
/** bodies read back to estimate what gzip saves: bounded in count and size */
const MAX_BODIES = 30
const MAX_BODY_BYTES = 5_000_000

const lower = (h: Record<string, string>) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]))

/** Starts listening on the page's CDP session (before Network.enable and the navigation); call
 *  finish() after the load, while the page is still open (response bodies live with it). */
export function collectAssets(cdp: CDPSession) {
  const pending = new Map<string, Pending>()
  const done: Pending[] = []
  let seq = 0
  const toResource = (p: Pending): CollectedResource | null => {
    const r = p.response
    if (!r) return null
    return {
      url: p.url,
      type: p.type,
      status: r.status,
      protocol: r.protocol ?? '',
      mimeType: r.mimeType ?? '',
      headers: lower(r.headers ?? {}),
      transferBytes: p.wire ?? 0,
      bodyBytes: p.body,
      fromCache: p.fromCache || Boolean(r.fromDiskCache || r.fromServiceWorker || r.fromPrefetchCache),
      renderBlocking: false,
      receivedAt: p.receivedAt,
    }
  }
  cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string }; type?: string; redirectResponse?: CdpResponse }) => {
    const prev = pending.get(e.requestId)
    // a redirect reuses the request id: the hop it answered is a response of its own
    if (prev && e.redirectResponse) {
      prev.response = e.redirectResponse
      prev.wire = e.redirectResponse.encodedDataLength ?? 0
      done.push(prev)
    }
    if (e.request.url.startsWith('data:') || e.request.url.startsWith('blob:')) return
    if (pending.size + done.length >= MAX_RESOURCES) return
    pending.set(e.requestId, { seq: seq++, id: e.requestId, url: e.request.url, type: e.type ?? 'Other', receivedAt: 0, body: 0, fromCache: false })
  })
  cdp.on('Network.requestServedFromCache', (e: { requestId: string }) => {
    const p = pending.get(e.requestId)
    if (p) p.fromCache = true
  })
  cdp.on('Network.responseReceived', (e: { requestId: string; type?: string; response: CdpResponse }) => {
    const p = pending.get(e.requestId)
    if (!p) return
    p.response = e.response
    p.receivedAt = Date.now()
    if (e.type) p.type = e.type
  })
  cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
    const p = pending.get(e.requestId)
    if (p) p.body += e.dataLength
  })
  cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
    const p = pending.get(e.requestId)
    if (!p) return
    p.wire = e.encodedDataLength
    pending.delete(e.requestId)
    done.push(p)
  })
  cdp.on('Network.loadingFailed', (e: { requestId: string }) => {
    pending.delete(e.requestId)
  })

  return {
    async finish(page: Page): Promise<CollectedResource[]> {
      const blocking = new Set(
        await page
          .evaluate(() =>
            performance
              .getEntriesByType('resource')
              .filter((e) => (e as PerformanceResourceTiming & { renderBlockingStatus?: string }).renderBlockingStatus === 'blocking')
              .map((e) => e.name),
          )
          .catch(() => [] as string[]),
      )
      const out: CollectedResource[] = []
      let bodies = 0
      // in the order the page asked for them (they finish in any order)
      for (const p of [...done].sort((a, b) => a.seq - b.seq)) {
        const r = toResource(p)
        if (!r) continue
        r.renderBlocking = blocking.has(r.url)
        const encoded = /\b(gzip|br|zstd|deflate)\b/i.test(r.headers['content-encoding'] ?? '')
        if (
          !r.fromCache &&
          !encoded &&
          r.status === 200 &&
          isTextType(r.mimeType) &&
          r.bodyBytes >= COMPRESS_MIN_BYTES &&
          r.bodyBytes <= MAX_BODY_BYTES &&
          bodies < MAX_BODIES
        ) {
          bodies++
          try {
            const b = (await cdp.send('Network.getResponseBody', { requestId: p.id })) as { body: string; base64Encoded: boolean }
            r.gzipBytes = gzipSync(Buffer.from(b.body, b.base64Encoded ? 'base64' : 'utf8'), { level: 6 }).length
          } catch {
            /* the body is gone (evicted): judged on its size alone */
          }
        }
        out.push(r)
      }
      return out
    },
  }
}
