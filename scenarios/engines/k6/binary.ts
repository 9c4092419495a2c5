// Which k6 golive runs: K6_BINARY, then the project-local install (scripts/install-go-tools.mjs puts
// it in .tools/bin), then k6 on PATH. Missing k6 is a usage error that says how to get it.

import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'
import { UsageError } from '../../../core/errors.js'
import { packageRoot } from '../../../core/package-root.js'

/** The k6 version scripts/install-go-tools.mjs installs (and CI tests against): tools/k6/go.mod's. */
export const K6_VERSION = 'v1.8.1'

export const K6_INSTALL_HINT =
  `run 'npm run install-k6' (needs Go: it builds go.k6.io/k6@${K6_VERSION} with golive's output from tools/k6 into .tools/bin), ` +
  'or install k6 from https://grafana.com/docs/k6/latest/set-up/install-k6/, or set K6_BINARY to its path'

export function findK6(env: NodeJS.ProcessEnv = process.env): string {
  if (env.K6_BINARY) {
    if (!executable(env.K6_BINARY))
      throw new UsageError(`K6_BINARY=${env.K6_BINARY} is not an executable file`, 'point K6_BINARY at the k6 binary, or unset it')
    return env.K6_BINARY
  }
  const local = join(packageRoot(), '.tools', 'bin', 'k6')
  if (executable(local)) return local
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'k6'))) return join(dir, 'k6')
  }
  throw new UsageError('--engine k6: k6 is not installed', K6_INSTALL_HINT)
}

export interface K6Build {
  /** 'v1.8.1', from `k6 version` ("k6 v1.8.1 (commit/..., go1.26.8, linux/amd64)") */
  version: string
  /** golive's output extension is built in (tools/k6: `--out golive=FILE`); a plain k6 gets `--out json` */
  goliveOutput: boolean
}

/** What `k6 version` says of the binary. */
export function k6Build(binary: string): K6Build {
  try {
    const out = execFileSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000 })
    return { version: /k6 (v[\w.+-]+)/.exec(out)?.[1] ?? out.trim().split('\n')[0]!, goliveOutput: /\bgolive \[output\]/.test(out) }
  } catch (e) {
    throw new UsageError(`${binary} does not run as k6 (${(e as Error).message.split('\n')[0]})`, K6_INSTALL_HINT)
  }
}

export const k6Version = (binary: string): string => k6Build(binary).version

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
