// golive staging up|down|status|fault <name>|heal: the reference staging stack, natively on
// loopback (see staging/ and docker-compose.staging.yml).

import { UsageError, EXIT } from '../../core/errors.js'
import { parse, positiveInt, str } from '../args.js'
import { DEFAULT_BASE_PORT } from '../../staging/components.js'
import { defaultSettings, type StackSettings } from '../../staging/render.js'
import { stackPaths } from '../../staging/native/paths.js'
import { readState } from '../../staging/native/state.js'
import { stackUrls } from '../../staging/native/urls.js'

const OPTIONS = {
  'base-port': { type: 'string' as const },
  'state-dir': { type: 'string' as const },
  'seed-orders': { type: 'string' as const },
  'webhook-port': { type: 'string' as const },
  'login-rate-limit': { type: 'string' as const },
  format: { type: 'string' as const, short: 'f' },
  help: { type: 'boolean' as const, short: 'h' },
}
const SUBCOMMANDS = ['up', 'down', 'status', 'fault', 'heal', 'certs']

export async function stagingCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse('staging', argv, OPTIONS, 2)
  const [sub, arg] = positionals
  if (!sub || !SUBCOMMANDS.includes(sub))
    throw new UsageError(
      sub ? `golive staging: unknown subcommand '${sub}'` : 'golive staging: which one?',
      `one of ${SUBCOMMANDS.join(', ')}; see golive staging --help`,
    )
  if (arg !== undefined && sub !== 'fault') throw new UsageError(`golive staging ${sub}: unexpected argument '${arg}'`, 'see golive staging --help')
  const paths = stackPaths(str(values['state-dir']))
  const out = (line: string) => process.stdout.write(`${line}\n`)
  const note = (line: string) => process.stderr.write(`${line}\n`)

  if (sub === 'up') {
    const settings = settingsFrom(values)
    const { up } = await import('../../staging/native/up.js')
    const ac = new AbortController()
    const onSignal = () => {
      note('\ninterrupted: stopping what was started')
      ac.abort()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    try {
      const r = await up(paths, settings, note, ac.signal)
      out(r.alreadyUp ? 'staging stack is already up' : `staging stack ready in ${r.seconds.toFixed(1)} s`)
      for (const [what, url] of stackUrls(r.state.settings, paths)) out(`  ${what.padEnd(20)} ${url}`)
      out(`  state, logs          ${paths.root}`)
      return EXIT.go
    } finally {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
  if (sub === 'certs') {
    // the compose form mounts these; the native form makes them itself on up
    const [{ ensureCertificates }, { requireProgram }] = await Promise.all([import('../../staging/native/tls.js'), import('../../staging/native/programs.js')])
    ensureCertificates(paths, requireProgram('openssl', 'openssl'))
    out(`CA ${paths.caCert}\nedge certificate and key ${paths.edgePem}`)
    return EXIT.go
  }
  if (sub === 'down') {
    const { stopAll } = await import('../../staging/native/down.js')
    const r = await stopAll(paths, note)
    if (!r.wasRunning) {
      out('staging stack is not running (no state in ' + paths.root + ')')
      return EXIT.go
    }
    if (r.portsStillTaken.length)
      throw new UsageError(
        `stopped ${r.stopped.length} processes, but ports ${r.portsStillTaken.join(', ')} are still in use`,
        'something else listens there: ss -ltnp',
      )
    out(`staging stack stopped (${r.stopped.length} processes), every port free`)
    return EXIT.go
  }
  const state = readState(paths)
  if (!state) throw new UsageError(`no staging stack in ${paths.root}`, 'start it: golive staging up')
  if (sub === 'status') {
    const { stackHealthy } = await import('../../staging/native/up.js')
    const health = await stackHealthy(state, paths)
    if (values.format === 'json')
      out(
        JSON.stringify(
          {
            settings: state.settings,
            replicaPromoted: !!state.replicaPromoted,
            components: health.map((h) => ({ ...h, pid: state.processes[h.name]?.pid, log: state.processes[h.name]?.log })),
          },
          null,
          2,
        ),
      )
    else {
      for (const h of health)
        out(
          `  ${h.problem === null ? 'healthy  ' : 'UNHEALTHY'} ${h.name.padEnd(26)} pid ${String(state.processes[h.name]?.pid ?? '-').padEnd(8)} ${h.problem ?? ''}`,
        )
      if (state.replicaPromoted) out('  (the replica was promoted: golive staging heal rebuilds the topology)')
    }
    return health.every((h) => h.problem === null) ? EXIT.go : EXIT.noGo
  }
  const faults = await import('../../staging/native/faults.js')
  if (sub === 'heal') {
    for (const line of await faults.heal(paths, state)) out(line)
    return EXIT.go
  }
  if (!arg || !(arg in faults.FAULTS))
    throw new UsageError(arg ? `unknown fault '${arg}'` : 'golive staging fault: which fault?', `one of ${Object.keys(faults.FAULTS).join(', ')}`)
  out(await faults.FAULTS[arg as keyof typeof faults.FAULTS](paths, state))
  return EXIT.go
}

function settingsFrom(values: Record<string, unknown>): StackSettings {
  const base = positiveInt('base-port', values['base-port'] ?? process.env.GOLIVE_STAGING_BASE_PORT) ?? DEFAULT_BASE_PORT
  if (base < 1024 || base > 65_000) throw new UsageError(`--base-port ${base}: expected 1024..65000`, 'the stack uses ports base+0 .. base+60')
  const s = defaultSettings(base)
  const webhook = positiveInt('webhook-port', values['webhook-port'])
  if (webhook) s.webhookUrl = `http://127.0.0.1:${webhook}/alerts`
  s.seedOrders = positiveInt('seed-orders', values['seed-orders'] ?? process.env.GOLIVE_STAGING_SEED_ORDERS) ?? s.seedOrders
  s.loginRateLimit = positiveInt('login-rate-limit', values['login-rate-limit']) ?? s.loginRateLimit
  return s
}
