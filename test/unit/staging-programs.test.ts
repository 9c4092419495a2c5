// A missing Debian package is named, with the command that installs it.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UsageError } from '../../core/errors.js'
import { DEBIAN_PACKAGES, findPrograms } from '../../staging/native/programs.js'

test('no programs at all: every package is named, with apt-get install', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-programs-'))
  try {
    assert.throws(
      () => findPrograms([dir]),
      (e: unknown) => {
        assert.ok(e instanceof UsageError)
        for (const p of DEBIAN_PACKAGES) assert.match(e.message, new RegExp(`\\b${p}\\b`))
        assert.match(e.hint ?? '', /apt-get install -y --no-install-recommends/)
        return true
      },
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('only haproxy missing: only haproxy is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'golive-programs-'))
  try {
    for (const name of [
      'postgres',
      'initdb',
      'pg_basebackup',
      'pg_ctl',
      'psql',
      'pg_dump',
      'redis-server',
      'prometheus',
      'prometheus-alertmanager',
      'prometheus-postgres-exporter',
      'prometheus-node-exporter',
      'openssl',
    ]) {
      writeFileSync(join(dir, name), '#!/bin/sh\n')
      chmodSync(join(dir, name), 0o755)
    }
    assert.throws(() => findPrograms([dir]), /needs the Debian package haproxy, which is not installed/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
