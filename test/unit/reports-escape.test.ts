import { test } from 'node:test'
import assert from 'node:assert/strict'
import { escapeMarkdownCell, escapeXml, escapeXmlAttr, singleLine, stripControl } from '../../reports/escape.js'

test('stripControl removes SGR, OSC 8 hyperlinks and C1 CSI whole', () => {
  assert.equal(stripControl('a\u001b[31mRED\u001b[0mb'), 'aREDb')
  assert.equal(stripControl('\u001b]8;;http://evil.example\u0007link\u001b]8;;\u001b\\'), 'link')
  assert.equal(stripControl('x\u009b2Jy'), 'xy')
  assert.equal(stripControl('\u001b[2J\u001b[H\u001b[?25lclear'), 'clear')
})

test('stripControl keeps newline and tab, drops other C0, DEL, C1 and bidi overrides', () => {
  assert.equal(stripControl('a\nb\tc'), 'a\nb\tc')
  assert.equal(stripControl('a\r\u0000\u0007\u0008\u007f\u0085\u202eb'), 'ab')
})

test('stripControl leaves no ESC even from broken or nested sequences', () => {
  for (const s of ['\u001b', '\u001b]8;;unterminated', '\u001b\u0000[31m', '\u001b\u001b[31m[0m', '\u009d0;title']) {
    assert.doesNotMatch(stripControl(s), /[\u001b\u009b\u009d]/, JSON.stringify(s))
  }
})

test('singleLine folds newlines and tabs into single spaces', () => {
  assert.equal(singleLine('  first\r\n\tsecond \n third  '), 'first second third')
})

test('escapeXml escapes markup and quotes', () => {
  assert.equal(escapeXml(`<a href="x">&'</a>`), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;')
})

test('escapeXml drops what XML 1.0 cannot carry but keeps astral characters', () => {
  assert.equal(escapeXml('a\u0000b\u000bc\ufffed\ud800e\udc00f'), 'abcdef')
  assert.equal(escapeXml('ok 😀\nnext'), 'ok 😀\nnext')
  assert.equal(escapeXml('\u001b[31mred'), 'red')
})

test('escapeXmlAttr keeps newlines and tabs as character references', () => {
  assert.equal(escapeXmlAttr('a\nb\tc"'), 'a&#10;b&#9;c&quot;')
})

test('escapeMarkdownCell neutralises pipes, HTML, backticks, emphasis, links and newlines', () => {
  assert.equal(escapeMarkdownCell('a | b'), 'a \\| b')
  assert.equal(escapeMarkdownCell('<script>&'), '&lt;script&gt;&amp;')
  assert.equal(escapeMarkdownCell('`x`'), '\\`x\\`')
  assert.equal(escapeMarkdownCell('*_~'), '\\*\\_\\~')
  assert.equal(escapeMarkdownCell('![t](http://x)'), '!\\[t\\](http://x)')
  assert.equal(escapeMarkdownCell('one\ntwo\tthree'), 'one<br>two three')
  // an entity the target wrote stays literal text, and a backslash cannot unescape our pipe
  assert.equal(escapeMarkdownCell('&lt;'), '&amp;lt;')
  assert.equal(escapeMarkdownCell('\\|'), '\\\\\\|')
})
