// Debian's Prometheus with its remote-write receiver, on an ephemeral loopback port and a
// temporary data folder: the real receiver golive's --out-metrics prometheus-rw writes to.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from './tls-lab.js'

export interface PrometheusServer {
  url: string
  /** an instant PromQL query at now: [labels, value] per series */
  query(q: string): Promise<{ metric: Record<string, string>; value: number }[]>
  stderr(): string
  stop(): Promise<void>
}

export function prometheusPath(): string | null {
  const p = process.env.GOLIVE_PROMETHEUS ?? '/usr/bin/prometheus'
  if (existsSync(p)) return p
  if (process.env.CI) throw new Error(`Prometheus is not at ${p}: .ci/run installs it (apt-get install prometheus)`)
  return null
}

export async function startPrometheus(binary: string): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-prom-'))
  writeFileSync(join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1m\nscrape_configs: []\n')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  let err = ''
  const child: ChildProcess = spawn(
    binary,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  child.stderr!.on('data', (d) => {
    err = (err + d).slice(-20_000)
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    rmSync(dir, { recursive: true, force: true })
  }
  // ready within 60 s (a loaded machine), or the test fails with Prometheus' own words
  const until = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) {
      await stop()
      throw new Error(`prometheus exited (${child.exitCode}): ${err}`)
    }
    try {
      if ((await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) })).ok) break
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) {
      await stop()
      throw new Error(`prometheus was not ready in 60 s: ${err}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    url,
    async query(q) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(q)}`)
      const body = (await res.json()) as {
        status: string
        error?: string
        data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] }
      }
      if (body.status !== 'success') throw new Error(`query ${q}: ${body.error}`)
      return body.data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }))
    },
    stderr: () => err,
    stop,
  }
}
