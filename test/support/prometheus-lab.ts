// A real Prometheus (Debian's /usr/bin/prometheus) on loopback with a temporary data folder,
// scraping the test's own exporters every second; and a tiny exporter whose values the test sets.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { freePort } from './ports.js'

export const PROMETHEUS = '/usr/bin/prometheus'
/** skip without the package, except under CI (where .ci/run installs it and a skip would hide a gap) */
export const noPrometheus = !existsSync(PROMETHEUS) && !process.env.CI ? 'needs Debian prometheus (apt-get install prometheus)' : false

export interface Exporter {
  url: string
  hostPort: string
  set: (text: () => string) => void
  close: () => Promise<void>
}

/** Serves /metrics from the function the test sets (called at every scrape). */
export async function startExporter(text: () => string): Promise<Exporter> {
  let render = text
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/metrics' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' })
    res.end(req.url === '/metrics' ? render() : '')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    set: (t) => {
      render = t
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

export interface Prometheus {
  url: string
  close: () => Promise<void>
}

/** Prometheus scraping `targets` every second; resolves once every target has been scraped up. */
export async function startPrometheus(targets: string[]): Promise<Prometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-prom-'))
  const port = await freePort()
  writeFileSync(
    join(dir, 'prometheus.yml'),
    `global:\n  scrape_interval: 1s\n  scrape_timeout: 900ms\nscrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`,
  )
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--storage.tsdb.retention.time=1h',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr!.on('data', (d) => {
    log = (log + d).slice(-4000)
  })
  const url = `http://127.0.0.1:${port}`
  const close = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM')
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000).then(() => child.kill('SIGKILL'))])
    }
    rmSync(dir, { recursive: true, force: true })
  }
  // ready, then every target scraped at least once (bounded: 30 s)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    const up = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('count(up == 1)')}`)
      .then((r) => r.json() as Promise<{ data?: { result?: { value: [number, string] }[] } }>)
      .catch(() => null)
    if (Number(up?.data?.result?.[0]?.value[1] ?? 0) >= targets.length) return { url, close }
    await sleep(250)
  }
  await close()
  throw new Error(`Prometheus did not come up with its targets scraped within 30 s:\n${log}`)
}
