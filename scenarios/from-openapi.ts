// An OpenAPI document as a smoke journey: one step per operation, with the document's example
// body and parameters (or values made from the schemas), the 2xx/3xx statuses it lists as the
// check, create before read before change before delete, and an id a POST returns captured for
// the operations on that resource. What cannot be sent is listed.

import type { Step } from './dsl.js'
import { operations, type OpenApiDoc, type Operation } from './openapi.js'
import { stepName, uniqueNames, varName, type Draft, type DraftStep } from './ts-source.js'

export interface FromOpenApiResult {
  draft: Draft
  notes: string[]
  inferred: { step: string; name: string; where: string }[]
  secrets: { name: string; where: string }[]
}

/** create, list, read, change, delete: the order a smoke journey walks one resource in */
function phase(op: Operation): number {
  const item = op.path.includes('{')
  if (op.method === 'POST') return item ? 3 : 0
  if (op.method === 'GET') return item ? 2 : 1
  if (op.method === 'PUT' || op.method === 'PATCH') return 3
  if (op.method === 'DELETE') return 5
  return 4
}

/** '/items/{item_id}/parts' → '/items' */
const resource = (path: string) => path.split('/{')[0]!

export function scenarioFromOpenApi(d: OpenApiDoc, opts: { file: string; name: string }): FromOpenApiResult {
  const notes: string[] = []
  const all = operations(d)
  const roots: string[] = []
  for (const op of all) if (!roots.includes(resource(op.path))) roots.push(resource(op.path))
  const ops = all
    .map((op, i) => ({ op, i }))
    .sort((a, b) => roots.indexOf(resource(a.op.path)) - roots.indexOf(resource(b.op.path)) || phase(a.op) - phase(b.op) || a.i - b.i)
    .map((x) => x.op)
  const names = uniqueNames(ops.map((op) => stepName(`${op.method.toLowerCase()}-${op.path.replace(/[{}]/g, '')}`)))
  const inferred: FromOpenApiResult['inferred'] = []
  const secrets: FromOpenApiResult['secrets'] = []
  const steps: DraftStep[] = []
  // path parameters a POST's response carries (its id), by parameter name
  const captured = new Map<string, string>()

  ops.forEach((op, i) => {
    const where = `${op.method} ${op.path}`
    const fields: DraftStep['fields'] = {}
    const above: string[] = []
    const step: Step = { name: names[i]!, ...(op.method !== 'GET' ? { method: op.method as Step['method'] } : {}), path: op.path }
    // path parameters: a value captured from the resource's POST, else the document's example
    let path = op.path
    for (const p of op.params.filter((x) => x.in === 'path')) {
      const from = captured.get(`${resource(op.path)}:${p.name}`)
      const value = from ? `{{${from}}}` : p.example !== undefined ? encodeURIComponent(String(p.example)) : null
      if (value === null) {
        notes.push(
          `${where}: path parameter ${p.name} has no example and no schema to make one from: written as {{${varName(p.name)}}}, set vars.${varName(p.name)}`,
        )
        path = path.replace(`{${p.name}}`, `{{${varName(p.name)}}}`)
        continue
      }
      if (!from) above.push(`${p.name} = ${String(p.example)}: the document's example (or one made from its schema); use an id your staging data has`)
      path = path.replace(`{${p.name}}`, value)
    }
    const query = op.params.filter((x) => x.in === 'query' && x.required)
    const skippedQuery = op.params.filter((x) => x.in === 'query' && !x.required).length
    if (query.length) path += `?${query.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(p.example ?? ''))}`).join('&')}`
    if (skippedQuery) above.push(`${skippedQuery} optional query parameter${skippedQuery === 1 ? '' : 's'} left out`)
    step.path = path
    const headers: Record<string, string> = {}
    for (const p of op.params.filter((x) => x.in === 'header' && x.required)) headers[p.name.toLowerCase()] = String(p.example ?? '')
    for (const p of op.params.filter((x) => x.in === 'cookie' && x.required))
      notes.push(`${where}: cookie parameter ${p.name}: a scenario's cookies come from the jar (a step that sets it); not sent`)
    for (const s of op.security) {
      const scheme = String(s.scheme ?? '').toLowerCase()
      const secret = (name: string, header: string, value: string) => {
        if (!secrets.some((x) => x.name === name)) secrets.push({ name, where: `${s.type}${scheme ? ` ${scheme}` : ''} security scheme` })
        headers[header] = value
        ;(fields.headers ??= []).push(`{{${name}}}: a credential, never written here; set vars.${name} in the environment (see the top of this file)`)
      }
      if (s.type === 'apiKey' && s.in === 'header' && typeof s.name === 'string') secret('api_key', s.name.toLowerCase(), '{{api_key}}')
      else if ((s.type === 'http' && scheme === 'basic') || s.type === 'basic') secret('basic_auth', 'authorization', 'Basic {{basic_auth}}')
      else if (s.type === 'http' || s.type === 'oauth2' || s.type === 'openIdConnect') secret('token', 'authorization', 'Bearer {{token}}')
      else notes.push(`${where}: security scheme ${String(s.type)}${s.in ? ` in ${String(s.in)}` : ''} is not translated: add the credential yourself`)
    }
    if (Object.keys(headers).length) step.headers = headers
    if (op.body && 'unsupported' in op.body) notes.push(`${where}: ${op.body.unsupported} is not translated: the step sends no body`)
    else if (op.body) {
      if (/x-www-form-urlencoded/i.test(op.body.mediaType) && op.body.example && typeof op.body.example === 'object') {
        step.form = Object.fromEntries(
          Object.entries(op.body.example as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]),
        )
      } else step.json = op.body.example
      ;(fields[step.form ? 'form' : 'json'] ??= []).push("the document's example body (or one made from its schema)")
    }
    if (op.statuses.length) step.check = { status: op.statuses.length === 1 ? op.statuses[0]! : op.statuses }
    else above.push('the document lists no 2xx/3xx response: no status check (a 4xx or 5xx still counts as an error)')
    // a create whose response has an id: the later operations on /resource/{param} use it
    if (op.method === 'POST' && !op.path.includes('{') && op.responseSchema) {
      const props = (op.responseSchema.properties ?? {}) as Record<string, unknown>
      const caps: Record<string, { json: string }> = {}
      for (const later of ops.slice(i + 1)) {
        if (resource(later.path) !== op.path) continue
        for (const p of later.params.filter((x) => x.in === 'path')) {
          const k = `${op.path}:${p.name}`
          if (captured.has(k)) continue
          const prop = p.name in props ? p.name : /(^|_|-)id$|[a-z]Id$/.test(p.name) && 'id' in props ? 'id' : null
          if (!prop) continue
          const name = varName(p.name)
          captured.set(k, name)
          caps[name] = { json: `$.${prop}` }
          inferred.push({ step: names[i]!, name, where: `$.${prop} of its response is the {${p.name}} of ${later.method} ${later.path}` })
          ;(fields.capture ??= []).push(
            `${name}: inferred: the response of ${op.method} ${op.path} has ${prop} (its schema), and ${later.method} ${later.path} takes it as {${p.name}}`,
          )
        }
      }
      if (Object.keys(caps).length) step.capture = caps
    }
    steps.push({ step, ...(above.length ? { above } : {}), fields })
  })

  const header: string[] = [
    `A smoke journey written by \`golive scenario from-openapi\` from ${opts.file}${d.title ? ` (${d.title})` : ''}:`,
    `one step per operation (${steps.length}), create before read before change before delete, each`,
    "checked against the 2xx/3xx statuses the document lists. Bodies and parameters are the document's",
    'examples or values made from its schemas: edit them to data your staging system has.',
  ]
  if (secrets.length) {
    header.push('Credentials are never written here. Set these variables in golive.config.ts, from the environment:')
    header.push(`  environments: { staging: { vars: { ${secrets.map((s) => `${s.name}: '\${env:GOLIVE_${s.name.toUpperCase()}}'`).join(', ')} } } }`)
  }
  if (notes.length) {
    header.push('Not translated:')
    for (const n of notes) header.push(`  ${n}`)
  }
  return {
    draft: {
      header,
      name: opts.name,
      description: `Smoke journey from ${opts.file}${d.title ? ` (${d.title})` : ''}: one step per operation`,
      steps,
      profile: {
        comment: ['a smoke run: one user walks every operation once; --vus, --duration, --iterations override it'],
        source: `{ model: 'closed', vus: 1, duration: '1m', iterations: 1 }`,
      },
    },
    notes,
    inferred,
    secrets,
  }
}
