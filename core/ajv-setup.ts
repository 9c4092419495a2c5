// The ajv instances of the config and the scenario schemas, in one place: the runtime compiles
// with them (tsx, the tests), and the build turns the same setup into standalone code
// (core/precompiled-validators.ts), so the bundled CLI compiles no schema at start. Keywords are
// code-generating (not `validate` functions) because standalone code can only hold those.

import { _, Ajv, type KeywordCxt, type KeywordDefinition, type Name } from 'ajv'
import addFormatsModule from 'ajv-formats'

/** Annotation keywords of the schemas: x-fix is the one-line fix for a person, x-expected names
 *  what the value should be in a message ("expected <x-expected>, got ..."). */
export const ANNOTATION_KEYWORDS = ['x-fix', 'x-expected'] as const

/** Fields that may not appear together on one object (json/body/form/multipart; capture kinds).
 *  A field set to undefined (body: cond ? 'x' : undefined) is absent, as ajv reads it elsewhere. */
const exclusive: KeywordDefinition = {
  keyword: 'x-exclusive',
  schemaType: 'array',
  error: { message: 'exclusive', params: ({ params }) => _`{present: ${params.present}, fields: ${params.fields}}` },
  code(cxt: KeywordCxt) {
    const { gen, data, schema, schemaCode } = cxt
    const present = gen.let('present', _`[]`)
    gen.if(_`${data} && typeof ${data} == "object" && !Array.isArray(${data})`, () => {
      for (const field of schema as string[]) gen.if(_`${data}[${field}] !== undefined`, () => gen.code(_`${present}.push(${field})`))
    })
    cxt.setParams({ present, fields: schemaCode as Name })
    cxt.fail(_`${present}.length > 1`)
  },
}

/** Hook fields (a step's before, after, run) accept functions; JSON Schema has no type for them. */
const fn: KeywordDefinition = {
  keyword: 'x-function',
  schemaType: 'boolean',
  code(cxt: KeywordCxt) {
    cxt.fail(_`typeof ${cxt.data} != "function"`)
  },
}

type Options = ConstructorParameters<typeof Ajv>[0]

/** The config's setup, shared by the checks' settings schemas. */
export function configAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true, ...extra })
  addFormatsModule.default(ajv)
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' })
  // x-moved: settings that moved elsewhere, name → the fix (core/validate-config.ts says it)
  ajv.addKeyword({ keyword: 'x-moved', schemaType: 'object' })
  return ajv
}

export function scenarioAjv(extra: Options = {}): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true, allowUnionTypes: true, ...extra })
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword, schemaType: 'string' })
  ajv.addKeyword(exclusive)
  ajv.addKeyword(fn)
  return ajv
}
