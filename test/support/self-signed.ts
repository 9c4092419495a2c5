// A self-signed certificate for 127.0.0.1, which a test's run trusts as its own CA: key.pem and
// ca.pem in `dir`. `key`: openssl's -newkey argument and any -pkeyopt (default RSA 2048).
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export function selfSignedLoopback(dir: string, key: string[] = ['rsa:2048']): { key: Buffer; cert: Buffer; caFile: string } {
  const caFile = join(dir, 'ca.pem')
  const args = ['req', '-x509', '-newkey', ...key, '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1']
  execFileSync('openssl', [...args, '-keyout', join(dir, 'key.pem'), '-out', caFile], { stdio: 'ignore' })
  return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(caFile), caFile }
}
