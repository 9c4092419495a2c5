// OWASP ZAP's traditional JSON report → findings. One finding per alert instance (one URL),
// like a SARIF result has one location; an alert without instances counts once.
// riskcode 3 high, 2 medium, 1 low, 0 informational (ZAP has no critical).

import { FindingsFileError, ZAP_RISK_SEVERITY, type Finding } from './severity.js'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export function isZapReport(doc: unknown): boolean {
  return isObj(doc) && ('site' in doc || doc['@programName'] === 'ZAP' || doc['@programName'] === 'OWASP ZAP')
}

export function readZapJson(doc: unknown, file: string): Finding[] {
  const fail = (problem: string): never => {
    throw new FindingsFileError(file, problem)
  }
  if (!isObj(doc)) fail('not a ZAP JSON report: the top level is not a JSON object')
  const d = doc as Obj
  const sites = d.site
  if (!Array.isArray(sites)) fail('not a ZAP JSON report: "site" is missing or not a list')
  const tool =
    typeof d['@programName'] === 'string' ? `${d['@programName'] as string}${typeof d['@version'] === 'string' ? ` ${d['@version'] as string}` : ''}` : 'ZAP'
  const findings: Finding[] = []
  ;(sites as unknown[]).forEach((site, s) => {
    if (!isObj(site)) fail(`site[${s}] is not an object`)
    const alerts = (site as Obj).alerts ?? []
    if (!Array.isArray(alerts)) fail(`site[${s}].alerts is not a list`)
    const siteName = typeof (site as Obj)['@name'] === 'string' ? ((site as Obj)['@name'] as string) : '(no site)'
    ;(alerts as unknown[]).forEach((alert, a) => {
      const where = `site[${s}].alerts[${a}]`
      if (!isObj(alert)) fail(`${where} is not an object`)
      const al = alert as Obj
      const risk = String(al.riskcode ?? '')
      const severity = ZAP_RISK_SEVERITY[risk]
      if (!severity) fail(`${where}: riskcode ${JSON.stringify(al.riskcode)} is not 0, 1, 2 or 3`)
      const ruleId = al.pluginid ?? al.alertRef
      if (ruleId === undefined || ruleId === '') fail(`${where} has no pluginid: which rule raised it?`)
      const name = String(al.name ?? al.alert ?? '')
      const instances = al.instances === undefined ? [] : al.instances
      if (!Array.isArray(instances)) fail(`${where}.instances is not a list`)
      const uris = (instances as unknown[]).map((inst) => (isObj(inst) && typeof inst.uri === 'string' ? inst.uri : siteName))
      for (const uri of uris.length ? uris : [siteName]) {
        findings.push({ severity: severity!, basis: `riskcode ${risk}`, ruleId: String(ruleId), tool, location: uri, message: name, file })
      }
    })
  })
  return findings
}
