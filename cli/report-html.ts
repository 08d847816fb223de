// `kfib replay --html FILE`: the report page written to disk. The page's script is the
// compiled page entry (dist/cli/report/page/main.js) with the model it imports, bundled
// by esbuild into one inline script; the data comes from core/report/report-recorder.ts,
// whose moments and event log are spilled to temporary files as the replay goes and then
// streamed into the page (core/report/report-html.ts reportFrame()): the document of a
// million-notification trace is never held in memory.
//
// Why bundle here rather than in `npm run build`: the build is plain `tsc`, and the page
// has to be one file; esbuild bundles the ~60 modules it needs in well under a second.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reportFrame, scriptSafeJson } from '../core/report/report-html.js';
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

/** Buffered appends to a file (1 MiB of text at a time). */
class SpillFile {
  private readonly fd: number;
  private buf: string[] = [];
  private size = 0;
  private closed = false;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buf.length > 0) writeSync(this.fd, this.buf.join(''));
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
 * A report's moments and log kept in temporary files while the replay runs, so that writing
 * the report of a long trace holds neither in memory: a ReportSink for ReportRecorder, then
 * writeReportStreamed() copies them into the page. dispose() removes the files.
 */
export class ReportSpill implements ReportSink {
  private readonly dir = mkdtempSync(join(tmpdir(), 'kfib-report-'));
  readonly moments = new SpillFile(join(this.dir, 'moments.json'));
  readonly log = new SpillFile(join(this.dir, 'log.jsonl'));
  private first = true;

  moment(json: string): void {
    // Comma-separated, as JSON.stringify writes an array's elements; script-safe as they come.
    this.moments.write(this.first ? scriptSafeJson(json) : `,${scriptSafeJson(json)}`);
    this.first = false;
  }

  logLine(line: string): void {
    this.log.write(scriptSafeJson(line));
  }

  dispose(): void {
    this.moments.close();
    this.log.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Where the document goes: a file descriptor, or standard output (written as a stream, drained). */
type Put = (b: Buffer) => Promise<void>;

/** Copies a file out in 1 MiB reads. */
async function copyInto(put: Put, path: string): Promise<number> {
  const src = openSync(path, 'r');
  let total = 0;
  try {
    for (;;) {
      const buf = Buffer.allocUnsafe(1 << 20);
      const n = readSync(src, buf, 0, buf.length, null);
      if (n === 0) break;
      await put(buf.subarray(0, n));
      total += n;
    }
  } finally {
    closeSync(src);
  }
  return total;
}

/**
 * Writes a report whose moments and log were spilled (ReportSpill) to `path` ('-': standard
 * output), the same bytes reportHtml() makes, without building the document in memory;
 * resolves to its size in bytes. The spill is disposed of.
 */
export async function writeReportStreamed(path: string, report: RecordedReport, spill: ReportSpill): Promise<number> {
  let fd: number | null = null;
  try {
    const script = await pageScript();
    spill.moments.close();
    spill.log.close();
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
    const f = reportFrame(report.data, report.moments, script, PAGE_CSS);
    let bytes = 0;
    const text = async (s: string): Promise<void> => {
      const b = Buffer.from(s);
      await put(b);
      bytes += b.length;
    };
    await text(f.head);
    await text(f.dataStart);
    bytes += await copyInto(put, spill.moments.path);
    await text(f.dataEnd);
    await text(f.logStart);
    bytes += await copyInto(put, spill.log.path);
    await text(f.tail);
    return bytes;
  } finally {
    if (fd !== null) closeSync(fd);
    spill.dispose();
  }
}
