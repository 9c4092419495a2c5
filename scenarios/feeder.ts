// Data feeders: rows from a CSV (header row) or JSON (array of objects) file, handed to users.

import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { UsageError } from '../core/errors.js'

export type Row = Record<string, string | number | boolean | null>

export function readRows(file: string): Row[] {
  let text: string
  try {
    // a UTF-8 byte order mark (Excel's "CSV UTF-8") is not part of the first column's name
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '')
  } catch {
    throw new UsageError(`data file ${file} cannot be read`, 'check the data.file path; it is relative to the scenario file')
  }
  const rows = extname(file).toLowerCase() === '.json' ? parseJsonRows(file, text) : parseCsv(file, text)
  if (rows.length === 0) throw new UsageError(`data file ${file} has no rows`, 'add at least one row after the header')
  return rows
}

function parseJsonRows(file: string, text: string): Row[] {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (e) {
    throw new UsageError(`data file ${file} is not valid JSON: ${(e as Error).message}`)
  }
  if (!Array.isArray(data) || !data.every((r) => r && typeof r === 'object' && !Array.isArray(r))) {
    throw new UsageError(`data file ${file} must hold a JSON array of objects, like [{"username": "a"}]`)
  }
  return data as Row[]
}

/** RFC 4180 CSV: quoted fields (commas, doubled quotes and line breaks inside), CRLF or LF,
 *  an optional UTF-8 byte order mark. */
export function parseCsv(file: string, raw: string): Row[] {
  const text = raw.replace(/^\uFEFF/, '')
  const records: string[][] = []
  let field = '',
    record: string[] = [],
    inQuotes = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') inQuotes = false
      else field += c
    } else if (c === '"' && field === '') inQuotes = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      record.push(field)
      field = ''
      if (record.some((f) => f !== '')) records.push(record)
      record = []
    } else field += c
  }
  if (inQuotes) throw new UsageError(`data file ${file}: a quoted field is never closed`)
  record.push(field)
  if (record.some((f) => f !== '')) records.push(record)
  const [header, ...body] = records
  if (!header) return []
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), r[i] ?? ''])))
}
