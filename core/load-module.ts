// Loads a user's TypeScript or JavaScript file (golive.config.ts, a scenario) without type-checking:
// esbuild bundles it to a temporary .mjs next to it (so its own node_modules resolve as usual),
// Node imports that, and the temporary file is removed. `import ... from 'golive'` resolves to
// this package's public entry, index.ts, wherever golive itself is running from (source or dist).

import { randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Message, type Plugin } from 'esbuild'
import { parseDocument } from 'yaml'
import { UsageError } from './errors.js'
import { packageRoot } from './package-root.js'

/** The file 'golive' resolves to inside user files. */
export function publicEntry(): string {
  const root = packageRoot()
  for (const candidate of ['index.ts', 'index.js', 'dist/index.js']) {
    const file = join(root, candidate)
    if (existsSync(file)) return file
  }
  throw new Error(`golive's public entry (index.ts) is missing from ${root}`)
}

/** The file 'golive/helpers' resolves to inside user files. */
function helpersEntry(): string {
  const root = packageRoot()
  for (const candidate of ['scenarios/helpers.ts', 'dist/helpers.js']) {
    const file = join(root, candidate)
    if (existsSync(file)) return file
  }
  throw new Error(`golive's helpers (scenarios/helpers.ts) are missing from ${root}`)
}

const golivePlugin: Plugin = {
  name: 'golive-self',
  setup(b) {
    b.onResolve({ filter: /^golive$/ }, () => ({ path: publicEntry() }))
    // hooks' helpers (hashes, HMAC, base64, uuid); the k6 bundle maps this name to k6's build
    b.onResolve({ filter: /^golive\/helpers$/ }, () => ({ path: helpersEntry() }))
  },
}

/** Bundles and imports a .ts/.mts/.js/.mjs file; returns its module namespace. `plugins` resolve
 *  imports their own way first (a browser spec's @playwright/test). */
export async function importTsModule(file: string, plugins: Plugin[] = []): Promise<Record<string, unknown>> {
  const source = resolve(file)
  if (!existsSync(source)) throw new UsageError(`${file}: file not found`, 'check the path')

  let code: string
  try {
    const result = await build({
      entryPoints: [source],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: 'external',
      sourcemap: 'inline',
      write: false,
      outfile: `${source}.mjs`,
      logLevel: 'silent',
      plugins: [...plugins, golivePlugin],
    })
    code = result.outputFiles[0]?.text ?? ''
  } catch (err) {
    throw buildError(file, err)
  }

  const name = `.${basename(source)}.${process.pid}-${randomBytes(4).toString('hex')}.golive.mjs`
  // next to the source, so bare imports resolve from the user's node_modules; tmpdir if read-only
  let temp = join(dirname(source), name)
  try {
    await writeFile(temp, code)
  } catch {
    temp = join(tmpdir(), name)
    await writeFile(temp, code)
  }
  try {
    return (await import(pathToFileURL(temp).href)) as Record<string, unknown>
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const error = new UsageError(`${file}: failed while loading: ${message}`, 'fix the error in that file (it runs when golive loads it)')
    ;(error as Error & { cause?: unknown }).cause = err
    throw error
  } finally {
    await rm(temp, { force: true })
  }
}

/** Files read as data rather than run as code (YAML/JSON scenarios). */
export const DATA_EXTENSIONS = new Set(['.yaml', '.yml', '.json'])

/** Reads a .yaml/.yml/.json file as plain data. JSON goes through the YAML parser too (YAML 1.2
 *  is a superset of JSON) so a syntax error of either names its line and column. */
export async function readDataFile(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase()
  if (!DATA_EXTENSIONS.has(ext)) throw new UsageError(`${file}: not a data file (${ext || 'no extension'})`, 'use .yaml, .yml or .json')
  let text: string
  try {
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '')
  } catch (e) {
    throw new UsageError(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`, 'check the path and its permissions')
  }
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true })
  const error = doc.errors[0]
  if (error) {
    const pos = error.linePos?.[0]
    const kind = ext === '.json' ? 'JSON' : 'YAML'
    throw new UsageError(
      `${file}:${pos ? `${pos.line}:${pos.col}` : ''} ${kind} syntax error: ${error.message
        .split('\n')[0]!
        .replace(/ at line \d+, column \d+:?$/, '')
        .trim()}`,
      `fix the ${kind} at that line${kind === 'YAML' ? ': check the indentation, a missing ":" or a value with ": " that needs quotes' : ': a missing or extra comma, quote or brace'}`,
    )
  }
  const value: unknown = doc.toJS()
  if (value === null || value === undefined) throw new UsageError(`${file}: the file is empty`, 'describe the scenario: name, profile, steps')
  return value
}

/** esbuild's failure as a UsageError naming file:line:column and esbuild's message. */
function buildError(file: string, err: unknown): Error {
  const messages = (err as { errors?: Message[] }).errors
  const first = messages?.[0]
  if (!first) return err instanceof Error ? err : new Error(String(err))
  const loc = first.location
  const where = loc ? `${loc.file === '' ? file : resolveShown(file, loc.file)}:${loc.line}:${loc.column + 1}` : file
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more error${messages.length > 2 ? 's' : ''})` : ''
  const excerpt = loc?.lineText ? `\n    ${loc.lineText.trim()}` : ''
  return new UsageError(
    `${where}: ${first.text}${more}${excerpt}`,
    loc ? `fix the code at ${where} (golive loads this file with esbuild, without type-checking)` : `fix ${file}`,
  )
}

/** esbuild names files relative to the working directory; show the user's own spelling for the entry. */
function resolveShown(file: string, reported: string): string {
  return resolve(reported) === resolve(file) ? file : reported
}
