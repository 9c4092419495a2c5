// The terminal's choke point: everything golive writes to stdout and stderr (reports, progress,
// log lines, errors, and what worker threads print) passes through the one redactor, so a
// secret the target echoes back into an error message never reaches a CI log.

import { redact } from '../core/redact.js'

type Write = NodeJS.WriteStream['write']

export function redactStreams(streams: NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    const marked = stream as NodeJS.WriteStream & { goliveRedacted?: true }
    if (marked.goliveRedacted) continue
    marked.goliveRedacted = true
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(redact(chunk), ...rest)
      if (chunk instanceof Uint8Array) {
        // an encoding argument describes a string chunk; a buffer is always bytes
        const text = Buffer.from(chunk).toString('utf8')
        const clean = redact(text)
        return clean === text ? write(chunk, ...rest) : write(Buffer.from(clean, 'utf8'), ...rest)
      }
      return write(chunk, ...rest)
    }) as Write
  }
}
