// The report is one self-contained document: inline style, data and script, nothing to
// fetch, and no way for trace text to end a <script> element early.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCKS, DATA_ELEMENT_ID, REPORT_CSP, reportHtml, scriptSafeCode, scriptSafeJson, TRUNCATION_GUARD } from '../../core/report/report-html.js';
import { REPORT_DATA_VERSION, type ReportBlocks, type ReportData } from '../../core/report/report-data.js';
import { fromBase64 } from '../../core/report/page-codec.js';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PagedTexts } from '../../core/report/text-pages.js';

const data: ReportData = {
  version: REPORT_DATA_VERSION,
  title: 'evil</script><script>alert(1)</script>.rtmon',
  format: 'rtmon',
  traceBytes: 1,
  initial: null,
  dump: [],
  problems: [],
  moments: 1,
  events: 1,
  types: ['RTM_NEWLINK'],
  bys: ['</script>'],
  extras: [{ i: 1, notes: ['</script><!--'] }],
  silent: { at: [], count: [] },
  lanes: [],
  series: [],
};
const deflate = (b: Uint8Array): Uint8Array => new Uint8Array(deflateRawSync(b));
const blocks: ReportBlocks = {
  moments: Uint8Array.from([0, 2, 0, 0, 255, 1]),
  texts: `${JSON.stringify('[LINK] 2: </script><!--x: up, carrier')}\n`,
  events: Uint8Array.from([0]),
  objects: '{"v":1,"seq":1,"event":{"type":"link-add","link":{"name":"</script>"}}}\n',
};

function block(html: string, id: string): string {
  const m = new RegExp(`<script type="[^"]+" id="${id}">([\\s\\S]*?)</script>`).exec(html);
  assert.ok(m !== null, `no ${id} block`);
  return m[1] as string;
}

test('data and blocks (deflated, base64) survive the trip through their script blocks unchanged', () => {
  const html = reportHtml({ data, blocks, deflate, script: 'void 0;', css: 'body{}' });
  assert.deepEqual(JSON.parse(block(html, DATA_ELEMENT_ID)), data);
  for (const b of BLOCKS) {
    const v = blocks[b.key];
    if (b.paged) {
      // One page of summaries (text-pages.ts), read as the page reads it.
      const paged = new PagedTexts(block(html, b.id), (x) => new Uint8Array(inflateRawSync(x)));
      assert.equal(paged.pages, 1);
      assert.equal(paged.line(0), '[LINK] 2: </script><!--x: up, carrier');
      continue;
    }
    const raw = fromBase64(block(html, b.id));
    assert.ok(typeof raw !== 'string', b.key);
    const back = b.deflate ? new Uint8Array(inflateRawSync(raw)) : raw;
    if (typeof v === 'string') assert.equal(new TextDecoder().decode(back), v, b.key);
    else assert.deepEqual(back, v, b.key);
  }
  // The guard, the data, four blocks and the bundle: eight script elements would mean the trace's text ended one early.
  assert.equal(html.match(/<script/g)?.length, 7);
  assert.equal(html.match(/<\/script>/g)?.length, 7);
  assert.ok(html.indexOf(`<script>${TRUNCATION_GUARD}</script>`) < html.indexOf(`id="${DATA_ELEMENT_ID}"`), 'the guard comes first');
});

test('nothing is fetched: no URL in the document, and a CSP forbids it anyway', () => {
  const html = reportHtml({ data, blocks, deflate, script: 'void 0;', css: 'body{}' });
  assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`));
  assert.doesNotMatch(html, /\b(src|href)=/);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(REPORT_CSP, /default-src 'none'/);
  assert.match(html, /<title>kfib report: evil&lt;\/script&gt;/);
});

test('script text cannot close its element or open an HTML comment', () => {
  assert.equal(scriptSafeCode('a="</script>";b="<!--"'), 'a="<\\/script>";b="<\\!--"');
  assert.equal(JSON.parse(scriptSafeJson(JSON.stringify({ s: '</script><!--\u2028' }))).s, '</script><!--\u2028');
});

test('the events block follows the page script, every other block precedes it', () => {
  const html = reportHtml({ data, blocks, deflate, script: 'window.kfibBundle = 1;', css: 'body{}' });
  const at = (s: string): number => {
    const i = html.indexOf(s);
    assert.ok(i >= 0, s);
    return i;
  };
  const script = at('<script>window.kfibBundle = 1;</script>');
  for (const b of BLOCKS) {
    const i = at(`id="${b.id}"`);
    assert.equal(i > script, b.late, `${b.id} at ${i}, the script at ${script}`);
  }
  assert.deepEqual(BLOCKS.filter((b) => b.late).map((b) => b.key), ['events']);
  assert.ok(html.endsWith('</script>\n</body>\n</html>\n'));
});
