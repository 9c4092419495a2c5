// One recorded request (with the redirect hops the browser followed) as a step being drafted:
// its path, headers and body split into the places (slots) inference and secrets may rewrite,
// then written out as a Step.

import type { CaptureSpec, Step } from './dsl.js'
import { header, type HarEntry } from './har.js'
import type { Slot } from './infer-captures.js'

// what every browser sends on its own, or what the jar and the engine set: never copied
const BROWSER_HEADERS = new RegExp(
  '^(' +
    /:.*|host|connection|keep-alive|content-length|cookie|user-agent|accept-(encoding|language)|referer|origin|sec-.*|upgrade-insecure-requests/.source +
    '|' +
    /cache-control|pragma|dnt|priority|te|if-none-match|if-modified-since|purpose|x-client-data/.source +
    ')$',
  'i',
)

export const isRedirect = (s: number) => s === 301 || s === 302 || s === 303 || s === 307 || s === 308

/** The request being turned into a step, with the places inference and secrets may rewrite. */
export interface Draftable {
  entries: HarEntry[]
  method: string
  segments: string[]
  query: { raw: string; key: string; value: string | null }[]
  wholePath: string | null
  headers: [string, string][]
  form: [string, string][] | null
  json: unknown
  body: string | undefined
  multipart: Record<string, string> | null
  slots: Slot[]
  fieldComments: Partial<Record<keyof Step, string[]>>
}

export function draftable(chain: HarEntry[], notes: string[]): Draftable {
  const e = chain[0]!
  const u = new URL(e.request.url)
  const where = `log.entries[${e.index}] ${e.request.method} ${u.pathname}`
  const d: Draftable = {
    entries: chain,
    method: e.request.method,
    segments: u.pathname.split('/'),
    query: [],
    wholePath: null,
    headers: [],
    form: null,
    json: undefined,
    body: undefined,
    multipart: null,
    slots: [],
    fieldComments: {},
  }
  const raw = `${u.pathname}${u.search}`
  // a Location a response gave, relative or absolute, as the whole URL
  d.slots.push({
    kind: 'path',
    value: raw,
    where: 'its URL',
    set: (t) => {
      d.wholePath = t
    },
  })
  d.slots.push({
    kind: 'path',
    value: u.href,
    where: 'its URL',
    set: (t) => {
      d.wholePath = t
    },
  })
  d.segments.forEach((seg, i) => {
    if (seg)
      d.slots.push({
        kind: 'segment',
        value: safeDecode(seg),
        where: `path segment ${i}`,
        set: (t) => {
          d.segments[i] = t
        },
      })
  })
  if (u.search) {
    d.query = u.search
      .slice(1)
      .split('&')
      .map((part) => {
        const eq = part.indexOf('=')
        return { raw: part, key: safeDecode(eq < 0 ? part : part.slice(0, eq)), value: eq < 0 ? null : safeDecode(part.slice(eq + 1)) }
      })
    d.query.forEach((p) => {
      if (p.value !== null)
        d.slots.push({
          kind: 'query',
          value: p.value,
          field: p.key,
          where: `query parameter ${p.key}`,
          set: (t) => {
            p.raw = `${p.raw.slice(0, p.raw.indexOf('=') + 1)}${t}`
            p.value = t
          },
        })
    })
  }
  const contentType = header(e.request.headers, 'content-type') ?? e.request.postData?.mimeType ?? ''
  for (const h of e.request.headers) {
    const n = h.name.toLowerCase()
    if (BROWSER_HEADERS.test(n)) continue
    if (n === 'accept' && (/text\/html/.test(h.value) || h.value.trim() === '*/*')) continue
    if (
      n === 'content-type' &&
      e.request.postData &&
      !/^(text\/plain|application\/(xml|octet-stream))/i.test(contentType) &&
      /urlencoded|json|multipart/i.test(contentType)
    )
      continue
    if (d.headers.some(([k]) => k === n)) continue
    const pair: [string, string] = [n, h.value]
    d.headers.push(pair)
    const bearer = /^(Bearer|Token)\s+(\S+)$/i.exec(h.value)
    if (n === 'authorization' && bearer)
      d.slots.push({
        kind: 'bearer',
        value: bearer[2]!,
        field: n,
        where: `${n} header`,
        set: (t) => {
          pair[1] = `${bearer[1]} ${t}`
        },
      })
    else
      d.slots.push({
        kind: 'header',
        value: h.value,
        field: n,
        where: `${n} header`,
        set: (t) => {
          pair[1] = t
        },
      })
  }
  const post = e.request.postData
  if (post) {
    if (/x-www-form-urlencoded/i.test(contentType)) {
      // the body text is unambiguous; writers differ on whether params are still URL-encoded
      const pairs: [string, string][] =
        post.text !== undefined
          ? [...new URLSearchParams(post.text)]
          : (post.params ?? []).map((p) => [safeDecode(p.name.replace(/\+/g, ' ')), safeDecode((p.value ?? '').replace(/\+/g, ' '))])
      const seen = new Set<string>()
      d.form = []
      for (const [k, v] of pairs) {
        if (seen.has(k)) {
          notes.push(`${where}: form field ${k} is sent more than once; a step's form keeps the last`)
          d.form = d.form.filter(([x]) => x !== k)
        }
        seen.add(k)
        const pair: [string, string] = [k, v]
        d.form.push(pair)
        d.slots.push({
          kind: 'form',
          value: v,
          field: k,
          where: `form field ${k}`,
          set: (t) => {
            pair[1] = t
          },
        })
      }
    } else if (/multipart\/form-data/i.test(contentType)) {
      d.multipart = {}
      for (const p of post.params ?? []) {
        if (p.fileName !== undefined) {
          notes.push(
            `${where}: multipart file ${p.name} (${p.fileName}): HAR files do not carry uploads; add it as multipart: { ${p.name}: { file: './${p.fileName}' } }`,
          )
          continue
        }
        d.multipart[p.name] = p.value ?? ''
        d.slots.push({
          kind: 'form',
          value: p.value ?? '',
          field: p.name,
          where: `multipart field ${p.name}`,
          set: (t) => {
            d.multipart![p.name] = t
          },
        })
      }
      if (!post.params?.length) notes.push(`${where}: a multipart body without its parts in the recording: left out`)
    } else if (/json/i.test(contentType) && post.text !== undefined) {
      try {
        d.json = JSON.parse(post.text)
        jsonSlots(d.json, d.slots, (v) => {
          d.json = v
        })
      } catch {
        d.body = post.text
        d.headers.push(['content-type', contentType])
      }
    } else if (post.text !== undefined) {
      d.body = post.text
      if (!d.headers.some(([k]) => k === 'content-type') && contentType) d.headers.push(['content-type', contentType])
    } else {
      notes.push(`${where}: the body is not in the recording (binary or not captured): the step sends none`)
    }
  }
  return d
}

function jsonSlots(v: unknown, slots: Slot[], set: (v: unknown) => void, key = ''): void {
  if (typeof v === 'string' || typeof v === 'number') {
    // a number that becomes '{{id}}' keeps its type: a whole-value template sends the captured value as it is
    slots.push({ kind: 'json', value: String(v), field: key, where: key ? `JSON field ${key}` : 'JSON body', set })
  } else if (Array.isArray(v)) {
    v.forEach((x, i) =>
      jsonSlots(
        x,
        slots,
        (nv) => {
          v[i] = nv
        },
        key,
      ),
    )
  } else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    for (const k of Object.keys(o))
      jsonSlots(
        o[k],
        slots,
        (nv) => {
          o[k] = nv
        },
        k,
      )
  }
}

export function toStep(d: Draftable, name: string, captures: { name: string; spec: CaptureSpec }[], thinkTime: string | undefined): Step {
  const final = d.entries.at(-1)!
  const path = d.wholePath ?? `${d.segments.join('/')}${d.query.length ? `?${d.query.map((p) => p.raw).join('&')}` : ''}`
  const status = final.response.status
  const step: Step = {
    name,
    ...(d.method !== 'GET' ? { method: d.method as Step['method'] } : {}),
    path,
    ...(d.headers.length ? { headers: Object.fromEntries(d.headers) } : {}),
    ...(d.json !== undefined ? { json: d.json } : {}),
    ...(d.body !== undefined ? { body: d.body } : {}),
    ...(d.form ? { form: Object.fromEntries(d.form) } : {}),
    ...(d.multipart ? { multipart: d.multipart } : {}),
    ...(isRedirect(status) ? { redirects: 0 } : {}),
    ...(captures.length ? { capture: Object.fromEntries(captures.map((c) => [c.name, c.spec])) } : {}),
    ...(status < 400 ? { check: { status: status === 304 ? [200, 304] : status } } : {}),
    ...(thinkTime ? { thinkTime } : {}),
  }
  return step
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
