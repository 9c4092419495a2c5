import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { Journal, journalDir } from '../../checks/drill/journal.js'
import { recoverPending } from '../../checks/drill/recover.js'
import { parseActions as parseWith } from '../../checks/actions/parse.js'

const parseActions = (raw: unknown, where: string) => parseWith(raw, where, { bareShell: true })
import { readDrillSettings } from '../../checks/drill/settings.js'

const tmp = () => mkdtempSync(join(tmpdir(), 'golive-journal-'))

describe('drill journal', () => {
  it('an entry left by a dead process is rolled back by the next command, then removed; a failing rollback stays', async () => {
    const dir = tmp()
    try {
      const marker = join(dir, 'rolled-back')
      const j = new Journal(journalDir(dir, 'staging'))
      const ok = j.add({
        check: 'failover',
        experiment: 'app-down',
        env: 'staging',
        fault: ['systemctl stop app'],
        rollback: parseActions([`touch ${marker}`], 'x'),
        runner: 'drill',
      })
      const bad = j.add({
        check: 'failover',
        experiment: 'db-down',
        env: 'staging',
        fault: ['stop db'],
        rollback: parseActions(['exit 4'], 'x'),
        runner: 'drill',
      })
      // as if written by a process that is gone (a SIGKILLed golive)
      const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
      for (const id of [ok, bad]) {
        const f = join(j.dir, `${id}.json`)
        writeFileSync(f, JSON.stringify({ ...JSON.parse(readFileSync(f, 'utf8')), pid: Number(dead.stdout.trim()) }))
      }
      const lines: string[] = []
      const r = await recoverPending(dir, 'staging', (l) => lines.push(l))
      assert.equal(r.pending, 2)
      assert.equal(r.recovered.length, 1)
      assert.equal(r.failed.length, 1)
      assert.ok(existsSync(marker), 'the rollback ran')
      assert.match(lines[0]!, /running the pending rollback of failover\/app-down .*touch/)
      assert.ok(
        lines.some((l) => /ROLLBACK FAILED for failover\/db-down: exit 4: 'exit 4' exited 4/.test(l)),
        lines.join('\n'),
      )
      assert.deepEqual(readdirSync(j.dir), [`${bad}.json`], 'only the failed rollback stays pending')
      assert.equal((await recoverPending(dir, 'other-env', () => {})).pending, 0, 'one journal per environment')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('an entry of a golive process that still runs is left to it', async () => {
    const dir = tmp()
    try {
      const j = new Journal(journalDir(dir, 'e'))
      const id = j.add({ check: 'alerts', experiment: 'X', env: 'e', fault: ['f'], rollback: [], runner: 'alerts' })
      const f = join(j.dir, `${id}.json`)
      // our parent: alive, with its own start time
      const e = JSON.parse(readFileSync(f, 'utf8'))
      const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8')
      writeFileSync(f, JSON.stringify({ ...e, pid: process.ppid, pidStart: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] }))
      const r = await recoverPending(dir, 'e', () => {})
      assert.equal(r.pending, 0)
      assert.equal(r.live.length, 1)
      assert.ok(existsSync(f))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('drill settings outside the reference stack', () => {
  it('refuses without the probe settings, naming each; unknown settings get a did-you-mean', () => {
    assert.throws(
      () => readDrillSettings({}, 'failover', { deadlineSeconds: 120 }, { reference: false, envName: 'prod-like', missing: ['experiments'] }),
      new RegExp(
        /environment 'prod-like' is not golive's reference staging stack, so the failover drill needs checks\.failover\.readPath, /.source +
          /checks\.failover\.writeLoginPath, .*checks\.failover\.writeVerifyPath \(or checks\.failover\.write: false.*checks\.failover\.experiments/.source,
      ),
    )
    assert.throws(
      () => readDrillSettings({ readPth: '/' }, 'failover', { deadlineSeconds: 120 }),
      /checks\.failover\.readPth: unknown setting \(did you mean readPath\?\)/,
    )
    const s = readDrillSettings({ readPath: '/healthz', write: false }, 'failover', { deadlineSeconds: 120 }, { reference: false, envName: 'x' })
    assert.equal(s.probes.readPath, '/healthz')
    assert.equal(s.probes.write, false)
  })
})
