// `kfib replay --html FILE`: the report page written to disk. The page's script is the
// compiled page entry (dist/cli/report/page/main.js) with the model it imports, bundled
// by esbuild into one inline script; the data comes from core/report/report-recorder.ts.
//
// Why bundle here rather than in `npm run build`: the build is plain `tsc`, and the page
// has to be one file; esbuild bundles the ~60 modules it needs in well under a second.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { reportHtml } from '../core/report/report-html.js';
import { PAGE_CSS } from './report/page-style.js';
import type { RecordedReport } from '../core/report/report-recorder.js';

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

/** The whole HTML document of a report. */
export async function reportDocument(report: RecordedReport): Promise<string> {
  return reportHtml({ data: report.data, log: report.log, script: await pageScript(), css: PAGE_CSS });
}

/**
 * Writes a report; resolves to its size in bytes.
 * @example await writeReportHtml('report.html', recorder.finish())
 */
export async function writeReportHtml(path: string, report: RecordedReport): Promise<number> {
  const html = await reportDocument(report);
  writeFileSync(path, html);
  return Buffer.byteLength(html);
}
