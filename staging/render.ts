// Fills the templates in staging/templates/ with one form's values: {{name}} → value. The same
// templates serve the native form (hosts 127.0.0.1, ports from the base port) and the compose form
// (service names, the default ports). An unknown {{name}} is an error, never left in a config.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { COMPONENTS, DEFAULT_BASE_PORT, WEBHOOK_PORT_OFFSET, portOf, type ComponentName } from './components.js'

export type Vars = Record<string, string | number>

export interface StackSettings {
  basePort: number
  /** alertmanager's webhook receiver */
  webhookUrl: string
  seedProducts: number
  seedUsers: number
  seedOrders: number
  /** POST /api/login per client IP per second before the edge answers 429 */
  loginRateLimit: number
}

export const PASSWORDS = { postgres: 'golive-staging-admin', app: 'golive-staging-app', replication: 'golive-staging-repl', monitor: 'golive-staging-monitor' }

export function defaultSettings(basePort = DEFAULT_BASE_PORT): StackSettings {
  return {
    basePort,
    webhookUrl: `http://127.0.0.1:${basePort + WEBHOOK_PORT_OFFSET}/alerts`,
    seedProducts: 1000,
    seedUsers: 1000,
    seedOrders: 100_000,
    loginRateLimit: 100,
  }
}

/** Values every form shares: ports, seed sizes, passwords. `host` names where each component is reached. */
export function templateVars(s: StackSettings, host: (c: ComponentName) => string, extra: Vars): Vars {
  const v: Vars = {
    webhook_url: s.webhookUrl,
    seed_products: s.seedProducts,
    seed_users: s.seedUsers,
    seed_orders: s.seedOrders,
    login_rate_limit: s.loginRateLimit,
    demo_password: 'golive-demo',
    app_password: PASSWORDS.app,
    replication_password: PASSWORDS.replication,
    monitor_password: PASSWORDS.monitor,
  }
  for (const c of COMPONENTS) {
    const key = c.name.replace(/-/g, '_')
    v[`${key}_host`] = host(c.name)
    const uses = Object.keys(c.ports)
    // app1_port, but edge_https_port / edge_http_port / edge_metrics_port
    for (const use of uses) v[uses.length === 1 ? `${key}_port` : `${key}_${use}_port`] = portOf(c, use, s.basePort)
  }
  return { ...v, ...extra }
}

export function render(text: string, vars: Vars, what: string): string {
  return text.replace(/\{\{([a-z0-9_]+)\}\}/g, (_, name: string) => {
    const value = vars[name]
    if (value === undefined) throw new Error(`${what}: no value for {{${name}}}`)
    return String(value)
  })
}

export function renderTemplate(configDir: string, file: string, vars: Vars): string {
  return render(readFileSync(join(configDir, file), 'utf8'), vars, file)
}
