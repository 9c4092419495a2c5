// `golive init [--target URL] [--prometheus URL] [--yes]`: a first golive.config.ts and scenario
// for your own system, from a read-only probe of it. Never overwrites a file; asks only on a
// TTY without --yes (and then only for the URL when none was given).

import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { CONFIG_FILE_NAMES } from '../../core/load-config.js'
import { UsageError } from '../../core/errors.js'
import { parse, str } from '../args.js'
import { probeTarget } from './init-probe.js'
import { renderConfig, renderScenario } from './init-render.js'

const SCENARIO_FILE = 'scenarios/first.ts'

export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parse('init', argv, {
    target: { type: 'string', short: 't' },
    prometheus: { type: 'string' },
    ca: { type: 'string' },
    env: { type: 'string', short: 'e' },
    yes: { type: 'boolean', short: 'y' },
  })
  const cwd = process.cwd()
  // refuse before probing anything: nothing is written when one file is in the way
  const existing = [...CONFIG_FILE_NAMES, SCENARIO_FILE].find((f) => existsSync(join(cwd, f)))
  if (existing) throw new UsageError(`golive init: ${existing} already exists; init never overwrites a file`, `move it aside, or edit it instead`)
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true && values.yes !== true
  let target = str(values.target)
  if (!target && interactive) target = await ask('The base URL of your staging system (e.g. https://staging.example.com): ')
  if (!target) throw new UsageError('golive init: which system? give --target URL', 'e.g. golive init --target https://staging.example.com --yes')
  const baseUrl = checkedUrl(target, '--target')
  const prometheus = str(values.prometheus) ? checkedUrl(str(values.prometheus)!, '--prometheus') : undefined
  const envName = str(values.env) ?? 'staging'
  if (!/^[A-Za-z][\w-]*$/.test(envName)) throw new UsageError(`--env ${envName}: expected a name of letters, digits, - and _`, 'e.g. --env staging')

  const caFile = str(values.ca)
  let ca: string | undefined
  if (caFile) {
    try {
      ca = readFileSync(resolve(cwd, caFile), 'utf8')
    } catch (e) {
      throw new UsageError(
        `--ca ${caFile}: ${(e as NodeJS.ErrnoException).code ?? 'cannot read it'}`,
        "give the PEM file of the CA that signed the target's certificate",
      )
    }
  }
  process.stderr.write(`probing ${baseUrl} (read-only GET requests) …\n`)
  const probe = await probeTarget(baseUrl, ca)
  // the config names the CA relative to itself, as config paths are
  const answers = { probe, prometheus, envName, scenarioFile: SCENARIO_FILE, ...(caFile ? { ca: relative(cwd, resolve(cwd, caFile)) } : {}) }
  const configFile = 'golive.config.ts'
  mkdirSync(join(cwd, 'scenarios'), { recursive: true })
  // 'wx': fails instead of overwriting, should a file appear between the check and the write
  writeFileSync(join(cwd, SCENARIO_FILE), renderScenario(answers), { flag: 'wx' })
  writeFileSync(join(cwd, configFile), renderConfig(answers), { flag: 'wx' })
  const ignored = ignoreRuns(cwd)

  const out = process.stdout
  out.write(`${probe.reachable ? 'found' : 'could not reach the target'}: ${summary(probe)}\n`)
  out.write(`wrote ${configFile}, ${SCENARIO_FILE}${ignored ? `, ${relative(cwd, ignored)} (.golive/)` : ''}\n\n`)
  out.write('Next:\n')
  out.write(`  golive loadtest --vus 2 --duration 10s   # a first, gentle run of ${SCENARIO_FILE}\n`)
  out.write('  golive run                               # the load and every check in the config\n')
  out.write('  golive report --from .golive/runs/latest/results.json --verbose   # every row in full\n')
  return 0
}

function summary(p: Awaited<ReturnType<typeof probeTarget>>): string {
  if (!p.reachable) return p.error ?? 'no response'
  const parts = [p.https ? (p.hsts ? 'https with HSTS' : 'https without HSTS') : 'plain http']
  if (p.health.length) parts.push(`health ${p.health.join(', ')}`)
  if (p.metrics) parts.push('/metrics')
  if (p.openapi) parts.push(`OpenAPI at ${p.openapi.path} (${p.openapi.gets.length} GET operations used)`)
  if (p.loginForm) parts.push(`login form at ${p.loginForm}`)
  if (!p.openapi && p.pages.length) parts.push(`${p.pages.length} linked pages`)
  return parts.join(', ')
}

function checkedUrl(text: string, flag: string): string {
  let u: URL
  try {
    u = new URL(text)
  } catch {
    throw new UsageError(`${flag} ${text}: not a URL`, `write it whole, e.g. ${flag} https://staging.example.com`)
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`${flag} ${text}: only http and https`, `e.g. ${flag} https://staging.example.com`)
  if (u.username || u.password)
    throw new UsageError(
      `${flag}: credentials in the URL would be written into the config`,
      'leave them out; the config has an auth section that reads an environment variable',
    )
  return u.href.replace(/\/$/, '')
}

/** Adds .golive/ (the runs) to .gitignore unless it is there; returns the file when it wrote. */
function ignoreRuns(cwd: string): string | null {
  const file = join(cwd, '.gitignore')
  const text = existsSync(file) ? readFileSync(file, 'utf8') : ''
  if (/^\/?\.golive\/?\s*$/m.test(text)) return null
  appendFileSync(file, `${text && !text.endsWith('\n') ? '\n' : ''}# golive runs (results, reports)\n.golive/\n`)
  return file
}

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  try {
    return (await rl.question(question)).trim()
  } finally {
    rl.close()
  }
}
