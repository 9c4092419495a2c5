// from-openapi on documents whose truth the test writes: the journey's order, examples from
// $ref/allOf schemas, the id a create returns captured, credentials left to variables, what is
// not translated, Swagger 2.0 bodies.

import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readOpenApi } from '../../scenarios/openapi.js'
import { scenarioFromOpenApi } from '../../scenarios/from-openapi.js'
import { compileScenario } from '../../scenarios/compile.js'
import { renderDraft } from '../../scenarios/ts-source.js'

const PETS = {
  openapi: '3.0.3',
  info: { title: 'Pets' },
  servers: [{ url: '/v2' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' } },
    schemas: {
      Base: { type: 'object', required: ['name'], properties: { name: { type: 'string', example: 'Rex' }, tag: { type: 'string' } } },
      NewPet: {
        allOf: [{ $ref: '#/components/schemas/Base' }, { type: 'object', required: ['born'], properties: { born: { type: 'string', format: 'date' } } }],
      },
      Pet: { allOf: [{ $ref: '#/components/schemas/NewPet' }, { type: 'object', properties: { id: { type: 'integer' } } }] },
    },
  },
  paths: {
    '/pets/{petId}': {
      parameters: [{ name: 'petId', in: 'path', required: true, schema: { type: 'integer' } }],
      get: { responses: { 200: { description: 'ok' }, 404: { description: 'no' } } },
      delete: { responses: { 204: { description: 'gone' } } },
      put: { requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } }, responses: { 200: { description: 'ok' } } },
    },
    '/pets': {
      get: {
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer' } },
          { name: 'kind', in: 'query', required: true, schema: { enum: ['dog', 'cat'] } },
        ],
        responses: { 200: { description: 'ok' } },
      },
      post: {
        requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } } },
        responses: { 201: { description: 'made', content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } } },
      },
    },
    '/photos': { post: { security: [{ key: [] }], requestBody: { content: { 'image/png': {} } }, responses: { 200: { description: 'ok' } } } },
    '/login': {
      post: {
        security: [{}],
        requestBody: { content: { 'application/x-www-form-urlencoded': { example: { user: 'a', pass: 'b' } } } },
        responses: { 303: { description: 'in' } },
      },
    },
  },
}

const convert = (doc: unknown) => scenarioFromOpenApi(readOpenApi(JSON.stringify(doc), 'pets.json'), { file: 'pets.json', name: 'pets' })

test('one step per operation: create, list, read, change, delete; examples from $ref and allOf; the new id captured', () => {
  const r = convert(PETS)
  const steps = r.draft.steps.map((d) => d.step)
  assert.deepEqual(
    steps.map((s) => `${s.method ?? 'GET'} ${s.path}`),
    [
      'POST /v2/pets',
      'GET /v2/pets?kind=dog',
      'GET /v2/pets/{{petId}}',
      'PUT /v2/pets/{{petId}}',
      'DELETE /v2/pets/{{petId}}',
      'POST /v2/photos',
      'POST /v2/login',
    ],
  )
  assert.deepEqual(steps[0]!.json, { name: 'Rex', born: '2026-01-01' })
  assert.deepEqual(steps[0]!.capture, { petId: { json: '$.id' } })
  assert.deepEqual(
    steps.map((s) => s.check?.status),
    [201, 200, 200, 200, 204, 200, 303],
  )
  assert.deepEqual(
    r.inferred.map((i) => [i.step, i.name]),
    [['post-v2-pets', 'petId']],
  )
  assert.ok(r.draft.steps[1]!.above?.some((l) => l === '1 optional query parameter left out'))
})

test('credentials are variables the environment sets; what cannot be sent is said', () => {
  const r = convert(PETS)
  const steps = r.draft.steps.map((d) => d.step)
  assert.deepEqual(steps[0]!.headers, { authorization: 'Bearer {{token}}' })
  assert.deepEqual(steps[5]!.headers, { 'x-api-key': '{{api_key}}' })
  assert.equal(steps[6]!.headers, undefined, 'security: [{}] needs no credentials')
  assert.deepEqual(steps[6]!.form, { user: 'a', pass: 'b' })
  assert.equal(steps[5]!.json, undefined)
  assert.deepEqual(r.notes, ['POST /v2/photos: a image/png request body is not translated: the step sends no body'])
  assert.deepEqual(
    r.secrets.map((s) => s.name),
    ['token', 'api_key'],
  )
  assert.match(renderDraft(r.draft), /vars: \{ token: '\$\{env:GOLIVE_TOKEN\}', api_key: '\$\{env:GOLIVE_API_KEY\}' \}/)
})

test('the draft compiles; Swagger 2.0 body parameters give a JSON body', () => {
  const d = convert(PETS).draft
  assert.equal(
    compileScenario({ name: d.name, profile: { model: 'closed', vus: 1, duration: '1s' }, steps: d.steps.map((x) => x.step) }, { file: 'pets.ts' }).steps
      .length,
    7,
  )
  const swagger = convert({
    swagger: '2.0',
    basePath: '/api',
    paths: {
      '/things': {
        post: {
          parameters: [{ name: 'body', in: 'body', schema: { type: 'object', properties: { n: { type: 'integer', minimum: 5 } } } }],
          responses: { 200: {} },
        },
      },
    },
  })
  assert.deepEqual(
    swagger.draft.steps.map((x) => [x.step.path, x.step.json]),
    [['/api/things', { n: 5 }]],
  )
})
