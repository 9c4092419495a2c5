// `golive drill <id> [--dry-run]`: one drill (a destructive check with a plan: backup-restore,
// failover, rate-limit, rolling-restart) run ad hoc, with live progress on stderr and its result
// as JSON on stdout. --dry-run prints the plan (probes, faults, rollbacks, deadlines): the check's
// actions go through the one action runner with dry: true, so nothing is done.

import { resolve } from 'node:path'
import { UsageError } from '../../core/errors.js'
import type { CheckContext } from '../../core/check.js'
import { allowsDrills, consentRefusal } from '../../core/consent.js'
import { CHECKS } from '../../checks/index.js'
import { COMMON, LOAD, parse, str } from '../args.js'
import { context } from '../context.js'
import { trapInterrupt } from '../interrupt.js'
import { measure } from '../measure.js'
import { serverSetup, wantsServer } from '../server-window.js'
import { serverQueries } from '../../checks/server/presets.js'
import { runDirectory } from '../output.js'
import { recoverPending } from '../../checks/drill/recover.js'
import { stagingPort } from '../../staging/port.js'
import { Journal, journalDir } from '../../checks/drill/journal.js'
import { checkVerdict } from '../check-verdict.js'
import { safeJson } from '../../reports/sanitize.js'

/** the drills: every destructive check that declares its plan */
export const DRILLS = CHECKS.filter((c) => c.destructive && c.plan)
  .map((c) => c.id)
  .sort()

export async function drillCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'drill',
    argv,
    { ...COMMON, target: LOAD.target!, ca: LOAD.ca!, 'dry-run': { type: 'boolean' }, 'allow-drills': { type: 'boolean' }, recover: { type: 'boolean' } },
    1,
  )
  const id = positionals[0]
  if (values.recover === true) {
    if (id)
      throw new UsageError(
        `golive drill --recover takes no drill id (got '${id}')`,
        'golive drill --recover [--env NAME] runs the pending rollbacks of that environment, and nothing else',
      )
    return recoverCommand(values)
  }
  if (!id || !DRILLS.includes(id))
    throw new UsageError(id ? `unknown drill '${id}'` : 'golive drill needs the id of a drill', `one of ${DRILLS.join(', ')}; see golive drill --help`)
  const check = CHECKS.find((c) => c.id === id)!
  const ctx = await context(values)
  const env = {
    ...ctx.env,
    ...(typeof values.target === 'string' ? { baseUrl: values.target } : {}),
    ...(typeof values.ca === 'string' ? { ca: resolve(values.ca) } : {}),
    ...(values['allow-drills'] === true ? { allowDrills: true } : {}),
  }
  const configured = ctx.env.checks?.[id]
  const settings = typeof configured === 'object' ? configured : {}
  const err = (l: string) => process.stderr.write(`${l}\n`)

  if (values['dry-run'] === true) {
    const c: CheckContext = {
      env,
      envName: ctx.envName,
      settings,
      signal: new AbortController().signal,
      runDir: '',
      configDir: ctx.loaded.dir,
      log: err,
      stack: stagingPort,
    }
    const out = (l: string) => process.stdout.write(`${l}\n`)
    out(`drill ${id} on environment '${ctx.envName}' (${env.baseUrl}) — dry run: nothing is done`)
    // the refusal the runner would give, word for word
    if (!allowsDrills(env)) out(`  would be refused: ${consentRefusal(ctx.envName, 'a drill')}`)
    for (const { entry, live } of new Journal(journalDir(ctx.loaded.dir, ctx.envName)).entries()) {
      if (!live) out(`  would first run the pending rollback a killed drill left: ${entry.check}/${entry.experiment} (golive drill --recover runs it now)`)
    }
    try {
      for (const line of await check.plan!(c)) out(line)
      const prom = check.serverWindows ? env.server?.prometheus : undefined
      if (prom)
        out(
          `  server:   ${serverQueries(env.server!.presets ?? [], env.server!.queries ?? {})
            .map((q) => q.name)
            .join(', ')} asked of ${prom} over each experiment's fault window (${id}.<experiment>.server.<name>, <name>_mean)`,
        )
    } catch (e) {
      throw new UsageError(`golive drill ${id}: ${(e as Error).message}`, `fix environments.${ctx.envName}.checks.${id} in the config`)
    }
    return 0
  }
  // the server queries a drill asks over its fault windows: a bad PromQL or an unreachable
  // Prometheus is said (exit 2) before any fault
  const server = wantsServer(env, [], [{ check }]) ? await serverSetup(env, ctx.envName, ctx.loaded.file) : null
  const interrupt = trapInterrupt(err)
  const { dir } = runDirectory(str(values.out), ctx.loaded.config.outDir ?? '.golive/runs', ctx.cwd, new Date())
  try {
    const {
      checks: [result],
    } = await measure(
      {
        plans: [],
        target: { origin: '', basePath: '', headers: [] },
        engine: { kind: 'embedded' },
        checks: [{ check, settings }],
        env,
        envName: ctx.envName,
        runDir: dir,
        configDir: ctx.loaded.dir,
        signal: interrupt.signal,
        onProgress: () => {},
        server,
        log: err,
      },
      { scenarios: [], checks: [] },
    )
    process.stdout.write(`${safeJson(result)}\n`)
    if (result) {
      err(`drill ${id}: ${result.status}${result.reason ? ` (${result.reason})` : ''}`)
      for (const [k, f] of Object.entries(result.figures)) err(`  ${`${id}.${k}`.padEnd(48)} ${f.value}${f.unit && f.unit !== 'count' ? ` ${f.unit}` : ''}`)
    }
    if (result?.status === 'error') return 2
    // 1 when a blocker gate on this drill's figures fails, as golive run would judge them
    return result ? checkVerdict(result, ctx.gates, ctx.envName, err) : 0
  } finally {
    interrupt.dispose()
  }
}

/** `golive drill --recover`: only the pending rollbacks of the environment's drill journal.
 *  0 when nothing is pending or every pending rollback succeeded; 1 when one failed. */
async function recoverCommand(values: Parameters<typeof context>[0]): Promise<number> {
  const ctx = await context(values)
  const err = (l: string) => process.stderr.write(`${l}\n`)
  const r = await recoverPending(ctx.loaded.dir, ctx.envName, err, stagingPort)
  if (r.pending === 0)
    err(`golive drill --recover: nothing pending in environment '${ctx.envName}'${r.live.length ? ` (${r.live.length} drill(s) still running elsewhere)` : ''}`)
  else
    err(
      `golive drill --recover: ${r.recovered.length} of ${r.pending} pending rollback(s) done${r.failed.length ? `; ${r.failed.length} failed and stay pending` : ''}`,
    )
  return r.failed.length ? 1 : 0
}
