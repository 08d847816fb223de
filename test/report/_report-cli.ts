// `kfib replay … --html FILE` run as a user runs it, for the report tests and benchmark.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseReportData, type ReportMoment } from '../../core/report/report-data.js';
import { openReport, type ReportModel } from '../../core/report/report-model.js';
import { fromBase64 } from '../../core/report/page-codec.js';
import { BLOCKS } from '../../core/report/report-html.js';
import { PagedTexts } from '../../core/report/text-pages.js';
import { inflateRawSync } from 'node:zlib';

const CMD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'replay-cmd.js');

export interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** Runs `kfib replay ARGS` in a child process. */
export function kfibReplay(args: readonly string[]): Run {
  const src = `import { replayMain } from ${JSON.stringify(CMD)}; process.exitCode = await replayMain(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The data block of a written report, parsed. */
export function reportDataOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="kfib-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no data block in the report');
  return JSON.parse(m[1] as string) as Record<string, unknown>;
}

/** A written report opened as the page opens it (its data and packed blocks). */
export function reportModelOf(html: string): ReportModel {
  const data = parseReportData(reportDataOf(html));
  if (typeof data === 'string') throw new Error(data);
  const text = (id: string): string => {
    const m = new RegExp(`<script type="[^"]+" id="${id}">([\\s\\S]*?)</script>`).exec(html);
    if (m === null) throw new Error(`no ${id} block in the report`);
    return m[1] as string;
  };
  // As the page reads them: base64, then raw DEFLATE.
  const bytes = (id: string): Uint8Array => {
    const b = fromBase64(text(id));
    if (typeof b === 'string') throw new Error(`${id}: ${b}`);
    return BLOCKS.find((x) => x.id === id)?.deflate === true ? new Uint8Array(inflateRawSync(b)) : b;
  };
  const utf8 = (id: string): string => new TextDecoder().decode(bytes(id));
  return openReport(data, { moments: bytes('kfib-moments'), texts: new PagedTexts(text('kfib-texts'), (b) => new Uint8Array(inflateRawSync(b))), events: bytes('kfib-events'), objects: utf8('kfib-objects') }, (b) => new Uint8Array(inflateRawSync(b)));
}

/** The moments of a written report. */
export function reportMoments(html: string): ReportMoment[] {
  const model = reportModelOf(html);
  return Array.from({ length: model.count - 1 }, (_, i) => model.momentAt(i + 1) as ReportMoment);
}
