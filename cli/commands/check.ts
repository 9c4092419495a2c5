// `golive check <id>`: one check alone, printed (or as JSON with --format json).

import { UsageError } from '../../core/errors.js'
import { CHECKS } from '../../checks/index.js'
import { resolve } from 'node:path'
import { COMMON, LOAD, parse, positiveInt, str } from '../args.js'
import { context } from '../context.js'
import { trapInterrupt } from '../interrupt.js'
import { measure } from '../measure.js'
import { serverSetup, wantsServer } from '../server-window.js'
import { runDirectory } from '../output.js'
import { checkVerdict } from '../check-verdict.js'
import { safeJson, singleLine } from '../../reports/sanitize.js'

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    'check',
    argv,
    { ...COMMON, target: LOAD.target!, ca: LOAD.ca!, 'http-port': { type: 'string' }, 'allow-drills': { type: 'boolean' } },
    1,
  )
  const id = positionals[0]
  const check = CHECKS.find((c) => c.id === id)
  if (!check) {
    throw new UsageError(
      id ? `unknown check '${id}'` : 'golive check needs the id of a check',
      `known checks: ${CHECKS.map((c) => c.id).join(', ') || 'none yet (they arrive with the checks issues)'}`,
    )
  }
  const ctx = await context(values)
  const env = {
    ...ctx.env,
    ...(typeof values.target === 'string' ? { baseUrl: values.target } : {}),
    ...(typeof values.ca === 'string' ? { ca: resolve(values.ca) } : {}),
    // a drill run by hand: consent on the command line for this one check (rate-limit still
    // refuses hosts that are neither loopback nor in its allowedHosts)
    ...(values['allow-drills'] === true ? { allowDrills: true } : {}),
  }
  const configured = ctx.env.checks?.[check.id]
  if (values['http-port'] !== undefined && !check.settings?.properties.httpPort) {
    throw new UsageError(`--http-port is a setting of the headers check, not of ${check.id}`, `leave --http-port out, or run golive check headers`)
  }
  // command-line settings over the environment's: --http-port for the headers check's redirect probe
  const settings = {
    ...(typeof configured === 'object' ? configured : {}),
    ...(values['http-port'] !== undefined ? { httpPort: positiveInt('http-port', values['http-port']) } : {}),
  }
  // the server queries a drill asks over its fault windows: a bad PromQL or an unreachable
  // Prometheus is said (exit 2) before any fault
  const server = wantsServer(env, [], [{ check }]) ? await serverSetup(env, ctx.envName, ctx.loaded.file) : null
  const interrupt = trapInterrupt((l) => process.stderr.write(`${l}\n`))
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
        log: (l) => process.stderr.write(`${l}\n`),
      },
      { scenarios: [], checks: [] },
    )
    process.stdout.write(`${safeJson(result)}\n`)
    // one line for the person at the terminal; the JSON above carries the same reason
    if (result?.status === 'error') process.stderr.write(`golive: check ${check.id} could not measure: ${singleLine(result.reason ?? 'no reason given')}\n`)
    if (result?.status === 'skipped') process.stderr.write(`golive: check ${check.id} skipped: ${singleLine(result.reason ?? 'no reason given')}\n`)
    if (result?.status === 'error') return 2
    // 1 when a blocker gate on this check's figures fails, as golive run would judge them
    return result ? checkVerdict(result, ctx.gates, ctx.envName, (l) => process.stderr.write(`${l}\n`)) : 0
  } finally {
    interrupt.dispose()
  }
}
