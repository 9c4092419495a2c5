// A node:test reporter that writes each test file's duration (the sum of its top-level tests and
// suites, in seconds) as JSON: scripts/test.mjs starts the longest files first, so a pass does
// not end with one long file running alone. Written to test/timings.json by a full `npm test`.

export default async function* timings(source) {
  const seconds = {}
  for await (const { type, data } of source) {
    if ((type !== 'test:pass' && type !== 'test:fail') || data.nesting !== 0 || !data.file) continue
    seconds[data.file] = (seconds[data.file] ?? 0) + (data.details?.duration_ms ?? 0) / 1000
  }
  yield JSON.stringify(seconds)
}
