// Tables that fit a width. Columns are data: a head, a cell function, whether the text may wrap,
// and a drop rank (the highest rank goes first when the table is too wide). A new column is one
// entry in a column list; the fitting is the same for every table.

import Table from 'cli-table3'
import { displayWidth } from './terminal-width.js'

export interface Column<T> {
  head: string
  cell: (row: T) => string
  /** free text that may wrap onto more lines when space is short */
  wrap?: boolean
  /** dropped when the table does not fit, highest first; absent = always shown */
  drop?: number
  /** narrowest this column may become (content columns are cut, not dropped, below it) */
  min?: number
  /** a wrap column that should not cut its longest word (a gate, a figure path) */
  keepWords?: boolean
}

type Paint = (tone: 'bold', text: string) => string

/** cli-table3 draws a border before, between and after columns; each cell has 1 column padding
 *  on either side. */
const tableWidth = (widths: number[]) => widths.reduce((a, b) => a + b, 0) + widths.length + 1

export function fittedTable<T>(columns: Column<T>[], rows: T[], width: number, paint: Paint): string {
  let cols = [...columns]
  const natural = (c: Column<T>, cells: string[]) => Math.max(displayWidth(c.head), ...cells.map(displayWidthOfLines)) + 2
  const cellsOf = (c: Column<T>) => rows.map((r) => c.cell(r))
  let cells = cols.map(cellsOf)
  let widths = cols.map((c, i) => natural(c, cells[i]!))
  // drop optional columns until what remains could fit with the wrap columns at their minimum
  const minimal = () => tableWidth(cols.map((c, i) => (c.wrap ? Math.min(widths[i]!, (c.min ?? 12) + 2) : widths[i]!)))
  while (minimal() > width) {
    const ranks = cols.map((c) => c.drop ?? -1)
    const top = Math.max(...ranks)
    if (top < 0) break
    const at = ranks.indexOf(top)
    cols = cols.filter((_, i) => i !== at)
    cells = cells.filter((_, i) => i !== at)
    widths = widths.filter((_, i) => i !== at)
  }
  const floors = cols.map((c, i) => {
    const base = c.wrap ? (c.min ?? 12) + 2 : Math.max(4, (c.min ?? 0) + 2)
    const word = c.keepWords ? Math.max(0, ...cells[i]!.flatMap((t) => t.split(/\s+/)).map(displayWidth)) + 2 : 0
    return Math.min(widths[i]!, Math.max(base, Math.min(word, Math.floor(width / 3))))
  })
  widths = shrink(cols, widths, width, floors)
  const t = new Table({
    head: cols.map((c) => (c.head ? paint('bold', c.head) : c.head)),
    // cli-table3 colours head and border by default; off, so colour is ours alone
    style: { head: [], border: [] },
    colWidths: widths,
    wordWrap: true,
    wrapOnWordBoundary: true,
  })
  for (let r = 0; r < rows.length; r++) t.push(cols.map((_, i) => cells[i]![r]!))
  return t.toString()
}

function displayWidthOfLines(text: string): number {
  return Math.max(0, ...text.split('\n').map(displayWidth))
}

/** Narrows the widest wrap columns first, then any column, until the table fits. */
function shrink<T>(cols: Column<T>[], widths: number[], width: number, floors: number[]): number[] {
  const w = [...widths]
  const floor = (i: number) => floors[i]!
  for (const pass of [true, false]) {
    while (tableWidth(w) > width) {
      // the widest column this pass may narrow
      let at = -1
      for (let i = 0; i < w.length; i++) {
        if (pass && !cols[i]!.wrap) continue
        if (w[i]! > floor(i) && (at < 0 || w[i]! > w[at]!)) at = i
      }
      if (at < 0) break
      w[at] = w[at]! - 1
    }
  }
  // last resort at a silly width: every column at 3 (cli-table3 cuts the content)
  while (tableWidth(w) > width && w.some((x) => x > 3)) w[w.indexOf(Math.max(...w))]! -= 1
  return w
}
