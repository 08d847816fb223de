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
import { BLOCKS, DATA_ELEMENT_ID } from '../../../core/report/report-html.js';
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
    const blocks: Record<string, string | Uint8Array> = {};
    for (const b of BLOCKS) {
      const text = document.getElementById(b.id)?.textContent ?? '';
      if (b.type.endsWith(';base64')) {
        const bytes = fromBase64(text);
        if (typeof bytes === 'string') {
          fail(app, `the embedded ${b.key} block is damaged: ${bytes}`);
          return;
        }
        blocks[b.key] = bytes;
      } else blocks[b.key] = text;
    }
    const t1 = performance.now();
    const model = openReport(data, blocks as unknown as ReportBlocks);
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
