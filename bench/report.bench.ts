// The report benchmark of issue 6: how long the `kfib replay --html` page of a large trace
// takes to open and become interactive in headless Chromium, and how big it is.
//
// Why: the page replays the trace itself (the event log folded through the model) rather
// than carrying precomputed answers, so opening costs a replay; the goals are under a
// second for ../shared/traces/07-flap-storm (about 1,800 notifications) and under three
// for 08-batch-5000-routes.
//
// Each run launches a fresh Chromium (Debian's, through playwright-core, a new profile,
// offline), navigates to the report's file:// URL and waits for the ready marker the page
// sets once it is drawn and answers clicks (`data-kfib-ready` on <html>). Figures:
// - readyMs: the page's own performance.now() at that marker, i.e. from navigation start;
// - wallMs: from page.goto() to the marker seen by the test driver;
// - clickMs: from a key press (End: select the last moment) to the panel showing it, as
//   the driver sees it, and `inPage`: the page's own time to draw that moment;
// - lookupMs: from submitting `ip route get` to the answer (driver; `inPage`: the page's).
// Baselines in the same run: the report of an empty trace (the fixed cost of the page:
// parsing the bundle, drawing), and the same fold in Node (openReport) for the ratio
// browser / Node.
//
// Run: node dist/bench/report.bench.js [--runs N] [--out DIR]
// Writes DIR/report.json (default bench/results/) and prints a summary.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseReportData } from '../core/report/report-data.js';
import { openReport } from '../core/report/report-model.js';
import { deviceLanes } from '../core/report/device-lanes.js';
import { routeCountSeries } from '../core/report/route-counts.js';
import { defineCommand, intOption, parseCommand } from '../cli/command.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const TRACES = resolve(ROOT, '..', 'shared', 'traces');
const KFIB = join(ROOT, 'dist', 'cli', 'kfib.js');
const CHROMIUM = process.env['KFIB_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface Workload {
  readonly name: string;
  /** The goal for readyMs, or null for a baseline. */
  readonly goalMs: number | null;
  readonly args: readonly string[];
}

interface Run {
  readonly readyMs: number;
  readonly wallMs: number;
  readonly clickMs: number;
  /** The page's own time to draw the selected moment (data-kfib-select-ms). */
  readonly selectMs: number;
  readonly lookupMs: number;
  /** The page's own time to answer (data-kfib-lookup-ms). */
  readonly lookupPageMs: number;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const round = (x: number): number => Math.round(x * 10) / 10;

function writeReport(w: Workload, out: string): { bytes: number; seconds: number } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [KFIB, 'replay', ...w.args, '--html', out], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`kfib replay --html failed for ${w.name}: ${r.stderr}`);
  return { bytes: statSync(out).size, seconds: (performance.now() - t0) / 1000 };
}

/** The same fold as the page, in Node. */
function nodeFoldMs(file: string): number {
  const html = readFileSync(file, 'utf8');
  const block = (id: string): string => {
    const m = new RegExp(`<script type="[^"]+" id="${id}">([\\s\\S]*?)</script>`).exec(html);
    return m?.[1] ?? '';
  };
  const t0 = performance.now();
  const data = parseReportData(JSON.parse(block('kfib-data')));
  if (typeof data === 'string') throw new Error(data);
  const model = openReport(data, block('kfib-log'));
  deviceLanes(model.states);
  routeCountSeries(model.states);
  return performance.now() - t0;
}

async function openOnce(file: string): Promise<Run> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'kfib-bench-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1400, height: 1000 }, offline: true });
  try {
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'commit' });
    await page.waitForSelector('html[data-kfib-ready]', { timeout: 60000 });
    const wallMs = performance.now() - t0;
    if ((await page.getAttribute('html', 'data-kfib-ready')) !== 'true') throw new Error(`the report ${file} did not open: ${(await page.textContent('#fatal')) ?? ''}`);
    const readyMs = Number(await page.getAttribute('html', 'data-kfib-ready-ms'));
    const t1 = performance.now();
    await page.keyboard.press('End');
    // Runs in the page: the selected moment is the last row of the nearby list.
    await page.waitForFunction(`(() => {
      const sel = document.documentElement.dataset.kfibSelected;
      const rows = document.querySelectorAll('#nearby tr');
      const lastRow = rows[rows.length - 1];
      return sel !== undefined && lastRow !== undefined && lastRow.getAttribute('data-index') === sel;
    })()`);
    const clickMs = performance.now() - t1;
    await page.fill('#lookup-to', '10.1.2.3');
    const t2 = performance.now();
    await page.click('#lookup-go');
    await page.waitForSelector('#lookup-answer:not([hidden])');
    const lookupMs = performance.now() - t2;
    const selectMs = Number(await page.getAttribute('html', 'data-kfib-select-ms'));
    const lookupPageMs = Number(await page.getAttribute('html', 'data-kfib-lookup-ms'));
    return { readyMs, wallMs, clickMs, selectMs, lookupMs, lookupPageMs };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const REPORT_BENCH = defineCommand({
  name: 'node dist/bench/report.bench.js',
  usage: 'node dist/bench/report.bench.js [OPTIONS]',
  about: `Times how long the HTML report of each trace fixture takes to become interactive in
headless Chromium (Debian's chromium, or KFIB_CHROMIUM); writes report.json.`,
  options: {
    runs: { type: 'string', arg: 'N', help: 'page loads per report (default 5)' },
    out: { type: 'string', arg: 'DIR', help: 'results folder (default bench/results)' },
  },
  positionals: { min: 0, max: 0, what: 'no arguments besides the options' },
  exit: '0; 2 on bad arguments or without Chromium.',
});

async function main(argv: readonly string[]): Promise<void> {
  const parsed = parseCommand(REPORT_BENCH, argv);
  if (parsed.kind === 'exit') {
    process.exitCode = parsed.code;
    return;
  }
  const runs = intOption(REPORT_BENCH.name, 'runs', parsed.values.runs, 5, 1);
  if (runs === null) {
    process.exitCode = 2;
    return;
  }
  const outDir = parsed.values.out === undefined ? join(ROOT, 'bench', 'results') : resolve(parsed.values.out);
  if (!existsSync(CHROMIUM)) {
    process.stderr.write(`report bench: no Chromium at ${CHROMIUM} (set KFIB_CHROMIUM); nothing measured\n`);
    process.exitCode = 2;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'kfib-report-bench-'));
  const empty = join(dir, 'empty.rtmon');
  writeFileSync(empty, '');
  const fixture = (n: string, f: string): string => join(TRACES, n, f);
  const workloads: Workload[] = [
    { name: 'empty trace (baseline)', goalMs: null, args: ['--initial', fixture('01-addr-del-policy-route', 'before.json'), empty] },
    { name: '07-flap-storm', goalMs: 1000, args: ['--initial', fixture('07-flap-storm', 'before.json'), fixture('07-flap-storm', 'trace.rtmon')] },
    { name: '08-batch-5000-routes', goalMs: 3000, args: ['--initial', fixture('08-batch-5000-routes', 'before.json'), fixture('08-batch-5000-routes', 'trace.rtmon')] },
  ];
  const results: Record<string, unknown>[] = [];
  try {
    for (const w of workloads) {
      const file = join(dir, `${w.name.split(' ')[0] ?? 'r'}.html`);
      const written = writeReport(w, file);
      const html = readFileSync(file, 'utf8');
      const data = parseReportData(JSON.parse(/<script type="application\/json" id="kfib-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null'));
      const notifications = typeof data === 'string' ? 0 : data.moments.length;
      const events = typeof data === 'string' ? 0 : data.moments.reduce((n, m) => n + m.n, 0);
      const all: Run[] = [];
      for (let i = 0; i < runs; i++) all.push(await openOnce(file));
      const folds = [nodeFoldMs(file), nodeFoldMs(file), nodeFoldMs(file)];
      const ready = median(all.map((r) => r.readyMs));
      const entry = {
        workload: w.name,
        notifications,
        events,
        reportBytes: written.bytes,
        writeSeconds: round(written.seconds),
        runs: all.length,
        readyMs: { median: round(ready), max: round(Math.max(...all.map((r) => r.readyMs))), all: all.map((r) => round(r.readyMs)) },
        wallMs: { median: round(median(all.map((r) => r.wallMs))), max: round(Math.max(...all.map((r) => r.wallMs))) },
        clickMs: { median: round(median(all.map((r) => r.clickMs))), inPage: round(median(all.map((r) => r.selectMs))) },
        lookupMs: { median: round(median(all.map((r) => r.lookupMs))), inPage: round(median(all.map((r) => r.lookupPageMs))) },
        nodeFoldMs: round(median(folds)),
        goalMs: w.goalMs,
        // Conservative: the slowest run, as the driver saw it (goto to the marker).
        meetsGoal: w.goalMs === null ? null : Math.max(...all.map((r) => r.wallMs), ...all.map((r) => r.readyMs)) < w.goalMs,
      };
      results.push(entry);
      process.stdout.write(
        `${w.name.padEnd(24)} ${String(notifications).padStart(6)} notifications ${String(written.bytes).padStart(9)} bytes  ready ${entry.readyMs.median} ms (max ${entry.readyMs.max}; driver ${entry.wallMs.median}, max ${entry.wallMs.max})` +
          `  click ${entry.clickMs.median} ms (page ${entry.clickMs.inPage})  lookup ${entry.lookupMs.median} ms (page ${entry.lookupMs.inPage})  node fold ${entry.nodeFoldMs} ms${w.goalMs === null ? '' : `  goal < ${w.goalMs} ms: ${entry.meetsGoal === true ? 'met' : 'MISSED'}`}\n`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const base = results[0]?.['readyMs'] as { median: number } | undefined;
  for (const r of results.slice(1)) {
    const ready = (r['readyMs'] as { median: number }).median;
    r['overEmptyReport'] = base === undefined ? null : round(ready / base.median);
    r['browserOverNode'] = round(ready / (r['nodeFoldMs'] as number));
  }
  const chromium = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const out = {
    bench: 'report',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memoryGiB: totalmem() / (1 << 30), kernel: release(), node: process.version, chromium },
    method: 'fresh headless Chromium per run (new profile, offline); readyMs = performance.now() when the page sets data-kfib-ready, from navigation start',
    results,
  };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'report.json'), `${JSON.stringify(out, null, 2)}\n`);
  process.stdout.write(`results: ${join(outDir, 'report.json')}\n`);
}

await main(process.argv.slice(2));
