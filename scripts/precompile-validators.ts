// Build step: the config and scenario schemas as standalone ajv code, one ES module that stands
// in for core/precompiled-validators.ts in dist/ (scripts/build.mjs). `require` in ajv's output
// becomes an import, as the bundle is ESM.

import { createRequire } from 'node:module'
import { _, type Ajv, type ValidateFunction } from 'ajv'
import { configAjv, scenarioAjv } from '../core/ajv-setup.js'
import configSchema from '../core/config.schema.json' with { type: 'json' }
import scenarioSchema from '../scenarios/scenario.schema.json' with { type: 'json' }

export function precompiledModule(): string {
  const code = { source: true, esm: true, formats: _`require("ajv-formats/dist/formats.js").fullFormats` }
  const config = configAjv({ code })
  const scenario = scenarioAjv({ code })
  // a CommonJS function whose typings ESM cannot call: required as it is
  const source = createRequire(import.meta.url)('ajv/dist/standalone') as (ajv: Ajv, validate: ValidateFunction) => string
  // each part is its own module's code: wrapped, so their names do not meet
  const part = (name: string, text: string) => {
    const head = /^"use strict";export const validate = (\w+);export default \w+;/.exec(text)
    if (!head) throw new Error(`ajv's standalone code for ${name} does not start as expected: ${text.slice(0, 80)}`)
    return `const ${name} = (() => {\n${text.slice(head[0].length)}\nreturn ${head[1]}\n})()`
  }
  let body = [part('config', source(config, config.compile(configSchema))), part('scenario', source(scenario, scenario.compile(scenarioSchema)))].join('\n')
  const imports = new Map<string, string>()
  body = body.replace(/require\("([^"]+)"\)/g, (_m, spec: string) => {
    // a deep import into a package without an exports map needs its extension under ESM
    if (!spec.endsWith('.js')) spec += '.js'
    if (!imports.has(spec)) imports.set(spec, `__m${imports.size}`)
    return imports.get(spec)!
  })
  return [...[...imports].map(([spec, name]) => `import ${name} from ${JSON.stringify(spec)}`), body, 'export const precompiled = { config, scenario }'].join(
    '\n',
  )
}
