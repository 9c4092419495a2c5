// Reading a HAR 1.2 file (Chrome DevTools "Export HAR", Playwright's recordHar, Firefox): the
// fields a scenario is made from, checked, each problem naming the file, the path and the fix.

import { UsageError } from '../core/errors.js'

export interface HarHeader {
  name: string
  value: string
}
export interface HarEntry {
  /** the entry's index in log.entries, for messages */
  index: number
  startMs: number
  /** total time of the exchange in ms (HAR `time`) */
  timeMs: number
  /** Chrome's _resourceType ('document', 'script', 'xhr', ...), when the recorder wrote one */
  resourceType?: string
  request: {
    method: string
    url: string
    headers: HarHeader[]
    postData?: { mimeType: string; text?: string; params?: { name: string; value?: string; fileName?: string }[] }
  }
  response: { status: number; headers: HarHeader[]; mimeType: string; text?: string }
}

const FIX =
  'record the journey again and save it as HAR (Chrome DevTools: Network → Export HAR; Playwright: browser.newContext({ recordHar: { path } }) and context.close())'

export function parseHar(text: string, file: string): HarEntry[] {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`${file}: not JSON: ${(e as Error).message}`, `a HAR file is JSON; ${FIX}`)
  }
  const fail = (path: string, problem: string, fix = FIX): never => {
    throw new UsageError(`${file}: ${path}: ${problem}`, fix)
  }
  const obj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)
  if (!obj(doc) || !obj(doc.log)) fail('log', 'missing: this is JSON but not a HAR file (a HAR has { "log": { "entries": [...] } })')
  const log = (doc as { log: Record<string, unknown> }).log
  if (!Array.isArray(log.entries)) fail('log.entries', 'missing or not a list: not a HAR file')
  const entries = log.entries as unknown[]
  if (entries.length === 0) fail('log.entries', 'the recording holds no requests', `record while the page loads and you click through the journey; ${FIX}`)
  const headers = (v: unknown, path: string): HarHeader[] => {
    if (v === undefined) return []
    if (!Array.isArray(v)) return fail(path, 'expected a list of { name, value }')
    return v.map((h, i) => {
      if (!obj(h) || typeof h.name !== 'string') return fail(`${path}[${i}]`, 'expected { name, value } with a string name')
      return { name: h.name, value: typeof h.value === 'string' ? h.value : String(h.value ?? '') }
    })
  }
  return entries.map((e, i): HarEntry => {
    const p = `log.entries[${i}]`
    if (!obj(e)) return fail(p, 'expected an object')
    const req = e.request,
      res = e.response
    if (!obj(req)) return fail(`${p}.request`, 'missing')
    if (typeof req.method !== 'string' || !req.method) fail(`${p}.request.method`, 'expected a string')
    if (typeof req.url !== 'string') fail(`${p}.request.url`, 'expected a string')
    if (!obj(res)) return fail(`${p}.response`, 'missing')
    if (typeof res.status !== 'number') fail(`${p}.response.status`, 'expected a number')
    const startMs = typeof e.startedDateTime === 'string' ? Date.parse(e.startedDateTime) : NaN
    if (Number.isNaN(startMs)) fail(`${p}.startedDateTime`, `expected an ISO 8601 date, got ${JSON.stringify(e.startedDateTime)}`)
    const content = obj(res.content) ? res.content : {}
    let body = typeof content.text === 'string' ? content.text : undefined
    if (body !== undefined && content.encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8')
    const post = obj(req.postData) ? req.postData : undefined
    return {
      index: i,
      startMs,
      timeMs: typeof e.time === 'number' && e.time > 0 ? e.time : 0,
      ...(typeof e._resourceType === 'string' ? { resourceType: e._resourceType } : {}),
      request: {
        method: (req.method as string).toUpperCase(),
        url: req.url as string,
        headers: headers(req.headers, `${p}.request.headers`),
        ...(post
          ? {
              postData: {
                mimeType: typeof post.mimeType === 'string' ? post.mimeType : '',
                ...(typeof post.text === 'string' ? { text: post.text } : {}),
                ...(Array.isArray(post.params)
                  ? {
                      params: (post.params as Record<string, unknown>[]).filter(obj).map((x) => ({
                        name: String(x.name ?? ''),
                        ...(typeof x.value === 'string' ? { value: x.value } : {}),
                        ...(typeof x.fileName === 'string' ? { fileName: x.fileName } : {}),
                      })),
                    }
                  : {}),
              },
            }
          : {}),
      },
      response: {
        status: res.status as number,
        headers: headers(res.headers, `${p}.response.headers`),
        mimeType: typeof content.mimeType === 'string' ? content.mimeType : '',
        ...(body !== undefined ? { text: body } : {}),
      },
    }
  })
}

export function header(headers: HarHeader[], name: string): string | undefined {
  const n = name.toLowerCase()
  return headers.find((h) => h.name.toLowerCase() === n)?.value
}

/** Every Set-Cookie of a response as name and value (HAR writers put one per header, or join them with newlines). */
export function setCookies(headers: HarHeader[]): { name: string; value: string }[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .flatMap((h) => h.value.split('\n'))
    .map((line) => {
      const pair = line.split(';')[0] ?? ''
      const eq = pair.indexOf('=')
      return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim() }
    })
    .filter((c) => c.name)
}

/** The cookie names a request sent. */
export function cookieNames(headers: HarHeader[]): string[] {
  return headers
    .filter((h) => h.name.toLowerCase() === 'cookie')
    .flatMap((h) => h.value.split(';'))
    .map((p) => p.split('=')[0]!.trim())
    .filter(Boolean)
}
