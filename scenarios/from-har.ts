// A browser recording (HAR) as a scenario draft: the target's requests in order, static assets
// and other origins left out, each followed redirect folded into the step that caused it, think
// times from the timestamps, cookies left to the jar, tokens and ids captured where a later
// request sends them back (infer-captures.ts), secrets replaced by variables. What cannot be
// translated is listed, never dropped silently.

import type { Step } from './dsl.js'
import { cookieNames, header, setCookies, type HarEntry } from './har.js'
import { inferCaptures, type InferStep, type RecordedResponse } from './infer-captures.js'
import { draftable, isRedirect, toStep, type Draftable } from './har-request.js'
import { stepName, uniqueNames, varName, type Draft, type DraftStep } from './ts-source.js'
import { isSecretHeader, isSecretKey } from '../core/redact.js'

export interface FromHarOptions {
  file: string
  name: string
  keepAssets?: boolean
}
export interface FromHarResult {
  draft: Draft
  /** what was not translated (or translated with a loss), one line each */
  notes: string[]
  inferred: { step: string; name: string; where: string }[]
  /** variables the user must set (secrets not copied) */
  secrets: { name: string; where: string }[]
  assetsDropped: number
}

const ASSET_TYPES = new Set(['stylesheet', 'script', 'image', 'font', 'media', 'manifest', 'texttrack', 'ping', 'prefetch', 'csp_violation_report'])
const ASSET_EXT = /\.(css|m?js|map|png|jpe?g|gif|svg|ico|webp|avif|bmp|woff2?|ttf|otf|eot|mp4|webm|mp3|ogg|wav|wasm|webmanifest)$/i
const ASSET_MIME = /^(text\/css|(application|text)\/(x-)?javascript|image\/|font\/|audio\/|video\/|application\/(font-|x-font|wasm|manifest))/i
const THINK_MIN_MS = 50

export function isAsset(e: HarEntry): boolean {
  if (e.resourceType) return ASSET_TYPES.has(e.resourceType.toLowerCase())
  let path = ''
  try {
    path = new URL(e.request.url).pathname
  } catch {
    /* judged by type */
  }
  return ASSET_EXT.test(path) || ASSET_MIME.test(e.response.mimeType)
}

const origin = (url: string) => {
  try {
    return new URL(url).origin
  } catch {
    return ''
  }
}

export function scenarioFromHar(all: HarEntry[], opts: FromHarOptions): FromHarResult {
  const notes: string[] = []
  const entries = [...all].sort((a, b) => a.startMs - b.startMs)
  const main = origin((entries.find((e) => e.resourceType === 'document' || /html/i.test(e.response.mimeType)) ?? entries[0]!).request.url)
  const others = new Map<string, number>()
  let assets = 0,
    preflights = 0
  const kept: HarEntry[] = []
  for (const e of entries) {
    const o = origin(e.request.url)
    const where = `log.entries[${e.index}] ${e.request.method} ${shortUrl(e.request.url)}`
    if (/^wss?:/i.test(e.request.url) || e.resourceType === 'websocket') {
      notes.push(`${where}: a WebSocket, which scenarios do not speak`)
      continue
    }
    if (!/^https?:/i.test(e.request.url)) continue // data:, blob:, chrome-extension: never reach the network
    if (o !== main) {
      others.set(o, (others.get(o) ?? 0) + 1)
      continue
    }
    if (e.request.method === 'OPTIONS' && header(e.request.headers, 'access-control-request-method')) {
      preflights++
      continue
    }
    if (e.response.status === 0) {
      notes.push(`${where}: no response in the recording (cancelled or blocked), left out`)
      continue
    }
    if (!opts.keepAssets && isAsset(e)) {
      assets++
      continue
    }
    kept.push(e)
  }
  for (const [o, n] of others) notes.push(`${n} request${n === 1 ? '' : 's'} to ${o} left out: a scenario loads its own target, not a third party`)
  if (preflights) notes.push(`${preflights} CORS preflight${preflights === 1 ? '' : 's'} (OPTIONS) left out: the browser sends them, not the journey`)
  if (kept.length === 0) notes.push(`no request to ${main} is left after dropping ${assets} static assets: nothing to replay (try --keep-assets)`)

  // a followed redirect: the next request of the browser is the Location; fold it into the step
  const groups: HarEntry[][] = []
  const used = new Set<HarEntry>()
  for (const e of kept) {
    if (used.has(e)) continue
    const chain = [e]
    used.add(e)
    for (let last = e; isRedirect(last.response.status); ) {
      const loc = header(last.response.headers, 'location')
      if (!loc) break
      let next: string
      try {
        next = new URL(loc, last.request.url).href
      } catch {
        break
      }
      const keepMethod = last.response.status === 307 || last.response.status === 308
      const hop = kept.find(
        (x) =>
          !used.has(x) &&
          x.startMs >= last.startMs &&
          x.request.url === next &&
          (keepMethod ? x.request.method === last.request.method : x.request.method === 'GET'),
      )
      if (!hop) break
      chain.push(hop)
      used.add(hop)
      last = hop
    }
    groups.push(chain)
  }

  const passwordFields = new Set<string>()
  const drafts = groups.map((chain) => draftable(chain, notes))
  const names = uniqueNames(
    groups.map((g) => {
      const p = new URL(g[0]!.request.url).pathname
      return stepName(`${g[0]!.request.method.toLowerCase()}-${p === '/' ? 'home' : p}`)
    }),
  )
  const inferSteps: InferStep[] = drafts.map((d, i) => {
    const final = d.entries.at(-1)!.response
    // the captures read the final response; a redirect hop before it only sets cookies
    const hops: RecordedResponse[] = d.entries
      .slice(0, -1)
      .map((e) => ({ status: e.response.status, mimeType: '', headers: e.response.headers.filter((h) => h.name.toLowerCase() === 'set-cookie') }))
    for (const m of (final.text ?? '').matchAll(/<input\b[^>]*\btype\s*=\s*["']?password[^>]*>/gi)) {
      const n = /\bname\s*=\s*["']?([^"'\s>]+)/i.exec(m[0])?.[1]
      if (n) passwordFields.add(n)
    }
    return { name: names[i]!, responses: [...hops, final], slots: d.slots }
  })
  notes.push(...cookieNotes(entries, drafts))

  const captures = inferCaptures(inferSteps)
  const inferred: FromHarResult['inferred'] = []
  const secrets: FromHarResult['secrets'] = []
  const secretNames = new Map<string, string>() // recorded value → variable
  const steps: DraftStep[] = drafts.map((d, i) => {
    // what is left of a secret after inference becomes a variable the environment sets
    for (const slot of d.slots) {
      if (slot.value === '' || slot.captured) continue
      const field = slot.field ?? ''
      const secret =
        slot.kind === 'bearer' ||
        (slot.kind === 'header' && isSecretHeader(field)) ||
        ((slot.kind === 'form' || slot.kind === 'json' || slot.kind === 'query') && (isSecretKey(field) || passwordFields.has(field)))
      if (!secret) continue
      let name = secretNames.get(slot.value)
      if (!name) {
        name = varName(slot.kind === 'bearer' ? 'token' : field.toLowerCase())
        const base = name
        for (let n = 2; secrets.some((s) => s.name === name); n++) name = `${base}_${n}`
        secretNames.set(slot.value, name)
        secrets.push({ name, where: `${slot.where} of step '${names[i]}'` })
      }
      slot.set(`{{${name}}}`)
      const f: keyof Step =
        slot.kind === 'header' || slot.kind === 'bearer' ? 'headers' : slot.kind === 'query' ? 'path' : d.form ? 'form' : d.multipart ? 'multipart' : 'json'
      ;(d.fieldComments[f] ??= []).push(
        `{{${name}}}: the recorded ${slot.where} is a secret and is not copied; set vars.${name} in the environment (see the top of this file)`,
      )
    }
    const caps = captures.get(i) ?? []
    for (const c of caps) inferred.push({ step: names[i]!, name: c.name, where: c.comment })
    const step = toStep(d, names[i]!, caps, thinkAfter(drafts, i))
    const fields = { ...d.fieldComments }
    if (caps.length) fields.capture = caps.map((c) => `${c.name}: ${c.comment}`)
    const final = d.entries.at(-1)!
    const above: string[] = []
    if (d.entries.length > 1)
      above.push(
        `${d.entries[0]!.response.status} redirect${d.entries.length > 2 ? 's' : ''} followed to ${new URL(final.request.url).pathname}, as the browser did`,
      )
    if (final.response.status >= 400)
      above.push(`the recording got ${final.response.status} here: no status check written, so the replay counts it as an error too`)
    return { step, ...(above.length ? { above } : {}), fields }
  })

  const when = entries[0] ? new Date(entries[0].startMs).toISOString() : ''
  const header_: string[] = [
    `A scenario written by \`golive scenario from-har\` from ${opts.file},`,
    `recorded against ${main}${when ? ` on ${when}` : ''}. Run it with --target (or the config's baseUrl).`,
    `- ${groups.length} step${groups.length === 1 ? '' : 's'} from ${all.length} recorded requests: ` +
      `${opts.keepAssets ? 'static assets kept (--keep-assets)' : `${assets} static asset${assets === 1 ? '' : 's'} left out (--keep-assets keeps them)`}; ` +
      'followed redirects folded into the step.',
    '- Think times: the pauses between the recorded requests.',
    "- Cookies: left to the cookie jar (empty at each journey's start); the recording's Cookie headers are not copied.",
    inferred.length
      ? `- Captures: ${inferred.length} inferred (values an earlier response carried and a later request sent back), each commented.`
      : '- Captures: none inferred (no later request sent back a value an earlier response carried).',
  ]
  if (secrets.length) {
    header_.push('- Secrets are not copied from the recording. Set these variables in golive.config.ts, from the environment:')
    header_.push(`    environments: { staging: { vars: { ${secrets.map((s) => `${s.name}: '\${env:${`GOLIVE_${s.name}`.toUpperCase()}}'`).join(', ')} } } }`)
    for (const s of secrets) header_.push(`    ${s.name}: the recorded ${s.where}`)
  }
  if (notes.length) {
    header_.push('- Not translated:')
    for (const n of notes) header_.push(`    ${n}`)
  }
  return {
    draft: { header: header_, name: opts.name, description: `Recorded journey (${opts.file}): ${groups.length} steps`, steps },
    notes,
    inferred,
    secrets,
    assetsDropped: assets,
  }
}

/** Cookies a step sent that the jar will not have: set before the recording (or by the page's
 *  JavaScript), or set only by a response that was left out. */
function cookieNotes(entries: HarEntry[], drafts: Draftable[]): string[] {
  const firsts = new Set(drafts.map((d) => d.entries[0]!))
  const inSteps = new Set(drafts.flatMap((d) => d.entries))
  const setByStep = new Set<string>(),
    setByAny = new Set<string>()
  const before = new Set<string>(),
    leftOut = new Set<string>()
  for (const e of entries) {
    if (firsts.has(e)) {
      for (const c of cookieNames(e.request.headers)) {
        if (setByStep.has(c)) continue
        if (setByAny.has(c)) leftOut.add(c)
        else before.add(c)
      }
    }
    for (const c of setCookies(e.response.headers)) {
      setByAny.add(c.name)
      if (inSteps.has(e)) setByStep.add(c.name)
    }
  }
  return [
    ...[...before].map(
      (c) =>
        `cookie ${c} was sent before any recorded response set it (set before the recording began, or by the page's JavaScript): ` +
        'the jar will not have it; record from a fresh browser profile, or add a step that sets it',
    ),
    ...[...leftOut]
      .filter((c) => !before.has(c))
      .map((c) => `cookie ${c} was set only by a response left out (a static asset): the jar will not have it; --keep-assets keeps that request`),
  ]
}

/** The pause after step i: from its last response to the next step's first request. */
function thinkAfter(drafts: Draftable[], i: number): string | undefined {
  const next = drafts[i + 1]
  if (!next) return undefined
  const last = drafts[i]!.entries.at(-1)!
  const gap = next.entries[0]!.startMs - (last.startMs + last.timeMs)
  return gap >= THINK_MIN_MS ? `${Math.round(gap / 10) * 10}ms` : undefined
}

/** scheme, host and path only: a query may carry a token */
function shortUrl(url: string): string {
  try {
    const u = new URL(url)
    return `${u.origin}${u.pathname}`
  } catch {
    return url.slice(0, 80)
  }
}
