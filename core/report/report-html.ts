// The report as one self-contained HTML file: the page's style, its bundled script (the
// model and the page code, page/main.ts) and its data, all inline. A Content Security
// Policy forbids every fetch, so the page cannot reach the network even by mistake, and
// nothing it needs lives outside the file (it works from file://).
//
// | block                                   | content                                     |
// | --------------------------------------- | ------------------------------------------- |
// | `<style>`                               | PAGE_CSS (cli/report/page-style.ts)         |
// | `<script>` (a few lines)                | TRUNCATION_GUARD: a file cut before the bundle says so |
// | `<script type="application/json" id="kfib-data">` | ReportData (report-data.ts)       |
// | `<script type="…" id="kfib-moments">`, texts, objects | BLOCKS below (early ones)     |
// | `<script>`                              | the bundle; it reads the blocks above       |
// | `<script type="…" id="kfib-events">`    | the events (a late block)                   |
//
// The events come after the script because the page needs them only to fold the FIB, not
// to draw: the HTML parser's time grows with the characters it scans (about 12 MB/s in
// headless Chromium here), and the events of a million notifications are 8 MB of base64,
// half the document. Placed after the script, they are parsed while the page is already
// drawn and answering clicks (the parser yields between chunks); the page reads them at
// DOMContentLoaded and draws the FIB then.
//
// Inside a <script> element the HTML parser looks only for `</script`; base64 has no `<`; JSON and JSON Lines
// escape `<` as \u003c (still the same JSON), and the bundle's own `</script` and `<!--`
// (only possible inside its string literals) are escaped the same way.

import type { ReportBlocks, ReportData, SeriesData } from './report-data.js';
import { fromBase64, toBase64 } from './page-codec.js';
import { encodeTextPages, TEXT_PAGE } from './text-pages.js';

/** What the page is made of. */
export interface ReportParts {
  readonly data: ReportData;
  readonly blocks: ReportBlocks;
  /** Raw DEFLATE (node:zlib deflateRawSync in Node; the core does not compress). */
  readonly deflate: (b: Uint8Array) => Uint8Array;
  /** The bundled page script (an IIFE). */
  readonly script: string;
  readonly css: string;
}

/** The id of the data block, shared with the page script. */
export const DATA_ELEMENT_ID = 'kfib-data';

/**
 * The packed blocks, in document order (report-data.ts), written as base64; all but the
 * events are compressed with raw DEFLATE first (RFC 1951; the page inflates it with fflate, synchronously). The summaries of a million route
 * notifications are 43 MB of text and about a tenth of that deflated, and the HTML parser's
 * time grows with the document; the events are mostly random addresses (deflate keeps three
 * quarters of them) and inflating them cost more than parsing their base64 (measured on a
 * million-event page: 761 ms to inflate, against about 220 ms for 2 MB more to parse).
 * The text blocks (texts, objects) are their UTF-8 bytes; the texts are paged (text-pages.ts:
 * each page of summaries deflated on its own, inflated by the page only when shown).
 */
export const BLOCKS = [
  { key: 'moments', id: 'kfib-moments', deflate: true, paged: false, late: false },
  { key: 'texts', id: 'kfib-texts', deflate: true, paged: true, late: false },
  { key: 'objects', id: 'kfib-objects', deflate: true, paged: false, late: false },
  { key: 'events', id: 'kfib-events', deflate: false, paged: false, late: true },
] as const;

/** The type of a block element (a paged block: text-pages.ts). */
export function blockType(b: { readonly deflate: boolean; readonly paged: boolean }): string {
  if (b.paged) return `application/octet-stream;deflate-raw;base64;pages=${TEXT_PAGE}`;
  return b.deflate ? 'application/octet-stream;deflate-raw;base64' : 'application/octet-stream;base64';
}

export type BlockKey = (typeof BLOCKS)[number]['key'];

/** The first block after the page's script (the blocks are in document order, early ones first); null: the script ends the document. */
const FIRST_LATE: BlockKey | null = BLOCKS.find((b) => b.late)?.key ?? null;

/**
 * A few lines run before everything else: when the document is parsed and the page's
 * script has neither drawn the page nor named a fault, the script never ran (the file ends
 * before it: cut short), and the page says so instead of "Opening…" for ever.
 */
export const TRUNCATION_GUARD = [
  "document.addEventListener('DOMContentLoaded', function () {",
  '  var d = document.documentElement.dataset, app = document.getElementById("app");',
  '  if (d.kfibInteractiveMs !== undefined || d.kfibReady !== undefined || app === null) return;',
  '  var p = document.createElement("p");',
  '  p.className = "problem fatal"; p.id = "fatal";',
  '  p.textContent = "This report cannot be shown: the file ends before the page script (it may be truncated); write it again with kfib replay --html.";',
  '  app.replaceChildren(p);',
  '  d.kfibReady = "error";',
  '});',
].join('\n');

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

/** The parts of a report's document around its blocks, for a writer that streams them. */
export interface ReportFrame {
  /** Everything up to the data block's JSON. */
  readonly head: string;
  /** The data's JSON, script-safe. */
  readonly data: string;
  /** What comes before a block's content (after the previous block; before the first late block, the script). */
  open(key: BlockKey): string;
  /** After the last block: the end of the document. */
  readonly tail: string;
}

/** A route-count series with its deltas deflated (SeriesData.deflated) when that is shorter, as a page holds it. */
function deflatedSeries(s: SeriesData, deflate: (b: Uint8Array) => Uint8Array): SeriesData {
  if (s.deflated === true) return s;
  const raw = fromBase64(s.deltas);
  if (typeof raw === 'string') return s;
  const deltas = toBase64(deflate(raw));
  return deltas.length < s.deltas.length ? { ...s, deltas, deflated: true } : s;
}

/**
 * The document of a report cut around its blocks, which a writer streams in between (JSON
 * blocks deflated and base64): the same document as reportHtml()'s (the DEFLATE bytes may differ).
 */
export function reportFrame(data: ReportData, script: string, css: string, deflate: (b: Uint8Array) => Uint8Array): ReportFrame {
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
    `<div id="app"><p class="loading">Opening ${escapeHtml(data.title)} (${data.moments} notifications)…</p></div>`,
    '<noscript><p class="problem fatal">This report replays the trace in the browser: it needs JavaScript.</p></noscript>',
    `<script>${TRUNCATION_GUARD}</script>`,
    `<script type="application/json" id="${DATA_ELEMENT_ID}">`,
  ].join('\n');
  return {
    head,
    data: scriptSafeJson(JSON.stringify({ ...data, series: data.series.map((s) => deflatedSeries(s, deflate)) })),
    open: (key) => {
      const b = BLOCKS.find((x) => x.key === key) ?? BLOCKS[0];
      const bundle = b.key === FIRST_LATE ? `\n<script>${scriptSafeCode(script)}</script>` : '';
      return `</script>${bundle}\n<script type="${blockType(b)}" id="${b.id}">`;
    },
    tail: [`</script>`, ...(FIRST_LATE === null ? [`<script>${scriptSafeCode(script)}</script>`] : []), '</body>', '</html>', ''].join('\n'),
  };
}

/**
 * The HTML document of a report.
 * @example writeFileSync('report.html', reportHtml({ data, blocks, deflate: deflateRawSync, script, css }))
 * 1. head: charset, CSP, viewport, title, the style;
 * 2. body: the page's root (a "loading" line, replaced by the script), a <noscript> note,
 *    the truncation guard;
 * 3. the data block and the early packed blocks, the script, then the late blocks (the events).
 */
export function reportHtml(p: ReportParts): string {
  const f = reportFrame(p.data, p.script, p.css, p.deflate);
  let out = `${f.head}${f.data}`;
  for (const b of BLOCKS) {
    const v = p.blocks[b.key];
    const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    if (b.paged && typeof v === 'string') out += f.open(b.key) + encodeTextPages(v, p.deflate);
    else out += f.open(b.key) + toBase64(b.deflate ? p.deflate(bytes) : bytes);
  }
  return out + f.tail;
}
