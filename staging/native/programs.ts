// The programs the native form runs, where Debian puts them, and which package provides each: a
// missing one is named with the apt-get command that installs it.

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from '../../core/errors.js'

export interface Programs {
  postgres: string
  initdb: string
  pgBasebackup: string
  pgCtl: string
  psql: string
  pgDump: string
  redis: string
  haproxy: string
  prometheus: string
  alertmanager: string
  postgresExporter: string
  nodeExporter: string
  openssl: string
}

export const DEBIAN_PACKAGES = [
  'postgresql-15',
  'redis-server',
  'haproxy',
  'prometheus',
  'prometheus-alertmanager',
  'prometheus-postgres-exporter',
  'prometheus-node-exporter',
  'openssl',
]

export const APT_INSTALL = `apt-get update && apt-get install -y --no-install-recommends ${DEBIAN_PACKAGES.join(' ')}`

const SYSTEM_DIRS = () => [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin', '/sbin']

function onPath(name: string, extraDirs: string[] = [], searchDirs = SYSTEM_DIRS()): string | undefined {
  const dirs = [...extraDirs, ...searchDirs]
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name)
  return undefined
}

/** One program alone (e.g. openssl for `golive staging certs`). */
export function requireProgram(name: string, pkg: string): string {
  const found = onPath(name)
  if (!found) throw new UsageError(`${name} is not installed`, `as root: apt-get update && apt-get install -y --no-install-recommends ${pkg}`)
  return found
}

/** PostgreSQL's server programs are not on PATH on Debian: /usr/lib/postgresql/<major>/bin, newest first. */
function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql'
  if (!existsSync(root)) return []
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
}

/**
 * Every program, or a UsageError naming the missing packages and the command that installs them.
 * `searchDirs` replaces the usual places (PATH, /usr/sbin, /usr/lib/postgresql/N/bin).
 */
export function findPrograms(searchDirs?: string[]): Programs {
  const pg = searchDirs ? [] : postgresBinDirs()
  const missing = new Set<string>()
  const need = (name: string, pkg: string, dirs: string[] = []) => {
    const found = onPath(name, dirs, searchDirs)
    if (!found) missing.add(pkg)
    return found ?? name
  }
  const p: Programs = {
    postgres: need('postgres', 'postgresql-15', pg),
    initdb: need('initdb', 'postgresql-15', pg),
    pgBasebackup: need('pg_basebackup', 'postgresql-15', pg),
    pgCtl: need('pg_ctl', 'postgresql-15', pg),
    psql: need('psql', 'postgresql-15', pg),
    pgDump: need('pg_dump', 'postgresql-15', pg),
    redis: need('redis-server', 'redis-server'),
    haproxy: need('haproxy', 'haproxy'),
    prometheus: need('prometheus', 'prometheus'),
    alertmanager: need('prometheus-alertmanager', 'prometheus-alertmanager'),
    postgresExporter: need('prometheus-postgres-exporter', 'prometheus-postgres-exporter'),
    nodeExporter: need('prometheus-node-exporter', 'prometheus-node-exporter'),
    openssl: need('openssl', 'openssl'),
  }
  if (missing.size) {
    const pkgs = [...missing].join(' ')
    throw new UsageError(
      `the staging stack needs the Debian package${missing.size > 1 ? 's' : ''} ${pkgs}, which ${missing.size > 1 ? 'are' : 'is'} not installed`,
      `as root: apt-get update && apt-get install -y --no-install-recommends ${pkgs}`,
    )
  }
  return p
}

/** Which packages are missing, without throwing (tests skip, or fail under CI, with the names). */
export function missingPackages(): string[] {
  try {
    findPrograms()
    return []
  } catch (e) {
    const m = /packages? (.+?), which/.exec((e as Error).message)
    return m ? m[1]!.split(' ') : ['(unknown)']
  }
}
