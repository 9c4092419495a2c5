// Debian's nginx serving one folder of files twice, for the asset audit: `good` over TLS with
// HTTP/2 by ALPN (`listen … ssl http2`, nginx 1.22's spelling of `http2 on`), gzip, a year and
// `immutable` on hashed names, a week on unhashed ones, no-store on the HTML and a CDN-like
// X-Cache header; `bad` over plain HTTP/1.1 with none of that (nginx's defaults: ETag and
// Last-Modified, no Cache-Control, no gzip). Same bytes on disk, so only the delivery differs.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { png } from './page-server.js'
import { freePort } from './tls-lab.js'

export interface AssetsNginx {
  good: string
  bad: string
  /** the good server's self-signed certificate: the environment's `ca` */
  caFile: string
  files: Record<string, number>
  stop(): Promise<void>
}

const filler = (word: string, n: number) => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ')

/** The site: name → body. Text files above the 1400-byte compression threshold, one image. */
export function siteFiles(): Record<string, string | Buffer> {
  return {
    'index.html':
      '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>assets</title><link rel="icon" href="data:,">' +
      '<link rel="stylesheet" href="/assets/app.3f9a1c2b7d.css"><script src="/assets/legacy.js"></script></head><body>' +
      `<h1>Assets</h1><p>${filler('paragraph', 400)}</p><img src="/assets/hero.8c1e5f2a9b.png" width="200" height="100" alt="hero">` +
      '<script src="/assets/app.5e8d2a91c4.js" defer></script></body></html>\n',
    'assets/app.3f9a1c2b7d.css': Array.from({ length: 120 }, (_, i) => `.rule-${i} { margin: ${i}px; color: #1a4d8f; }`).join('\n') + '\n',
    'assets/app.5e8d2a91c4.js': Array.from({ length: 100 }, (_, i) => `window.value${i} = ${i} * 2;`).join('\n') + '\n',
    'assets/legacy.js': Array.from({ length: 80 }, (_, i) => `var legacy${i} = 'legacy value ${i}';`).join('\n') + '\n',
    'assets/hero.8c1e5f2a9b.png': png(200, 100, 7),
  }
}

export async function startAssetsNginx(nginx: string): Promise<AssetsNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-assets-'))
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { cwd: dir, stdio: 'ignore' },
  )
  const files = siteFiles()
  mkdirSync(join(dir, 'site', 'assets'), { recursive: true })
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, 'site', name), body)
  const [goodPort, badPort] = [await freePort(), await freePort()]
  const root = process.getuid?.() === 0 ? 'user root;\n' : ''
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${root}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  include /etc/nginx/mime.types;
  server {
    listen 127.0.0.1:${goodPort} ssl http2;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    root ${dir}/site;
    gzip on; gzip_min_length 1000;
    gzip_types text/css application/javascript image/svg+xml application/json;
    location = /index.html { add_header Cache-Control "no-store"; }
    location ~ "\\.[0-9a-f]{10}\\.(css|js|png)$" { add_header Cache-Control "public, max-age=31536000, immutable"; add_header X-Cache "HIT"; }
    location /assets/ { add_header Cache-Control "public, max-age=604800"; add_header X-Cache "HIT"; }
  }
  server {
    listen 127.0.0.1:${badPort};
    root ${dir}/site;
  }
}
`,
  )
  const proc: ChildProcess = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr!.on('data', (d) => {
    stderr += d
  })
  const deadline = Date.now() + 10_000
  while (!(await listening(goodPort)) || !(await listening(badPort))) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL')
      rmSync(dir, { recursive: true, force: true })
      throw new Error(`nginx did not start: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    good: `https://127.0.0.1:${goodPort}`,
    bad: `http://127.0.0.1:${badPort}`,
    caFile: join(dir, 'cert.pem'),
    files: Object.fromEntries(Object.entries(files).map(([k, v]) => [k, Buffer.byteLength(v)])),
    async stop() {
      proc.kill('SIGTERM')
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = connect(port, '127.0.0.1')
    s.once('connect', () => {
      s.destroy()
      r(true)
    })
    s.once('error', () => r(false))
  })
}
