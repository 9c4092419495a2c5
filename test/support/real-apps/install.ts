// Installs the third-party applications of the real-apps tests (Django, Django REST framework,
// waitress: requirements.txt, pinned) from PyPI into a venv cached under .scratch/real-apps/,
// reinstalled only when requirements.txt changes. `.ci/run` calls this file; the tests call
// realAppsPython(), which installs when needed and skips locally (fails under CI) when it cannot.

import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = fileURLToPath(new URL('.', import.meta.url))
const ROOT = join(HERE, '../../..')
export const VENV = process.env.GOLIVE_REAL_APPS_VENV ?? join(ROOT, '.scratch/real-apps/venv')
const REQUIREMENTS = join(HERE, 'requirements.txt')
const STAMP = join(VENV, '.golive-requirements.sha256')

export const SKIP_NO_REAL_APPS =
  'the real-apps venv cannot be installed (python3 with venv and PyPI are needed: node --import tsx test/support/real-apps/install.ts)'

function run(cmd: string, args: string[]): { ok: boolean; out: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 300_000, env: { ...process.env, PIP_DISABLE_PIP_VERSION_CHECK: '1' } })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` }
}

/** The venv's python, installing the pinned requirements first when the venv is missing or stale. */
export function installRealApps(): string {
  const python = join(VENV, 'bin/python')
  const want = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex')
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === want) return python
  rmSync(VENV, { recursive: true, force: true })
  mkdirSync(join(VENV, '..'), { recursive: true })
  const base = ['python3', '/usr/bin/python3'].find((p) => run(p, ['-c', 'import venv, ensurepip']).ok)
  if (!base) throw new Error('no python3 with the venv module (apt-get install python3-venv)')
  let r = run(base, ['-m', 'venv', VENV])
  if (!r.ok) throw new Error(`python3 -m venv ${VENV} failed:\n${r.out}`)
  r = run(python, ['-m', 'pip', 'install', '--quiet', '-r', REQUIREMENTS])
  if (!r.ok) throw new Error(`pip install -r ${REQUIREMENTS} failed:\n${r.out}`)
  writeFileSync(STAMP, `${want}\n`)
  return python
}

/** For tests: the python path, or null (a skip) locally when the install failed; throws under CI. */
export function realAppsPython(): string | null {
  try {
    return installRealApps()
  } catch (e) {
    if (process.env.CI) throw new Error(`the real-apps tests need their venv under CI: ${(e as Error).message}`)
    process.stderr.write(`real-apps: ${(e as Error).message}\n`)
    return null
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = Date.now()
  const python = installRealApps()
  process.stdout.write(`real-apps venv ready: ${python} (${Date.now() - t0} ms)\n`)
}
