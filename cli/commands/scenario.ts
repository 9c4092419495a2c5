// `golive scenario from-har FILE.har [--out FILE.ts] [--keep-assets]` and
// `golive scenario from-openapi SPEC [--out FILE.ts]`: a scenario file written from a browser
// recording or an OpenAPI document. The file goes to --out (never over an existing one) or to
// stdout; what could not be translated, and what was inferred, goes to stderr.

import { existsSync, readFileSync } from 'node:fs'
import { basename, extname, resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { parse, str } from '../args.js'
import { writeFileAtomic } from '../write-atomic.js'
import { parseHar } from '../../scenarios/har.js'
import { scenarioFromHar } from '../../scenarios/from-har.js'
import { scenarioFromOpenApi } from '../../scenarios/from-openapi.js'
import { readOpenApi } from '../../scenarios/openapi.js'
import { renderDraft } from '../../scenarios/ts-source.js'

export async function scenarioCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub === 'from-har') return fromHar(rest)
  if (sub === 'from-openapi') return fromOpenApi(rest)
  throw new UsageError(
    sub ? `golive scenario: unknown subcommand '${sub}'` : 'golive scenario: which one?',
    'golive scenario from-har FILE.har [--out FILE.ts] [--keep-assets], or golive scenario from-openapi SPEC [--out FILE.ts]',
  )
}

async function fromHar(argv: string[]): Promise<number> {
  const { values, positionals } = parse('scenario from-har', argv, { out: { type: 'string', short: 'o' }, 'keep-assets': { type: 'boolean' } }, 1)
  const file = positionals[0]
  if (!file) throw new UsageError('golive scenario from-har: which recording?', 'golive scenario from-har FILE.har [--out FILE.ts]')
  const out = outFile(str(values.out))
  const entries = parseHar(readInput(file), file)
  const r = scenarioFromHar(entries, { file: basename(file), name: scenarioName(out ?? file), keepAssets: values['keep-assets'] === true })
  write(out, renderDraft(r.draft))
  const lines = [
    `${out ? `wrote ${out}` : 'scenario written to stdout'}: ${r.draft.steps.length} steps, ${r.assetsDropped} static assets left out, ` +
      `${r.inferred.length} capture${r.inferred.length === 1 ? '' : 's'} inferred`,
  ]
  for (const c of r.inferred) lines.push(`  capture ${c.name} on step '${c.step}': ${c.where.replace(/^inferred: /, '')}`)
  for (const s of r.secrets)
    lines.push(
      `  secret not copied: {{${s.name}}} (the recorded ${s.where}); set vars.${s.name} in the environment, e.g. '\${env:GOLIVE_${s.name.toUpperCase()}}'`,
    )
  report(lines, r.notes)
  return 0
}

async function fromOpenApi(argv: string[]): Promise<number> {
  const { values, positionals } = parse('scenario from-openapi', argv, { out: { type: 'string', short: 'o' } }, 1)
  const spec = positionals[0]
  if (!spec)
    throw new UsageError(
      'golive scenario from-openapi: which document?',
      'golive scenario from-openapi openapi.json (or a URL, e.g. http://127.0.0.1:8000/openapi.json) [--out FILE.ts]',
    )
  const out = outFile(str(values.out))
  const text = /^https?:\/\//i.test(spec) ? await fetchSpec(spec) : readInput(spec)
  const doc = readOpenApi(text, spec)
  const r = scenarioFromOpenApi(doc, { file: /^https?:/i.test(spec) ? spec : basename(spec), name: scenarioName(out ?? spec) })
  write(out, renderDraft(r.draft))
  const lines = [`${out ? `wrote ${out}` : 'scenario written to stdout'}: ${r.draft.steps.length} steps, one per operation`]
  for (const c of r.inferred) lines.push(`  capture ${c.name} on step '${c.step}': ${c.where}`)
  report(lines, r.notes)
  return 0
}

function outFile(out: string | undefined): string | undefined {
  if (out === undefined) return undefined
  if (!/\.(ts|mts)$/i.test(out))
    throw new UsageError(
      `--out ${out}: the scenario is written as TypeScript (its comments say what was inferred)`,
      `name it ${out.replace(/\.[^./]*$/, '')}.ts`,
    )
  if (existsSync(out))
    throw new UsageError(`--out ${out}: the file already exists, and golive never overwrites one`, 'remove it first, or choose another --out')
  return out
}

function readInput(file: string): string {
  try {
    return readFileSync(resolve(file), 'utf8')
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    throw new UsageError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (e as Error).message}`,
      'check the path',
    )
  }
}

async function fetchSpec(url: string): Promise<string> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'application/json, application/yaml;q=0.9' } })
    if (!res.ok) throw new UsageError(`${url}: answered ${res.status}`, 'give the URL of the OpenAPI document itself (FastAPI: /openapi.json), or a saved file')
    return await res.text()
  } catch (e) {
    if (e instanceof UsageError) throw e
    throw new UsageError(
      `${url}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`,
      'check the URL, or save the document and give its path',
    )
  }
}

/** the scenario's name from the output (or input) file: 'login.har' → 'login' */
function scenarioName(file: string): string {
  const base = basename(file.replace(/[?#].*$/, ''), extname(file.replace(/[?#].*$/, ''))).replace(/\.(har|k6)$/i, '')
  return base.replace(/[^\w-]+/g, '-').replace(/^[-_]+|-+$/g, '') || 'recorded'
}

function write(out: string | undefined, text: string): void {
  if (out) writeFileAtomic(out, text)
  else process.stdout.write(text)
}

function report(lines: string[], notes: string[]): void {
  if (notes.length) {
    lines.push(`could not translate (${notes.length}):`)
    for (const n of notes) lines.push(`  - ${n}`)
  } else {
    lines.push('everything in the input was translated')
  }
  process.stderr.write(`${lines.join('\n')}\n`)
}
