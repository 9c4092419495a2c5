// Content-Security-Policy as the MDN HTTP Observatory 1.4.8 parses and rates it. The rules
// (which sources count as unsafe, how several policies combine, what a duplicate directive
// does) follow its analyzer so the scores agree; the code is golive's own.

export const DUPLICATES_KEY = '_duplicate_report_directives'

const SHORTEST_POLICY = 'img-src'.length - 1
const NOT_IN_META = ['frame-ancestors', 'report-uri', 'sandbox']
const DUPLICATES_ALLOWED = new Set(['report-uri', 'report-to'])
const collate = new Intl.Collator('en').compare

export class CspParseError extends Error {}

export type CspMap = Map<string, Set<string>>

interface Source {
  source: string
  policy: number
  keep: boolean
}

/** Parses a list of policies (each header value or meta content is one policy). Several
 *  policies combine as the Observatory does: only sources every policy allows survive.
 *  Throws CspParseError where the Observatory reports csp-header-invalid. */
export function parseCsp(policies: string[]): CspMap {
  const clean = policies.map((p) => p.replace(/[\r\n]/g, '').trim())
  if (clean.length === 0) return new Map()
  for (const p of clean) {
    if (!p || p.length < SHORTEST_POLICY) throw new CspParseError(`policy too short to be valid: '${p}'`)
  }
  const csp = new Map<string, Source[]>()
  const duplicates = new Set<string>()

  clean.forEach((policy, index) => {
    const seen = new Set<string>()
    for (const entry of policy.split(';')) {
      const [rawDirective, ...rawValues] = entry.trim().split(/\s+/)
      if (!rawDirective) continue
      const directive = rawDirective.toLowerCase()
      if (seen.has(directive)) {
        if (DUPLICATES_ALLOWED.has(directive)) duplicates.add(directive)
        else throw new CspParseError(`directive '${directive}' appears twice in policy ${index + 1}`)
      } else {
        seen.add(directive)
      }
      const keep = index === 0
      const values: Source[] = rawValues.map((v) => ({ source: v.trim().toLocaleLowerCase(), policy: index, keep }))
      if (values.length === 0 && directive.endsWith('-src')) values.push({ source: "'none'", policy: index, keep })
      const combined = index === 0 ? [...values] : [...(csp.get(directive) ?? []), ...values]
      combined.sort((a, b) => collate(a.source, b.source))
      for (let i = 1; i < combined.length; i++) {
        const cur = combined[i]!
        const prev = combined[i - 1]!
        // within one policy a longer source after a prefix of it adds nothing
        if (cur.policy === prev.policy && cur.source.startsWith(prev.source)) cur.keep = false
        // across policies a source counts only where both allow it
        if (cur.policy !== prev.policy && pathPartMatch(prev.source, cur.source)) cur.keep = true
      }
      csp.set(
        directive,
        combined.filter((s) => s.keep),
      )
      if (index === 0 && clean.length > 1) for (const s of csp.get(directive) ?? []) s.keep = false
    }
  })

  const result: CspMap = new Map([...csp.entries()].map(([d, sources]) => [d, sources.length ? new Set(sources.map((s) => s.source)) : new Set(["'none'"])]))
  if (duplicates.size) result.set(DUPLICATES_KEY, duplicates)
  return result
}

/** A policy from <meta http-equiv>: directives a meta tag cannot carry are dropped. */
export function parseCspMeta(policies: string[]): CspMap {
  const csp = parseCsp(policies)
  for (const d of NOT_IN_META) csp.delete(d)
  return csp
}

function pathPartMatch(a: string, b: string): boolean {
  if (a.length === 0) return true
  if (a === '/' && b.length === 0) return true
  const exact = !a.endsWith('/')
  const partsA = a.split('/')
  const partsB = b.split('/')
  if (partsA.length > partsB.length) return false
  if (exact && partsA.length !== partsB.length) return false
  if (!exact) partsA.pop()
  for (let i = 0; i < partsA.length; i++) {
    let pa: string, pb: string
    try {
      pa = decodeURIComponent(partsA[i]!)
      pb = decodeURIComponent(partsB[i]!)
    } catch {
      throw new CspParseError(`malformed percent-encoding in source '${a}' or '${b}'`)
    }
    if (pa !== pb) return false
  }
  return true
}
