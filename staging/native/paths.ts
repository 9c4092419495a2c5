// The state directory's layout: everything `golive staging up` creates lives under it.

import { join, resolve } from 'node:path'

export interface StackPaths {
  root: string
  state: string
  logs: string
  tls: string
  caCert: string
  edgePem: string
  configs: string
  pgPrimary: string
  pgReplica: string
  backups: string
  backupStamp: string
  prometheusData: string
  alertmanagerData: string
}

export const DEFAULT_STATE_DIR = '.golive/staging'

export function stackPaths(dir = process.env.GOLIVE_STAGING_DIR ?? DEFAULT_STATE_DIR): StackPaths {
  const root = resolve(dir)
  const data = join(root, 'data')
  return {
    root,
    state: join(root, 'state.json'),
    logs: join(root, 'logs'),
    tls: join(root, 'tls'),
    caCert: join(root, 'tls', 'ca.pem'),
    edgePem: join(root, 'tls', 'edge.pem'),
    configs: join(root, 'configs'),
    pgPrimary: join(data, 'postgres-primary'),
    pgReplica: join(data, 'postgres-replica'),
    backups: join(data, 'backups'),
    backupStamp: join(data, 'backups', 'last-success'),
    prometheusData: join(data, 'prometheus'),
    alertmanagerData: join(data, 'alertmanager'),
  }
}

export const dataDir = (p: StackPaths) => join(p.root, 'data')
export const logOf = (p: StackPaths, name: string) => join(p.logs, `${name}.log`)
