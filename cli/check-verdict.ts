// The verdict of one check run alone (golive check, golive drill): the gates in force whose
// figures belong to that check, judged on its result. Exit 1 when a blocker among them fails,
// as `golive run` would say for the same figures; gates on other checks do not count here.

import type { CheckResult, GateSpec } from '../core/results.js'
import { evaluate, isFailure, sourceName } from '../gates/index.js'
import { assembleResults } from './assemble.js'

export function checkVerdict(result: CheckResult, gates: GateSpec[], envName: string, log: (l: string) => void): 0 | 1 {
  const mine = gates.filter((g) => sourceName(g.figure) === result.id && g.op !== 'rise<' && g.op !== 'drop<')
  if (!mine.length || result.status !== 'measured') return 0
  const results = assembleResults(
    { scenarios: [], checks: [result] },
    { startedAt: new Date(result.startedAt), environment: envName, target: '', command: `golive check ${result.id}`, interrupted: null, gates: mine },
  )
  const card = evaluate(results, mine)
  for (const r of card.rows.filter((x) => isFailure(x))) log(`  ${r.level === 'blocker' ? 'FAIL' : 'WARN'} ${r.gate}: ${r.why}`)
  log(`golive: ${result.id}: ${card.summary}`)
  return card.verdict === 'no-go' ? 1 : 0
}
