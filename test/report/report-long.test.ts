// The report of a long trace in headless Chromium, where the page's lazy path matters: 60,000
// route events over 1,500 prefixes (the workload of bench/report.bench.ts, smaller), so that
// the page opens without folding, folds in slices to its first selection (the end), and
// answers an instant in the middle from a checkpoint it made on the way plus a short replay.
// At that instant the table and `ip route get` answers must be exactly those of
// `kfib replay --at @N` for the same trace (whole outputs compared).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { churnEvents, rtmonRouteTrace, vethPairInitialJson } from '../../bench/_rtmon-gen.js';
import { kfibReplay } from './_report-cli.js';
import { browserMissing, launchBrowser, type Browser } from './_browser.js';

const PREFIXES = 1500;
const EVENTS = 60000;
/** An instant between two checkpoints: the 31,337th notification deletes a route. */
const MIDDLE = 31337;


describe('the report of a long trace in headless Chromium', { skip: browserMissing() ?? false }, () => {
  let dir = '';
  let browser: Browser | null = null;
  let trace = '';
  let initial = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kfib-report-long-'));
    const entries = Array.from({ length: PREFIXES }, (_, i) => ({ prefix: ((10 << 24) | (i << 8)) >>> 0, len: 24 }));
    trace = join(dir, 'long.rtmon');
    writeFileSync(trace, rtmonRouteTrace(churnEvents(entries, EVENTS), 3, 1795200000));
    initial = join(dir, 'initial.json');
    writeFileSync(initial, vethPairInitialJson());
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows at an instant in the middle exactly the table and ip route get answers of kfib replay --at', async () => {
    const out = join(dir, 'long.html');
    const w = kfibReplay(['--initial', initial, '--show', 'rule', '--html', out, trace]);
    assert.equal(w.status, 0, w.stderr);
    assert.ok(browser !== null);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(out).href);
    // Interactive first, the FIB of the end once folded to.
    await page.waitForSelector('html[data-kfib-interactive-ms]', { timeout: 60000 });
    await page.waitForSelector('html[data-kfib-ready="true"]', { timeout: 120000 });
    assert.equal(await page.textContent('#fib-title'), `FIB after @${EVENTS}`);
    await page.evaluate(`location.hash = '#@${MIDDLE}'`);
    // Selectors, not string predicates: the page's CSP forbids eval.
    await page.waitForSelector(`#fib-title:text-is("FIB after @${MIDDLE}")`, { timeout: 60000 });
    assert.match((await page.textContent('#moment-record')) ?? '', /RTM_DELROUTE from pid 4242: \[ROUTE\] Deleted 10\.\d+\.\d+\.0\/24 dev v0 proto boot/);

    // The main table as the page lists it: every row the state holds (not the rows this
    // moment deleted, nor the notes under marked rows).
    const pageMain = (await page.evaluate(`(() => {
      const pre = document.querySelector('#fib [data-table="254"] pre');
      let s = '';
      for (const n of pre.childNodes) {
        if (n.nodeType === 3) s += n.textContent;
        else if (n.classList.contains('row') && !['deleted', 'gone-silently', 'replaced', 'elided'].includes(n.dataset.status)) s += n.textContent + '\\n';
      }
      return s;
    })()`)) as string;
    const cli = kfibReplay(['--initial', initial, '--at', `@${MIDDLE}`, '--show', 'route', trace]);
    assert.equal(cli.status, 0, cli.stderr);
    const cliMain = cli.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('#') && !/ table /.test(l)).map((l) => `${l}\n`).join('');
    assert.ok(cliMain.split('\n').length > 1000, `${cliMain.split('\n').length} routes in main`);
    assert.equal(pageMain, cliMain);

    // ip route get at that instant: the deleted prefix, one that stays, one nowhere.
    const deleted = /Deleted (10\.\d+\.\d+)\.0\/24/.exec((await page.textContent('#moment-record')) ?? '')?.[1];
    assert.ok(deleted !== undefined);
    const kinds: string[] = [];
    for (const q of [`${deleted}.7`, '10.0.5.1', '10.3.9.200', '8.8.8.8']) {
      await page.fill('#lookup-to', q);
      await page.click('#lookup-go');
      await page.waitForSelector(`#lookup-answer pre.command:has-text("$ ip route get ${q} ")`);
      const got = { stdout: (await page.textContent('#lookup-stdout')) ?? '', stderr: (await page.textContent('#lookup-stderr')) ?? '' };
      const r = kfibReplay(['--initial', initial, '--at', `@${MIDDLE}`, '--get', q, trace]);
      const want = { stdout: r.stdout.split('\n').filter((l) => !l.startsWith('#')).join('\n').replace(/\n+$/, '\n').replace(/^\n$/, ''), stderr: r.stderr.split('\n').filter((l) => l.startsWith('RTNETLINK')).map((l) => `${l}\n`).join('') };
      assert.deepEqual(got, want, q);
      kinds.push(got.stdout !== '' ? 'route' : got.stderr !== '' ? 'error' : 'nothing');
    }
    // Answers of both kinds were compared (8.8.8.8: no default route; 10.0.5.1 is never deleted for long).
    assert.ok(kinds.includes('route') && kinds.includes('error'), kinds.join(','));
    assert.deepEqual(errors, []);
    await page.close();
  });
});
