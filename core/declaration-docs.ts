// The settings and figures tables of docs/checks/<id>.md, rendered from a check's declaration
// (scripts/check-docs.ts writes them; a unit test fails when a page drifts from its check).

import type { Check, FigureDeclaration, SettingsSchema } from './check.js'

export const BEGIN = '<!-- generated from the declaration: npm run docs:checks (do not edit by hand) -->'
export const END = '<!-- end of generated tables -->'

type Node = Record<string, unknown>

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** 'number 1–200', 'string', "'a' \| 'b'", 'list of string', 'true or false'. */
function typeOf(n: Node): string {
  if (Array.isArray(n.enum)) return n.enum.map((v) => JSON.stringify(v).replace(/"/g, "'")).join(' \\| ')
  if ('const' in n) return JSON.stringify(n.const)
  // a typed node's anyOf only narrows that type (an IP address: ipv4 or ipv6)
  if (Array.isArray(n.anyOf) && n.type === undefined) return (n.anyOf as Node[]).map(typeOf).join(' or ')
  const t = n.type
  const bounds = (lo: unknown, hi: unknown) =>
    lo !== undefined && hi !== undefined ? ` ${lo}–${hi}` : lo !== undefined ? ` ≥ ${lo}` : hi !== undefined ? ` ≤ ${hi}` : ''
  switch (t) {
    case 'number':
    case 'integer':
      return `${t === 'integer' ? 'whole number' : 'number'}${bounds(n.minimum ?? n.exclusiveMinimum, n.maximum)}`
    case 'boolean':
      return 'true or false'
    case 'array':
      return n.items ? `list of ${typeOf(n.items as Node)}` : 'list'
    case 'object':
      return 'object'
    case 'string':
      return 'string'
    default:
      return 'any'
  }
}

/** Rows for a property and what it holds: grafana.url, expected[].alertname, experiments.<name>.fault. */
function rows(name: string, n: Node, out: string[][]): void {
  const dflt = n.default === undefined ? '' : `\`${JSON.stringify(n.default)}\``
  out.push([`\`${name}\``, typeOf(n), dflt, String(n.description ?? n['x-expected'] ?? '')])
  const props = (m: Node | undefined, prefix: string) => {
    for (const [k, v] of Object.entries((m?.properties ?? {}) as Record<string, Node>)) rows(`${prefix}.${k}`, v, out)
  }
  if (n.type === 'object') {
    props(n, name)
    if (typeof n.additionalProperties === 'object') props(n.additionalProperties as Node, `${name}.<name>`)
  }
  if (n.type === 'array' && typeof n.items === 'object') {
    const item = n.items as Node
    props(item, `${name}[]`)
    for (const branch of (item.anyOf ?? []) as Node[]) props(branch, `${name}[]`)
  }
}

export function settingsTable(schema: SettingsSchema): string {
  const out: string[][] = []
  for (const [k, v] of Object.entries(schema.properties)) rows(k, v, out)
  return ['| setting | takes | default | what it does |', '|---|---|---|---|', ...out.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n')
}

export function figuresTable(id: string, figures: readonly FigureDeclaration[]): string {
  return [
    '| figure | unit | meaning |',
    '|---|---|---|',
    ...figures.map((f) => `| ${cell(`\`${id}.${f.name}\``)} | ${f.unit ?? ''} | ${cell(f.meaning)} |`),
  ].join('\n')
}

/** The generated block of a check's page. */
export function generatedBlock(check: Pick<Check, 'id' | 'settings' | 'figures'>): string {
  const parts = [
    BEGIN,
    '',
    `## Settings`,
    '',
    `\`environments.<env>.checks.${check.id}\`: \`true\` for the defaults, or an object of these (any other key is refused when the config loads).`,
    '',
  ]
  parts.push(check.settings ? settingsTable(check.settings) : 'This check declares no settings.', '')
  parts.push(
    '## Figures',
    '',
    'Gates name them as below; `<name>` stands for one segment (a page, an experiment, an alert). A gate on any other figure of this check is refused when the config loads.',
    '',
  )
  parts.push(check.figures ? figuresTable(check.id, check.figures) : 'This check declares no figures.', '', END)
  return parts.join('\n')
}

/** The page with its generated block replaced (or appended when it has none). */
export function withGeneratedBlock(page: string, check: Pick<Check, 'id' | 'settings' | 'figures'>): string {
  const block = generatedBlock(check)
  const from = page.indexOf(BEGIN)
  const to = page.indexOf(END)
  if (from >= 0 && to > from) return page.slice(0, from) + block + page.slice(to + END.length)
  return `${page.replace(/\s*$/, '')}\n\n${block}\n`
}
