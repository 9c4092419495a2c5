import { test } from 'node:test'
import assert from 'node:assert/strict'
import { json, scorecardJson } from '../../reports/json.js'
import { fixture, HOSTILE } from '../support/report-fixture.js'

test('results.json round-trips the results exactly, hostile text included', () => {
  const input = fixture()
  const text = json.render(input)
  assert.equal(json.fileName, 'results.json')
  assert.deepEqual(JSON.parse(text), input.results)
  assert.equal(JSON.parse(text).scenarios[0].topErrors[0].message, HOSTILE)
  // the escape survives as \u001b, never as a raw ESC that would colour a `cat`
  assert.doesNotMatch(text, /\u001b/)
  assert.match(text, /\n  "run": \{/)
})

test('scorecard.json round-trips the scorecard', () => {
  const input = fixture()
  assert.equal(scorecardJson.fileName, 'scorecard.json')
  assert.deepEqual(JSON.parse(scorecardJson.render(input)), input.scorecard)
})
