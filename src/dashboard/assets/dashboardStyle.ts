/** The dashboard's style sheet (served as /assets/dashboard.css). */
export const dashboardStyle = `
:root { --bg: #0f1419; --card: #171d24; --fg: #e6e9ec; --muted: #8a96a3; --line: #2a333d; --up: #3fb950; --down: #f85149; --warn: #d29922; --accent: #58a6ff; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
header { padding: 12px 20px; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 20px; }
h2 { margin: 0 0 8px; font-size: 15px; color: var(--muted); font-weight: 600; }
main { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 12px; padding: 12px 20px; max-width: 1600px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px; min-width: 0; }
.wide { grid-column: 1 / -1; }
.span2, .span1 { grid-column: 1 / -1; }
@media (min-width: 1100px) { .span2 { grid-column: span 2; } .span1 { grid-column: span 1; } }
.meta, .muted { color: var(--muted); }
.badges { margin-top: 6px; }
.badge { display: inline-block; padding: 2px 8px; border-radius: 10px; background: var(--line); font-size: 12px; font-weight: 600; }
.badge.ok { background: #1f3d2a; color: var(--up); }
.badge.bad { background: #4a1e1e; color: var(--down); }
.reasons { margin: 6px 0 0; padding-left: 18px; color: var(--down); }
dl.figures { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); white-space: nowrap; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
.num { text-align: right; }
td.wrap { white-space: normal; min-width: 140px; }
.up { color: var(--up); }
.down { color: var(--down); }
.paused { color: var(--warn); font-weight: 600; }
.faulted, .halted { color: var(--down); font-weight: 600; }
.alerts { list-style: none; margin: 0; padding: 0; max-height: 360px; overflow-y: auto; }
.alerts li { padding: 4px 0; border-bottom: 1px solid var(--line); white-space: pre-wrap; word-break: break-word; }
.alerts .prio { display: inline-block; min-width: 56px; color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: 8px; margin-top: 8px; }
.chart svg { width: 100%; height: auto; display: block; background: #11161c; border-radius: 4px; }
.chart .title { font-size: 12px; color: var(--muted); margin: 2px 0; }
svg .line { fill: none; stroke: var(--accent); stroke-width: 1.5; }
svg .base { stroke: var(--line); stroke-dasharray: 4 3; }
svg text { fill: var(--muted); font-size: 11px; }
input { background: #0b0f13; color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 4px 6px; width: 100%; }
button { background: #21262d; color: var(--fg); border: 1px solid var(--line); border-radius: 4px; padding: 3px 10px; cursor: pointer; }
button:hover { border-color: var(--accent); }
code { color: var(--accent); }
footer { padding: 8px 20px 20px; }
footer a { color: var(--accent); }
`;
