// Plain autocannon, programmatic, in a process of its own (measured like golive's child).

import autocannon from 'autocannon'
import { childArgs, measure, report } from './measure.js'

const { url, connections, seconds } = childArgs<{ url: string; connections: number; seconds: number }>()

const perSecond: number[] = []
const { value: r, usage } = await measure(
  () =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const run = autocannon({ url, connections, duration: seconds, pipelining: 1 }, (err, result) => (err ? reject(err) : resolve(result)))
      // one tick a second with that second's responses (and a last one, 0, at the end);
      // @types/autocannon declares the tick listener without its argument
      ;(run as NodeJS.EventEmitter).on('tick', (t: { counter: number }) => {
        if (perSecond.length < seconds) perSecond.push(t.counter)
      })
    }),
)
report({
  requests: r.requests.total,
  rps: r.requests.total / r.duration,
  p50: r.latency.p50,
  p99: r.latency.p99,
  errors: r.errors + r.timeouts + r.non2xx,
  perSecond,
  usage,
})
