// SARIF 2.1.0 (OWASP ZAP, Trivy, Snyk, Semgrep, CodeQL, ...) → findings. Pure: the parsed JSON
// in, findings out; anything that is not SARIF 2.1.0 as it claims is a FindingsFileError.
//
// Severity: the result's properties["security-severity"], else its rule's (a CVSS score,
// see severityFromScore); else the result's level, else the rule's defaultConfiguration.level,
// else 'warning' (SARIF's default), mapped error → high, warning → medium, note → low,
// none → info. Results that are not findings are left out and counted: kind 'pass' or
// 'notApplicable', suppressed (a suppression whose status is absent or 'accepted'), and
// baselineState 'absent' (fixed since the baseline).

import { FindingsFileError, LEVEL_SEVERITY, severityFromScore, type Finding } from './severity.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export interface SarifRead {
  findings: Finding[]
  tools: string[]
  /** results that are not findings: suppressed, passed, not applicable, absent */
  leftOut: { suppressed: number; notFindings: number; absent: number }
}

export function readSarif(doc: unknown, file: string): SarifRead {
  const fail = (problem: string): never => {
    throw new FindingsFileError(file, problem)
  }
  if (!isObj(doc)) fail('not a SARIF log: the top level is not a JSON object')
  const log = doc as Obj
  if (log.version !== '2.1.0') {
    const runs = Array.isArray(log.runs) ? '' : ', and no "runs" list'
    fail(
      log.version === undefined
        ? `not SARIF 2.1.0: no "version": "2.1.0" at the top level${runs}`
        : `not SARIF 2.1.0: "version" is ${JSON.stringify(log.version)}${runs}`,
    )
  }
  if (!Array.isArray(log.runs)) fail('not a SARIF log: "runs" is missing or not a list')
  const out: SarifRead = { findings: [], tools: [], leftOut: { suppressed: 0, notFindings: 0, absent: 0 } }
  ;(log.runs as unknown[]).forEach((run, r) => {
    const at = `runs[${r}]`
    if (!isObj(run)) fail(`${at} is not an object`)
    const driver = isObj((run as Obj).tool) ? ((run as Obj).tool as Obj).driver : undefined
    if (!isObj(driver) || typeof driver.name !== 'string') fail(`${at}.tool.driver.name is missing: SARIF names the tool of every run`)
    const tool = (driver as Obj).name as string
    out.tools.push(tool)
    const rules = rulesOf(run as Obj, driver as Obj, at, fail)
    // rules may live in extensions (CodeQL query packs): results point there with rule.toolComponent.index
    const extensions =
      isObj((run as Obj).tool) && Array.isArray(((run as Obj).tool as Obj).extensions) ? (((run as Obj).tool as Obj).extensions as unknown[]) : []
    const extensionRules = extensions.map((ext, e) => (isObj(ext) ? rulesOf(run as Obj, ext, `${at}.tool.extensions[${e}]`, fail) : []))
    const results = (run as Obj).results
    if (results === undefined || results === null) return
    if (!Array.isArray(results)) fail(`${at}.results is not a list`)
    ;(results as unknown[]).forEach((res, i) => {
      const where = `${at}.results[${i}]`
      if (!isObj(res)) fail(`${where} is not an object`)
      const f = readResult(res as Obj, { where, tool, file, rules, extensionRules, fail })
      if (f === 'suppressed' || f === 'notFinding' || f === 'absent') {
        const key = f === 'notFinding' ? 'notFindings' : f
        out.leftOut[key]++
      } else out.findings.push(f)
    })
  })
  return out
}

interface Rule {
  id: string
  props: Obj
  defaultLevel?: string
}

function rulesOf(_run: Obj, component: Obj, at: string, fail: (p: string) => never): Rule[] {
  const rules: Rule[] = []
  const add = (list: unknown, where: string) => {
    if (list === undefined) return
    if (!Array.isArray(list)) fail(`${where} is not a list`)
    ;(list as unknown[]).forEach((rule, i) => {
      if (!isObj(rule) || typeof rule.id !== 'string') fail(`${where}[${i}] has no "id"`)
      const r = rule as Obj
      const dc = isObj(r.defaultConfiguration) ? r.defaultConfiguration : {}
      rules.push({ id: r.id as string, props: isObj(r.properties) ? r.properties : {}, ...(typeof dc.level === 'string' ? { defaultLevel: dc.level } : {}) })
    })
  }
  add(component.rules, at.includes('.tool.extensions[') ? `${at}.rules` : `${at}.tool.driver.rules`)
  return rules
}

interface ResultContext {
  where: string
  tool: string
  file: string
  rules: Rule[]
  extensionRules: Rule[][]
  fail: (p: string) => never
}

function readResult(
  res: Obj,
  { where, tool, file, rules: driverRules, extensionRules, fail }: ResultContext,
): Finding | 'suppressed' | 'notFinding' | 'absent' {
  const ruleRef = isObj(res.rule) ? res.rule : undefined
  const component = isObj(ruleRef?.toolComponent) && typeof ruleRef.toolComponent.index === 'number' ? ruleRef.toolComponent.index : undefined
  if (component !== undefined && !extensionRules[component])
    fail(`${where}.rule.toolComponent.index ${component} points past the ${extensionRules.length} tool.extensions`)
  const rules = component !== undefined ? extensionRules[component]! : driverRules
  const rulesAt = component !== undefined ? `tool.extensions[${component}].rules` : 'tool.driver.rules'
  const index = typeof ruleRef?.index === 'number' ? ruleRef.index : typeof res.ruleIndex === 'number' ? res.ruleIndex : undefined
  const byIndex = index !== undefined ? rules[index] : undefined
  if (index !== undefined && !byIndex) fail(`${where}: rule index ${index} points past the ${rules.length} rules of ${rulesAt}`)
  const ruleId = typeof res.ruleId === 'string' ? res.ruleId : typeof ruleRef?.id === 'string' ? ruleRef.id : byIndex?.id
  if (!ruleId) fail(`${where} has no ruleId (nor rule.id or ruleIndex): which rule found it?`)
  const rule = byIndex ?? rules.find((r) => r.id === ruleId)

  const kind = res.kind ?? 'fail'
  if (kind === 'pass' || kind === 'notApplicable') return 'notFinding'
  if (res.baselineState === 'absent') return 'absent'
  if (Array.isArray(res.suppressions) && res.suppressions.some((s) => isObj(s) && (s.status === undefined || s.status === 'accepted'))) return 'suppressed'

  const props = isObj(res.properties) ? res.properties : {}
  const rawScore = props['security-severity'] ?? rule?.props['security-severity']
  let severity: Finding['severity']
  let score: number | undefined
  let basis: string
  if (rawScore !== undefined && rawScore !== null && rawScore !== '') {
    score = typeof rawScore === 'number' ? rawScore : typeof rawScore === 'string' ? Number(rawScore.trim()) : NaN
    if (!Number.isFinite(score) || score < 0 || score > 10) fail(`${where}: security-severity ${JSON.stringify(rawScore)} is not a score from 0 to 10`)
    severity = severityFromScore(score)
    basis = `security-severity ${score}`
  } else {
    const level = res.level ?? rule?.defaultLevel ?? (kind === 'fail' ? 'warning' : 'none')
    if (typeof level !== 'string' || !(level in LEVEL_SEVERITY)) fail(`${where}: level ${JSON.stringify(level)} is not one of none, note, warning, error`)
    severity = LEVEL_SEVERITY[level as string]!
    basis = `level ${level as string}`
  }
  return {
    severity,
    ...(score !== undefined ? { score } : {}),
    basis,
    ruleId: ruleId as string,
    tool,
    location: locationOf(res),
    message: messageOf(res),
    file,
  }
}

function locationOf(res: Obj): string {
  const loc = Array.isArray(res.locations) ? res.locations.find(isObj) : undefined
  const phys = isObj(loc?.physicalLocation) ? loc.physicalLocation : undefined
  const uri = isObj(phys?.artifactLocation) && typeof phys.artifactLocation.uri === 'string' ? phys.artifactLocation.uri : undefined
  const line = isObj(phys?.region) && typeof phys.region.startLine === 'number' ? phys.region.startLine : undefined
  if (uri) return line !== undefined ? `${uri}:${line}` : uri
  const logical = Array.isArray(loc?.logicalLocations) ? loc.logicalLocations.find(isObj) : undefined
  const name = logical?.fullyQualifiedName ?? logical?.name
  if (typeof name === 'string') return name
  // ZAP's SARIF carries the URL in the web request when there is no artifact
  const web = isObj(res.webRequest) && typeof res.webRequest.target === 'string' ? res.webRequest.target : undefined
  return web ?? '(no location)'
}

function messageOf(res: Obj): string {
  const m = isObj(res.message) ? res.message : undefined
  const text = typeof m?.text === 'string' ? m.text : typeof m?.markdown === 'string' ? m.markdown : ''
  const line = text.split('\n')[0]!.trim()
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}
