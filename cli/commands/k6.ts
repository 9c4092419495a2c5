// `golive k6 build <scenario>`: the scenario as one plain k6 script.
// `golive k6 operator <scenario> --parallelism N`: that script as k6-operator manifests.

import { thresholdFlow } from '../../scenarios/compile-flow.js'
import { dirname, resolve } from 'node:path'
import { ensureDir, writeFileAtomic } from '../output.js'
import { UsageError } from '../../core/errors.js'
import { compileScenario } from '../../scenarios/compile.js'
import { findScenario } from '../../scenarios/registry.js'
import { assertRunsOnK6, buildK6Script } from '../../scenarios/engines/k6/index.js'
import { operatorManifests, operatorSecretName } from '../../scenarios/engines/k6/operator.js'
import { withoutUserinfo } from '../../scenarios/engines/k6/secret-literal.js'
import { holdsSecret } from '../../core/redact.js'
import { k6Thresholds } from '../../gates/k6-thresholds.js'
import { parse, positiveInt, str } from '../args.js'
import { context } from '../context.js'

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
  out: { type: 'string', short: 'o' },
  target: { type: 'string', short: 't' },
  vus: { type: 'string', short: 'u' },
  duration: { type: 'string', short: 'd' },
  iterations: { type: 'string' },
  parallelism: { type: 'string' },
  namespace: { type: 'string' },
  testid: { type: 'string' },
  'prometheus-rw': { type: 'string' },
  image: { type: 'string' },
  cpu: { type: 'string' },
  memory: { type: 'string' },
  'secret-env': { type: 'string' },
} as const

export async function k6Command(argv: string[]): Promise<number> {
  const { values, positionals } = parse('k6', argv, OPTIONS, 2)
  const [sub, name] = positionals
  if (sub !== 'build' && sub !== 'operator') {
    throw new UsageError(
      sub ? `golive k6 ${sub}: no such subcommand` : 'golive k6 needs a subcommand',
      'golive k6 build <scenario> [--out FILE], or golive k6 operator <scenario> --parallelism N',
    )
  }
  if (!name) throw new UsageError(`golive k6 ${sub} needs a scenario`, `golive k6 ${sub} load (or smoke, stress, spike, soak, or a scenario file)`)
  const ctx = await context(values)
  const src = await findScenario(name, ctx.loaded.dir)
  const plan = compileScenario(src.scenario, {
    file: src.file,
    vus: positiveInt('vus', values.vus),
    duration: str(values.duration),
    iterations: positiveInt('iterations', values.iterations),
    vars: ctx.env.vars,
  })
  assertRunsOnK6(src.scenario, plan, src.file)
  const target = str(values.target) ?? (ctx.env.baseUrl === 'demo' ? '' : ctx.env.baseUrl)
  if (target) {
    try {
      new URL(target)
    } catch {
      throw new UsageError(`--target ${target} is not a URL`, 'write it like http://127.0.0.1:8080')
    }
  }
  const { thresholds, notExpressed } = k6Thresholds(
    ctx.gates,
    plan.name,
    plan.steps.map((s) => s.name),
    thresholdFlow(plan),
  )
  const script = buildK6Script(plan, { file: src.file, baseUrl: target, thresholds, hosts: ctx.env.hosts })
  for (const n of notExpressed) process.stderr.write(`note: gate '${n.gate}' is not a k6 threshold (${n.why}); golive still judges it\n`)
  if (script.droppedUserinfo)
    process.stderr.write(
      'note: the target\'s user:password is not written into the script; give k6 GOLIVE_TARGET with it, or GOLIVE_HEADERS=\'{"authorization":"Basic ..."}\'\n',
    )
  if (script.secretEnv.length)
    process.stderr.write(
      `note: the script reads ${script.secretEnv.join(', ')} from the environment when k6 starts (k6 run ${script.secretEnv.map((n) => `-e ${n}=...`).join(' ')}); their values are not in the file\n`,
    )

  if (sub === 'build') {
    const out = resolve(str(values.out) ?? `${plan.name}.k6.js`)
    ensureDir(dirname(out), '--out')
    writeFileAtomic(out, script.code)
    process.stderr.write(
      `wrote ${out} (${Math.round(script.code.length / 1024)} KiB): k6 run ${out}${target ? '' : '   (no target in the config: add -e GOLIVE_TARGET=http://...)'}\n`,
    )
    return 0
  }

  const parallelism = positiveInt('parallelism', values.parallelism)
  if (!parallelism) throw new UsageError('golive k6 operator needs --parallelism N', 'the number of k6 runner pods, e.g. --parallelism 4')
  if (!target)
    throw new UsageError(
      'golive k6 operator needs the target as the runner pods reach it',
      "pass --target http://app.staging.svc:8080, or set the environment's baseUrl",
    )
  const testId = str(values.testid) ?? `${plan.name}-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(testId)) throw new UsageError(`--testid ${testId}: not a usable id`, 'use lower-case letters, digits and -')
  // the runners' secrets: the script's ${env:} values, the environment's headers and auth (as
  // GOLIVE_HEADERS), a target that holds one; read from a Secret by key, never written here
  const bare = withoutUserinfo(target)
  const secretKeys = [
    ...script.secretEnv,
    ...(Object.keys(ctx.env.headers ?? {}).length || ctx.env.auth || bare.hadUserinfo ? ['GOLIVE_HEADERS'] : []),
    ...(holdsSecret(bare.url) ? ['GOLIVE_TARGET'] : []),
  ]
  const m = operatorManifests({
    scenario: plan.name,
    script: script.code,
    parallelism,
    namespace: str(values.namespace) ?? 'default',
    testId,
    target: bare.url,
    secretKeys,
    prometheusRw: str(values['prometheus-rw']) ?? 'http://prometheus-operated.monitoring.svc:9090/api/v1/write',
    image: str(values.image),
    cpu: str(values.cpu),
    memory: str(values.memory),
    secretEnv: str(values['secret-env']),
  })
  const out = resolve(str(values.out) ?? `${plan.name}.testrun.yaml`)
  ensureDir(dirname(out), '--out')
  writeFileAtomic(out, m.yaml)
  if (secretKeys.length && !str(values['secret-env'])) {
    const name = operatorSecretName({ testId })
    process.stderr.write(
      `note: the runners read ${secretKeys.join(', ')} from the Secret ${name}; create it first: kubectl create secret generic ${name} ${secretKeys.map((k) => `--from-literal=${k}=...`).join(' ')}\n`,
    )
  }
  process.stderr.write(
    `wrote ${out}: kubectl apply -f ${out}\nthen, after the run: golive gate --prometheus <prometheus url> --testid ${testId} --scenario ${plan.name}\n`,
  )
  return 0
}
