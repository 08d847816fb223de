// The report as one self-contained HTML file: the page's style, its bundled script (the
// model and the page code, page/main.ts) and its data, all inline. A Content Security
// Policy forbids every fetch, so the page cannot reach the network even by mistake, and
// nothing it needs lives outside the file (it works from file://).
//
// | block                                   | content                                     |
// | --------------------------------------- | ------------------------------------------- |
// | `<style>`                               | PAGE_CSS (cli/report/page-style.ts)         |
// | `<script type="application/json" id="kfib-data">` | ReportData (report-data.ts)       |
// | `<script type="application/x-ndjson" id="kfib-log">` | the event log, JSON Lines      |
// | `<script>`                              | the bundle; it reads both blocks            |
//
// Inside a <script> element the HTML parser looks only for `</script`; JSON and JSON Lines
// escape `<` as \u003c (still the same JSON), and the bundle's own `</script` and `<!--`
// (only possible inside its string literals) are escaped the same way.

import type { ReportData } from './report-data.js';

/** What the page is made of. */
export interface ReportParts {
  readonly data: ReportData;
  /** kfib's JSON Lines event log. */
  readonly log: string;
  /** The bundled page script (an IIFE). */
  readonly script: string;
  readonly css: string;
}

/** The ids of the data blocks, shared with the page script. */
export const DATA_ELEMENT_ID = 'kfib-data';
export const LOG_ELEMENT_ID = 'kfib-log';

/** JSON text made safe inside a <script> element (`<` as \u003c; U+2028/9 escaped too). */
export function scriptSafeJson(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A script made safe inside a <script> element. */
export function scriptSafeCode(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The Content-Security-Policy of every report: inline script and style, nothing fetched. */
export const REPORT_CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** The parts of a report's document around its two big blocks, for a writer that streams them. */
export interface ReportFrame {
  /** Everything up to the data block's JSON. */
  readonly head: string;
  /** The data's JSON (script-safe) before its moments' elements. */
  readonly dataStart: string;
  /** The data's JSON after its moments' elements (`],"problems":…}`). */
  readonly dataEnd: string;
  /** Between the data block and the log's lines. */
  readonly logStart: string;
  /** After the log: the script and the end of the document. */
  readonly tail: string;
}

/**
 * The document of a report cut around its moments and its log, which a writer streams in
 * between (each moment's JSON script-safe and comma-separated, the log script-safe): the
 * concatenation is byte for byte reportHtml()'s. `data.moments` is ignored; `moments` is
 * how many there are (for the loading line).
 */
export function reportFrame(data: ReportData, moments: number, script: string, css: string): ReportFrame {
  const title = `kfib report: ${data.title}`;
  const head = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="kfib replay --html">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${css.replace(/<\/(style)/gi, '<\\/$1')}</style>`,
    '</head>',
    '<body>',
    `<div id="app"><p class="loading">Replaying ${escapeHtml(data.title)} (${moments} notifications)…</p></div>`,
    '<noscript><p class="problem fatal">This report replays the trace in the browser: it needs JavaScript.</p></noscript>',
    `<script type="application/json" id="${DATA_ELEMENT_ID}">`,
  ].join('\n');
  // JSON.stringify of the data with its moments left empty, cut where they go: the same
  // bytes as the whole data's JSON once the moments' JSON is put in between.
  const json = scriptSafeJson(JSON.stringify({ ...data, moments: [] }));
  const cut = json.indexOf('"moments":[]') + '"moments":['.length;
  return {
    head,
    dataStart: json.slice(0, cut),
    dataEnd: json.slice(cut),
    logStart: `</script>\n<script type="application/x-ndjson" id="${LOG_ELEMENT_ID}">`,
    tail: [`</script>`, `<script>${scriptSafeCode(script)}</script>`, '</body>', '</html>', ''].join('\n'),
  };
}

/**
 * The HTML document of a report.
 * @example writeFileSync('report.html', reportHtml({ data, log, script, css }))
 * 1. head: charset, CSP, viewport, title, the style;
 * 2. body: the page's root (a "loading" line, replaced by the script), a <noscript> note;
 * 3. the data blocks, then the script.
 */
export function reportHtml(p: ReportParts): string {
  const f = reportFrame(p.data, p.data.moments.length, p.script, p.css);
  return `${f.head}${f.dataStart}${p.data.moments.map((m) => scriptSafeJson(JSON.stringify(m))).join(',')}${f.dataEnd}${f.logStart}${scriptSafeJson(p.log)}${f.tail}`;
}
