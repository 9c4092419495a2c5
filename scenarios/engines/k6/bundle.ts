// `golive k6 build`: one plain k6 script from a scenario. esbuild bundles the k6 runtime
// (runtime.ts, with the template and judging code the embedded engine uses), the compiled plan,
// the data rows and the options; `k6 run` accepts the file unchanged.

import { buildSync } from 'esbuild'
import { join } from 'node:path'
import { packageRoot } from '../../../core/package-root.js'
import { VERSION } from '../../../core/version.js'
import type { ScenarioPlan } from '../../compile.js'
import { k6Options, type Thresholds } from './options.js'
import type { K6Plan } from './runtime.js'
import { UsageError } from '../../../core/errors.js'
import { holdsSecret } from '../../../core/redact.js'
import { jsLiteral, SECRET_READER, withoutUserinfo } from './secret-literal.js'
import { bundleForK6, k6Aliases } from './bundle-code.js'
import { teardownAtMs } from './flow.js'

export interface K6Script {
  code: string
  options: Record<string, unknown>
  /** environment variables the script reads its secrets from at run time (${env:NAME} values) */
  secretEnv: string[]
  /** the target's userinfo was left out of the script */
  droppedUserinfo: boolean
}

export function buildK6Script(plan: ScenarioPlan, opts: { file: string; baseUrl: string; thresholds: Thresholds; hosts?: string[] }): K6Script {
  const options = k6Options(plan, opts.thresholds, opts.file)
  const k6plan: K6Plan = {
    name: plan.name,
    steps: plan.steps,
    pacingMs: plan.pacingMs,
    vars: plan.vars,
    cookies: plan.cookies,
    data: plan.data && { mode: plan.data.mode, as: plan.data.as },
    flow: plan.flow,
    teardownAtMs: teardownAtMs(plan, opts.file),
  }
  const runtime = join(packageRoot(), 'scenarios/engines/k6/runtime.ts')
  // the rows sit inside a function: SharedArray calls it once, so VUs do not each hold a copy
  const rows = plan.data ? `function () { return ${JSON.stringify(plan.data.rows)} }` : 'null'
  // secrets are read from __ENV when k6 starts, never written into the file
  const used = new Set<string>()
  const target = withoutUserinfo(opts.baseUrl)
  const planCode = jsLiteral(k6plan, used, `the scenario '${plan.name}'`)
  const defaults = jsLiteral({ baseUrl: target.url, hosts: opts.hosts ?? [] }, used, 'the target URL')
  // (credential-length values only: a short ${env:} value such as 200 may well be in a data row)
  if (holdsSecret(rows, 8) || holdsSecret(JSON.stringify(options), 8)) {
    throw new UsageError(
      `the scenario '${plan.name}': its data rows or thresholds hold a secret of the config`,
      'k6 scripts never carry secrets: keep secrets out of data files and gates',
    )
  }
  // the HTML parser travels only with scenarios that capture from HTML
  const html = plan.steps.some((st) => st.captures.some((c) => c.kind === 'html'))
    ? `import ${JSON.stringify(join(packageRoot(), 'scenarios/html-capture.ts'))}\n`
    : ''
  // TypeScript hooks: the scenario file itself is bundled (with what it imports) and its hooks
  // are found again by each step's place (scenarios/hooks.ts)
  const hookCode = plan.code
    ? `import * as __scenario from ${JSON.stringify(plan.code)}
import { bindHooks, pickScenario } from ${JSON.stringify(join(packageRoot(), 'scenarios/hooks.ts'))}
`
    : ''
  const entry = `${html}${hookCode}import { createJourney } from ${JSON.stringify(runtime)}
${used.size ? SECRET_READER : ''}
const __plan = ${planCode}
const journey = createJourney(__plan, ${rows}, ${defaults}${plan.code ? ', bindHooks(pickScenario(__scenario), __plan.steps)' : ''})
export const options = ${JSON.stringify(options, null, 2)}
// test-wide tags from the environment (a --tag flag would replace the script's tags): the run's
// id, and one value per runner, since runners pushing the same series to Prometheus would
// overwrite each other's samples
const tags = {}
if (__ENV.GOLIVE_TESTID) tags.testid = __ENV.GOLIVE_TESTID
if (__ENV.GOLIVE_RUNNER) tags.runner = __ENV.GOLIVE_RUNNER
if (Object.keys(tags).length) options.tags = tags
export function setup() { return journey.setup() }
export default function (data) { journey.iterate(data) }
export function teardown(data) { journey.teardown(data) }
`
  const out = bundleForK6(plan, () =>
    buildSync({
      stdin: { contents: entry, resolveDir: packageRoot(), sourcefile: `${plan.name}.k6.js`, loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      // k6's JavaScript runtime (Sobek, an interpreter) runs ES2022 syntax (class fields, private
      // members, ??=, object spread), and runs it natively far cheaper than esbuild's lowered
      // helpers: an object spread as __spreadValues cost 17 µs a call inside k6, 2 µs native
      target: 'es2022',
      external: ['k6', 'k6/*'],
      // hooks may import pure-JS npm packages; 'golive' and 'golive/helpers' resolve to k6's own
      mainFields: ['module', 'main'],
      alias: k6Aliases(),
      legalComments: 'none',
      logLevel: 'silent',
      banner: {
        js: `// k6 script for the golive scenario '${plan.name}' (golive ${VERSION}). Generated: edit the scenario, not this file.
// Run: k6 run ${plan.name}.k6.js   (GOLIVE_TARGET=<url> to aim it elsewhere; GOLIVE_HEADERS='{"authorization":"..."}' for secrets)`,
      },
    }),
  )
  const code = out.outputFiles[0]!.text
  return { code, options, secretEnv: [...used].sort(), droppedUserinfo: target.hadUserinfo }
}
