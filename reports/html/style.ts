// The report's own styles: readable on a laptop and in print, no web fonts, no network.

export const CSS = `
:root { --ok: #2b8a3e; --bad: #c92a2a; --warn: #b35c00; --muted: #6b7280; --line: #dee2e6; --bg: #f8f9fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #212529; background: #fff; }
main { max-width: 1200px; margin: 0 auto; padding: 0 20px 40px; }
h1 { margin: 0; font-size: 40px; letter-spacing: 1px; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
h3 { margin-top: 24px; }
.verdict { padding: 20px 24px; color: #fff; }
.verdict.go { background: var(--ok); }
.verdict.no-go { background: var(--bad); }
.verdict .summary { font-size: 16px; margin: 6px 0 0; }
.verdict .partial { background: rgba(0,0,0,.25); padding: 6px 10px; border-radius: 4px; display: inline-block; margin-top: 8px; }
.blockers { background: #fff5f5; border: 1px solid #ffc9c9; border-radius: 6px; padding: 8px 16px; margin-top: 16px; }
.blockers li { margin: 4px 0; }
.facts, .muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: var(--bg); font-weight: 600; }
table.num td { font-variant-numeric: tabular-nums; }
table.kv { width: auto; } table.kv th { background: none; font-weight: 500; color: var(--muted); } main td { font-variant-numeric: tabular-nums; }
.tag { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; background: #e9ecef; }
.tag.ok, .tag.good { background: #d3f9d8; color: var(--ok); }
.tag.bad { background: #ffe3e3; color: var(--bad); }
.tag.warn { background: #fff3bf; color: var(--warn); }
.tag.muted { color: var(--muted); }
span.ok { color: var(--ok); } span.bad { color: var(--bad); font-weight: 600; } span.warn { color: var(--warn); }
.note { background: #fff9db; border-left: 4px solid #fab005; padding: 6px 10px; }
.target-text { white-space: pre-wrap; word-break: break-word; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
pre { background: var(--bg); padding: 8px; overflow: auto; max-height: 400px; font-size: 12px; }
figure.chart { margin: 12px 0 20px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.plot { width: 100%; min-height: 120px; }
details { margin: 6px 0; } summary { cursor: pointer; color: #1864ab; }
footer { color: var(--muted); margin-top: 40px; font-size: 12px; }
@media print { .verdict { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
`
