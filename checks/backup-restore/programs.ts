// PostgreSQL's client and server programs: on Debian the server ones live in
// /usr/lib/postgresql/<major>/bin (newest first), not on PATH.

import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export type PgProgram = 'pg_dump' | 'pg_restore' | 'psql' | 'initdb' | 'postgres'

export function pgProgram(name: PgProgram): string {
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const dirs = [...versions.map((v) => join(root, v, 'bin')), ...(process.env.PATH ?? '').split(':'), '/usr/bin']
  for (const d of dirs) if (d && existsSync(join(d, name))) return join(d, name)
  throw new Error(
    `${name} is not installed: the backup-restore check needs PostgreSQL's programs (apt-get install -y --no-install-recommends postgresql-15), or a backupCommand and restoreCommand of your own`,
  )
}
