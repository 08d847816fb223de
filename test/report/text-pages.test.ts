// The summaries block of a report page (core/report/text-pages.ts): pages of TEXT_PAGE lines,
// each deflated and base64 on its own. The streamed writer (cli/report-html.ts ReportSpill)
// and the in-memory one (encodeTextPages) write the same block, the page reads every line
// back, and a damaged page costs only its own moments.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { encodeTextPages, JoinedTexts, PagedTexts, TEXT_PAGE, TEXT_PAGE_SEPARATOR } from '../../core/report/text-pages.js';
import { ReportSpill } from '../../cli/report-html.js';

const deflate = (b: Uint8Array): Uint8Array => new Uint8Array(deflateRawSync(b));
const inflate = (b: Uint8Array): Uint8Array => new Uint8Array(inflateRawSync(b));

/** n summaries, some with characters JSON escapes, some not ASCII. */
function summaries(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i % 7 === 0 ? `route ${i} "quoted" \\ é ✓\n` : `add 10.${i >> 8 & 255}.${i & 255}.0/24 dev veth0`));
}
const jsonl = (xs: readonly string[]): string => xs.map((x) => `${JSON.stringify(x)}\n`).join('');

test('two pages and a bit: every line comes back, from any page, in any order', () => {
  const xs = summaries(2 * TEXT_PAGE + 5);
  const block = encodeTextPages(jsonl(xs), deflate);
  assert.equal(block.split(TEXT_PAGE_SEPARATOR).length, 3);
  const paged = new PagedTexts(block, inflate);
  assert.equal(paged.pages, 3);
  const order = [2 * TEXT_PAGE + 4, 0, TEXT_PAGE, TEXT_PAGE - 1, 7, 2 * TEXT_PAGE];
  for (const k of order) assert.equal(paged.line(k), xs[k], `line ${k}`);
  assert.deepEqual(Array.from({ length: xs.length }, (_, k) => paged.line(k)), xs);
  assert.equal(paged.line(xs.length), '(no summary is embedded for this moment)');
  assert.equal(paged.line(-1), '(no summary is embedded for this moment)');
  // The joined form reads the same.
  const joined = new JoinedTexts(jsonl(xs));
  assert.deepEqual(Array.from({ length: xs.length }, (_, k) => joined.line(k)), xs);
});

test('no moments: an empty block with no page', () => {
  assert.equal(encodeTextPages('', deflate), '');
  assert.equal(new PagedTexts('', inflate).pages, 0);
  assert.equal(new PagedTexts('', inflate).line(0), '(no summary is embedded for this moment)');
});

test('the streamed writer pages the summaries as the in-memory writer does, whatever the chunks', () => {
  const xs = summaries(TEXT_PAGE + 3);
  const spill = new ReportSpill();
  try {
    // Lines arrive in chunks of whole lines, as ReportRecorder flushes them.
    const text = jsonl(xs);
    const lines = text.split('\n').slice(0, -1).map((l) => `${l}\n`);
    for (let i = 0; i < lines.length; i += 1000) spill.texts(lines.slice(i, i + 1000).join(''));
    spill.close();
    const written = readFileSync(spill.files.texts.path, 'utf8');
    assert.equal(written, encodeTextPages(text, deflate));
  } finally {
    spill.dispose();
  }
});

test('a damaged page costs only its own moments a note', () => {
  const xs = summaries(2 * TEXT_PAGE);
  const [p1, p2] = encodeTextPages(jsonl(xs), deflate).split(TEXT_PAGE_SEPARATOR);
  const paged = new PagedTexts(`${p1}${TEXT_PAGE_SEPARATOR}${(p2 as string).slice(0, 100)}!${(p2 as string).slice(101)}`, inflate);
  assert.equal(paged.line(3), xs[3]);
  assert.match(paged.line(TEXT_PAGE + 3), /^\(the embedded summaries are damaged: page 2, offset 100: expected base64, got "!"\)$/);
  const cut = new PagedTexts(`${p1}${TEXT_PAGE_SEPARATOR}${(p2 as string).slice(0, 40)}`, inflate);
  assert.match(cut.line(TEXT_PAGE), /^\(the embedded summaries are damaged: page 2, /);
  assert.equal(cut.line(0), xs[0]);
});
