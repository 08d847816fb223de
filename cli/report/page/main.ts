// The report page's script (bundled into the HTML by cli/report-html.ts with esbuild):
// reads the embedded data and packed blocks (report-data.ts) into columns (report-model.ts),
// draws the page, and marks the document for tests and benches. The events block follows
// this script (core/report/report-html.ts): the page is drawn and answers clicks while the
// parser reads it, and the FIB is drawn once it is read, at DOMContentLoaded.
//
// | attribute on <html>    | meaning                                                 |
// | ---------------------- | ------------------------------------------------------- |
// | data-kfib-interactive-ms | the page is drawn and answers clicks (ms from navigation start) |
// | data-kfib-ready="true" | …and the FIB of the first selection is drawn            |
// | data-kfib-ready="error"| the data could not be read; the page says why           |
// | data-kfib-timings      | ms: document parsed (before the script), blocks read, model opened, page drawn; then when the events were parsed and read |
// | data-kfib-ready-ms     | milliseconds from navigation start (performance.now())  |
// | data-kfib-selected     | the index of the selected state                         |
// | data-kfib-select-ms    | how long drawing the last selected moment took          |
// | data-kfib-lookup-ms    | how long the last lookup took                           |

import { inflateSync } from 'fflate';
import { parseReportData, type PageBlocks } from '../../../core/report/report-data.js';
import { openReport } from '../../../core/report/report-model.js';
import { fromBase64 } from '../../../core/report/page-codec.js';
import { BLOCKS, DATA_ELEMENT_ID, type BlockKey } from '../../../core/report/report-html.js';
import { PagedTexts } from '../../../core/report/text-pages.js';
import { ReportPage } from './report-page.js';
import { h } from './_dom.js';

/*
 * Raw DEFLATE is undone synchronously with fflate's inflateSync: a page of summaries is
 * inflated the moment it is shown, inside a click's handler; the browser's
 * DecompressionStream is asynchronous only, and its chunks handed over between tasks made
 * three blocks of a million-notification page take 2.4 s together.
 */

/** The browser's own base64 decoder when it has one (Uint8Array.fromBase64), else the model's; a bad block gets the model's message (with its offset). */
function base64(text: string): Uint8Array | string {
  const native = (Uint8Array as unknown as { fromBase64?: (s: string) => Uint8Array }).fromBase64;
  if (native !== undefined) {
    try {
      return native.call(Uint8Array, text);
    } catch {
      // fall through: fromBase64() names the offset of the first bad character.
    }
  }
  return fromBase64(text);
}

type Block = (typeof BLOCKS)[number];

/** One block, base64 decoded and inflated; a message names a damaged block. */
function readBlock(b: Block, times: Record<string, number>): Uint8Array | string {
  const t0 = performance.now();
  const bytes = base64(document.getElementById(b.id)?.textContent ?? '');
  if (typeof bytes === 'string') return `the embedded ${b.key} block is damaged: ${bytes}`;
  const t1 = performance.now();
  let out: Uint8Array;
  try {
    out = b.deflate ? inflateSync(bytes) : bytes;
  } catch (e) {
    return `the embedded ${b.key} block is damaged: ${e instanceof Error ? e.message : String(e)}`;
  }
  times[`${b.key}Base64`] = Math.round(t1 - t0);
  times[`${b.key}Inflate`] = Math.round(performance.now() - t1);
  return out;
}

/**
 * The blocks before the script, base64 decoded and inflated, but the summaries, which are
 * read a page at a time when shown (text-pages.ts); the events follow the script and are
 * read at DOMContentLoaded (events: null). A message names a damaged block.
 */
function readBlocks(times: Record<string, number>): PageBlocks | string {
  const out = new Map<BlockKey, Uint8Array>();
  for (const b of BLOCKS) {
    if (b.paged || b.late) continue;
    const bytes = readBlock(b, times);
    if (typeof bytes === 'string') return bytes;
    out.set(b.key, bytes);
  }
  const get = (k: BlockKey): Uint8Array => out.get(k) ?? new Uint8Array(0);
  const texts = new PagedTexts(document.getElementById('kfib-texts')?.textContent ?? '', inflateSync);
  return { moments: get('moments'), texts, events: null, objects: new TextDecoder().decode(get('objects')) };
}

/** The events block (after the script: complete once the document is parsed). */
function readEvents(times: Record<string, number>): Uint8Array | string {
  const b = BLOCKS.find((x) => x.key === 'events');
  if (b === undefined) return 'the page knows no events block';
  if (document.getElementById(b.id) === null) return 'the embedded events block is missing: the file may be truncated';
  return readBlock(b, times);
}

function fail(app: HTMLElement, message: string): void {
  app.replaceChildren(
    h('h1', {}, 'kfib report'),
    h('p', { class: 'problem fatal', id: 'fatal' }, `This report cannot be shown: ${message}`),
    h('p', { class: 'summary' }, 'The file may be truncated or edited; write it again with kfib replay --html.'),
  );
  document.documentElement.dataset['kfibReady'] = 'error';
  document.documentElement.dataset['kfibReadyMs'] = performance.now().toFixed(1);
}

function start(): void {
  const app = document.getElementById('app');
  if (app === null) return;
  try {
    const t0 = performance.now();
    const dataText = document.getElementById(DATA_ELEMENT_ID)?.textContent ?? '';
    let raw: unknown;
    try {
      raw = JSON.parse(dataText);
    } catch (e) {
      fail(app, `the embedded data is not JSON (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const data = parseReportData(raw);
    if (typeof data === 'string') {
      fail(app, data);
      return;
    }
    const times: Record<string, number> = {};
    const blocks = readBlocks(times);
    if (typeof blocks === 'string') {
      fail(app, blocks);
      return;
    }
    const t1 = performance.now();
    const model = openReport(data, blocks, inflateSync);
    const t2 = performance.now();
    const page = new ReportPage(app, model, { parse: t1 - t0, open: t2 - t1 });
    page.mount();
    const interactive = performance.now();
    document.documentElement.dataset['kfibInteractiveMs'] = interactive.toFixed(1);
    // Where the time went: the document parsed up to this script, the blocks read, the model opened, the page drawn.
    const timings = { document: Math.round(t0), read: Math.round(t1 - t0), ...times, open: Math.round(t2 - t1), draw: Math.round(interactive - t2) };
    document.documentElement.dataset['kfibTimings'] = JSON.stringify(timings);
    // The events block follows this script: the parser goes on with it while the page answers.
    const attach = (): void => {
      try {
        const t3 = performance.now();
        page.eventsRead(model.attachEvents(readEvents(times)));
        const t4 = performance.now();
        document.documentElement.dataset['kfibTimings'] = JSON.stringify({ ...timings, ...times, eventsParsed: Math.round(t3), eventsOpen: Math.round(t4 - t3) });
      } catch (e) {
        // Outside start()'s try (a listener): a fault here is named as one there is.
        fail(app, e instanceof Error ? `${e.message}${e.stack !== undefined ? `\n${e.stack}` : ''}` : String(e));
      }
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', attach, { once: true });
    else attach();
    void page.ready.then(() => {
      const ready = performance.now();
      page.showTimings(interactive, ready);
      document.documentElement.dataset['kfibReadyMs'] = ready.toFixed(1);
      document.documentElement.dataset['kfibReady'] = 'true';
    });
  } catch (e) {
    fail(app, e instanceof Error ? `${e.message}${e.stack !== undefined ? `\n${e.stack}` : ''}` : String(e));
  }
}

start();
