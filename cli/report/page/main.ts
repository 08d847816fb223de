// The report page's script (bundled into the HTML by cli/report-html.ts with esbuild):
// reads the embedded data and packed blocks (report-data.ts) into columns (report-model.ts),
// draws the page, and marks the document for tests and benches:
//
// | attribute on <html>    | meaning                                                 |
// | ---------------------- | ------------------------------------------------------- |
// | data-kfib-interactive-ms | the page is drawn and answers clicks (ms from navigation start) |
// | data-kfib-ready="true" | …and the FIB of the first selection is drawn            |
// | data-kfib-ready="error"| the data could not be read; the page says why           |
// | data-kfib-ready-ms     | milliseconds from navigation start (performance.now())  |
// | data-kfib-selected     | the index of the selected state                         |
// | data-kfib-select-ms    | how long drawing the last selected moment took          |
// | data-kfib-lookup-ms    | how long the last lookup took                           |

import { parseReportData, type ReportBlocks } from '../../../core/report/report-data.js';
import { openReport } from '../../../core/report/report-model.js';
import { fromBase64 } from '../../../core/report/page-codec.js';
import { BLOCKS, DATA_ELEMENT_ID, type BlockKey } from '../../../core/report/report-html.js';
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
    const text = (key: BlockKey): string => document.getElementById(BLOCKS.find((b) => b.key === key)?.id ?? '')?.textContent ?? '';
    const bytes = (key: 'moments' | 'events'): Uint8Array | string => {
      const b = fromBase64(text(key));
      return typeof b === 'string' ? `the embedded ${key} block is damaged: ${b}` : b;
    };
    const moments = bytes('moments');
    const events = bytes('events');
    if (typeof moments === 'string' || typeof events === 'string') {
      fail(app, typeof moments === 'string' ? moments : (events as string));
      return;
    }
    const blocks: ReportBlocks = { moments, texts: text('texts'), events, objects: text('objects') };
    const t1 = performance.now();
    const model = openReport(data, blocks);
    const t2 = performance.now();
    const page = new ReportPage(app, model, { parse: t1 - t0, open: t2 - t1 });
    page.mount();
    const interactive = performance.now();
    document.documentElement.dataset['kfibInteractiveMs'] = interactive.toFixed(1);
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
