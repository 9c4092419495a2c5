import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { parseJsonPath, readJsonPath } from '../../scenarios/json-path.js'

const DOC = {
  a: { b: [{ c: 'deep' }, { c: 'second' }] },
  'a-b': 'dashed',
  'with space': 1,
  items: [{ id: 10 }, { id: 11 }, { id: 12 }, { id: 13 }],
  matrix: [
    [1, 2],
    [3, 4],
  ],
  name: 'golive',
  zero: 0,
  nothing: null,
}
const read = (path: string): unknown => readJsonPath(DOC, parseJsonPath(path))

describe('parseJsonPath', () => {
  it('$.a.b[0].c', () => {
    assert.deepEqual(parseJsonPath('$.a.b[0].c'), ['a', 'b', 0, 'c'])
    assert.equal(read('$.a.b[0].c'), 'deep')
    assert.equal(read('$.a.b[1].c'), 'second')
  })

  it('bracketed names: $[\'a-b\'], $["with space"]', () => {
    assert.deepEqual(parseJsonPath("$['a-b']"), ['a-b'])
    assert.equal(read("$['a-b']"), 'dashed')
    assert.deepEqual(parseJsonPath('$["with space"]'), ['with space'])
    assert.equal(read('$["with space"]'), 1)
  })

  it('the $ is optional: a.b, items[2].id', () => {
    assert.deepEqual(parseJsonPath('a.b'), ['a', 'b'])
    assert.deepEqual(parseJsonPath('items[2].id'), ['items', 2, 'id'])
    assert.equal(read('items[2].id'), 12)
  })

  it('surrounding whitespace is ignored', () => {
    assert.deepEqual(parseJsonPath('  $.name '), ['name'])
  })

  it('array indexes: numbers, not strings; nested arrays; a top-level array', () => {
    assert.deepEqual(parseJsonPath('$.items[3].id'), ['items', 3, 'id'])
    assert.equal(typeof parseJsonPath('$.items[3]')[1], 'number')
    assert.equal(read('$.items[3].id'), 13)
    assert.equal(read('$.matrix[1][0]'), 3)
    assert.deepEqual(readJsonPath([{ id: 'first' }, { id: 'second' }], parseJsonPath('$[1].id')), 'second')
  })

  it('$ alone is the whole document', () => {
    assert.deepEqual(parseJsonPath('$'), [])
    assert.equal(readJsonPath(DOC, parseJsonPath('$')), DOC)
  })

  it('falsy values are found, not missing', () => {
    assert.equal(read('$.zero'), 0)
    assert.equal(read('$.nothing'), null)
  })

  it('missing → undefined: absent keys, indexes past the end, paths through primitives and null', () => {
    assert.equal(read('$.absent'), undefined)
    assert.equal(read('$.a.x.y'), undefined)
    assert.equal(read('$.items[9].id'), undefined)
    assert.equal(read('$.name.length'), undefined)
    assert.equal(read('$.nothing.x'), undefined)
    assert.equal(readJsonPath(undefined, ['a']), undefined)
    assert.equal(readJsonPath('text', [0]), undefined)
  })

  it('rejects paths it cannot read, with a message naming the path and showing the form', () => {
    for (const bad of ['$..a', '$.', '$.a[', '$[x]', '$.a[-1]', 'a b', '$.a.[0]', '$.items[0]id', "$['a-b'", '$.a/b']) {
      assert.throws(
        () => parseJsonPath(bad),
        (e: Error) => {
          assert.ok(e.message.includes(`'${bad}'`), `message names the path: ${e.message}`)
          assert.match(e.message, /write it like \$\.items\[0\]\.id/)
          return true
        },
        bad,
      )
    }
  })
})
