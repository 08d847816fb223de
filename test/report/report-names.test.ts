// The report names tables, protocols, scopes and dsfields as the capture names them, as
// `kfib replay --show` and `--explain` do: the trace test/fixtures/traces/named-tables-explain
// (tables isp1 = 101 and isp2 = 102, vpn = 200 from its names/) replayed into a report with its
// names, and replayed again with iproute2's built-in names only (before-numeric.json, a names
// folder holding only the built-ins, as test/cli/replay-explain-names.test.ts does): every
// moment's record, events, tables, rules, silent changes, the route-count series and the
// lookup box's answers of the first equal those of the second with `table 101` written
// `table isp1`. (Before: the page printed `table 101`, and rebuilt the initial state without
// the capture's names, so tables isp1 and isp2 and their rules were missing from its FIB.)
// Then the names as the data carries them: read back exactly, and checked by the validator.

import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir, fixturePath, readJson } from '../trace/_fixtures.js';
import { kfibReplay, reportDataOf, reportModelOf } from './_report-cli.js';
import type { ReportModel } from '../../core/report/report-model.js';
import { momentView } from '../../core/report/moment-view.js';
import { lookup, type LookupQuery } from '../../core/report/lookup.js';
import { parseReportData } from '../../core/report/report-data.js';
import { namesProblem, printNamesOf, reportNames } from '../../core/report/report-names.js';
import { BUILTIN_NAMES, namesWithFiles, numericNames, type PrintNames } from '../../core/uapi/rt-names.js';
import { readNamesDir } from '../../cli/names-dir.js';

const NAMED = 'named-tables-explain';

interface RouteGet {
  readonly query: string;
  readonly result: unknown;
  readonly error: string | null;
}

/** The `ip route get` queries the capture asked the kernel (before.json's route_get). */
function kernelAnswers(file: string): RouteGet[] {
  return (readJson(NAMED, file) as { route_get: RouteGet[] }).route_get;
}

function queryOf(q: string): LookupQuery {
  const w = q.replace(/^ip route get /, '').split(' ');
  return { to: w[0] ?? '', ...(w[1] === 'from' ? { from: w[2] ?? '' } : {}) };
}

const QUERIES = kernelAnswers('before.json').map((q) => q.query);

/** Everything the page shows of every moment, as text. */
function pageText(model: ReportModel): string {
  const out: string[] = [];
  for (const s of model.series) out.push(`series table ${s.name}: max ${s.max}, ${Array.from(s.counts).join(' ')}`);
  for (const p of model.problems) out.push(`problem ${p.message}`);
  for (let i = 0; i < model.count; i++) {
    const st = model.state(i);
    const v = momentView(st);
    out.push(`state ${i}: ${st.moment === null ? 'before the trace' : `@${st.moment.seq} ${st.moment.type} ${st.moment.text}`}`);
    for (const e of v.events) out.push(`  event ${e}`);
    for (const t of v.tables) {
      out.push(`  table ${t.name} (${t.count} routes)`);
      for (const r of t.rows) out.push(`    ${r.status} ${r.text}${r.change === undefined ? '' : ` (${r.change})`}`);
    }
    for (const r of v.rules) out.push(`  rule ${r.status} ${r.text}`);
    for (const c of v.silent) out.push(`  silent ${c.text}`);
    for (const q of QUERIES) {
      const a = lookup(st.snapshot, queryOf(q), st.names);
      if (typeof a === 'string') out.push(`  lookup ${q}: ${a}`);
      else out.push(`  $ ${a.command}`, `${a.stdout}${a.stderr}exit ${a.exit} json ${JSON.stringify(a.json)}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** The capture's table names beyond the built-ins: number -> name (names/rt_tables, rt_tables.d). */
function captureTables(): Map<string, string> {
  const files = readNamesDir(fixturePath(NAMED, 'names'), 'names');
  if (!('entries' in files)) throw new Error(files.message);
  return new Map(files.entries.tables.filter((e) => !BUILTIN_NAMES.tables.has(e.value)).map((e) => [String(e.value), e.name]));
}

let shared: { dir: string; html: string } | null = null;
after(() => {
  if (shared !== null) rmSync(shared.dir, { recursive: true, force: true });
});

/** The report of the capture folder, as `kfib replay FOLDER --html OUT` writes it (once). */
function namedHtml(): string {
  if (shared === null) {
    const dir = mkdtempSync(join(tmpdir(), 'kfib-report-names-'));
    const r = kfibReplay([fixtureDir(NAMED), '--html', join(dir, 'named.html')]);
    assert.equal(r.status, 0, r.stderr);
    shared = { dir, html: readFileSync(join(dir, 'named.html'), 'utf8') };
  }
  return shared.html;
}

function withDir<T>(f: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-report-names-'));
  try {
    return f(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the report of a capture with named tables prints them as the capture names them: the report with built-in names only, table numbers replaced by the names, whole', () =>
  withDir((dir) => {
    const builtins = join(dir, 'builtin-names');
    mkdirSync(join(builtins, 'rt_tables.d'), { recursive: true });
    writeFileSync(join(builtins, 'rt_tables'), '255\tlocal\n254\tmain\n253\tdefault\n0\tunspec\n');
    const numeric = kfibReplay([fixturePath(NAMED, 'trace.rtmon'), '--initial', fixturePath(NAMED, 'before-numeric.json'), '--names', builtins, '--html', join(dir, 'numeric.html')]);
    assert.equal(numeric.status, 0, numeric.stderr);

    const namedText = pageText(reportModelOf(namedHtml()));
    const numericText = pageText(reportModelOf(readFileSync(join(dir, 'numeric.html'), 'utf8')));
    const names = captureTables();
    assert.deepEqual([...names], [['101', 'isp1'], ['102', 'isp2'], ['200', 'vpn']]);
    const renamed = numericText
      .replace(/\b(table|lookup) (\d+)\b/g, (all, word: string, n: string) => (names.has(n) ? `${word} ${names.get(n) as string}` : all))
      .replace(/"table":"(\d+)"/g, (all, n: string) => (names.has(n) ? `"table":"${names.get(n) as string}"` : all));
    assert.notEqual(renamed, numericText);
    assert.equal(namedText, renamed);
    assert.doesNotMatch(namedText, /\b(table|lookup) 10[12]\b|"table":"10[12]"/);
    // What the capture is about: the isp1 routes flushed without a word when the lease goes.
    assert.match(namedText, /\n {2}silent route removed {4}default via 10\.0\.1\.1 dev eth0 table isp1 linkdown\n/);
    assert.match(namedText, /\n {2}table isp1 \(0 routes\)\n {4}gone-silently default via 10\.0\.1\.1 dev eth0 linkdown \n/);
    assert.match(namedText, /\n {2}rule kept 100:\tfrom 10\.0\.1\.50 lookup isp1\n/);
    assert.match(namedText, /\nseries table isp1: /);
  }));

test('the lookup box answers as the kernel answered on the capture host, table names included (before.json and after.json route_get)', () => {
  const model = reportModelOf(namedHtml());
  const answers = (i: number): { query: string; result: unknown; error: string | null }[] =>
    QUERIES.map((q) => {
      const a = lookup(model.state(i).snapshot, queryOf(q), model.names);
      assert.ok(typeof a !== 'string', a as string);
      return { query: q, result: a.json, error: a.exit === 0 ? null : a.stderr.trimEnd() };
    });
  assert.deepEqual(answers(0), kernelAnswers('before.json'));
  assert.deepEqual(answers(model.count - 1), kernelAnswers('after.json'));
  assert.ok(JSON.stringify(answers(0)).includes('"table":"isp1"'));
});

test('the lookup box reads a tos word with the capture\'s rt_dsfield, as ip route get does (rtnl_dsfield_a2n)', () => {
  // The capture's names with one more rt_dsfield line: `0x10 lowdelay`.
  const files = readNamesDir(fixturePath(NAMED, 'names'), 'names');
  if (!('entries' in files)) throw new Error(files.message);
  const names = namesWithFiles({ ...files, entries: { ...files.entries, dsfields: [...files.entries.dsfields, { name: 'lowdelay', value: 0x10 }] } });
  const s = reportModelOf(namedHtml()).state(0).snapshot;
  const byName = lookup(s, { to: '8.8.8.8', from: '10.0.1.50', tos: 'lowdelay' }, names);
  const byNumber = lookup(s, { to: '8.8.8.8', from: '10.0.1.50', tos: '0x10' }, names);
  assert.ok(typeof byName !== 'string' && typeof byNumber !== 'string');
  assert.equal(byName.exit, 0, byName.stderr);
  assert.deepEqual({ ...byName, command: '' }, { ...byNumber, command: '' });
  // The kernel does not echo the tos (checked: ip route get 8.8.8.8 from A tos 0x10).
  assert.equal(byName.stdout, '8.8.8.8 from 10.0.1.50 via 10.0.1.1 dev eth0 table isp1 uid 0 \n    cache \n');
  // Without the name file, ip refuses the word.
  const builtin = lookup(s, { to: '8.8.8.8', tos: 'lowdelay' });
  assert.ok(typeof builtin !== 'string');
  assert.equal(builtin.stderr, 'Error: argument "lowdelay" is wrong: TOS value is invalid\n\n');
});

test('the data carries the capture\'s names as what differs from the built-ins, and reads them back exactly', () => {
  const data = reportDataOf(namedHtml());
  assert.deepEqual(data['names'], { tables: { n2a: [[101, 'isp1'], [102, 'isp2'], [200, 'vpn']] }, protos: { n2a: [[77, 'myproto']] } });
  const files = readNamesDir(fixturePath(NAMED, 'names'), 'names');
  if (!('entries' in files)) throw new Error(files.message);
  const capture = namesWithFiles(files);
  const same = (a: PrintNames, b: PrintNames): void => {
    for (const k of ['tables', 'protos', 'scopes', 'dsfields', 'tableNums', 'protoNums', 'scopeNums', 'dsfieldNums'] as const) assert.deepEqual([...a[k]].sort(), [...b[k]].sort(), k);
    assert.equal(a.numeric, b.numeric);
  };
  same(printNamesOf(JSON.parse(JSON.stringify(reportNames(capture))) as ReturnType<typeof reportNames>), capture);
  same(printNamesOf(reportNames(numericNames(capture))), numericNames(capture));
  assert.deepEqual(reportNames(BUILTIN_NAMES), {});
  assert.equal(printNamesOf(undefined), BUILTIN_NAMES);
});

test('an alias, a renamed built-in and a name moved to another number survive the trip (rtnl_*_a2n reads every name a file gives)', () => {
  const names = namesWithFiles({
    entries: { tables: [{ name: 'isp1', value: 101 }, { name: 'provider', value: 101 }, { name: 'mymain', value: 254 }, { name: 'x', value: 7 }, { name: 'x', value: 8 }], protocols: [], scopes: [], dsfields: [{ name: 'EF', value: 0x10 }], realms: [] },
    files: { tables: ['rt_tables'], protocols: [], scopes: [], dsfields: ['rt_dsfield'], realms: [] },
  });
  const back = printNamesOf(reportNames(names));
  for (const k of ['tables', 'protos', 'scopes', 'dsfields', 'tableNums', 'protoNums', 'scopeNums', 'dsfieldNums'] as const) assert.deepEqual([...back[k]].sort(), [...names[k]].sort(), k);
  assert.equal(back.tableNums.get('isp1'), 101);
  assert.equal(back.tables.get(101), 'provider');
  assert.equal(back.tables.get(254), 'mymain');
  assert.equal(back.tableNums.get('main'), 254);
});

test('the validator names what is wrong with the names; data without them means the built-in names, and the snapshot entries those do not name are problems', () => {
  assert.equal(namesProblem(undefined), null);
  assert.equal(namesProblem({ tables: { n2a: [[101, 'isp1']] }, numeric: true }), null);
  assert.equal(namesProblem([]), 'names: expected {tables?, protos?, scopes?, dsfields?, numeric?}');
  assert.equal(namesProblem({ realms: {} }), 'names.realms: expected one of tables, protos, scopes, dsfields, numeric');
  assert.equal(namesProblem({ tables: { n2a: [['isp1', 101]] } }), 'names.tables.n2a[0]: expected [number, name]');
  assert.equal(namesProblem({ tables: { n2a: [[101, 'isp 1']] } }), 'names.tables.n2a[0]: expected [number, name]');
  assert.equal(namesProblem({ protos: { a2n: [['x', -2]] } }), 'names.protos.a2n[0]: expected [name, number or -1]');
  assert.equal(namesProblem({ scopes: { nums: [] } }), 'names.scopes.nums: expected n2a or a2n');
  assert.equal(namesProblem({ numeric: false }), 'names.numeric: expected true or nothing');
  const data = reportDataOf(namedHtml());
  assert.equal(parseReportData({ ...data, names: { tables: { n2a: [[101]] } } }), 'Cannot read the report data: names.tables.n2a[0]: expected [number, name]');
  const { names: _names, ...old } = data;
  const parsed = parseReportData(old);
  assert.ok(typeof parsed !== 'string', parsed as string);
  assert.equal(parsed.names, undefined);
  // Such data read with the built-in names: the snapshot's isp1 and isp2 entries are named as problems, not dropped silently.
  const member = ',"names":{"tables":{"n2a":[[101,"isp1"],[102,"isp2"],[200,"vpn"]]},"protos":{"n2a":[[77,"myproto"]]}}';
  assert.ok(namedHtml().includes(member));
  const model = reportModelOf(namedHtml().replace(member, ''));
  assert.equal(model.names, BUILTIN_NAMES);
  assert.deepEqual(model.problems.filter((p) => p.message.startsWith('initial state: ')).map((p) => p.message), [
    'initial state: route default (the 1. IPv4 route of the dump): unknown table "isp1": not a number, and not in iproute2\'s built-in table names (main, local, default, unspec)',
    'initial state: route 10.0.1.0/24 (the 2. IPv4 route of the dump): unknown table "isp1": not a number, and not in iproute2\'s built-in table names (main, local, default, unspec)',
    'initial state: route default (the 3. IPv4 route of the dump): unknown table "isp2": not a number, and not in iproute2\'s built-in table names (main, local, default, unspec)',
    'initial state: rule pref 100 (the 2. IPv4 rule of the dump): unknown table "isp1": not a number, and not in iproute2\'s built-in table names (main, local, default, unspec)',
    'initial state: rule pref 101 (the 3. IPv4 rule of the dump): unknown table "isp2": not a number, and not in iproute2\'s built-in table names (main, local, default, unspec)',
  ]);
});
