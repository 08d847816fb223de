// The report page's script (bundled into the HTML by cli/report-html.ts with esbuild):
// reads the embedded data and packed blocks (report-data.ts) into columns (report-model.ts),
// draws the page, and marks the document for tests and benches:
//
// | attribute on <html>    | meaning                                                 |
// | ---------------------- | ------------------------------------------------------- |
// | data-kfib-interactive-ms | the page is drawn and answers clicks (ms from navigation start) |
// | data-kfib-ready="true" | …and the FIB of the first selection is drawn            |
// | data-kfib-ready="error"| the data could not be read; the page says why           |
// | data-kfib-timings      | ms: document parsed (before the script), blocks read, model opened, page drawn |
// | data-kfib-ready-ms     | milliseconds from navigation start (performance.now())  |
// | data-kfib-selected     | the index of the selected state                         |
// | data-kfib-select-ms    | how long drawing the last selected moment took          |
// | data-kfib-lookup-ms    | how long the last lookup took                           |

import { parseReportData, type ReportBlocks } from '../../../core/report/report-data.js';
import { openReport } from '../../../core/report/report-model.js';
import { fromBase64 } from '../../../core/report/page-codec.js';
import { BLOCKS, DATA_ELEMENT_ID, type BlockKey } from '../../../core/report/report-html.js';

/** Raw DEFLATE undone by the browser itself (Compression Streams; nothing is fetched). */
async function inflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([new Uint8Array(bytes)]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The four blocks, base64 decoded and inflated; a message names a damaged one. */
async function readBlocks(times: Record<string, number>): Promise<ReportBlocks | string> {
  const out = new Map<BlockKey, Uint8Array>();
  const errors: string[] = [];
  // All four at once: the inflations overlap (DecompressionStream hands chunks over between tasks).
  await Promise.all(
    BLOCKS.map(async (b) => {
      const t0 = performance.now();
      const bytes = fromBase64(document.getElementById(b.id)?.textContent ?? '');
      if (typeof bytes === 'string') {
        errors.push(`the embedded ${b.key} block is damaged: ${bytes}`);
        return;
      }
      const t1 = performance.now();
      try {
        out.set(b.key, b.deflate ? await inflate(bytes) : bytes);
      } catch (e) {
        errors.push(`the embedded ${b.key} block is damaged: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      times[`${b.key}Base64`] = Math.round(t1 - t0);
      times[`${b.key}Inflate`] = Math.round(performance.now() - t1);
    }),
  );
  if (errors.length > 0) return errors[0] as string;
  const utf8 = new TextDecoder();
  const get = (k: BlockKey): Uint8Array => out.get(k) ?? new Uint8Array(0);
  return { moments: get('moments'), texts: utf8.decode(get('texts')), events: get('events'), objects: utf8.decode(get('objects')) };
}
import { ReportPage } from './report-page.js';
import { h } from './_dom.js';

function fail(app: HTMLElement, message: string): void {
  app.replaceChildren(
    h('h1', {}, 'kfib report'),
    h('p', { class: 'problem fatal', id: 'fatal' }, `This report cannot be shown: ${message}`),
    h('p', { class: 'summary' }, 'The file may be truncated or edited; write it again with kfib replay --html.'),
  );
  document.documentElement.dataset['kfibReady'] = 'error';
  document.documentElement.dataset['kfibReadyMs'] = performance.now().toFixed(1);
}

async function start(): Promise<void> {
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
    const blocks = await readBlocks(times);
    if (typeof blocks === 'string') {
      fail(app, blocks);
      return;
    }
    const t1 = performance.now();
    const model = openReport(data, blocks);
    const t2 = performance.now();
    const page = new ReportPage(app, model, { parse: t1 - t0, open: t2 - t1 });
    page.mount();
    const interactive = performance.now();
    document.documentElement.dataset['kfibInteractiveMs'] = interactive.toFixed(1);
    // Where the time went: the document parsed up to this script, the blocks read, the model opened, the page drawn.
    document.documentElement.dataset['kfibTimings'] = JSON.stringify({ document: Math.round(t0), read: Math.round(t1 - t0), ...times, open: Math.round(t2 - t1), draw: Math.round(interactive - t2) });
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

void start();
