// A TLS laboratory on loopback: a root CA, an intermediate, leaf certificates of every kind the
// rating guide cares about (made with openssl), and one nginx serving each configuration of the
// corpus on its own port. The grade each must get is fixed by the SSL Labs rating guide.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface LabServer {
  name: string
  port: number
}
export interface TlsLab {
  dir: string
  caFile: string
  /** the root and the intermediate in one PEM: a --ca that holds the intermediate the server omits */
  bundleFile: string
  servers: Record<string, LabServer>
  stop: () => Promise<void>
}

const ssl = (dir: string, ...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })

export function hasNginx(): string | null {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      execFileSync(p, ['-v'], { stdio: 'ignore' })
      return p
    } catch {
      /* next */
    }
  }
  return null
}

import { freePort } from './ports.js'

export { freePort }

const MODERN = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305'
const HSTS = 'add_header Strict-Transport-Security "max-age=31536000" always;'

interface Case {
  name: string
  cert: string
  key: string
  protocols: string
  ciphers: string
  extra?: string
}

export async function startTlsLab(nginx: string): Promise<TlsLab> {
  const dir = mkdtempSync(join(tmpdir(), 'golive-tls-lab-'))
  const aiaPort = await freePort()
  const ext = (name: string, san: string, aia = true) => {
    writeFileSync(
      join(dir, `${name}.ext`),
      `[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n` +
        `${aia ? `authorityInfoAccess=caIssuers;URI:http://127.0.0.1:${aiaPort}/intermediate.der\n` : ''}`,
    )
    return `${name}.ext`
  }
  writeFileSync(join(dir, 'ca.ext'), '[v3]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n')
  ssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'root.key',
    '-out',
    'root.pem',
    '-days',
    '30',
    '-subj',
    '/CN=golive lab root',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  )
  ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'intermediate.key', '-out', 'intermediate.csr', '-subj', '/CN=golive lab intermediate')
  ssl(
    dir,
    'x509',
    '-req',
    '-in',
    'intermediate.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-out',
    'intermediate.pem',
    '-days',
    '30',
    '-extfile',
    'ca.ext',
    '-extensions',
    'v3',
  )
  ssl(dir, 'x509', '-in', 'intermediate.pem', '-outform', 'DER', '-out', 'intermediate.der')
  const leaf = (name: string, bits: number, san = 'DNS:localhost,IP:127.0.0.1', aia = true) => {
    ssl(dir, 'req', '-newkey', `rsa:${bits}`, '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${san.split(',')[0]!.slice(4)}`)
    ssl(
      dir,
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'intermediate.pem',
      '-CAkey',
      'intermediate.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      '30',
      '-extfile',
      ext(name, san, aia),
      '-extensions',
      'v3',
    )
    writeFileSync(join(dir, `${name}.chain.pem`), readFileSync(join(dir, `${name}.pem`), 'utf8') + readFileSync(join(dir, 'intermediate.pem'), 'utf8'))
  }
  leaf('good', 2048)
  leaf('weak', 1024)
  leaf('other', 2048, 'DNS:other.example')
  leaf('noaia', 2048, undefined, false)
  writeFileSync(join(dir, 'bundle.pem'), readFileSync(join(dir, 'root.pem'), 'utf8') + readFileSync(join(dir, 'intermediate.pem'), 'utf8'))
  // expired: openssl ca is the one that takes explicit dates
  mkdirSync(join(dir, 'ca-db'))
  writeFileSync(join(dir, 'ca-db', 'index.txt'), '')
  writeFileSync(join(dir, 'ca-db', 'serial'), '1000\n')
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca=d\n[d]\ndir=${join(dir, 'ca-db')}\ndatabase=$dir/index.txt\nnew_certs_dir=$dir\nserial=$dir/serial\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n`,
  )
  ssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'expired.key', '-out', 'expired.csr', '-subj', '/CN=localhost')
  ssl(
    dir,
    'ca',
    '-batch',
    '-config',
    'ca.cnf',
    '-cert',
    'intermediate.pem',
    '-keyfile',
    'intermediate.key',
    '-in',
    'expired.csr',
    '-out',
    'expired.pem',
    '-notext',
    '-startdate',
    '20200101000000Z',
    '-enddate',
    '20210101000000Z',
    '-extfile',
    ext('expired', 'DNS:localhost,IP:127.0.0.1'),
    '-extensions',
    'v3',
  )
  writeFileSync(join(dir, 'expired.chain.pem'), readFileSync(join(dir, 'expired.pem'), 'utf8') + readFileSync(join(dir, 'intermediate.pem'), 'utf8'))
  ssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'self.key',
    '-out',
    'self.pem',
    '-days',
    '30',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  )

  const cases: Case[] = [
    { name: 'a-plus', cert: 'good.chain.pem', key: 'good.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'no-hsts', cert: 'good.chain.pem', key: 'good.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN },
    { name: 'tls12-only', cert: 'good.chain.pem', key: 'good.key', protocols: 'TLSv1.2', ciphers: MODERN, extra: HSTS },
    {
      name: 'tls10',
      cert: 'good.chain.pem',
      key: 'good.key',
      protocols: 'TLSv1 TLSv1.2 TLSv1.3',
      ciphers: `${MODERN}:ECDHE-RSA-AES128-SHA:@SECLEVEL=0`,
      extra: HSTS,
    },
    { name: 'static-rsa', cert: 'good.chain.pem', key: 'good.key', protocols: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384', extra: HSTS },
    { name: 'key-1024', cert: 'weak.chain.pem', key: 'weak.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: `${MODERN}:@SECLEVEL=0`, extra: HSTS },
    { name: 'incomplete-chain', cert: 'good.pem', key: 'good.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'leaf-only-no-aia', cert: 'noaia.pem', key: 'noaia.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
    // TLS 1.3 encrypts the certificates: the chain as sent is read another way
    { name: 'tls13-only', cert: 'good.chain.pem', key: 'good.key', protocols: 'TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'tls13-leaf-only', cert: 'noaia.pem', key: 'noaia.key', protocols: 'TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'expired', cert: 'expired.chain.pem', key: 'expired.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'self-signed', cert: 'self.pem', key: 'self.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
    { name: 'mismatch', cert: 'other.chain.pem', key: 'other.key', protocols: 'TLSv1.2 TLSv1.3', ciphers: MODERN, extra: HSTS },
  ]
  const servers: Record<string, LabServer> = {}
  for (const c of cases) servers[c.name] = { name: c.name, port: await freePort() }
  const root = process.getuid?.() === 0 ? 'user root;\n' : ''
  writeFileSync(
    join(dir, 'nginx.conf'),
    `${root}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 128; }
http {
  access_log off;
  client_body_temp_path ${dir}/t1; proxy_temp_path ${dir}/t2; fastcgi_temp_path ${dir}/t3; uwsgi_temp_path ${dir}/t4; scgi_temp_path ${dir}/t5;
  server { listen 127.0.0.1:${aiaPort}; location = /intermediate.der { alias ${dir}/intermediate.der; } }
${cases
  .map(
    (c) => `  server {
    listen 127.0.0.1:${servers[c.name]!.port} ssl;
    ssl_certificate ${dir}/${c.cert};
    ssl_certificate_key ${dir}/${c.key};
    ssl_protocols ${c.protocols};
    ssl_ciphers ${c.ciphers};
    ssl_prefer_server_ciphers on;
    location / { ${c.extra ?? ''} return 200 "ok\\n"; }
  }`,
  )
  .join('\n')}
}
`,
  )
  const proc: ChildProcess = spawn(nginx, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  proc.stderr!.on('data', (d) => {
    stderr += d
  })
  // ready when every port answers
  const deadline = Date.now() + 10_000
  for (const s of Object.values(servers)) {
    while (!(await listening(s.port))) {
      if (proc.exitCode !== null || Date.now() > deadline) {
        proc.kill('SIGKILL')
        throw new Error(`nginx did not start: ${stderr}${safeRead(join(dir, 'error.log'))}`)
      }
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    dir,
    caFile: join(dir, 'root.pem'),
    bundleFile: join(dir, 'bundle.pem'),
    servers,
    stop: async () => {
      proc.kill('SIGTERM')
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer()
    s.once('error', () => resolve(true))
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(false)))
  })
}

function safeRead(f: string): string {
  try {
    return readFileSync(f, 'utf8')
  } catch {
    return ''
  }
}
