// Captures inferred from a recording: a value a later request sends back (a form field, a path
// segment, a query or JSON value, a header) that an earlier response carried (a hidden input, a
// <meta>, a JSON field, a Location or other header, a cookie, or plain text) becomes a capture on
// the earlier step and a {{variable}} in the later one, so each user replays its own tokens and
// ids instead of the recording's. Pure: from-har.ts hands over what was recorded.

import type { CaptureSpec } from './dsl.js'
import { varName } from './ts-source.js'

/** A value a response carried, and how a step captures it again. */
export interface Offer {
  value: string
  spec: CaptureSpec
  /** the variable's name ('csrf', 'id') */
  name: string
  /** for the comment: '<input name="csrf"> in the body' */
  where: string
  /** lower is preferred among the offers of one response */
  rank: number
  /** a JSON field whose key says it is an id: short values (42) count too */
  idLike?: boolean
}

/** A place in a later request that holds a value; `set` puts a template there instead. */
export interface Slot {
  value: string
  /** for the comment: 'form field csrf', 'path segment 2' */
  where: string
  kind: 'segment' | 'query' | 'form' | 'json' | 'header' | 'bearer' | 'path'
  /** the field, parameter, key or header name, when the place has one */
  field?: string
  /** set by inferCaptures when a capture now fills the slot */
  captured?: boolean
  set(template: string): void
}

export interface RecordedResponse {
  status: number
  headers: { name: string; value: string }[]
  mimeType: string
  text?: string
}

/** One step as inference sees it: what its response offered, and the slots of its request. */
export interface InferStep {
  name: string
  responses: RecordedResponse[]
  slots: Slot[]
}

export interface Inferred {
  name: string
  spec: CaptureSpec
  comment: string
}

const ID_KEY = /(^|[_-])(id|uuid|guid|key|token|slug|ref)$|[a-z](Id|Uuid|Key|Token)$|^(id|uuid|token|csrf|nonce)/i
// response headers that describe the response itself, never a value a client sends back
const PLAIN_HEADERS = new RegExp(
  '^(' +
    /date|server|content-(type|length|encoding|language|security-policy.*)|cache-control|pragma|expires|last-modified|vary|connection|keep-alive/.source +
    '|' +
    /transfer-encoding|age|via|accept-ranges|strict-transport-security|x-(content-type-options|frame-options|xss-protection|powered-by)|referrer-policy/
      .source +
    '|' +
    /permissions-policy|cross-origin-.*|access-control-.*|report-to|nel|alt-svc|set-cookie|retry-after/.source +
    ')$',
  'i',
)

/** Is a recorded value distinctive enough that finding it in both places is no coincidence? */
function distinctive(value: string, offer: Offer, slot: Slot): boolean {
  // a token or an id with letters and digits, or a long mixed-case one; not a word like XMLHttpRequest
  if (
    !/\s/.test(value) &&
    ((value.length >= 8 && /\d/.test(value) && /[A-Za-z]/.test(value)) || (value.length >= 20 && /[a-z]/.test(value) && /[A-Z]/.test(value)))
  )
    return true
  // a short id counts when the response called it an id and the request uses it whole as data
  return !!offer.idLike && /^[\w-]+$/.test(value) && slot.kind !== 'header'
}

/** What a response offers to capture, best first. */
export function offersOf(res: RecordedResponse): Offer[] {
  const out: Offer[] = []
  const text = res.text ?? ''
  if (/html/i.test(res.mimeType) || /^\s*</.test(text)) out.push(...htmlOffers(text))
  if (/json/i.test(res.mimeType) || /^\s*[[{]/.test(text)) {
    let doc: unknown
    try {
      doc = JSON.parse(text)
    } catch {
      doc = undefined
    }
    if (doc !== undefined) jsonOffers(doc, '$', out, '')
  }
  for (const h of res.headers) {
    if (PLAIN_HEADERS.test(h.name) || !h.value) continue
    out.push({
      value: h.value,
      spec: { header: h.name.toLowerCase() },
      name: varName(h.name.replace(/^x-/i, '').toLowerCase()),
      where: `the ${h.name.toLowerCase()} header`,
      rank: 4,
    })
  }
  for (const h of res.headers) {
    if (h.name.toLowerCase() !== 'set-cookie') continue
    for (const line of h.value.split('\n')) {
      const pair = line.split(';')[0] ?? ''
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim(),
        value = pair.slice(eq + 1).trim()
      if (name && value) out.push({ value, spec: { cookie: name }, name: varName(name), where: `the ${name} cookie it sets`, rank: 5 })
    }
  }
  return out
}

const attrRe = (name: string) => new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, 'i')
const attr = (tag: string, name: string): string | undefined => {
  const m = attrRe(name).exec(tag)
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined
}

function htmlOffers(text: string): Offer[] {
  const out: Offer[] = []
  const firstOf = new Map<string, string>()
  for (const m of text.matchAll(/<(input|meta)\b[^>]*>/gi)) {
    const tag = m[0],
      isInput = m[1]!.toLowerCase() === 'input'
    const nameAttr = isInput ? 'name' : attr(tag, 'name') !== undefined ? 'name' : 'property'
    const name = attr(tag, nameAttr)
    const value = attr(tag, isInput ? 'value' : 'content')
    if (!name || !value) continue
    const selector = `${isInput ? 'input' : 'meta'}[${nameAttr}="${name.replace(/["\\]/g, '\\$&')}"]`
    // the capture reads the first element the selector matches: only that one's value is offered
    if (firstOf.has(selector)) continue
    firstOf.set(selector, value)
    out.push({
      value,
      spec: { html: selector, attr: isInput ? 'value' : 'content' },
      name: varName(name),
      where: isInput ? `<input name="${name}"> in the page` : `<meta ${nameAttr}="${name}"> in the page`,
      rank: isInput ? 1 : 2,
    })
  }
  return out
}

function jsonOffers(v: unknown, path: string, out: Offer[], key: string): void {
  if (out.length > 2000) return
  if (typeof v === 'string' || typeof v === 'number') {
    out.push({ value: String(v), spec: { json: path }, name: varName(key || 'value'), where: `${path} in the JSON body`, rank: 3, idLike: ID_KEY.test(key) })
  } else if (Array.isArray(v)) {
    v.slice(0, 100).forEach((x, i) => jsonOffers(x, `${path}[${i}]`, out, key))
  } else if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) jsonOffers(x, /^[A-Za-z_$][\w$-]*$/.test(k) ? `${path}.${k}` : `${path}['${k}']`, out, k)
  }
}

/** A regex capture for a value found in a body's text: the text just before it, then a group. */
function regexOffer(text: string, value: string): Offer | null {
  const at = text.indexOf(value)
  if (at < 1) return null
  const group = /^[\w-]+$/.test(value) ? '([\\w-]+)' : /^[\w+/=-]+$/.test(value) ? '([\\w+/=-]+)' : /["'<>\s]/.test(value) ? null : '([^"\'<>\\s]+)'
  if (!group) return null
  for (const len of [16, 32, 64]) {
    const left = text
      .slice(Math.max(0, at - len), at)
      .split('\n')
      .pop()!
    if (!left) return null
    const source = `${left.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}${group}`
    const m = new RegExp(source).exec(text)
    if (m && m[1] === value) return { value, spec: { regex: source }, name: 'value', where: 'the body text', rank: 6 }
  }
  return null
}

/**
 * Finds, for every slot of every step, the latest earlier step whose response carried the value,
 * puts {{name}} into the slot and returns the captures to add, by step index.
 */
export function inferCaptures(steps: InferStep[]): Map<number, Inferred[]> {
  const offers = steps.map((s) => s.responses.flatMap(offersOf).sort((a, b) => a.rank - b.rank))
  const out = new Map<number, Inferred[]>()
  const byValue = new Map<string, string>() // value → variable already captured
  const names = new Set<string>()
  steps.forEach((step, j) => {
    // a whole path (a Location) first: then its segments need nothing of their own
    const ordered = [...step.slots.filter((s) => s.kind === 'path'), ...step.slots.filter((s) => s.kind !== 'path')]
    let wholePath = false
    for (const slot of ordered) {
      if ((slot.kind === 'segment' || slot.kind === 'query') && wholePath) continue
      const known = byValue.get(slot.value)
      if (known) {
        slot.set(`{{${known}}}`)
        slot.captured = true
        if (slot.kind === 'path') wholePath = true
        continue
      }
      for (let i = j - 1; i >= 0; i--) {
        let offer = offers[i]!.find((o) => o.value === slot.value && distinctive(slot.value, o, slot))
        if (!offer && slot.kind !== 'path') {
          for (const r of steps[i]!.responses) {
            const o = r.text ? regexOffer(r.text, slot.value) : null
            if (o && distinctive(slot.value, o, slot)) {
              offer = { ...o, name: varName(slotField(slot)) }
              break
            }
          }
        }
        if (!offer) continue
        let name = offer.name === 'value' && slot.kind !== 'path' ? varName(slotField(slot)) : offer.name
        if (slot.kind === 'path' && offer.name === 'location') name = 'location'
        const base = name
        for (let n = 2; names.has(name); n++) name = `${base}_${n}`
        names.add(name)
        byValue.set(slot.value, name)
        const list = out.get(i) ?? []
        list.push({
          name,
          spec: offer.spec,
          comment: `inferred: step '${step.name}' sends this value back (${slot.where}); the recording's value came from ${offer.where}`,
        })
        out.set(i, list)
        slot.set(`{{${name}}}`)
        slot.captured = true
        if (slot.kind === 'path') wholePath = true
        break
      }
    }
  })
  return out
}

function slotField(slot: Slot): string {
  return slot.field ?? 'id'
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (all, e: string) => {
    const l = e.toLowerCase()
    if (l === 'amp') return '&'
    if (l === 'lt') return '<'
    if (l === 'gt') return '>'
    if (l === 'quot') return '"'
    if (l === 'apos') return "'"
    const code = l.startsWith('#x') ? parseInt(l.slice(2), 16) : parseInt(l.slice(1), 10)
    return Number.isFinite(code) ? String.fromCodePoint(code) : all
  })
}
