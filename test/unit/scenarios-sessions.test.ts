// The session pieces without a network: the shared redirect and URL logic agrees with WHATWG URL
// (which the k6 runtime lacks), form encoding with URLSearchParams, and the compile-time errors
// of the session fields name the path and the fix.

import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compileScenario } from '../../scenarios/compile.js'
import type { Scenario, Step } from '../../scenarios/dsl.js'
import { encodeForm } from '../../scenarios/form-body.js'
import { multipartBody } from '../../scenarios/multipart.js'
import { hrefOf, nextMethod, originOf, parseUrl, resolveReference } from '../../scenarios/redirects.js'
import { assertK6Expressible } from '../../scenarios/engines/k6/refusals.js'

describe('redirects: URLs without WHATWG URL', () => {
  it('normalises origins as WHATWG URL does', () => {
    for (const u of ['HTTP://Ex.COM:80/a', 'https://x.test:443', 'http://user:pw@127.0.0.1:8080/p?q', 'http://[::1]:9000/x', 'https://a.b:8443/']) {
      assert.equal(originOf(parseUrl(u)!), new URL(u).origin, u)
    }
    assert.equal(parseUrl('ftp://x/'), null)
    assert.equal(parseUrl('/relative'), null)
  })
  it('resolves Location references as WHATWG URL does', () => {
    const base = 'http://ex.com/a/b/c?x=1'
    for (const ref of ['/p', 'd', '../d', './', '?y', '//o.com/z', 'https://q:443/x', '../../../../g', 'g/..', 'e/./f/../g?k=v', '', '#frag', '/p#f']) {
      // fragments are never sent, so the resolver drops them
      assert.equal(hrefOf(resolveReference(ref, parseUrl(base)!)!), new URL(ref, base).href.replace(/#.*$/, ''), JSON.stringify(ref))
    }
    assert.equal(resolveReference('mailto:a@b', parseUrl(base)!), null)
  })
  it('changes method and body as browsers do', () => {
    const t = (status: number, method: string) => {
      const m = nextMethod(status, method)
      return `${m.method}${m.keepBody ? '+body' : ''}`
    }
    assert.deepEqual(
      [301, 302, 303, 307, 308].map((s) => t(s, 'POST')),
      ['GET', 'GET', 'GET', 'POST+body', 'POST+body'],
    )
    assert.deepEqual(
      [301, 302, 303, 307, 308].map((s) => t(s, 'PUT')),
      ['PUT+body', 'PUT+body', 'GET', 'PUT+body', 'PUT+body'],
    )
    assert.equal(t(303, 'HEAD'), 'HEAD')
  })
})

describe('bodies', () => {
  it('form encoding equals URLSearchParams', () => {
    const fields: [string, string][] = [
      ['a b', "é&=+~!'()*-._"],
      ['x', '😀\n%20'],
      ['', ''],
    ]
    assert.equal(encodeForm(fields), new URLSearchParams(fields).toString())
  })
  it('a multipart body parses back (undici) with its fields and file bytes', async () => {
    const bytes = new Uint8Array([0, 255, 13, 10, 45, 45])
    const body = multipartBody(
      [
        { name: 'n"a', text: 'é' },
        { name: 'f', bytes, filename: 'a.bin', contentType: 'application/x-test' },
      ],
      'BOUND',
    )
    const form = await new Response(Buffer.from(body), { headers: { 'content-type': 'multipart/form-data; boundary=BOUND' } }).formData()
    assert.deepEqual([...form.keys()], ['n"a', 'f'])
    assert.equal(form.get('n"a'), 'é')
    const f = form.get('f') as File
    assert.equal(f.type, 'application/x-test')
    assert.deepEqual(new Uint8Array(await f.arrayBuffer()), bytes)
  })
})

const dir = mkdtempSync(join(tmpdir(), 'golive-sess-unit-'))
writeFileSync(join(dir, 'a.png'), 'png')
const file = join(dir, 'sc.ts')
const scen = (steps: Partial<Step>[], extra: Partial<Scenario> = {}): Scenario =>
  ({ name: 's', profile: { model: 'closed', vus: 1, duration: '1s' }, steps: steps.map((s, i) => ({ name: `st${i}`, path: '/', ...s })), ...extra }) as Scenario
const compile = (s: Scenario) => compileScenario(s, { file })
const fails = (s: Scenario, re: RegExp) =>
  assert.throws(
    () => compile(s),
    (e: Error & { hint?: string }) => re.test(`${e.message} | ${e.hint}`),
  )

describe('compile: session fields', () => {
  it('defaults: a jar per journey, 10 redirects, POST for a form, files read once into the plan', () => {
    const p = compile(
      scen([{ form: { a: '{{x}}' } }, { multipart: { f: { file: './a.png' } }, redirects: 0 }, { capture: { sid: { cookie: 'sid' } } }], { redirects: 3 }),
    )
    assert.equal(p.cookies, 'journey')
    assert.deepEqual(
      p.steps.map((s) => [s.method, s.redirects]),
      [
        ['POST', 3],
        ['POST', 0],
        ['GET', 3],
      ],
    )
    assert.deepEqual(p.steps[1]!.multipart, [
      { name: 'f', file: { data: Buffer.from('png').toString('base64'), filename: 'a.png', contentType: 'application/octet-stream' } },
    ])
    assert.deepEqual(p.steps[2]!.cookieCaptures, [{ name: 'sid', cookie: 'sid' }])
    assert.deepEqual(p.steps[2]!.captures, [])
    assert.equal(compile(scen([{}], { cookies: 'keep' })).cookies, 'keep')
    assert.equal(compile(scen([{}], { cookies: false })).cookies, 'off')
  })
  it('errors name the path and the fix', () => {
    fails(scen([{ json: {}, form: { a: 'b' } }]), /steps\[0\]: both json and form are set.*keep one of json, form/)
    fails(scen([{ body: 'x', multipart: { a: 'b' }, form: { a: 'b' } }]), /body and form and multipart are set/)
    fails(scen([{ redirects: -1 }]), /steps\[0\]\.redirects: expected a whole number/)
    fails(scen([{}], { redirects: 1.5 }), /sc\.ts: redirects: expected a whole number/)
    fails(scen([{}], { cookies: 'yes' as never }), /cookies: expected true, false or 'keep'/)
    fails(
      scen([{ multipart: { f: { file: './missing.png' } } }]),
      /steps\[0\]\.multipart\.f\.file: cannot read .*missing\.png \(ENOENT\).*relative to the scenario file/,
    )
    fails(scen([{ capture: { s: { cookie: 'sid' } } }], { cookies: false }), /capture\.s: a cookie capture reads the cookie jar.*cookies: false/)
    fails(scen([{ form: { a: { b: 1 } as never } }]), /steps\[0\]\.form\.a: expected text/)
  })
  it('the k6 compiler knows the new fields', () => {
    assert.doesNotThrow(() =>
      assertK6Expressible(scen([{ form: { a: 'b' }, redirects: 2 }, { multipart: { f: 'x' } }], { cookies: 'keep', redirects: 1 }), file),
    )
  })
})

describe('the target carries the origin policy', () => {
  it('hosts become origins beside the base URL; a bad one is a usage error naming it', async () => {
    const { resolveTarget } = await import('../../cli/target.js')
    const r = await resolveTarget({ baseUrl: 'http://127.0.0.1:8080/app', hosts: ['HTTP://127.0.0.2:80/x', 'https://cdn.example.com:443'] } as never, dir)
    assert.deepEqual([r.target.origin, r.target.hosts], ['http://127.0.0.1:8080', ['http://127.0.0.2', 'https://cdn.example.com']])
    await assert.rejects(resolveTarget({ baseUrl: 'http://127.0.0.1:8080', hosts: ['nope'] } as never, dir), /hosts\[0\] 'nope' is not a URL/)
  })
})
