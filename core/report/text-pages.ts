// The summaries of a report's moments (one JSON string per notification) as the page
// carries them: in pages of TEXT_PAGE lines, each page deflated and base64 on its own, the
// pages joined by '.' (not a base64 character). The page inflates only the pages it shows
// (the 13 moments nearby, a hover, the selection), so opening a report does not wait for
// the summaries of every notification: a million of them are 44 MB of text, and inflating
// them all took longer than the rest of the page's opening together (2.2 s of 6.6 s).
//
// | where                        | form                                                     |
// | ---------------------------- | -------------------------------------------------------- |
// | ReportBlocks.texts (writer)  | one JSON string and a newline per moment                 |
// | the kfib-texts block         | base64(deflate(TEXT_PAGE lines)) '.' base64(…) …         |
// | MomentTexts (the page)       | line(k): the k-th summary, its page inflated when needed |

import { fromBase64, toBase64 } from './page-codec.js';

/** Moments per page: about 180 KB of text, inflated in about a millisecond. */
export const TEXT_PAGE = 4096;

/** What separates two pages in the block. */
export const TEXT_PAGE_SEPARATOR = '.';

/** The summaries as the model reads them. */
export interface MomentTexts {
  /** How many pages the block holds (null: the texts are not paged). */
  readonly pages: number | null;
  /** The summary of moment k (0-based), or a note in parentheses when it cannot be read. */
  line(k: number): string;
}

function parseLine(line: string | undefined): string {
  if (line === undefined) return '(no summary is embedded for this moment)';
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'string' ? v : '(the embedded summary is not a string)';
  } catch {
    return '(the embedded summary is damaged)';
  }
}

/**
 * One page of the block: `lines` (each ending in a newline) deflated and base64.
 * @example encodeTextPage(['"a"\n', '"b"\n'], deflateRawSync)
 */
export function encodeTextPage(lines: readonly string[], deflate: (b: Uint8Array) => Uint8Array): string {
  return toBase64(deflate(new TextEncoder().encode(lines.join(''))));
}

/** The whole block for texts held in memory (reportHtml()): pages of TEXT_PAGE lines. */
export function encodeTextPages(texts: string, deflate: (b: Uint8Array) => Uint8Array): string {
  const lines = texts.length === 0 ? [] : texts.replace(/\n$/, '').split('\n').map((l) => `${l}\n`);
  const pages: string[] = [];
  for (let p = 0; p < lines.length; p += TEXT_PAGE) pages.push(encodeTextPage(lines.slice(p, p + TEXT_PAGE), deflate));
  return pages.join(TEXT_PAGE_SEPARATOR);
}

/** Summaries held as one string of JSON Lines (a writer's blocks, before paging). */
export class JoinedTexts implements MomentTexts {
  readonly pages = null;
  private starts: Int32Array | null = null;
  constructor(private readonly texts: string) {}

  line(k: number): string {
    if (this.starts === null) {
      const starts: number[] = [0];
      for (let p = this.texts.indexOf('\n'); p >= 0; p = this.texts.indexOf('\n', p + 1)) starts.push(p + 1);
      this.starts = Int32Array.from(starts);
    }
    const s = this.starts;
    if (k < 0 || k + 1 >= s.length) return parseLine(undefined);
    return parseLine(this.texts.slice(s[k] as number, (s[k + 1] as number) - 1));
  }
}

/**
 * The kfib-texts block of a page, read a page at a time (the last 8 pages used are kept).
 * @example const t = new PagedTexts(el.textContent, inflateSync); t.line(0)
 * 1. the offsets of the pages are found once (one scan for '.');
 * 2. line(k) decodes page k / TEXT_PAGE (base64, inflate, UTF-8) unless it is kept;
 * 3. a page that cannot be decoded gives every one of its moments a note, not a failure.
 */
export class PagedTexts implements MomentTexts {
  private readonly starts: number[] = [0];
  private readonly kept = new Map<number, readonly string[] | string>();

  constructor(
    private readonly block: string,
    private readonly inflate: (b: Uint8Array) => Uint8Array,
  ) {
    if (block.length === 0) this.starts = [];
    else for (let p = block.indexOf(TEXT_PAGE_SEPARATOR); p >= 0; p = block.indexOf(TEXT_PAGE_SEPARATOR, p + 1)) this.starts.push(p + 1);
  }

  get pages(): number {
    return this.starts.length;
  }

  private page(p: number): readonly string[] | string {
    const hit = this.kept.get(p);
    if (hit !== undefined) {
      this.kept.delete(p);
      this.kept.set(p, hit);
      return hit;
    }
    const from = this.starts[p] as number;
    const next = this.starts[p + 1];
    const b64 = this.block.slice(from, next === undefined ? this.block.length : next - 1);
    let out: readonly string[] | string;
    const bytes = fromBase64(b64);
    if (typeof bytes === 'string') out = `(the embedded summaries are damaged: page ${p + 1}, ${bytes})`;
    else {
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(this.inflate(bytes));
        out = text.replace(/\n$/, '').split('\n');
      } catch (e) {
        out = `(the embedded summaries are damaged: page ${p + 1}, ${e instanceof Error ? e.message : String(e)})`;
      }
    }
    this.kept.set(p, out);
    if (this.kept.size > 8) this.kept.delete(this.kept.keys().next().value as number);
    return out;
  }

  line(k: number): string {
    const p = Math.floor(k / TEXT_PAGE);
    if (k < 0 || p >= this.starts.length) return parseLine(undefined);
    const page = this.page(p);
    return typeof page === 'string' ? page : parseLine(page[k - p * TEXT_PAGE]);
  }
}
