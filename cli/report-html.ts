// `kfib replay --html FILE`: the report page written to disk. The page's script is the
// compiled page entry (dist/cli/report/page/main.js) with the model it imports, bundled
// by esbuild into one inline script; the data comes from core/report/report-recorder.ts,
// whose packed blocks (moments, their summaries, events, event objects) are spilled to
// temporary files as the replay goes and then streamed into the page, deflated and base64
// (core/report/report-html.ts BLOCKS, reportFrame()): the document of a million-notification
// trace is never held in memory.
//
// Why bundle here rather than in `npm run build`: the build is plain `tsc`, and the page
// has to be one file; esbuild bundles the ~60 modules it needs in well under a second.

import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { createDeflateRaw, deflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BLOCKS, reportFrame } from '../core/report/report-html.js';
import { encodeTextPage, TEXT_PAGE, TEXT_PAGE_SEPARATOR } from '../core/report/text-pages.js';
import { PAGE_CSS } from './report/page-style.js';
import type { RecordedReport, ReportSink } from '../core/report/report-recorder.js';

/** The compiled page entry, next to this file in dist/. */
const PAGE_ENTRY = fileURLToPath(new URL('./report/page/main.js', import.meta.url));

let bundle: Promise<string> | null = null;

/**
 * The page script: the page entry and everything it imports, as one IIFE (cached).
 * Rejects with a readable message when esbuild is not installed.
 */
export function pageScript(): Promise<string> {
  bundle ??= (async (): Promise<string> => {
    let esbuild: typeof import('esbuild');
    try {
      esbuild = await import('esbuild');
    } catch {
      throw new Error('writing a report needs esbuild, which is not installed (npm install esbuild)');
    }
    const out = await esbuild.build({
      entryPoints: [PAGE_ENTRY],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2022',
      minify: true,
      legalComments: 'none',
      write: false,
      logLevel: 'silent',
    });
    const file = out.outputFiles[0];
    if (file === undefined) throw new Error('esbuild produced no output for the report page');
    return file.text;
  })();
  bundle.catch(() => {
    bundle = null;
  });
  return bundle;
}

/** Buffered appends to a file (1 MiB at a time). */
class SpillFile {
  private readonly fd: number;
  private buf: (string | Uint8Array)[] = [];
  private size = 0;
  closed = false;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string | Uint8Array): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    for (const b of this.buf) {
      if (typeof b === 'string') writeSync(this.fd, b, null, 'utf8');
      else writeSync(this.fd, b);
    }
    this.buf = [];
    this.size = 0;
  }
  close(): void {
    if (this.closed) return;
    this.flush();
    closeSync(this.fd);
    this.closed = true;
  }
}

/**
 * A report's packed blocks kept in temporary files while the replay runs, so that writing
 * the report of a long trace holds none of them in memory: a ReportSink for ReportRecorder,
 * then writeReportStreamed() copies them into the page. dispose() removes the files.
 */
export class ReportSpill implements ReportSink {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kfib-report-'));
  readonly files = {
    moments: new SpillFile(join(this.dir, 'moments.bin')),
    texts: new SpillFile(join(this.dir, 'texts.jsonl')),
    events: new SpillFile(join(this.dir, 'events.bin')),
    objects: new SpillFile(join(this.dir, 'objects.jsonl')),
  };

  moments(b: Uint8Array): void {
    this.files.moments.write(b);
  }
  /** Summary lines waiting for their page, and the pages written so far. */
  private lines: string[] = [];
  private pagesWritten = 0;

  /** Summaries arrive as whole lines; they leave as pages of TEXT_PAGE lines (text-pages.ts). */
  texts(s: string): void {
    let from = 0;
    for (let nl = s.indexOf('\n'); nl >= 0; nl = s.indexOf('\n', from)) {
      this.lines.push(s.slice(from, nl + 1));
      from = nl + 1;
      if (this.lines.length === TEXT_PAGE) this.textPage();
    }
  }

  private textPage(): void {
    if (this.lines.length === 0) return;
    if (this.pagesWritten++ > 0) this.files.texts.write(TEXT_PAGE_SEPARATOR);
    this.files.texts.write(encodeTextPage(this.lines, (b) => deflateRawSync(b)));
    this.lines = [];
  }
  events(b: Uint8Array): void {
    this.files.events.write(b);
  }
  objects(s: string): void {
    this.files.objects.write(s);
  }

  close(): void {
    if (!this.files.texts.closed) this.textPage();
    for (const f of Object.values(this.files)) f.close();
  }

  dispose(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the document goes: a file descriptor, or standard output (written as a stream, drained). */
type Put = (b: Buffer) => Promise<void>;

/** Copies a file out as base64, deflated first (raw DEFLATE) when asked, 3 bytes carried between chunks. */
async function copyBase64(put: Put, path: string, deflate: boolean): Promise<number> {
  let carry: Buffer = Buffer.alloc(0);
  let total = 0;
  const emit = async (b: Buffer): Promise<void> => {
    if (b.length === 0) return;
    const out = Buffer.from(b.toString('base64'));
    await put(out);
    total += out.length;
  };
  const src = createReadStream(path, { highWaterMark: 1 << 20 });
  for await (const chunk of deflate ? src.pipe(createDeflateRaw()) : src) {
    const all = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    const n = all.length - (all.length % 3);
    await emit(all.subarray(0, n));
    carry = all.subarray(n);
  }
  await emit(carry);
  return total;
}

/** Copies a file out as it is. */
async function copyRaw(put: Put, path: string): Promise<number> {
  let total = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    await put(chunk as Buffer);
    total += (chunk as Buffer).length;
  }
  return total;
}

/**
 * Writes a report whose blocks were spilled (ReportSpill) to `path` ('-': standard output),
 * the same bytes reportHtml() makes, without building the document in memory; resolves to
 * its size in bytes. The spill is disposed of.
 */
export async function writeReportStreamed(path: string, report: RecordedReport, spill: ReportSpill): Promise<number> {
  let fd: number | null = null;
  try {
    const script = await pageScript();
    spill.close();
    let put: Put;
    if (path === '-') {
      put = (b) => (process.stdout.write(b) ? Promise.resolve() : new Promise((res) => process.stdout.once('drain', () => res())));
    } else {
      const out = openSync(path, 'w');
      fd = out;
      put = (b) => {
        writeSync(out, b);
        return Promise.resolve();
      };
    }
    const f = reportFrame(report.data, script, PAGE_CSS, (b) => deflateRawSync(b));
    let bytes = 0;
    const text = async (s: string): Promise<void> => {
      const b = Buffer.from(s);
      await put(b);
      bytes += b.length;
    };
    await text(f.head);
    await text(f.data);
    for (const b of BLOCKS) {
      await text(f.open(b.key));
      // The texts are spilled as the block's own text already (pages, each deflated and base64).
      if (b.paged) bytes += await copyRaw(put, spill.files[b.key].path);
      else bytes += await copyBase64(put, spill.files[b.key].path, b.deflate);
    }
    await text(f.tail);
    return bytes;
  } finally {
    if (fd !== null) closeSync(fd);
    spill.dispose();
  }
}
