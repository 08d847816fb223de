// The report as a person uses it, in headless Chromium: open the report of
// ../shared/traces/01-addr-del-policy-route from a file:// URL, click the moment the
// address of ens33 is deleted, see the table-10 default route gone silently, and ask the
// lookup box what the kernel answered at that moment (after.json's route_get); a capture
// whose names/ names its tables (isp1, isp2), shown with those names; then the edge cases: a trace without silent changes, an empty trace, a trace that fails to
// parse, and a damaged report. A screenshot of each page is saved in a temporary folder.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { fixtureDir, fixtureNames, fixturePath, readJson } from '../trace/_fixtures.js';
import { kfibReplay } from './_report-cli.js';
import { browserMissing, launchBrowser, type Browser } from './_browser.js';
import { REPORT_DATA_VERSION } from '../../core/report/report-data.js';

const F01 = '01-addr-del-policy-route';
const F04 = '04-secondary-promotion';
/** Tables isp1 = 101 and isp2 = 102 named by the capture's names/rt_tables (test/fixtures/traces). */
const NAMED = 'named-tables-explain';
const missing = browserMissing() ?? (fixtureNames().includes(F01) && fixtureNames().includes(F04) ? null : 'the shared trace fixtures are missing');

interface RouteGet {
  readonly query: string;
  readonly result: unknown;
  readonly error: string | null;
}

function kernelRouteGet(file: string, query: string): RouteGet {
  const q = (readJson(F01, file) as { route_get: RouteGet[] }).route_get.find((x) => x.query === query);
  assert.ok(q !== undefined, `${file} has no ${query}`);
  return q;
}

describe('the report in headless Chromium', { skip: missing ?? false }, () => {
  let dir = '';
  let browser: Browser | null = null;
  const requests: string[] = [];

  const report = (name: string, args: readonly string[], status = 0): string => {
    const out = join(dir, `${name}.html`);
    const r = kfibReplay([...args, '--html', out]);
    assert.equal(r.status, status, r.stderr);
    return out;
  };

  const open = async (file: string): Promise<Page> => {
    assert.ok(browser !== null);
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-kfib-ready]', { timeout: 20000 });
    assert.deepEqual(errors, []);
    return page;
  };

  const shot = async (page: Page, name: string): Promise<void> => {
    const path = join(dir, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    process.stderr.write(`# screenshot: ${path}\n`);
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kfib-report-browser-'));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    // Keep the screenshots for a look when asked to.
    if (process.env['KFIB_KEEP_SCREENSHOTS'] === undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the table-10 default route gone silently when the address goes, and answers ip route get as the kernel did', async () => {
    const file = report('01', ['--initial', fixturePath(F01, 'before.json'), fixturePath(F01, 'trace.rtmon')]);
    const page = await open(file);
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'true');
    assert.match((await page.textContent('#summary')) ?? '', /6 notifications .* 1 silent change at 1 moment · 3 devices/);

    // Start before the trace: table 10 does not exist yet.
    await page.keyboard.press('Home');
    assert.equal(await page.textContent('#moment-title'), 'Before the trace (6 notifications follow)');
    assert.equal(await page.locator('#fib [data-table="10"]').count(), 0);

    // The red mark of the timeline: the moment the address is deleted.
    await page.click('#timeline-svg .silent-mark[data-seq="3"]');
    assert.equal(await page.textContent('#moment-title'), 'Moment @3 (3 of 6)');
    assert.match((await page.textContent('#moment-record')) ?? '', /RTM_DELADDR from pid \d+: \[ADDR\] Deleted 192\.168\.0\.4\/24 dev ens33/);
    const gone = page.locator('#fib [data-table="10"] .row.gone-silently');
    assert.equal(await gone.count(), 1);
    assert.equal(await gone.textContent(), 'default via 192.168.0.40 dev ens33 ');
    assert.equal(await page.textContent('#fib [data-table="10"] .row-note.gone-silently'), '↳ gone silently (fib_disable_ip)');
    assert.match((await page.textContent('#fib [data-table="10"] summary')) ?? '', /table 10\s*0 routes; 1 gone silently/);
    const silent = page.locator('#silent-list li.silent');
    assert.equal(await silent.count(), 1);
    assert.equal(await silent.getAttribute('data-cause'), 'fib_disable_ip');
    assert.equal(await silent.textContent(), 'route removed    default via 192.168.0.40 dev ens33 table 10');
    assert.match((await page.textContent('#silent-list .silent-group .cause')) ?? '', /^fib_disable_ip: the device lost its last IPv4 address .* \(1\)$/);

    // The lookup box at that moment.
    await page.fill('#lookup-to', '8.8.8.8');
    await page.fill('#lookup-from', '10.0.1.3');
    await page.fill('#lookup-oif', 'ens33');
    await page.click('#lookup-go');
    const kernel = kernelRouteGet('after.json', 'ip route get 8.8.8.8 from 10.0.1.3 oif ens33');
    assert.deepEqual(JSON.parse((await page.textContent('#lookup-json')) ?? 'null'), kernel.result);
    assert.equal(await page.textContent('#lookup-stdout'), '8.8.8.8 from 10.0.1.3 dev ens33 uid 0 \n    cache \n');
    await shot(page, '01-after-address-deleted');

    // One notification earlier (the checkpoint): the answer follows the selection.
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.textContent('#moment-title'), 'Moment @2 (2 of 6)');
    const checkpoint = kernelRouteGet('checkpoints/01-policy-route-installed.json', 'ip route get 8.8.8.8 from 10.0.1.3 oif ens33');
    assert.deepEqual(JSON.parse((await page.textContent('#lookup-json')) ?? 'null'), checkpoint.result);
    assert.equal(await page.textContent('#lookup-stdout'), '8.8.8.8 from 10.0.1.3 via 192.168.0.40 dev ens33 table 10 uid 0 \n    cache \n');
    assert.equal(await page.locator('#fib [data-table="10"] .row.added').textContent(), 'default via 192.168.0.40 dev ens33 ');

    // A click on the timeline itself picks the nearest moment.
    await page.click('#timeline-svg', { position: { x: 1300, y: 30 } });
    assert.match((await page.textContent('#moment-title')) ?? '', /^Moment @6 /);
    await page.close();
  });

  it('names tables as the capture names them (isp1 = 101 from its names/), in the FIB, the rules, the silent changes, the legend and the lookup box', async () => {
    const page = await open(report('named', [fixtureDir(NAMED)]));
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'true');
    await page.keyboard.press('Home');
    assert.match((await page.textContent('#fib [data-table="101"] summary')) ?? '', /^table isp1\s*2 routes$/);
    assert.match((await page.textContent('#rules')) ?? '', /100:\tfrom 10\.0\.1\.50 lookup isp1\n101:\tfrom 10\.0\.2\.77 lookup isp2\n/);
    assert.equal(await page.textContent('#timeline-svg text[data-table="101"]'), 'isp1: 2');
    // The address goes: the isp1 routes are flushed without a word.
    await page.click('#timeline-svg .silent-mark[data-seq="3"]');
    assert.deepEqual(await page.locator('#silent-list li.silent code').allTextContents(), [
      'route removed    default via 10.0.1.1 dev eth0 table isp1 linkdown',
      'route removed    10.0.1.0/24 dev eth0 table isp1 scope link src 10.0.1.50 linkdown',
    ]);
    assert.equal(await page.locator('#fib [data-table="101"] .row.gone-silently').count(), 2);
    // The lookup box: the kernel's answer at the checkpoint after the lease was lost, isp2 by name.
    await page.fill('#lookup-to', '8.8.8.8');
    await page.fill('#lookup-from', '10.0.2.77');
    await page.click('#lookup-go');
    const kernel = (readJson(NAMED, 'checkpoints/02-lease-lost.json') as { route_get: RouteGet[] }).route_get.find((q) => q.query === 'ip route get 8.8.8.8 from 10.0.2.77');
    assert.deepEqual(JSON.parse((await page.textContent('#lookup-json')) ?? 'null'), kernel?.result);
    assert.equal(await page.textContent('#lookup-stdout'), '8.8.8.8 from 10.0.2.77 via 10.0.2.1 dev wlan0 table isp2 uid 0 \n    cache \n');
    // The last notification: the isp1 default route back, named in its record and its event.
    await page.keyboard.press('End');
    assert.match((await page.textContent('#moment-record')) ?? '', /\[ROUTE\] default via 10\.0\.1\.1 dev eth0 table isp1 proto boot$/);
    assert.deepEqual(await page.locator('#moment-events li').allTextContents(), ['route add default table isp1']);
    assert.doesNotMatch((await page.textContent('#app')) ?? '', /\b(table|lookup) 10[12]\b/);
    await shot(page, 'named-tables');
    await page.close();
  });

  it('says so when a trace has no silent change', async () => {
    const page = await open(report('04', ['--initial', fixturePath(F04, 'before.json'), fixturePath(F04, 'trace.rtmon')]));
    assert.match((await page.textContent('#summary')) ?? '', /· no silent change ·/);
    assert.equal(await page.locator('#timeline-svg .silent-mark').count(), 0);
    assert.equal(await page.textContent('#silent'), 'The whole trace has no silent change: every change was notified.');
    await shot(page, '04-no-silent-change');
    await page.close();
  });

  it('shows the initial state of an empty trace', async () => {
    writeFileSync(join(dir, 'empty.rtmon'), '');
    const page = await open(report('empty', ['--initial', fixturePath(F01, 'before.json'), join(dir, 'empty.rtmon')]));
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'true');
    assert.equal(await page.textContent('#empty'), 'The trace has no notifications: the page shows the initial state only.');
    assert.equal(await page.textContent('#fib-title'), 'FIB before the trace');
    assert.match((await page.textContent('#fib [data-table="254"]')) ?? '', /192\.168\.0\.0\/24 dev ens33 proto kernel scope link src 192\.168\.0\.4/);
    await page.close();
  });

  it('shows a trace that fails to parse up to the fault, and the fault', async () => {
    const bytes = readFileSync(fixturePath(F01, 'trace.rtmon'));
    writeFileSync(join(dir, 'cut.rtmon'), bytes.subarray(0, bytes.length - 100));
    const page = await open(report('cut', ['--initial', fixturePath(F01, 'before.json'), join(dir, 'cut.rtmon')], 2));
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'true');
    assert.match((await page.textContent('#problems .fatal')) ?? '', /cut\.rtmon: byte \d+: .*the rest of the trace is not shown/);
    await shot(page, 'cut');
    await page.close();
  });

  it('explains a damaged report instead of showing a blank page', async () => {
    const good = readFileSync(report('damaged', ['--initial', fixturePath(F01, 'before.json'), fixturePath(F01, 'trace.rtmon')]), 'utf8');
    const damaged = join(dir, 'damaged2.html');
    const edited = good.replace(`"version":${REPORT_DATA_VERSION}`, '"version":7');
    assert.notEqual(edited, good);
    writeFileSync(damaged, edited);
    const page = await open(damaged);
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'error');
    assert.equal(await page.textContent('#fatal'), `This report cannot be shown: Cannot read the report data: expected version ${REPORT_DATA_VERSION}, got 7`);
    await page.close();
  });

  it('names a damaged events block (read after the page is drawn) and shows the moments without their events', async () => {
    const good = readFileSync(report('damaged-events', ['--initial', fixturePath(F01, 'before.json'), fixturePath(F01, 'trace.rtmon')]), 'utf8');
    const damaged = join(dir, 'damaged-events2.html');
    const edited = good.replace(/(<script type="[^"]+" id="kfib-events">)([A-Za-z0-9+/=]{4})/, '$1!!!!');
    assert.notEqual(edited, good);
    writeFileSync(damaged, edited);
    const page = await open(damaged);
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'true');
    assert.match((await page.textContent('#problems .fatal')) ?? '', /^the embedded events block is damaged: .*offset 0.*; the moments apply nothing$/);
    // The page was drawn before the events were read, and kept answering: the FIB is the initial one.
    assert.ok(Number(await page.getAttribute('html', 'data-kfib-interactive-ms')) > 0);
    await page.close();
  });

  it('names a file cut before its script instead of saying "Opening…" for ever', async () => {
    const good = readFileSync(report('cut-early', ['--initial', fixturePath(F01, 'before.json'), fixturePath(F01, 'trace.rtmon')]), 'utf8');
    const cut = join(dir, 'cut-early2.html');
    // Cut inside the summaries, before the page's script.
    const at = good.indexOf('id="kfib-texts">') + 40;
    assert.ok(at > 40 && at < good.indexOf('<script>', good.indexOf('id="kfib-objects"')));
    writeFileSync(cut, good.slice(0, at));
    const page = await open(cut);
    assert.equal(await page.getAttribute('html', 'data-kfib-ready'), 'error');
    assert.equal(await page.textContent('#fatal'), 'This report cannot be shown: the file ends before the page script (it may be truncated); write it again with kfib replay --html.');
    await page.close();
  });

  it('asked for nothing but its own file', () => {
    assert.ok(requests.length > 0);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file://')), []);
  });
});
