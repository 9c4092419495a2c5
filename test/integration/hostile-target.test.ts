// A hostile target on loopback (127.0.0.1, with a second host on 127.0.0.2): it echoes the
// bearer token and the API key back in bodies a failing check quotes and in response headers
// the headers check records, redirects the headers check from https down to http and on to
// another host, and stores escape sequences in a run. Every file and terminal line golive
// writes is grepped for each secret; the second host's log says whether a credential got there.

import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createServer as createHttp, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttps } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { golive, type CliResult } from '../support/cli.js'
import { findK6 } from '../../scenarios/engines/k6/index.js'
import { pageLoad } from '../../checks/page-load.js'
import { selfSignedLoopback } from '../support/self-signed.js'
import { chromiumPath, SKIP_NO_CHROMIUM } from '../support/chromium.js'

const TOKEN = `tok-${randomBytes(12).toString('hex')}`
const KEY = `key-${randomBytes(12).toString('hex')}`
const PASS = `pw-${randomBytes(12).toString('hex')}`
const SECRETS = [TOKEN, KEY, PASS, Buffer.from(`robot:${PASS}`).toString('base64')]
const ENV = { HOSTILE_TOKEN: TOKEN, HOSTILE_KEY: KEY, HOSTILE_PASS: PASS }

interface Seen {
  host: string
  url: string
  headers: IncomingMessage['headers']
}
const seen: Seen[] = []
const servers: Server[] = []
let dir = ''
let httpsPort = 0,
  httpPort = 0,
  otherPort = 0

const listen = (s: Server, host: string) => new Promise<number>((ok) => s.listen(0, host, () => ok((s.address() as { port: number }).port)))
const record = (host: string) => (req: IncomingMessage) => seen.push({ host, url: req.url ?? '', headers: req.headers })
const carriesCredential = (s: Seen) => JSON.stringify(s.headers).includes(TOKEN) || JSON.stringify(s.headers).includes(KEY)

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'golive-hostile-'))
  const { key, cert } = selfSignedLoopback(dir, ['ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'])
  const tls = { key, cert }

  // 127.0.0.1 https: echoes whatever credentials arrive, in headers and in a JSON body
  const main = createHttps(tls, (req: IncomingMessage, res: ServerResponse) => {
    record('127.0.0.1 https')(req)
    const echo = `${req.headers.authorization ?? ''} ${req.headers['x-api-key'] ?? ''}`
    if (req.url === '/hop') {
      res.writeHead(302, { location: `http://127.0.0.1:${httpPort}/down` }).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json', server: `echo ${echo}`, 'x-echo': echo, 'x-evil': 'a\u0085\u009b2Jb' })
    res.end(JSON.stringify({ status: `you sent ${echo}`, error: `unauthorised: ${echo}` }))
  })
  httpsPort = await listen(main, '127.0.0.1')
  // 127.0.0.1 plain http: the headers check's http probe, and the downgrade hop
  const plain = createHttp((req, res) => {
    record('127.0.0.1 http')(req)
    if (req.url === '/down') {
      res.writeHead(302, { location: `http://127.0.0.2:${otherPort}/stolen` }).end()
      return
    }
    res.writeHead(301, { location: `https://127.0.0.1:${httpsPort}/` }).end()
  })
  httpPort = await listen(plain, '127.0.0.1')
  // 127.0.0.2: a host the environment does not list
  const other = createHttp((req, res) => {
    record('127.0.0.2')(req)
    res.end('stolen')
  })
  otherPort = await listen(other, '127.0.0.2')
  servers.push(main, plain, other)

  writeFileSync(
    join(dir, 'hostile.ts'),
    `export default {
  name: 'hostile',
  profile: { model: 'closed', vus: 1, duration: '2s' },
  steps: [{ name: 'echo', path: '/api/echo', headers: { 'x-trace': 'Bearer {{secret}}' }, check: { json: { '$.status': 'fine' } } }],
}
`,
  )
  const env = (extra: string) => `
    baseUrl: https://127.0.0.1:${httpsPort}
    ca: ca.pem
    auth: { type: bearer, token: '\${env:HOSTILE_TOKEN}' }
    headers: { x-api-key: '\${env:HOSTILE_KEY}' }
    vars: { secret: '\${env:HOSTILE_TOKEN}' }
    checks: { headers: { httpPort: ${httpPort} } }
${extra}`
  writeFileSync(
    join(dir, 'golive.config.yaml'),
    `defaultEnv: hostile
outDir: runs
gates:
  rules: ['load.hostile.error_rate < 1%']
environments:
  hostile:${env('    scenarios: [./hostile.ts]')}
  hop:${env('').replace(`https://127.0.0.1:${httpsPort}`, `https://127.0.0.1:${httpsPort}/hop`)}
  listed:${env(`    hosts: ['http://127.0.0.2:${otherPort}']`).replace(`https://127.0.0.1:${httpsPort}`, `https://127.0.0.1:${httpsPort}/hop`)}
  k6:
    baseUrl: 'http://robot:\${env:HOSTILE_PASS}@127.0.0.1:${httpPort}'
    headers: { x-api-key: '\${env:HOSTILE_KEY}' }
    vars: { secret: '\${env:HOSTILE_TOKEN}' }
`,
  )
})

after(async () => {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise((ok) => {
          s.closeAllConnections?.()
          s.close(ok)
        }),
    ),
  )
})

const run = (args: string[], extra: Record<string, string> = {}) => golive(args, { cwd: dir, env: { ...ENV, ...extra }, timeoutMs: 120_000 })

/** Every file under a folder, with its text. */
function filesUnder(root: string): { file: string; text: string }[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .filter((f) => statSync(f).size < 50 * 2 ** 20)
    .map((file) => ({ file, text: readFileSync(file, 'utf8') }))
}

function assertNoSecret(where: string, text: string): void {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${where} holds the secret ${s.slice(0, 6)}…`)
}

test('secrets the target echoes back reach no output: run directory, reports, job summary, terminal, gate/report/checklist/history', async () => {
  const summary = join(dir, 'step-summary.md')
  writeFileSync(summary, '')
  const r = await run(['run', '--format', 'terminal'], { GITHUB_STEP_SUMMARY: summary })
  assert.equal(r.code, 1, `the echo check fails, so no-go\n${r.stderr}\n${r.stdout}`)
  // the echo really happened: the target received the credentials and sent them back
  assert.ok(
    seen.some((s) => s.host === '127.0.0.1 https' && s.url === '/api/echo' && carriesCredential(s)),
    'the scenario carried the credentials to its own origin',
  )
  const latest = join(dir, 'runs', 'latest')
  const results = readFileSync(join(latest, 'results.json'), 'utf8')
  assert.match(results, /\$\.status is .*hidden>/, 'the failing check quotes the echoed body, redacted')
  assert.match(results, /value of \$\{env:HOSTILE_KEY\} hidden/, 'the headers check saw the echoed header, redacted')

  const outputs: CliResult[] = [r]
  outputs.push(await run(['gate', '--from', join(latest, 'results.json')]))
  for (const f of ['terminal', 'json', 'junit', 'markdown', 'html']) outputs.push(await run(['report', '--from', join(latest, 'results.json'), '--format', f]))
  outputs.push(await run(['checklist', '--from', join(latest, 'results.json'), '--out', join(dir, 'checklist')]))
  outputs.push(await run(['history', '--dir', join(dir, 'runs')]))
  outputs.push(await run(['check', 'headers']))
  // the k6 engine too: its script, summary and dashboard in the run directory (where k6 is installed)
  let k6 = false
  try {
    findK6()
    k6 = true
  } catch {
    /* .ci/run installs k6; locally it may be missing */
  }
  if (k6) {
    const k = await run(['run', '--engine', 'k6', '--out', join(dir, 'k6-run')])
    assert.equal(k.code, 1, k.stderr)
    assert.ok(seen.filter((s) => s.url === '/api/echo' && carriesCredential(s)).length > 1, 'k6 carried the credentials too')
    outputs.push(k)
  }
  const files = [
    ...filesUnder(join(dir, 'runs')),
    ...filesUnder(join(dir, 'checklist')),
    ...(k6 ? filesUnder(join(dir, 'k6-run')) : []),
    { file: summary, text: readFileSync(summary, 'utf8') },
  ]
  assert.ok(
    files.some((f) => f.file.endsWith('report.html')) && files.some((f) => f.file.endsWith('junit.xml')) && files.some((f) => f.file.endsWith('report.md')),
  )
  assert.ok(readFileSync(summary, 'utf8').length > 0, 'the job summary was written')
  for (const [i, o] of outputs.entries()) {
    assertNoSecret(`stdout of command ${i}`, o.stdout)
    assertNoSecret(`stderr of command ${i}`, o.stderr)
  }
  for (const f of files) assertNoSecret(f.file, f.text)
})

test('the headers check: no credential after https → http, no request to a host the environment does not list', async () => {
  seen.length = 0
  const r = await run(['check', 'headers', '--env', 'hop'])
  // the hostile target grades D: the check measured (not 2) and its gate says no-go (1)
  assert.equal(r.code, 1, r.stderr)
  const hop = seen.find((s) => s.host === '127.0.0.1 https' && s.url === '/hop')
  assert.ok(hop && carriesCredential(hop), "the environment's own origin got its header")
  const down = seen.filter((s) => s.host === '127.0.0.1 http' && s.url === '/down')
  assert.ok(down.length > 0, 'the downgrade hop was visited')
  assert.ok(!down.some(carriesCredential), 'no credential over cleartext')
  assert.equal(seen.filter((s) => s.host === '127.0.0.2').length, 0, '127.0.0.2 never asked')
  const result = JSON.parse(r.stdout) as { evidence: { notes: string[] } }
  assert.ok(
    result.evidence.notes.some((n) => n.includes(`http://127.0.0.2:${otherPort} is not one of this environment's hosts; add it to hosts`)),
    r.stdout,
  )

  // listed in hosts: the visit goes there, without the credentials
  seen.length = 0
  const listed = await run(['check', 'headers', '--env', 'listed'])
  assert.equal(listed.code, 1, listed.stderr)
  const there = seen.filter((s) => s.host === '127.0.0.2')
  assert.ok(there.length > 0, 'a listed host is visited')
  assert.ok(!there.some(carriesCredential), 'but carries no credential')
})

test('golive check prints JSON without raw controls; an invalid gate with controls is one clean message', async () => {
  const r = await run(['check', 'headers'])
  assert.equal(r.code, 1, r.stderr) // measured, graded below A
  assert.match(r.stdout, /\\u0085/, 'the C1 header value is kept, escaped')
  assert.doesNotMatch(r.stdout, /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
  writeFileSync(
    join(dir, 'bad-gate.yaml'),
    `environments:\n  x:\n    baseUrl: http://127.0.0.1:1\ngates:\n  rules: ["load.x\u202e\u0085\u001b[2J.p95 <<< 5"]\n`,
  )
  const bad = await run(['gate', '--config', 'bad-gate.yaml', '--from', join(dir, 'runs', 'latest', 'results.json')])
  assert.equal(bad.code, 2, bad.stderr)
  assert.match(bad.stderr, /gates\.rules\[0\]/)
  assert.doesNotMatch(bad.stderr, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/)
})

test("page-load: the environment's headers reach its own origin only, not a third-party image on 127.0.0.2", async (t) => {
  const exe = chromiumPath()
  if (!exe) return t.skip(SKIP_NO_CHROMIUM)
  const page = createHttp((req, res) => {
    record('127.0.0.1 page')(req)
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(`<!doctype html><title>x</title><h1>hello</h1><img src="http://127.0.0.2:${otherPort}/pixel.png" width=10 height=10>`)
  })
  const port = await listen(page, '127.0.0.1')
  servers.push(page)
  seen.length = 0
  const result = await pageLoad.run({
    env: { baseUrl: `http://127.0.0.1:${port}`, headers: { 'x-api-key': KEY } },
    envName: 'test',
    settings: { executablePath: exe, runs: 1, pages: [{ name: 'home', path: '/' }] },
    signal: new AbortController().signal,
    runDir: dir,
    configDir: dir,
    log: () => {},
  })
  assert.equal(result.status, 'measured', result.reason ?? '')
  assert.ok(
    seen.some((x) => x.host === '127.0.0.1 page' && x.headers['x-api-key'] === KEY),
    'the page got its header',
  )
  const third = seen.filter((x) => x.host === '127.0.0.2')
  assert.ok(third.length > 0, 'the image was loaded')
  assert.ok(!third.some(carriesCredential), 'without the header')
})

test('golive k6 build and golive k6 operator write no secret: the script reads them from __ENV at run time', async () => {
  const script = join(dir, 'hostile.k6.js'),
    manifest = join(dir, 'hostile.testrun.yaml')
  const b = await run(['k6', 'build', './hostile.ts', '--env', 'k6', '--out', script])
  assert.equal(b.code, 0, b.stderr)
  const o = await run(['k6', 'operator', './hostile.ts', '--env', 'k6', '--parallelism', '2', '--out', manifest])
  assert.equal(o.code, 0, o.stderr)
  for (const [name, text] of [
    ['script', readFileSync(script, 'utf8')],
    ['manifests', readFileSync(manifest, 'utf8')],
    ['stderr', b.stderr + o.stderr],
    ['stdout', b.stdout + o.stdout],
  ] as const) {
    assertNoSecret(name, text)
  }
  assert.match(readFileSync(script, 'utf8'), /__goliveSecret\("HOSTILE_TOKEN"\)/)
  assert.match(readFileSync(manifest, 'utf8'), /secretKeyRef:\s+name: golive-hostile-[0-9]+-secrets\s+key: HOSTILE_TOKEN/)
  assert.match(readFileSync(manifest, 'utf8'), /key: GOLIVE_HEADERS/)
  assert.match(b.stderr, /reads HOSTILE_TOKEN from the environment/)

  // and k6 really reads it at run time (k6 comes from .ci/run; skipped where it is not installed)
  let k6: string
  try {
    k6 = findK6()
  } catch {
    return
  }
  // (async: the servers answering k6 live in this process)
  const k6run = (env: Record<string, string>) =>
    new Promise<{ code: number | null; out: string }>((done) => {
      const p = spawn(k6, ['run', '--quiet', '--no-usage-report', script], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let out = ''
      p.stdout.on('data', (d) => {
        out += d
      })
      p.stderr.on('data', (d) => {
        out += d
      })
      const timer = setTimeout(() => p.kill('SIGKILL'), 60_000)
      p.on('close', (code) => {
        clearTimeout(timer)
        done({ code, out })
      })
    })
  const missing = await k6run({})
  assert.notEqual(missing.code, 0)
  assert.match(missing.out, /golive: set HOSTILE_TOKEN for k6/)
  seen.length = 0
  const ran = await k6run({ HOSTILE_TOKEN: TOKEN })
  assert.ok(ran.code === 0 || ran.code === 99, ran.out)
  assert.ok(
    seen.some((x) => x.host === '127.0.0.1 http' && x.headers['x-trace'] === `Bearer ${TOKEN}`),
    'the step carried the token k6 read from __ENV',
  )
})

test('escape sequences in a stored run: golive history prints none', async () => {
  const runs = join(dir, 'runs')
  if (!existsSync(runs)) await run(['run']) // when this test runs alone
  const source = readdirSync(runs)
    .filter((n) => n !== 'latest')
    .sort()[0]!
  const target = join(runs, '2999-01-01T00-00-00-000Z')
  mkdirSync(target)
  cpSync(join(runs, source), target, { recursive: true })
  const results = JSON.parse(readFileSync(join(target, 'results.json'), 'utf8')) as { run: Record<string, unknown>; figures: Record<string, unknown> }
  const hostile = '\u001b]0;owned\u0007\u001b[2J\u009b31m\u0085\u202eevil\u2066'
  results.run.startedAt = `2999-01-01T00:00:00.000Z${hostile}`
  results.run.id = `run${hostile}`
  results.run.environment = `hostile${hostile}`
  writeFileSync(join(target, 'results.json'), JSON.stringify(results))
  for (const format of ['terminal', 'markdown', 'json']) {
    const r = await run(['history', '--dir', runs, '--format', format])
    assert.equal(r.code, 0, r.stderr)
    assert.match(r.stdout, /evil/, `the crafted run is listed (${format})`)
    assert.doesNotMatch(r.stdout, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, `no control character in ${format}`)
  }
})
