// Reading an OpenAPI document (3.x, or Swagger 2.0): its operations, each with a path (the
// servers[0] / basePath prefix when that is a path), parameters, an example request body and
// the statuses it answers. `golive init` takes the plain GETs from it; `golive scenario
// from-openapi` every operation.

import { parse as parseYaml } from 'yaml'
import { UsageError } from '../core/errors.js'

type Json = Record<string, unknown>
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v)

export interface OpenApiDoc {
  doc: Json
  title?: string
  prefix: string
  swagger: boolean
}

export interface OpenApiParam {
  name: string
  in: 'path' | 'query' | 'header' | 'cookie'
  required: boolean
  example: unknown
}
export interface Operation {
  method: string
  /** with the prefix; path parameters still {name} */
  path: string
  operationId?: string
  params: OpenApiParam[]
  body?: { mediaType: string; example: unknown } | { unsupported: string }
  /** the 2xx/3xx statuses the document lists */
  statuses: number[]
  /** the security schemes that apply, resolved ({} when none) */
  security: Json[]
  /** the first 2xx response's JSON schema, resolved */
  responseSchema?: Json
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const

/** The document when the value is one (openapi or swagger, paths an object), else null. */
export function openApiDocument(value: unknown): OpenApiDoc | null {
  if (!isObj(value) || (!value.openapi && !value.swagger) || !isObj(value.paths)) return null
  const servers = Array.isArray(value.servers) ? value.servers : []
  const server = isObj(servers[0]) && typeof servers[0].url === 'string' ? servers[0].url : typeof value.basePath === 'string' ? value.basePath : ''
  const info = isObj(value.info) ? value.info : {}
  return {
    doc: value,
    ...(typeof info.title === 'string' ? { title: info.title } : {}),
    prefix: server.startsWith('/') ? server.replace(/\/$/, '') : '',
    swagger: !!value.swagger && !value.openapi,
  }
}

/** Parses JSON or YAML strictly: a message naming the file, the place and the fix. */
export function readOpenApi(text: string, file: string): OpenApiDoc {
  let value: unknown
  try {
    value = /^\s*[{[]/.test(text) ? JSON.parse(text) : parseYaml(text)
  } catch (e) {
    throw new UsageError(
      `${file}: neither JSON nor YAML: ${(e as Error).message.split('\n')[0]}`,
      'give the OpenAPI document itself (FastAPI serves it at /openapi.json; Spring at /v3/api-docs)',
    )
  }
  if (!isObj(value))
    throw new UsageError(
      `${file}: (top level): not an object, so not an OpenAPI document`,
      'give the OpenAPI document itself (an object with openapi: 3.x and paths)',
    )
  if (!value.openapi && !value.swagger)
    throw new UsageError(
      `${file}: openapi: missing: not an OpenAPI (or Swagger 2.0) document`,
      "an OpenAPI document starts with openapi: '3.x.y' (or swagger: '2.0') and has paths",
    )
  if (!isObj(value.paths))
    throw new UsageError(`${file}: paths: missing or not an object`, 'an OpenAPI document lists its operations under paths: { /items: { get: ... } }')
  return openApiDocument(value)!
}

/** Every operation, in the document's order. */
export function operations(d: OpenApiDoc): Operation[] {
  const out: Operation[] = []
  for (const [path, rawItem] of Object.entries(d.doc.paths as Json)) {
    const item = resolve(d.doc, rawItem)
    if (!path.startsWith('/') || !isObj(item)) continue
    for (const method of METHODS) {
      const op = resolve(d.doc, item[method])
      if (!isObj(op)) continue
      const params = mergeParams(d.doc, item.parameters, op.parameters)
      const statuses = Object.keys(isObj(op.responses) ? op.responses : {})
        .filter((s) => /^[23]\d\d$/.test(s))
        .map(Number)
      const bodyParam = params.find((p) => p.in === 'body')
      out.push({
        method: method.toUpperCase(),
        path: `${d.prefix}${path}`,
        ...(typeof op.operationId === 'string' ? { operationId: op.operationId } : {}),
        params: params
          .filter((p): p is OpenApiParam & { schema?: unknown } => p.in !== 'body' && p.in !== 'formData')
          .map(({ name, in: where, required, example }) => ({ name, in: where as OpenApiParam['in'], required, example })),
        ...bodyOf(
          d,
          op,
          bodyParam,
          params.some((p) => p.in === 'formData'),
        ),
        statuses,
        security: securityOf(d.doc, op),
        ...responseSchemaOf(d.doc, op),
      })
    }
  }
  return out
}

type RawParam = { name: string; in: string; required: boolean; example: unknown; schema?: unknown }

function mergeParams(doc: Json, ...lists: unknown[]): RawParam[] {
  const byKey = new Map<string, RawParam>()
  for (const list of lists) {
    if (!Array.isArray(list)) continue
    for (const raw of list) {
      const p = resolve(doc, raw)
      if (!isObj(p) || typeof p.name !== 'string' || typeof p.in !== 'string') continue
      const examples = isObj(p.examples)
        ? Object.values(p.examples)
            .map((e) => resolve(doc, e))
            .find(isObj)
        : undefined
      const example = p.example !== undefined ? p.example : examples && 'value' in examples ? examples.value : exampleOf(doc, p.schema ?? p)
      byKey.set(`${p.in}:${p.name}`, { name: p.name, in: p.in, required: p.required === true || p.in === 'path', example, schema: p.schema })
    }
  }
  return [...byKey.values()]
}

function bodyOf(d: OpenApiDoc, op: Json, bodyParam: RawParam | undefined, formData: boolean): Pick<Operation, 'body'> {
  if (d.swagger) {
    if (bodyParam) return { body: { mediaType: 'application/json', example: exampleOf(d.doc, bodyParam.schema) } }
    if (formData) return { body: { unsupported: 'formData parameters (Swagger 2.0)' } }
    return {}
  }
  const rb = resolve(d.doc, op.requestBody)
  if (!isObj(rb) || !isObj(rb.content)) return {}
  const types = Object.keys(rb.content)
  const mediaType = types.find((t) => /json/i.test(t)) ?? types.find((t) => /x-www-form-urlencoded/i.test(t)) ?? types[0]
  if (!mediaType) return {}
  const media = resolve(d.doc, rb.content[mediaType])
  if (!/json|x-www-form-urlencoded/i.test(mediaType)) return { body: { unsupported: `a ${mediaType} request body` } }
  let example: unknown
  if (isObj(media)) {
    const examples = isObj(media.examples)
      ? Object.values(media.examples)
          .map((e) => resolve(d.doc, e))
          .find(isObj)
      : undefined
    example = media.example !== undefined ? media.example : examples && 'value' in examples ? examples.value : exampleOf(d.doc, media.schema)
  }
  return { body: { mediaType, example: example ?? {} } }
}

function securityOf(doc: Json, op: Json): Json[] {
  const reqs = Array.isArray(op.security) ? op.security : Array.isArray(doc.security) ? doc.security : []
  // any one requirement object suffices; an empty one ({}) means "no credentials needed"
  const first = reqs.find(isObj)
  if (!first || Object.keys(first).length === 0) return []
  const schemes =
    isObj(doc.components) && isObj(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : isObj(doc.securityDefinitions)
        ? doc.securityDefinitions
        : {}
  return Object.keys(first)
    .map((k) => resolve(doc, schemes[k]))
    .filter(isObj)
    .map((s) => s as Json)
}

function responseSchemaOf(doc: Json, op: Json): Pick<Operation, 'responseSchema'> {
  const responses = isObj(op.responses) ? op.responses : {}
  const ok = Object.keys(responses).find((s) => /^2\d\d$/.test(s))
  const res = ok ? resolve(doc, responses[ok]) : undefined
  if (!isObj(res)) return {}
  const schema = isObj(res.content) ? Object.entries(res.content).find(([t]) => /json/i.test(t))?.[1] : res
  const s = isObj(schema) ? resolve(doc, (schema as Json).schema) : undefined
  const full = isObj(s) ? flatten(doc, s, 0) : undefined
  return full ? { responseSchema: full } : {}
}

/** A local $ref ('#/components/schemas/Item') followed, at most 20 deep. */
export function resolve(doc: Json, v: unknown, depth = 0): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string' || depth > 20) return v
  if (!v.$ref.startsWith('#/')) return undefined
  let at: unknown = doc
  for (const part of v.$ref.slice(2).split('/')) at = isObj(at) ? at[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  return resolve(doc, at, depth + 1)
}

/** allOf merged, $refs followed: the properties a response has */
function flatten(doc: Json, s: Json, depth: number): Json {
  if (depth > 8 || !Array.isArray(s.allOf)) return s
  const props: Json = { ...(isObj(s.properties) ? s.properties : {}) }
  for (const part of s.allOf) {
    const p = resolve(doc, part)
    if (isObj(p)) Object.assign(props, flatten(doc, p, depth + 1).properties as Json | undefined)
  }
  return { ...s, properties: props }
}

const STRING_FORMATS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  email: 'user@example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
  url: 'https://example.com/',
  hostname: 'example.com',
  ipv4: '192.0.2.1',
  password: 'example',
}

/** An example value from a schema: its example, default, enum or const, else one of its type. */
export function exampleOf(doc: Json, raw: unknown, depth = 0): unknown {
  const s = resolve(doc, raw)
  if (!isObj(s) || depth > 8) return undefined
  if (s.example !== undefined) return s.example
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0]
  if (s.default !== undefined) return s.default
  if (s.const !== undefined) return s.const
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0]
  if (Array.isArray(s.allOf)) {
    const parts = s.allOf.map((p) => exampleOf(doc, p, depth + 1))
    return parts.every((p) => isObj(p)) ? Object.assign({}, ...parts) : parts.find((p) => p !== undefined)
  }
  for (const k of ['oneOf', 'anyOf'] as const)
    if (Array.isArray(s[k]))
      return exampleOf(
        doc,
        (s[k] as unknown[]).find((x) => (resolve(doc, x) as Json | undefined)?.type !== 'null'),
        depth + 1,
      )
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : (s.type ?? (isObj(s.properties) ? 'object' : undefined))
  if (type === 'object') {
    const props = isObj(s.properties) ? s.properties : {}
    const required = Array.isArray(s.required) ? new Set(s.required as string[]) : null
    const out: Json = {}
    for (const [k, v] of Object.entries(props)) if (!required || required.has(k)) out[k] = exampleOf(doc, v, depth + 1)
    return out
  }
  if (type === 'array') return [exampleOf(doc, s.items, depth + 1)].filter((x) => x !== undefined)
  if (type === 'integer' || type === 'number') return typeof s.minimum === 'number' ? s.minimum : 1
  if (type === 'boolean') return true
  if (type === 'string') {
    const f = typeof s.format === 'string' ? STRING_FORMATS[s.format] : undefined
    return f ?? (typeof s.minLength === 'number' && s.minLength > 7 ? 'x'.repeat(s.minLength) : 'example')
  }
  return undefined
}
