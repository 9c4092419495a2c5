// A local CA and the edge's server certificate (ECDSA P-256, SAN localhost + 127.0.0.1), made with
// openssl in the state directory. Kept across `down`/`up`, so a CA a person trusted stays valid.

import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { StackPaths } from './paths.js'

export function ensureCertificates(p: StackPaths, openssl: string): void {
  if (existsSync(p.caCert) && existsSync(p.edgePem)) return
  mkdirSync(p.tls, { recursive: true, mode: 0o700 })
  const f = (n: string) => join(p.tls, n)
  const run = (args: string[]) => execFileSync(openssl, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('ca.key')])
  run([
    'req',
    '-x509',
    '-new',
    '-key',
    f('ca.key'),
    '-sha256',
    '-days',
    '825',
    '-subj',
    '/CN=golive staging CA',
    '-out',
    p.caCert,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ])
  run(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('edge.key')])
  run(['req', '-new', '-key', f('edge.key'), '-subj', '/CN=localhost', '-out', f('edge.csr')])
  writeFileSync(
    f('edge.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  )
  run([
    'x509',
    '-req',
    '-in',
    f('edge.csr'),
    '-CA',
    p.caCert,
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-days',
    '365',
    '-sha256',
    '-extfile',
    f('edge.ext'),
    '-out',
    f('edge.crt'),
  ])
  // HAProxy reads certificate and key from one file
  writeFileSync(p.edgePem, readFileSync(f('edge.crt'), 'utf8') + readFileSync(f('edge.key'), 'utf8'), { mode: 0o600 })
}
