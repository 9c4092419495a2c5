import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseCsv, readRows } from '../../scenarios/feeder.js'
import { UsageError } from '../../core/errors.js'

const FIX = fileURLToPath(new URL('../fixtures/scenarios/', import.meta.url))
const fx = (name: string): string => join(FIX, name)

/** Asserts fn throws a UsageError whose message matches `re` and names `file`. */
function throwsUsage(fn: () => unknown, file: string, re: RegExp): UsageError {
  let caught: unknown
  assert.throws(fn, (e: unknown) => {
    caught = e
    return true
  })
  assert.ok(caught instanceof UsageError, `expected a UsageError, got ${String(caught)}`)
  assert.ok(caught.message.includes(file), `message names ${file}: ${caught.message}`)
  assert.match(caught.message, re)
  return caught
}

describe('parseCsv', () => {
  it('the header row names the fields of every following row', () => {
    assert.deepEqual(parseCsv('f.csv', 'username,password\nann,pw1\nbob,pw2\n'), [
      { username: 'ann', password: 'pw1' },
      { username: 'bob', password: 'pw2' },
    ])
  })

  it('header names are trimmed; values are kept as written', () => {
    assert.deepEqual(parseCsv('f.csv', ' user , pass\n ann ,x\n'), [{ user: ' ann ', pass: 'x' }])
  })

  it('a last row without a newline is read', () => {
    assert.deepEqual(parseCsv('f.csv', 'a,b\n1,2'), [{ a: '1', b: '2' }])
  })

  it('quoted fields may hold commas', () => {
    assert.deepEqual(parseCsv('f.csv', 'name,address\n"Smith, J","1 Main St, Apt 2"\n'), [{ name: 'Smith, J', address: '1 Main St, Apt 2' }])
  })

  it('doubled quotes inside a quoted field are one quote', () => {
    assert.deepEqual(parseCsv('f.csv', 'q\n"say ""hi"""\n""""\n'), [{ q: 'say "hi"' }, { q: '"' }])
  })

  it('an empty quoted field is empty', () => {
    assert.deepEqual(parseCsv('f.csv', 'a,b,c\n"",x,""\n'), [{ a: '', b: 'x', c: '' }])
  })

  it('quoted fields may hold newlines', () => {
    assert.deepEqual(parseCsv('f.csv', 'a,b\n"line1\nline2",x\n'), [{ a: 'line1\nline2', b: 'x' }])
  })

  it('CRLF line ends leave no \\r in names or values', () => {
    const rows = parseCsv('f.csv', 'a,b\r\n1,2\r\n3,4\r\n')
    assert.deepEqual(rows, [
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ])
    assert.ok(!JSON.stringify(rows).includes('\\r'))
  })

  it('blank lines (LF or CRLF) are skipped, wherever they are', () => {
    assert.deepEqual(parseCsv('f.csv', '\na,b\n\n1,2\n\n\n3,4\r\n\r\n'), [
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ])
  })

  it('short rows fill the missing fields with empty strings; extra fields are dropped', () => {
    assert.deepEqual(parseCsv('f.csv', 'a,b,c\n1\n1,2,3,4\n'), [
      { a: '1', b: '', c: '' },
      { a: '1', b: '2', c: '3' },
    ])
  })

  it('no text, or only blank lines: no rows', () => {
    assert.deepEqual(parseCsv('f.csv', ''), [])
    assert.deepEqual(parseCsv('f.csv', '\n\r\n'), [])
    assert.deepEqual(parseCsv('f.csv', 'a,b\n'), [])
  })

  it('an unclosed quote is an error naming the file', () => {
    throwsUsage(() => parseCsv('data/users.csv', 'a,b\n"open,x\n1,2\n'), 'data/users.csv', /quoted field is never closed/)
  })
})

describe('readRows', () => {
  it('reads a CSV file', () => {
    assert.deepEqual(readRows(fx('users.csv')), [
      { username: 'ann', password: 'pw-ann' },
      { username: 'bob', password: 'pw-bob' },
      { username: 'cid', password: 'pw-cid' },
    ])
  })

  it('reads a CSV file with quoted headers, CRLF, a blank line and a quoted newline', () => {
    assert.deepEqual(readRows(fx('quoted.csv')), [
      { name: 'Smith, J', note: 'said "hi"' },
      { name: 'plain', note: 'two\nlines' },
    ])
  })

  it('reads JSON rows keeping their types', () => {
    const rows = readRows(fx('rows.json'))
    assert.deepEqual(rows, [
      { username: 'ann', id: 1, admin: true },
      { username: 'bob', id: 2, admin: false, team: null },
    ])
    assert.equal(typeof rows[0]!.id, 'number')
  })

  it('the shipped users.csv has one demo user per line', () => {
    const rows = readRows(fileURLToPath(new URL('../../scenarios/data/users.csv', import.meta.url)))
    assert.ok(rows.length >= 100, `${rows.length} rows`)
    assert.deepEqual(rows[0], { username: 'user1', password: 'golive-demo' })
  })

  it('an empty file is an error: no rows', () => {
    const e = throwsUsage(() => readRows(fx('empty.csv')), fx('empty.csv'), /has no rows/)
    assert.match(e.hint ?? '', /at least one row/)
  })

  it('a CSV with only a header is an error: no rows', () => {
    throwsUsage(() => readRows(fx('header-only.csv')), fx('header-only.csv'), /has no rows/)
  })

  it('an empty JSON array is an error: no rows', () => {
    throwsUsage(() => readRows(fx('empty.json')), fx('empty.json'), /has no rows/)
  })

  it('JSON that is not an array of objects is an error showing the expected shape', () => {
    throwsUsage(() => readRows(fx('not-array.json')), fx('not-array.json'), /must hold a JSON array of objects/)
  })

  it('JSON with a syntax error is an error', () => {
    throwsUsage(() => readRows(fx('bad-syntax.json')), fx('bad-syntax.json'), /is not valid JSON/)
  })

  it('an unclosed quote in a CSV file is an error', () => {
    throwsUsage(() => readRows(fx('unclosed.csv')), fx('unclosed.csv'), /never closed/)
  })

  it('a missing file is an error with a hint about the path', () => {
    const e = throwsUsage(() => readRows(fx('no-such.csv')), fx('no-such.csv'), /cannot be read/)
    assert.match(e.hint ?? '', /relative to the scenario file/)
  })

  it('a directory cannot be read as data', () => {
    throwsUsage(() => readRows(FIX), FIX, /cannot be read/)
  })
})

describe('CSV as spreadsheets save it (RFC 4180, BOM)', () => {
  it('a file with a UTF-8 BOM, quoted header names, CRLF, and quotes, commas and line breaks inside fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'golive-feeder-'))
    const file = join(dir, 'users.csv')
    writeFileSync(file, '\uFEFF"username","note"\r\n"ann","says ""hi"", then\r\nleaves"\r\nbob,plain\r\n')
    assert.deepEqual(readRows(file), [
      { username: 'ann', note: 'says "hi", then\r\nleaves' },
      { username: 'bob', note: 'plain' },
    ])
  })
})
