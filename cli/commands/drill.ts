// `golive drill <id> [--dry-run]`: one disaster-recovery drill (backup-restore, failover,
// rolling-restart) run ad hoc, with live progress on stderr and its result as JSON on stdout.
// --dry-run prints the plan (probes, faults, rollbacks, deadlines) and acts on nothing.

import { resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import type { CheckContext } from '../../core/check.js'
import { CHECKS } from '../../checks/index.js'
import { COMMON, LOAD, parse, str } from '../args.js'
import { context } from '../context.js'
import { trapInterrupt } from '../interrupt.js'
import { measure } from '../measure.js'
import { runDirectory } from '../output.js'
import { safeJson } from '../../reports/sanitize.js'

export const DRILLS = ['backup-restore', 'failover', 'rolling-restart']

export async function drillCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('drill', argv, { ...COMMON, target: LOAD.target!, ca: LOAD.ca!, 'dry-run': { type: 'boolean' }, 'allow-drills': { type: 'boolean' } }, 1)
  const id = positionals[0]
  if (!id || !DRILLS.includes(id)) throw new UsageError(id ? `unknown drill '${id}'` : 'golive drill needs the id of a drill', `one of ${DRILLS.join(', ')}; see golive drill --help`)
  const check = CHECKS.find((c) => c.id === id)!
  const ctx = await context(values)
  const env = { ...ctx.env, ...(typeof values.target === 'string' ? { baseUrl: values.target } : {}), ...(typeof values.ca === 'string' ? { ca: resolve(values.ca) } : {}),
    ...(values['allow-drills'] === true ? { allowDrills: true } : {}) }
  const configured = ctx.env.checks?.[id]
  const settings = typeof configured === 'object' ? configured : {}
  const err = (l: string) => process.stderr.write(`${l}\n`)

  if (values['dry-run'] === true) {
    const c: CheckContext = { env, envName: ctx.envName, settings, signal: new AbortController().signal, runDir: '', configDir: ctx.loaded.dir, log: err }
    const out = (l: string) => process.stdout.write(`${l}\n`)
    out(`drill ${id} on environment '${ctx.envName}' (${env.baseUrl}) — dry run: nothing is done`)
    if (!env.allowDrills) out(`  would be refused: environment '${ctx.envName}' does not allow drills (allowDrills: true, or --allow-drills)`)
    try {
      for (const line of await planOf(id, c)) out(line)
    } catch (e) { throw new UsageError(`golive drill ${id}: ${(e as Error).message}`, `fix environments.${ctx.envName}.checks.${id} in the config`) }
    return 0
  }
  const interrupt = trapInterrupt(err)
  const { dir } = runDirectory(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd, new Date())
  try {
    const { checks: [result] } = await measure({
      plans: [], target: { origin: '', basePath: '', headers: [] }, engine: { kind: 'embedded' }, checks: [{ check, settings }],
      env, envName: ctx.envName, runDir: dir, configDir: ctx.loaded.dir, signal: interrupt.signal, onProgress: () => {}, log: err,
    }, { scenarios: [], checks: [] })
    process.stdout.write(`${safeJson(result)}\n`)
    if (result) {
      err(`drill ${id}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`)
      for (const [k, f] of Object.entries(result.figures)) err(`  ${`${id}.${k}`.padEnd(48)} ${f.value}${f.unit && f.unit !== 'count' ? ` ${f.unit}` : ''}`)
    }
    return result?.status === 'error' ? 2 : 0
  } finally {
    interrupt.dispose()
  }
}

async function planOf(id: string, c: CheckContext): Promise<string[]> {
  if (id === 'failover') return (await import('../../checks/failover.js')).failoverPlan(c)
  if (id === 'rolling-restart') return (await import('../../checks/rolling-restart.js')).rollingRestartPlan(c)
  return (await import('../../checks/backup-restore.js')).backupRestorePlan(c)
}
