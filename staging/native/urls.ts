// What `up` and `status` print: where each part of the stack answers.

import { COMPONENTS, componentNamed, portOf, type ComponentName } from '../components.js'
import type { StackSettings } from '../render.js'
import type { StackPaths } from './paths.js'

export function stackUrls(s: StackSettings, p: StackPaths): [string, string][] {
  const port = (n: ComponentName, use: string) => portOf(componentNamed(n)!, use, s.basePort)
  return [
    ['edge (https)', `https://127.0.0.1:${port('edge', 'https')}   CA: ${p.caCert}`],
    ['edge (http → https)', `http://127.0.0.1:${port('edge', 'http')}`],
    ['app1, app2', `http://127.0.0.1:${port('app1', 'http')}, http://127.0.0.1:${port('app2', 'http')}`],
    ['postgres primary', `postgresql://golive@127.0.0.1:${port('postgres-primary', 'pg')}/golive`],
    ['postgres replica', `postgresql://golive@127.0.0.1:${port('postgres-replica', 'pg')}/golive`],
    ['redis', `redis://127.0.0.1:${port('redis', 'redis')}`],
    ['prometheus', `http://127.0.0.1:${port('prometheus', 'http')}`],
    ['alertmanager', `http://127.0.0.1:${port('alertmanager', 'http')}  → webhook ${s.webhookUrl}`],
    ['edge metrics', `http://127.0.0.1:${port('edge', 'metrics')}/metrics`],
  ]
}

export const componentNames = () => COMPONENTS.map((c) => c.name)
