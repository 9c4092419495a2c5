// Is a gate's figure one that something golive runs can make? Answered before the first request
// from the declarations (the scenarios' figures, each check's figures), so a misspelled figure
// is refused up front rather than read as MISSING after a long load test (k6 refuses an unknown
// threshold metric the same way). Refuses only where the vocabulary is fully known:
// load.<scenario>.<name>, and <check>.<name> for a check that declares its figures. Any other
// first segment (server., db., capacity., under_load., a '*') is someone else's and passes.

import type { Declarations, FigureDeclaration } from './check.js'
import { editDistance } from './config-path.js'

/** A declared name's segment as a test: '<page>' any one segment, 'metric_<m>_p95'-style
 *  placeholders inside a segment any text there. */
function segmentTest(decl: string): (seg: string) => boolean {
  if (!decl.includes('<')) return (seg) => seg === decl
  const re = new RegExp(
    `^${decl
      .split(/<[^>]+>/)
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^.]+')}$`,
  )
  return (seg) => re.test(seg)
}

/** Can the gate's (possibly wildcarded) segments name the declared figure? A '*' in the gate
 *  matches any segment; a placeholder in the declaration matches any concrete one. */
export function canName(gateSegs: readonly string[], decl: FigureDeclaration): boolean {
  const d = decl.name.split('.')
  return d.length === gateSegs.length && d.every((seg, i) => gateSegs[i] === '*' || segmentTest(seg)(gateSegs[i]!))
}

/** null when some scenario or check can make the figure; else the problem, with a did-you-mean. */
export function unmadeFigure(figure: string, declarations: Declarations): string | null {
  const segs = figure.split('.')
  let source: string
  let rest: string[]
  let decls: readonly FigureDeclaration[]
  if (segs[0] === 'load' && segs.length >= 3) {
    source = `load.${segs[1]}`
    rest = segs.slice(2)
    decls = declarations.scenarioFigures
  } else {
    const check = declarations.checks.find((c) => c.id === segs[0])
    if (!check?.figures || segs.length < 2) return null
    source = check.id
    // the runner's under_load.<figure> (underLoad: true) repeats the check's own figures
    rest = segs[1] === 'under_load' && !check.destructive ? segs.slice(2) : segs.slice(1)
    decls = check.figures
  }
  if (decls.some((d) => canName(rest, d))) return null
  const asked = rest.join('.')
  // placeholders filled with the gate's own segments: step.login.latncy_p95 → step.login.latency_p95
  const filled = decls.map((d) => {
    const ds = d.name.split('.')
    return ds.length === rest.length ? ds.map((s, i) => (/^<[^>]+>$/.test(s) ? rest[i]! : s)).join('.') : d.name
  })
  const suggestion = nearest(asked, [...new Set(filled)]).join(' or ')
  const maker = source.startsWith('load.') ? 'no check or scenario makes' : `the ${source} check makes no`
  return `${maker} ${figure}${suggestion ? `; did you mean ${suggestion}?` : ''}`
}

/** The names at the least edit distance (at most 2), in declaration order: p59 is as near p50
 *  as p99, so both are offered rather than one picked by chance. */
function nearest(word: string, names: readonly string[]): string[] {
  const scored = names.map((n) => [n, editDistance(word, n)] as const).filter(([, d]) => d <= 2)
  const best = Math.min(...scored.map(([, d]) => d))
  return scored
    .filter(([, d]) => d === best)
    .map(([n]) => n)
    .slice(0, 3)
}
