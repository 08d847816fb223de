import { test } from 'node:test';
import assert from 'node:assert/strict';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import fc from 'fast-check';
import { IpMonitorDecoder, ipMonitorRecords, parseIpMonitor } from '../../core/trace/ip-monitor.js';
import { isNetlinkRecord, type TraceRecord } from '../../core/trace/netlink-records.js';
import { fixtureNames, readMonitor } from './_fixtures.js';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Rewrites `ip -ts monitor` output as `ip -t monitor` prints it (asctime, unpadded usec). */
function toLongStamps(text: string): string {
  return text.replace(/^\[(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)\.(\d{6})\] /gm, (_m, y: string, mo: string, d: string, h: string, mi: string, s: string, us: string) => {
    const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    const day = DAYS[date.getUTCDay()] ?? '';
    const mon = MONTHS[Number(mo) - 1] ?? '';
    return `Timestamp: ${day} ${mon} ${String(Number(d)).padStart(2, ' ')} ${h}:${mi}:${s} ${y} ${Number(us)} usec\n`;
  });
}

function netlinkOnly(rs: readonly TraceRecord[]): Record<string, unknown>[] {
  return rs.filter(isNetlinkRecord).map((r) => {
    const { line: _line, ...rest } = r;
    return rest;
  });
}

function last(rs: readonly TraceRecord[]): TraceRecord {
  const r = rs[rs.length - 1];
  assert.ok(r !== undefined);
  return r;
}

test('every monitor.txt parses without error, every line accounted for', () => {
  for (const name of fixtureNames()) {
    const text = readMonitor(name);
    const rs = parseIpMonitor(text, { file: `${name}/monitor.txt` });
    const end = last(rs);
    assert.ok(end.kind === 'end');
    assert.equal(end.stats.errors, 0, `${name}: ${JSON.stringify(rs.filter((r) => r.kind === 'error').slice(0, 3))}`);
    assert.equal(end.stats.consumed, text.split('\n').length - 1, `${name}: lines`);
    const stamps = rs.filter((r) => r.kind === 'timestamp').length;
    const recordLines = text.split('\n').filter((l) => l.startsWith('[')).length;
    assert.equal(stamps, recordLines, `${name}: one -ts stamp per record`);
    const kept = Object.values(end.stats.records).reduce((a, b) => a + b, 0) - stamps;
    const skipped = Object.values(end.stats.skipped).reduce((a, b) => a + b, 0);
    assert.equal(kept + skipped, recordLines, `${name}: every record parsed or skipped`);
  }
});

test('-t time stamps (a line of their own) give the same records and times as -ts', () => {
  for (const name of ['01-addr-del-policy-route', '05-multipath-leg-down', '10-nexthop-objects']) {
    const ts = parseIpMonitor(readMonitor(name));
    const long = parseIpMonitor(toLongStamps(readMonitor(name)));
    assert.equal(long.filter((r) => r.kind === 'error').length, 0);
    assert.deepEqual(netlinkOnly(long), netlinkOnly(ts), name);
  }
});

test('records without [LABEL] prefixes (plain `ip monitor`) are classified by shape', () => {
  for (const name of fixtureNames()) {
    const plain = readMonitor(name).replace(/^(\[[^\]]+\] )\[[A-Z]+\]/gm, '$1');
    const a = parseIpMonitor(plain);
    assert.equal(a.filter((r) => r.kind === 'error').length, 0, name);
    assert.deepEqual(netlinkOnly(a), netlinkOnly(parseIpMonitor(readMonitor(name))), name);
  }
});

test('a -ts stamp is read as UTC by default and shifted by utcOffsetMinutes', () => {
  const line = '[2026-11-21T04:51:04.782905] [RULE]32765:\tfrom 10.0.1.3 oif ens33 lookup 10\n';
  const [stamp, rule] = parseIpMonitor(line);
  assert.deepEqual(stamp, { kind: 'timestamp', line: 1, sec: 1795236664, usec: 782905 });
  assert.deepEqual(rule, {
    line: 1, dump: false, time: { sec: 1795236664, usec: 782905 }, kind: 'rule', op: 'new',
    nlmsgType: 32, family: 2, priority: 32765, dstLen: 0, srcLen: 32, tos: 0, table: 10,
    action: 1, flags: 0, src: '10.0.1.3', oifName: 'ens33',
  });
  const shifted = parseIpMonitor(line, { utcOffsetMinutes: 60 })[0];
  assert.ok(shifted?.kind === 'timestamp');
  assert.equal(shifted.sec, 1795236664 - 3600);
});

test('`ip monitor file` time stamp lines (us) are time stamps', () => {
  const rs = parseIpMonitor('Timestamp: Sat Nov 21 04:51:04 2026 572217 us\nTimestamp: Sun Nov  1 00:00:00 2026 5 usec\n');
  assert.deepEqual(rs.slice(0, 2), [
    { kind: 'timestamp', line: 1, sec: 1795236664, usec: 572217 },
    { kind: 'timestamp', line: 2, sec: Date.UTC(2026, 10, 1) / 1000, usec: 5 },
  ]);
});

test('a multipath route and its TAB-indented legs make one record (fixture 10)', () => {
  const r = parseIpMonitor(readMonitor('10-nexthop-objects')).find((x) => x.kind === 'route' && x.dst === '10.202.0.0');
  assert.deepEqual(r, {
    line: 11, dump: false, time: { sec: 1795236726, usec: 178084 }, kind: 'route', op: 'new',
    nlmsgType: 24, family: 2, dstLen: 16, srcLen: 0, tos: 0, table: 30, protocol: 3, scope: 0,
    type: 1, flags: 0, dst: '10.202.0.0', nhId: 11,
    multipath: [
      { flags: 0, hops: 2, gateway: '192.168.10.254', dev: 'nh1' },
      { flags: 0, hops: 0, gateway: '192.168.20.254', dev: 'nh2' },
    ],
  });
});

test('a link record and its link/ether line make one record (fixture 03)', () => {
  const r = parseIpMonitor(readMonitor('03-carrier-linkdown-ignore')).find((x) => x.kind === 'link' && x.ifindex === 3);
  assert.deepEqual(r, {
    line: 14, dump: false, time: { sec: 1795236676, usec: 779326 }, kind: 'link', op: 'new',
    nlmsgType: 16, family: 0, ifindex: 3, name: 'vethtest1', linkName: 'vethtest1p', linkDown: true,
    // NO-CARRIER,BROADCAST,MULTICAST,UP: UP without RUNNING
    flags: 0x1003, mtu: 1500, qdisc: 'noqueue', operstate: 3, group: 0, ifiType: 1,
    address: '1e:b3:c0:47:6d:40', broadcast: 'ff:ff:ff:ff:ff:ff',
    // No `    altname X` line: the device has none (a [LINK] line prints all of them).
    altnames: [],
  });
});

test('addresses keep label, secondary and permanent flags and lifetimes (fixture 04)', () => {
  const addrs = parseIpMonitor(readMonitor('04-secondary-promotion')).filter((x) => x.kind === 'addr');
  const vip = addrs.find((a) => a.kind === 'addr' && a.label === 'lan0:vip');
  assert.ok(vip !== undefined && vip.kind === 'addr');
  assert.deepEqual([vip.op, vip.ifindex, vip.devName, vip.local, vip.address, vip.prefixlen, vip.scope, vip.flags, vip.validLft],
    ['new', 3, 'lan0', '10.1.1.3', '10.1.1.3', 24, 0, 0x80, 0xffffffff]);
  const sec = addrs.find((a) => a.kind === 'addr' && a.local === '10.2.2.2');
  assert.ok(sec !== undefined && sec.kind === 'addr');
  assert.equal(sec.flags, 0x81);
  assert.equal(sec.op, 'del');
});

test('rule selectors and actions are read back (fixture 09)', () => {
  const rules = parseIpMonitor(readMonitor('09-rules-route-types')).filter((x) => x.kind === 'rule' && x.op === 'new');
  const get = (p: number): Record<string, unknown> => {
    const r = rules.find((x) => x.kind === 'rule' && x.priority === p);
    assert.ok(r !== undefined, `rule ${p}`);
    return r as unknown as Record<string, unknown>;
  };
  assert.deepEqual([get(100)['src'], get(100)['srcLen'], get(100)['dst'], get(100)['dstLen']], ['10.9.0.0', 24, '172.31.0.0', 16]);
  assert.deepEqual([get(110)['fwmark'], get(110)['fwmask']], [0x10, 0xff]);
  assert.equal(get(120)['tos'], 0x10);
  assert.equal(get(130)['iifName'], 'edge0');
  assert.equal(get(140)['flags'], 2);
  assert.deepEqual([get(150)['action'], get(160)['action'], get(170)['action']], [6, 7, 8]);
  assert.deepEqual([get(180)['table'], get(180)['suppressPrefixlen']], [254, 0]);
  assert.deepEqual([get(190)['action'], get(190)['goto'], get(190)['flags']], [2, 200, 4]);
  assert.deepEqual([get(200)['ipProto'], get(200)['dportRange']], [6, { start: 443, end: 443 }]);
  assert.deepEqual(get(210)['uidRange'], { start: 1000, end: 2000 });
  assert.equal(get(220)['protocol'], 4);
});

test('routes read back types, tos, metrics, onlink and defaults (fixture 09)', () => {
  const routes = parseIpMonitor(readMonitor('09-rules-route-types')).filter((x) => x.kind === 'route');
  const find = (dst: string, pred: (r: Record<string, unknown>) => boolean = () => true): Record<string, unknown> => {
    const r = routes.find((x) => x.kind === 'route' && x.dst === dst && pred(x as unknown as Record<string, unknown>));
    assert.ok(r !== undefined, dst);
    return r as unknown as Record<string, unknown>;
  };
  assert.equal(find('10.124.0.0')['type'], 7);
  assert.deepEqual([find('10.124.3.0')['type'], find('10.124.3.0')['table']], [9, 220]);
  assert.equal(find('10.124.4.0')['flags'], 4);
  assert.deepEqual([find('10.124.5.0')['protocol'], find('10.124.5.0')['metrics']], [186, { mtu: 1400, advmss: 1360 }]);
  assert.equal(find('10.123.0.0', (r) => r['tos'] === 0x10)['gateway'], '10.8.0.253');
  assert.equal(find('10.123.0.0', (r) => r['priority'] === 10)['gateway'], '10.8.0.254');
});

test('a garbage line is an error naming its line; lenient skips it and goes on', () => {
  const text = [
    '[2026-11-21T04:51:04.782905] [RULE]32765:\tfrom 10.0.1.3 oif ens33 lookup 10',
    '[2026-11-21T04:51:04.784396] [ROUTE]default via 192.168.0.40 dev ens33 table 10 ',
    'hello world',
    '[2026-11-21T04:51:05.864863] [ROUTE]Deleted 192.168.0.0/24 dev ens33 proto kernel scope link src 192.168.0.4 ',
  ].join('\n') + '\n';
  const strict = parseIpMonitor(text, { file: 'monitor.txt' });
  assert.deepEqual(strict.filter((r) => r.kind === 'error'), [{
    kind: 'error',
    line: 3,
    expected: 'DST (default, A.B.C.D or A.B.C.D/LEN)',
    message: 'monitor.txt: line 3: Cannot parse route: bad destination "hello"',
    fatal: true,
  }]);
  assert.equal(strict.filter((r) => r.kind === 'route').length, 1, 'the records before it are delivered');
  assert.equal(strict.filter((r) => r.kind === 'rule').length, 1);
  const lenient = parseIpMonitor(text, { lenient: true });
  assert.equal(lenient.filter((r) => r.kind === 'route').length, 2);
  const end = last(lenient);
  assert.ok(end.kind === 'end');
  assert.equal(end.stats.errors, 1);
  assert.equal(end.stats.stopped, false);
});

test('bad words, bad continuation lines and unknown labels are errors with their line', () => {
  const cases: readonly [string, number, string][] = [
    ['[ROUTE]10.0.0.0/8 via 10.1.1.1 dev eth0 frobnicate 3 \n', 1, 'line 1: Cannot parse route: unexpected word "frobnicate"'],
    ['[ROUTE]10.0.0.0/33 dev eth0\n', 1, 'line 1: Cannot parse route: prefix length must be <= 32: got 33'],
    ['    link/ether 00:11:22:33:44:55\n', 1, 'line 1: continuation line without a record: "    link/ether 00:11:22:33:44:55"'],
    ['[FOO]bar\n', 1, 'line 1: unknown label [FOO]'],
    ['[ADDR]3: eth0    inet 10.0.0.1/24 scope global eth0\n       valid_lft soon\n', 2, 'line 2: Cannot parse address: bad continuation line "       valid_lft soon"'],
    ['[ROUTE]10.0.0.0/8 dev eth0 table mytable\n', 1, 'line 1: Cannot parse route: unknown table "mytable": not a number, and no rt_tables file read by this replay names it (the capturing host\'s name files: a capture\'s names/ folder, or --names DIR)'],
    ['[LINK]3: eth0: <UP,WEIRD> mtu 1500 group default\n', 1, 'line 1: Cannot parse link: unknown link flag "WEIRD"'],
    ['[2026-11-21T04:51:04] [ROUTE]10.0.0.0/8 dev eth0\n', 1, 'line 1: Cannot parse time stamp: "[2026-11-21T04:51:04] [ROUTE]10.0.0.0/8 dev eth0"'],
    ['Timestamp: yesterday\n', 1, 'line 1: Cannot parse time stamp: "Timestamp: yesterday"'],
  ];
  for (const [text, line, message] of cases) {
    const errors = parseIpMonitor(text).filter((r) => r.kind === 'error');
    assert.equal(errors.length, 1, text);
    const e = errors[0];
    assert.ok(e?.kind === 'error');
    assert.equal(e.line, line, text);
    assert.equal(e.message, message);
  }
});

test('names from the printing host tables are resolved when given', () => {
  const rs = parseIpMonitor('[ROUTE]10.0.0.0/8 dev eth0 table mytable proto myproto \n', { names: { tables: { mytable: 100 }, protocols: { myproto: 99 } } });
  const r = rs.find((x) => x.kind === 'route');
  assert.ok(r?.kind === 'route');
  assert.deepEqual([r.table, r.protocol, r.dev], [100, 99, 'eth0']);
});

test('IPv6, neighbour and bridge-port records are skipped and counted', () => {
  const text = [
    '[ROUTE]fe80::/64 dev nh1 proto kernel metric 256 pref medium',
    '[NEIGH]Deleted ff02::2 dev nh1 lladdr 33:33:00:00:00:02 NOARP ',
    '[ADDR]3: nh1    inet6 fe80::1/64 scope link ',
    '       valid_lft forever preferred_lft forever',
    '[LINK]2: ens33p@ens33: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master br0 state UP ',
    '    link/ether 02:00:00:00:00:01',
    '[NETCONF]inet6 nh2 forwarding off ',
  ].join('\n') + '\n';
  const end = last(parseIpMonitor(text));
  assert.ok(end.kind === 'end');
  assert.deepEqual(end.stats.skipped, {
    '[ROUTE]/inet6': 1, '[NEIGH]': 1, '[ADDR]/inet6': 1,
    '[LINK] without group (AF_BRIDGE or AF_INET6 link message)': 1, '[NETCONF]/inet6': 1,
  });
  assert.equal(end.stats.errors, 0);
});

test('parsing is the same whatever the chunking of the text', () => {
  const text = readMonitor('10-nexthop-objects');
  const whole = parseIpMonitor(text);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 30 }), (sizes) => {
    const d = new IpMonitorDecoder();
    const out: TraceRecord[] = [];
    let at = 0;
    let i = 0;
    while (at < text.length) {
      const n = sizes[i++ % sizes.length] ?? 1;
      out.push(...d.push(text.slice(at, at + n)));
      at += n;
    }
    out.push(...d.finish());
    assert.deepEqual(out, whole);
  }), { numRuns: 60 });
});

test('a line longer than maxLineLength is an error, not unbounded memory', () => {
  const d = new IpMonitorDecoder({ maxLineLength: 100, lenient: true });
  const out = [...d.push('x'.repeat(150)), ...d.push('y'.repeat(150)), ...d.push('\n[RULE]5:\tfrom all lookup main\n'), ...d.finish()];
  const errors = out.filter((r) => r.kind === 'error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]?.kind === 'error' && errors[0].message, 'line 1: line is longer than 100 characters (maxLineLength)');
  assert.equal(out.filter((r) => r.kind === 'rule').length, 1);
});

test('the rxjs operator reads UTF-8 bytes split anywhere and stops after a fatal error', async () => {
  const text = readMonitor('04-secondary-promotion');
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 97) chunks.push(bytes.subarray(i, i + 97));
  const out = await lastValueFrom(from(chunks).pipe(ipMonitorRecords(), toArray()));
  assert.deepEqual(out, parseIpMonitor(text));

  const bad = `${text.slice(0, 500)}\n!!!\n${text.slice(500)}`;
  let pulled = 0;
  const lines = bad.split(/(?<=\n)/);
  const got = await lastValueFrom(from(lines).pipe(tap(() => pulled++), ipMonitorRecords(), toArray()));
  assert.equal(got[got.length - 2]?.kind, 'error');
  assert.ok(pulled < lines.length, 'input after the fault is not read');
});
