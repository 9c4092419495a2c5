// What a chart is, as data: the renderer builds these from results.json, the page's script
// (client.ts) turns each into a uPlot chart. Only numbers and fixed labels are drawn; lane and
// mark labels from a target are drawn on the canvas (fillText) or set as textContent: inert.

export interface ChartSeries {
  label: string
  values: (number | null)[]
  color: string
  /** 'line' (default), 'points' (markers only), 'bars', 'step' */
  style?: 'line' | 'points' | 'bars' | 'step'
  /** the right-hand axis */
  right?: boolean
  /** the timeline field the values come from: the live dashboard appends point[key] each second */
  key?: string
  /** a 0 is drawn as no marker (errors as points) */
  gapZero?: boolean
}

export interface ChartSpec {
  id: string
  x: number[]
  xLabel: string
  yLabel: string
  y2Label?: string
  series: ChartSeries[]
  /** category names for the x axis (x = 0, 1, 2 …): histogram buckets, runs */
  xNames?: string[]
  /** category names for the y axis (y = 0, 1, 2 …): timeline lanes */
  lanes?: string[]
  /** vertical marks: fault injected, recovered, … */
  marks?: { x: number; label: string }[]
  /** horizontal target lines on the left axis */
  targets?: { y: number; label: string }[]
  height?: number
}

export const COLORS = {
  p50: '#2b8a3e',
  p95: '#1864ab',
  max: '#868e96',
  users: '#e8590c',
  errors: '#c92a2a',
  requests: '#1864ab',
  bars: '#4c6ef5',
  ok: '#2b8a3e',
  bad: '#c92a2a',
  warn: '#e67700',
  other: '#7048e8',
}
