// Prometheus remote write 1.0 (https://prometheus.io/docs/specs/remote_write_spec/), as k6's
// experimental-prometheus-rw output sends it: a WriteRequest in protobuf (protobufjs, from the
// spec's message definitions below), compressed with Snappy's block format (snappyjs), POSTed.

import protobuf from 'protobufjs'
import snappy from 'snappyjs'
import type { MetricSample } from './series.js'

// prometheus/prompb/remote.proto and types.proto: the fields remote write 1.0 uses
const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: { fields: { timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 } } },
        TimeSeries: { fields: { labels: { rule: 'repeated', type: 'Label', id: 1 }, samples: { rule: 'repeated', type: 'Sample', id: 2 } } },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
      },
    },
  },
})
const WriteRequest = root.lookupType('prometheus.WriteRequest')

/** One time series per name and label set, its samples oldest first; labels sorted by name
 *  (the spec requires it). */
export function writeRequest(samples: MetricSample[]): Uint8Array {
  const series = new Map<string, { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }>()
  for (const s of samples) {
    const labels = [{ name: '__name__', value: s.name }, ...Object.entries(s.labels).map(([name, value]) => ({ name, value }))].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )
    const key = JSON.stringify(labels)
    let ts = series.get(key)
    if (!ts) {
      ts = { labels, samples: [] }
      series.set(key, ts)
    }
    ts.samples.push({ value: s.value, timestamp: s.timeMs })
  }
  for (const ts of series.values()) ts.samples.sort((a, b) => a.timestamp - b.timestamp)
  const bytes = WriteRequest.encode(WriteRequest.create({ timeseries: [...series.values()] })).finish()
  return snappy.compress(bytes)
}

/** For tests: the WriteRequest back from its bytes. */
export function readWriteRequest(body: Uint8Array): {
  timeseries: { labels: { name: string; value: string }[]; samples: { value: number; timestamp: number }[] }[]
} {
  const m = WriteRequest.decode(snappy.uncompress(body))
  return WriteRequest.toObject(m, { longs: Number, defaults: true }) as ReturnType<typeof readWriteRequest>
}

export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
}
