// A loopback OTLP/HTTP metrics receiver that checks each ExportMetricsServiceRequest strictly
// against the OTLP JSON encoding (opentelemetry-proto metrics.proto; JSON mapping per the OTLP
// spec: camelCase field names, 64-bit integers as decimal strings, enums as numbers), answers
// 400 naming the first violation, and keeps every data point it accepted. Debian's Prometheus
// (2.42) has no OTLP receiver (that came in 2.47), so this is the OTLP truth here.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface OtlpPoint {
  name: string
  unit: string
  kind: 'gauge' | 'sum'
  attributes: Record<string, string>
  timeNs: bigint
  startNs: bigint | null
  value: number
}

export interface OtlpReceiver {
  url: string
  points: OtlpPoint[]
  /** violations found (each also answered 400) */
  errors: string[]
  requests: number
  close(): Promise<void>
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function only(o: Record<string, unknown>, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`${where}: unknown field ${k}`)
}

function fixed64(v: unknown, where: string): bigint {
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new Error(`${where}: a fixed64 must be a decimal string, got ${JSON.stringify(v)}`)
  return BigInt(v)
}

function attributes(v: unknown, where: string): Record<string, string> {
  if (!Array.isArray(v)) throw new Error(`${where}: attributes must be an array`)
  const out: Record<string, string> = {}
  for (const [i, a] of v.entries()) {
    if (!isObj(a)) throw new Error(`${where}[${i}]: not an object`)
    only(a, ['key', 'value'], `${where}[${i}]`)
    if (typeof a.key !== 'string' || !a.key) throw new Error(`${where}[${i}].key: not a string`)
    if (!isObj(a.value) || Object.keys(a.value).length !== 1 || typeof a.value.stringValue !== 'string')
      throw new Error(`${where}[${i}].value: expected { stringValue }`)
    if (a.key in out) throw new Error(`${where}: duplicate key ${a.key}`)
    out[a.key] = a.value.stringValue
  }
  return out
}

/** Throws on the first violation; returns the data points. */
export function readExportRequest(body: unknown): OtlpPoint[] {
  const points: OtlpPoint[] = []
  if (!isObj(body)) throw new Error('body: not an object')
  only(body, ['resourceMetrics'], 'body')
  if (!Array.isArray(body.resourceMetrics) || !body.resourceMetrics.length) throw new Error('resourceMetrics: empty')
  body.resourceMetrics.forEach((rm, r) => {
    const w = `resourceMetrics[${r}]`
    if (!isObj(rm)) throw new Error(`${w}: not an object`)
    only(rm, ['resource', 'scopeMetrics', 'schemaUrl'], w)
    if (!isObj(rm.resource)) throw new Error(`${w}.resource: missing`)
    only(rm.resource, ['attributes', 'droppedAttributesCount'], `${w}.resource`)
    const res = attributes(rm.resource.attributes, `${w}.resource.attributes`)
    if (!res['service.name']) throw new Error(`${w}.resource: no service.name`)
    if (!Array.isArray(rm.scopeMetrics)) throw new Error(`${w}.scopeMetrics: not an array`)
    rm.scopeMetrics.forEach((sm, s) => {
      const ws = `${w}.scopeMetrics[${s}]`
      if (!isObj(sm)) throw new Error(`${ws}: not an object`)
      only(sm, ['scope', 'metrics', 'schemaUrl'], ws)
      if (isObj(sm.scope)) only(sm.scope, ['name', 'version', 'attributes', 'droppedAttributesCount'], `${ws}.scope`)
      if (!Array.isArray(sm.metrics)) throw new Error(`${ws}.metrics: not an array`)
      sm.metrics.forEach((m, i) => {
        const wm = `${ws}.metrics[${i}]`
        if (!isObj(m)) throw new Error(`${wm}: not an object`)
        only(m, ['name', 'description', 'unit', 'gauge', 'sum', 'metadata'], wm)
        if (typeof m.name !== 'string' || !/^[A-Za-z][A-Za-z0-9_.\-/]{0,254}$/.test(m.name))
          throw new Error(`${wm}.name: not an instrument name: ${String(m.name)}`)
        const kinds = ['gauge', 'sum'].filter((k) => k in m)
        if (kinds.length !== 1) throw new Error(`${wm}: exactly one of gauge, sum expected`)
        const kind = kinds[0] as 'gauge' | 'sum'
        const data = m[kind]
        if (!isObj(data)) throw new Error(`${wm}.${kind}: not an object`)
        if (kind === 'sum') {
          only(data, ['dataPoints', 'aggregationTemporality', 'isMonotonic'], `${wm}.sum`)
          if (data.aggregationTemporality !== 1 && data.aggregationTemporality !== 2)
            throw new Error(`${wm}.sum.aggregationTemporality: ${String(data.aggregationTemporality)}`)
          if (typeof data.isMonotonic !== 'boolean') throw new Error(`${wm}.sum.isMonotonic: not a boolean`)
        } else only(data, ['dataPoints'], `${wm}.gauge`)
        if (!Array.isArray(data.dataPoints) || !data.dataPoints.length) throw new Error(`${wm}.${kind}.dataPoints: empty`)
        data.dataPoints.forEach((p, j) => {
          const wp = `${wm}.${kind}.dataPoints[${j}]`
          if (!isObj(p)) throw new Error(`${wp}: not an object`)
          only(p, ['attributes', 'startTimeUnixNano', 'timeUnixNano', 'asDouble', 'asInt', 'exemplars', 'flags'], wp)
          if (typeof p.asDouble !== 'number' || !Number.isFinite(p.asDouble)) throw new Error(`${wp}.asDouble: not a finite number`)
          const timeNs = fixed64(p.timeUnixNano, `${wp}.timeUnixNano`)
          const startNs = p.startTimeUnixNano === undefined ? null : fixed64(p.startTimeUnixNano, `${wp}.startTimeUnixNano`)
          if (kind === 'sum' && (startNs === null || startNs > timeNs)) throw new Error(`${wp}: a cumulative sum needs startTimeUnixNano <= timeUnixNano`)
          points.push({
            name: m.name as string,
            unit: typeof m.unit === 'string' ? m.unit : '',
            kind,
            attributes: attributes(p.attributes ?? [], `${wp}.attributes`),
            timeNs,
            startNs,
            value: p.asDouble,
          })
        })
      })
    })
  })
  return points
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const r: OtlpReceiver = { url: '', points: [], errors: [], requests: 0, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      r.requests++
      try {
        if (req.method !== 'POST' || req.url !== '/v1/metrics') throw new Error(`${req.method} ${req.url}: expected POST /v1/metrics`)
        if (req.headers['content-type'] !== 'application/json') throw new Error(`content-type ${req.headers['content-type']}: expected application/json`)
        r.points.push(...readExportRequest(JSON.parse(Buffer.concat(chunks).toString('utf8'))))
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      } catch (e) {
        r.errors.push((e as Error).message)
        res.writeHead(400, { 'content-type': 'text/plain' }).end((e as Error).message)
      }
    })
  })
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()))
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  r.close = () =>
    new Promise<void>((ok) => {
      server.closeAllConnections()
      server.close(() => ok())
    })
  return r
}
