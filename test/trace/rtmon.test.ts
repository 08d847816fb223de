import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import fc from 'fast-check';
import { RtmonDecoder } from '../../core/trace/rtmon.js';
import { decodeRtmon, rtmonRecords } from '../../core/trace/rtmon-records.js';
import { nlmsgTypeName, type TraceRecord } from '../../core/trace/netlink-records.js';
import { fixtureNames, fixturePath, readRtmon, lastRecord, withoutEnd } from './_fixtures.js';
import { assertSameAsPython, pythonDecode } from './_python-decode.js';
import {
  attr, concatBytes, cstr, fibRuleHdr, nlmsg, tstamp, u32,
} from './_netlink-builder.js';

const F01 = '01-addr-del-policy-route';
const F10 = '10-nexthop-objects';

const last = lastRecord;

/** The "Automatic summary" of a fixture's notes.md: dump size, notifications, per-type counts. */
function notesSummary(name: string): { dump: number; notifications: number; all: Map<string, number>; inet: Map<string, number> } {
  const text = readFileSync(fixturePath(name, 'notes.md'), 'utf8');
  const m = /trace\.rtmon: (\d+) messages in the initial link dump, (\d+) notifications after it\./.exec(text);
  assert.ok(m !== null, `${name}/notes.md has no automatic summary`);
  const all = new Map<string, number>();
  const inet = new Map<string, number>();
  for (const row of text.matchAll(/^\| (RTM_[A-Z]+) \| (\d+) \| (\d+) \|$/gm)) {
    all.set(row[1] ?? '', Number(row[2]));
    inet.set(row[1] ?? '', Number(row[3]));
  }
  return { dump: Number(m[1]), notifications: Number(m[2]), all, inet };
}

test('every fixture decodes without error and ends with an end record', () => {
  const names = fixtureNames();
  assert.equal(names.length, 10, 'expected the ten fixtures of ../shared/traces');
  for (const name of names) {
    const rs = decodeRtmon(readRtmon(name), { file: `${name}/trace.rtmon` });
    const end = last(rs);
    assert.equal(end.kind, 'end');
    if (end.kind !== 'end') continue;
    assert.equal(end.stats.errors, 0, `${name}: ${JSON.stringify(rs.filter((r) => r.kind === 'error'))}`);
    assert.equal(end.stats.consumed, readRtmon(name).length, `${name}: consumed the whole file`);
  }
});

test('message counts per type equal the automatic summary of each notes.md', () => {
  for (const name of fixtureNames()) {
    const rs = decodeRtmon(readRtmon(name), { emitSkipped: true });
    const stamps = rs.filter((r) => r.kind === 'timestamp');
    const secondStamp = stamps[1]?.offset ?? Infinity;
    const all = new Map<string, number>();
    const inet = new Map<string, number>();
    let dump = 0;
    for (const r of rs) {
      if (r.kind === 'timestamp' || r.kind === 'end' || r.kind === 'error') continue;
      const offset = r.offset ?? -1;
      if (offset < secondStamp) {
        dump++;
        continue;
      }
      const type = nlmsgTypeName(r.nlmsgType ?? -1);
      all.set(type, (all.get(type) ?? 0) + 1);
      if (r.kind !== 'skipped' && r.kind !== 'qdisc' && r.family === 2) inet.set(type, (inet.get(type) ?? 0) + 1);
    }
    const want = notesSummary(name);
    assert.equal(dump, want.dump, `${name}: messages in the initial link dump`);
    assert.equal([...all.values()].reduce((a, b) => a + b, 0), want.notifications, `${name}: notifications`);
    assert.deepEqual(Object.fromEntries([...all].sort()), Object.fromEntries([...want.all].sort()), `${name}: all families`);
    for (const [type, n] of want.inet) assert.equal(inet.get(type) ?? 0, n, `${name}: ${type} AF_INET only`);
  }
});

test('every fixture decodes to the same message sequence as rtmon_decode.py', (t) => {
  for (const name of fixtureNames()) {
    const py = pythonDecode(fixturePath(name, 'trace.rtmon'));
    if (py === undefined) {
      t.skip('python3 cannot run ../shared/traces/tools/rtmon_decode.py here');
      return;
    }
    const mine = withoutEnd(decodeRtmon(readRtmon(name), { emitSkipped: true }));
    assert.equal(mine.length, py.length, `${name}: one record per message`);
    py.forEach((p, i) => {
      const r = mine[i];
      assert.ok(r !== undefined);
      assertSameAsPython(p, r);
    });
  }
});

test('the link dump is flagged and every notification carries the stamp before it', () => {
  for (const name of fixtureNames()) {
    let stamp: { sec: number; usec: number } | undefined;
    let stamps = 0;
    for (const r of decodeRtmon(readRtmon(name))) {
      if (r.kind === 'timestamp') {
        stamp = { sec: r.sec, usec: r.usec };
        stamps++;
      } else if (r.kind !== 'end' && r.kind !== 'error' && r.kind !== 'skipped') {
        assert.deepEqual(r.time, stamp, `${name}: time of the record at byte ${r.offset}`);
        assert.equal(r.dump, stamps === 1, `${name}: dump flag at byte ${r.offset}`);
        if (r.dump) assert.equal(r.kind, 'link');
      }
    }
  }
});

test('fixture 01 decodes to the notifications notes.md describes', () => {
  const rs = decodeRtmon(readRtmon(F01)).filter((r) => r.kind !== 'timestamp' && r.kind !== 'end');
  const brief = rs.map((r) => {
    switch (r.kind) {
      case 'link': return `link ${r.op} ${r.ifindex} ${r.name ?? ''} dump=${r.dump}`;
      case 'rule': return `rule ${r.op} prio ${r.priority} from ${r.src}/${r.srcLen} oif ${r.oifName} table ${r.table} pid>0=${(r.nlmsgPid ?? 0) > 0}`;
      case 'route': return `route ${r.op} ${r.dst ?? 'default'}/${r.dstLen} type ${r.type} table ${r.table} via ${r.gateway ?? '-'} oif ${r.oif} flags 0x${(r.nlmsgFlags ?? 0).toString(16)} pid>0=${(r.nlmsgPid ?? 0) > 0}`;
      case 'addr': return `addr ${r.op} ${r.local}/${r.prefixlen} if ${r.ifindex} label ${r.label}`;
      default: return r.kind;
    }
  });
  assert.deepEqual(brief, [
    'link new 1 lo dump=true',
    'link new 2 ens33p dump=true',
    'link new 3 ens33 dump=true',
    'rule new prio 32765 from 10.0.1.3/32 oif ens33 table 10 pid>0=true',
    'route new default/0 type 1 table 10 via 192.168.0.40 oif 3 flags 0x600 pid>0=true',
    'addr del 192.168.0.4/24 if 3 label ens33',
    'route del 192.168.0.0/24 type 1 table 254 via - oif 3 flags 0x0 pid>0=false',
    'route del 192.168.0.255/32 type 3 table 255 via - oif 3 flags 0x0 pid>0=false',
    'route del 192.168.0.4/32 type 2 table 255 via - oif 3 flags 0x0 pid>0=false',
  ]);
});

test('fixture 10 decodes nexthop objects, groups with weights and multipath legs', () => {
  const rs = decodeRtmon(readRtmon(F10));
  const nh = rs.filter((r) => r.kind === 'nexthop');
  assert.deepEqual(nh.map((r) => (r.kind === 'nexthop' ? [r.op, r.id, r.family, r.gateway ?? null, r.oif ?? null, r.blackhole, r.group?.map((g) => `${g.id}x${g.weight}`).join('/') ?? null] : [])), [
    ['new', 1, 2, '192.168.10.254', 3, false, null],
    ['new', 2, 2, '192.168.20.254', 5, false, null],
    ['new', 3, 2, null, 5, false, null],
    ['new', 10, 0, null, null, false, '1x1/2x1'],
    ['new', 11, 0, null, null, false, '1x3/2x1'],
    ['new', 12, 2, null, null, true, null],
    ['new', 1, 2, '192.168.10.253', 3, false, null],
    ['del', 2, 2, '192.168.20.254', 5, false, null],
    ['del', 10, 0, null, null, false, '2x1'],
    ['del', 11, 0, null, null, false, '2x1'],
  ]);
  const mp = rs.find((r) => r.kind === 'route' && r.dst === '10.202.0.0');
  assert.ok(mp !== undefined && mp.kind === 'route');
  assert.equal(mp.table, 30);
  assert.equal(mp.nhId, 11);
  assert.deepEqual(mp.multipath, [
    { flags: 0, hops: 2, ifindex: 3, gateway: '192.168.10.254' },
    { flags: 0, hops: 0, ifindex: 5, gateway: '192.168.20.254' },
  ]);
});

test('the link dump carries each device IPv4 sysctls and link kind', () => {
  const lo = decodeRtmon(readRtmon(F10)).find((r) => r.kind === 'link' && r.ifindex === 2);
  assert.ok(lo !== undefined && lo.kind === 'link');
  assert.equal(lo.linkKind, 'veth');
  assert.equal(lo.link, 3);
  assert.equal(lo.carrier, true);
  assert.equal(lo.inetConf?.length, 33, 'IFLA_INET_CONF has 33 elements on 6.18');
});

test('decoding is the same whatever the chunk sizes (bounded streaming)', () => {
  const bytes = readRtmon(F10);
  const whole = decodeRtmon(bytes);
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 40 }), (sizes) => {
    const d = new RtmonDecoder();
    const out: TraceRecord[] = [];
    let at = 0;
    let i = 0;
    while (at < bytes.length) {
      const n = sizes[i++ % sizes.length] ?? 1;
      out.push(...d.push(bytes.subarray(at, at + n)));
      at += n;
    }
    out.push(...d.finish());
    assert.deepEqual(out, whole);
  }), { numRuns: 60 });
});

test('rules decode every selector and action of fixture 09', () => {
  const rules = decodeRtmon(readRtmon('09-rules-route-types')).filter((r) => r.kind === 'rule' && r.op === 'new');
  const byPrio = new Map(rules.map((r) => [r.kind === 'rule' ? r.priority : -1, r]));
  const r = (p: number): Record<string, unknown> => {
    const x = byPrio.get(p);
    assert.ok(x !== undefined && x.kind === 'rule', `rule ${p}`);
    return x as unknown as Record<string, unknown>;
  };
  assert.equal(r(110)['fwmark'], 0x10);
  assert.equal(r(110)['fwmask'], 0xff);
  assert.equal(r(120)['tos'], 0x10);
  assert.equal(r(130)['iifName'], 'edge0');
  assert.equal(r(140)['flags'], 2);
  assert.equal(r(150)['action'], 6);
  assert.equal(r(180)['suppressPrefixlen'], 0);
  assert.equal(r(190)['goto'], 200);
  assert.equal(r(190)['flags'], 4);
  assert.deepEqual(r(200)['dportRange'], { start: 443, end: 443 });
  assert.equal(r(200)['ipProto'], 6);
  assert.deepEqual(r(210)['uidRange'], { start: 1000, end: 2000 });
  assert.equal(r(220)['protocol'], 4);
  assert.equal(r(100)['suppressPrefixlen'], undefined);
});

test('a fib_rule_hdr-only rule and a tun_id in network order decode', () => {
  const e = 'le';
  const tun = new Uint8Array([0, 0, 0, 0, 0, 0, 1, 2]);
  const rs = decodeRtmon(concatBytes(tstamp(e, 1, 0), tstamp(e, 2, 0), nlmsg(e, 32, concatBytes(fibRuleHdr(e, { action: 3 }), attr(e, 12, tun), attr(e, 17, cstr('wan0')), attr(e, 6, u32(e, 5))))));
  const rule = rs.find((r) => r.kind === 'rule');
  assert.ok(rule !== undefined && rule.kind === 'rule');
  assert.deepEqual([rule.action, rule.tunId, rule.oifName, rule.priority], [3, '258', 'wan0', 5]);
});

test('the rxjs operator equals decodeRtmon, and stops reading after a fatal error', async () => {
  const bytes = readRtmon(F10);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += 1000) chunks.push(bytes.subarray(i, i + 1000));
  const viaRx = await lastValueFrom(from(chunks).pipe(rtmonRecords(), toArray()));
  assert.deepEqual(viaRx, decodeRtmon(bytes));

  const broken = new Uint8Array(bytes);
  new DataView(broken.buffer).setUint32(7492, 4, true);
  let pulled = 0;
  const brokenChunks: Uint8Array[] = [];
  for (let i = 0; i < broken.length; i += 1000) brokenChunks.push(broken.subarray(i, i + 1000));
  const out = await lastValueFrom(from(brokenChunks).pipe(tap(() => pulled++), rtmonRecords(), toArray()));
  const tail = out.slice(-2);
  assert.equal(tail[0]?.kind, 'error');
  assert.equal(tail[1]?.kind, 'end');
  assert.equal(pulled, 8, 'no chunk is read after the one holding the fault');
});

test('without timestamp records (emitTimestamps: false) the other records and totals are the same', () => {
  for (const name of fixtureNames()) {
    const bytes = readRtmon(name);
    const all = decodeRtmon(bytes, { file: 'trace.rtmon' });
    const lean = decodeRtmon(bytes, { file: 'trace.rtmon', emitTimestamps: false });
    assert.deepEqual(lean, all.filter((r) => r.kind !== 'timestamp'), name);
    assert.ok(all.some((r) => r.kind === 'timestamp'), name);
  }
});
