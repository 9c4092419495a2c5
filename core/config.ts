// The config a user writes (golive.config.ts, .yaml or .json). The JSON Schema in
// core/config.schema.json describes the same shape for YAML/JSON users and editors.

import type { GateSpec, Unit } from './results.js'

export interface AuthConfig {
  /** 'bearer': Authorization: Bearer <token>; 'basic': user + password; 'header': any header */
  type: 'bearer' | 'basic' | 'header'
  token?: string
  username?: string
  password?: string
  header?: string
  value?: string
}

export interface EnvironmentConfig {
  /** the system under test, e.g. https://staging.example.com, or 'demo' for the built-in demo target */
  baseUrl: string
  /** a PEM file with the CA that signed the target's certificate (relative to the config file) */
  ca?: string
  /** headers sent with every request */
  headers?: Record<string, string>
  auth?: AuthConfig
  /** origins golive may load besides nothing else (default: the base URL's origin alone); credentials go only to the base URL's origin */
  hosts?: string[]
  /** the User-Agent of golive's requests; default golive/<version> */
  userAgent?: string
  /** header names whose values are secrets (besides authorization, cookie, x-api-key, *token*, *key*...): hidden in every output */
  secretHeaders?: string[]
  /** destructive drills (failover, alerts, rate limits) run only where this is true */
  allowDrills?: boolean
  /** hosts besides loopback the backup-restore, failover and rolling-restart drills may act on */
  drillHosts?: string[]
  /** the load engine: 'embedded' (default) or 'k6'; --engine overrides it */
  engine?: 'embedded' | 'k6'
  /** scenarios `golive run` drives in this environment (names or files; the first is the main one);
   *  default: ['load'] for the demo target, none elsewhere */
  scenarios?: string[]
  /** browser scenarios (Playwright specs in scenarios): their users, duration and Chromium (docs/browser.md) */
  browser?: {
    vus?: number
    duration?: string
    iterations?: number
    /** Chromium processes the users share; default one per 5 users */
    browsers?: number
    /** default /usr/bin/chromium (or GOLIVE_CHROMIUM) */
    executablePath?: string
    /** how long in-flight iterations may finish after the duration; default 30s */
    gracefulStop?: string
    /** 'first-failure' (default): trace tests until one fails, keep that trace; 'off': no tracing */
    trace?: 'first-failure' | 'off'
  }
  /** the load expected at launch (one of the two): golive capacity reports the headroom over it */
  launchLoad?: { rps?: number; vus?: number }
  /** checks `golive run` performs in this environment, by id, with their settings */
  checks?: Record<string, Record<string, unknown> | boolean>
  /** variables scenarios can use as {{name}} */
  vars?: Record<string, string>
  /** extra gates for this environment only */
  gates?: GateInput[]
  /** what the servers did during the load: Prometheus queries and PostgreSQL's pg_stat_statements
   *  over each scenario's steady window (docs/server.md) */
  server?: ServerConfig
}

/** A figure's Prometheus query: PromQL alone, or with the figure's unit. */
export type ServerQuery = string | { query: string; unit?: Unit }

export interface ServerConfig {
  /** the Prometheus that scrapes the system under test, e.g. http://127.0.0.1:9090 */
  prometheus?: string
  /** figure name → PromQL: recorded as server.<scenario>.<name> (max over the window) and
   *  server.<scenario>.<name>_mean */
  queries?: Record<string, ServerQuery>
  /** built-in query sets: node (CPU, memory, disk, TCP connections: node_exporter), process
   *  (the busiest process's CPU, memory, open files), postgres (connections, replication lag,
   *  query p95 where a histogram exists) */
  presets?: ServerPreset[]
  /** a PostgreSQL URL whose pg_stat_statements is read before and after each scenario */
  postgres?: string
  /** per Prometheus or PostgreSQL request; default 10s */
  timeout?: string
}

export type ServerPreset = 'node' | 'process' | 'postgres'

/** A gate as data, or its short form 'load.*.latency_p95 < 500ms' (add ' warn' or ' off' to change the level) */
export type GateInput = GateSpec | string

export interface GatesConfig {
  /** built-in gate sets; default ['go-live'] */
  presets?: string[]
  rules?: GateInput[]
}

export interface GoliveConfig {
  $schema?: string
  /** the environment used when --env is not given */
  defaultEnv?: string
  environments: Record<string, EnvironmentConfig>
  gates?: GatesConfig
  /** where runs are written; default .golive/runs */
  outDir?: string
  reports?: { formats?: ReportFormat[] }
  /** the go-live checklist (golive checklist): items a machine cannot check, signed by people */
  checklist?: ChecklistConfig
  /** after loadtest/run: post the verdict to a webhook (Slack-compatible JSON) */
  notify?: NotifyConfig
}

export interface NotifyConfig {
  /** an incoming-webhook URL, e.g. '${env:SLACK_WEBHOOK}' (it carries a token: keep it out of the file) */
  webhook: string
  /** 'no-go' (default): only when the verdict is no-go; 'always': every run */
  on?: 'no-go' | 'always'
}

export const CHECKLIST_GROUPS = ['Performance', 'Security', 'Data safety', 'Resilience', 'Observability', 'User experience', 'Operations'] as const
export type ChecklistGroup = (typeof CHECKLIST_GROUPS)[number]

export interface ChecklistConfig {
  manual?: ManualItem[]
}

/** 'On-call rota for launch week', signed by whom and when, with a link to the proof */
export interface ManualItem {
  item: string
  /** default 'Operations' */
  group?: ChecklistGroup
  signedBy?: string
  /** a date, e.g. 2026-11-30 */
  signedAt?: string
  /** a link to the evidence: the rota, the runbook review */
  evidence?: string
}

export type ReportFormat = 'terminal' | 'json' | 'junit' | 'markdown' | 'html'

/** Typed identity: gives editors completion for golive.config.ts. */
export function defineConfig(config: GoliveConfig): GoliveConfig {
  return config
}

/** A loaded, validated config plus where it came from (for error messages and relative paths). */
export interface LoadedConfig {
  config: GoliveConfig
  /** absolute path of the file, or null for the built-in default */
  file: string | null
  dir: string
  /** environments whose CA file is missing: the error is raised when one of them is chosen */
  caErrors?: Record<string, import('./errors.js').ConfigError>
  /** a check setting the check's declaration refuses, by environment: raised when it is chosen */
  checkErrors?: Record<string, import('./errors.js').ConfigError>
}
