// The report page's style sheet (inlined by report-html.ts). System fonts only: the page
// loads nothing. Status colours are shared by the timeline and the tables: red for what
// changed silently, blue for notifications, green/amber/grey for a device's state.

/** The CSS of the report page. */
export const PAGE_CSS = `
:root {
  --fg: #1d1f21; --muted: #5f6368; --line: #d7dadf; --bg: #ffffff; --panel: #f6f7f9;
  --cause: #2f5f9e; --consequence: #8fb3e0; --state: #4d8f8f; --ignored: #a0a0a0;
  --silent: #d0021b; --silent-bg: #fde8ea; --added: #1e7b34; --added-bg: #e6f4ea;
  --deleted: #6b6f76; --changed: #a15c00; --changed-bg: #fff4e0;
  --up: #5cb85c; --nocarrier: #f0ad4e; --down: #c4c7cc; --cursor: #111;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 14px; color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 12px 16px 24px; }
h1 { font-size: 18px; margin: 0 0 4px; }
h2 { font-size: 15px; margin: 0 0 6px; }
h3 { font-size: 13px; margin: 14px 0 4px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); }
pre, code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
.loading { color: var(--muted); }
.summary { margin: 0 0 6px; color: var(--muted); }
.problems { margin: 4px 0 8px; padding-left: 18px; }
.problem { color: #8a5300; }
.problem.fatal { color: var(--silent); font-weight: 600; }
.toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 6px 0; }
.toolbar .group { display: inline-flex; gap: 2px; align-items: center; margin-right: 10px; }
.toolbar .label { color: var(--muted); margin-right: 4px; }
button { font: inherit; font-size: 12px; padding: 2px 8px; border: 1px solid var(--line); background: #fff; border-radius: 4px; cursor: pointer; }
button:hover { background: var(--panel); }
button[aria-pressed="true"] { background: #e8eef7; border-color: var(--cause); }
.legend { display: inline-flex; gap: 12px; color: var(--muted); font-size: 12px; flex-wrap: wrap; }
.legend .sw { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
#timeline { border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px 6px; background: #fff; }
#timeline-svg { display: block; width: 100%; user-select: none; cursor: crosshair; }
#timeline-svg text { font-size: 11px; fill: var(--muted); }
#timeline-svg .lane-label { fill: var(--fg); }
#timeline-svg .silent-mark { fill: var(--silent); stroke: #fff; stroke-width: 1; cursor: pointer; }
#timeline-svg .silent-mark:hover { stroke: var(--cursor); }
#timeline-svg .cursor { stroke: var(--cursor); stroke-width: 1.5; }
#timeline-svg .hover-line { stroke: #999; stroke-dasharray: 3 3; }
#timeline-svg .grid { stroke: #eef0f3; }
#hover { min-height: 18px; color: var(--muted); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.columns { display: grid; grid-template-columns: minmax(380px, 5fr) minmax(420px, 7fr); gap: 14px; margin-top: 12px; align-items: start; }
@media (max-width: 960px) { .columns { grid-template-columns: 1fr; } }
.panel { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--panel); min-width: 0; }
.record { margin: 2px 0 6px; }
.role { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; color: #fff; margin-right: 6px; }
.role.cause { background: var(--cause); } .role.consequence { background: var(--consequence); color: #123; }
.role.state { background: var(--state); } .role.ignored { background: var(--ignored); } .role.initial { background: var(--muted); }
ul.events, ul.notes { margin: 2px 0; padding-left: 18px; }
.silent-group { background: var(--silent-bg); border-left: 3px solid var(--silent); padding: 4px 8px; margin: 4px 0; }
.silent-group .cause { color: var(--muted); font-size: 12px; margin: 0 0 2px; }
ul.silent-list { list-style: none; margin: 0; padding: 0; max-height: 360px; overflow-y: auto; }
ul.silent-list li { padding: 1px 0; }
.none { color: var(--muted); font-style: italic; }
.pending { color: var(--muted); font-style: italic; }
form.lookup { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)) auto; gap: 4px; align-items: end; }
form.lookup label { display: flex; flex-direction: column; font-size: 11px; color: var(--muted); }
form.lookup input { font: inherit; font-size: 12px; padding: 3px 4px; border: 1px solid var(--line); border-radius: 3px; min-width: 0; }
.answer { margin-top: 6px; background: #fff; border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; }
.answer .command { color: var(--muted); }
.answer .stderr { color: var(--silent); }
details.json summary { cursor: pointer; color: var(--muted); font-size: 12px; }
table.grid { border-collapse: collapse; width: 100%; font-size: 12px; }
table.grid th, table.grid td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.grid th { color: var(--muted); font-weight: 600; }
table.nearby tr { cursor: pointer; }
table.nearby tr:hover td { background: #eef3fb; }
table.nearby tr.selected td { background: #dde8f8; font-weight: 600; }
table.nearby td.silent { color: var(--silent); font-weight: 600; }
.fib-table { margin: 6px 0 10px; background: #fff; border: 1px solid var(--line); border-radius: 4px; }
.fib-table > summary { cursor: pointer; padding: 4px 8px; font-weight: 600; }
.fib-table > summary .counts { font-weight: normal; color: var(--muted); margin-left: 6px; }
.fib-table > pre { padding: 4px 8px 6px; border-top: 1px solid var(--line); }
.row { display: block; }
.row.added { background: var(--added-bg); color: var(--added); }
.row.deleted { color: var(--deleted); text-decoration: line-through; }
.row.gone-silently { background: var(--silent-bg); color: var(--silent); text-decoration: line-through; }
.row.replaced { color: var(--deleted); text-decoration: line-through; }
.row.changed-silently { background: var(--changed-bg); color: var(--changed); }
.row-note { display: block; font-size: 11px; color: var(--muted); padding-left: 2ch; white-space: normal; }
.row-note.gone-silently { color: var(--silent); }
.row-note .tag { font-weight: 600; }
.onoff.on { color: var(--added); font-weight: 600; } .onoff.off { color: var(--muted); }
.state-up { color: var(--added); } .state-nocarrier { color: var(--changed); } .state-down { color: var(--muted); }
.nowrap { white-space: nowrap; }
.timing { color: var(--muted); font-size: 11px; margin-top: 16px; }
`;
