// The test reporter of `npm test`: Node's spec reporter for every test, and a summary of our
// own in place of its counts, because those count a skipped suite (a `describe` with
// `skip`) as nothing at all ("skipped 0"): here every skipped test or suite is counted as
// skipped and listed with its reason, so a run that could not reach the kernel or the
// browser says so at the end.

import { spec } from 'node:test/reporters';
import type { TestEvent } from 'node:test/reporters';

interface Skip {
  readonly name: string;
  readonly file: string | undefined;
  readonly suite: boolean;
  readonly reason: string;
}

const SUMMARY = /^(tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) [0-9.]+$/;

export default async function* kfibReporter(source: AsyncIterable<TestEvent>): AsyncGenerator<string, void> {
  const inner = new spec();
  const out: string[] = [];
  inner.on('data', (chunk: string | Buffer) => out.push(chunk.toString()));
  const skips: Skip[] = [];
  let tests = 0;
  let suites = 0;
  let failed = 0;
  let passed = 0;
  let duration = 0;
  for await (const ev of source) {
    if (ev.type === 'test:diagnostic' && ev.data.nesting === 0 && SUMMARY.test(ev.data.message)) {
      if (ev.data.message.startsWith('duration_ms ')) duration = Number(ev.data.message.slice(12));
      continue;
    }
    if (ev.type === 'test:pass' || ev.type === 'test:fail') {
      const d = ev.data as typeof ev.data & { skip?: string | boolean; details: { type?: string } };
      const suite = d.details.type === 'suite';
      if (suite) suites++;
      else tests++;
      if (d.skip !== undefined && d.skip !== false) skips.push({ name: d.name, file: d.file, suite, reason: typeof d.skip === 'string' ? d.skip : '(no reason given)' });
      else if (!suite && ev.type === 'test:pass') passed++;
      else if (!suite) failed++;
    }
    inner.write(ev);
    while (out.length > 0) yield out.shift() as string;
  }
  inner.end();
  await new Promise<void>((res) => inner.once('end', () => res()).resume());
  while (out.length > 0) yield out.shift() as string;
  const skippedSuites = skips.filter((s) => s.suite).length;
  let text = `\nkfib test summary: ${tests} tests (${passed} passed, ${failed} failed, ${skips.length - skippedSuites} skipped), ${suites} suites (${skippedSuites} skipped), ${(duration / 1000).toFixed(0)} s\n`;
  if (skips.length > 0) {
    text += 'skipped:\n';
    for (const s of skips) text += `  ${s.suite ? 'suite' : 'test'} "${s.name}"${s.file === undefined ? '' : ` (${s.file.replace(/^.*\/dist\//, 'dist/')})`}: ${s.reason}\n`;
  }
  yield text;
}
