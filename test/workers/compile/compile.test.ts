// Tests for workers/compile/compile.ts: the table walks the compilers rely on, the rule program
// for the destination-only flow, and the destination-dependent part of the answer.

import { AliasSigs } from '../../../core/snapshot/alias-sig.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { emptyTable, tableLeaves, tableSetAliases, type FibTable } from '../../../core/snapshot/fib-table.js';
import { compileProgram, compileSnapshot, decodeOutcome, forEachLeafInside, ruleCovers, type CompiledRule } from '../../../workers/compile/compile.js';
import { tableForEachLeaf as forEachLeaf } from '../../../core/snapshot/fib-table.js';
import type { FibAlias } from '../../../core/snapshot/fib-info.js';
import { routeGet } from '../../../core/route/route-output.js';
import { maskOf } from '../../../core/net/ip4.js';
import { destinationRequest } from '../../../workers/fib-engine.js';
import { snapshotsOf } from '../_fib-scripts.js';

const ALIAS: FibAlias = {
  type: 'unicast',
  tos: 0,
  info: { protocol: 4, scope: 0, priority: 0, prefsrc: 0, tbId: 254, nhs: [], nhid: 0, dead: false, pfsrcRemoved: false, multipath: false },
};

const prefix = fc
  .tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }))
  .map(([a, len]) => ({ dst: (a & maskOf(len)) >>> 0, len }));

function tableOf(ps: readonly { dst: number; len: number }[]): FibTable {
  let t = emptyTable(254, new AliasSigs());
  for (const p of ps) t = tableSetAliases(t, p.dst, p.len, [ALIAS]);
  return t;
}

test('tableForEachLeaf visits what tableLeaves yields, in dump order', () => {
  fc.assert(
    fc.property(fc.array(prefix, { maxLength: 60 }), (ps) => {
      const t = tableOf(ps);
      const got: string[] = [];
      forEachLeaf(t, (dst, plen) => got.push(`${dst}/${plen}`));
      assert.deepEqual(got, [...tableLeaves(t)].map((l) => `${l.dst}/${l.plen}`));
    }),
  );
});

test('forEachLeafInside visits exactly the prefixes strictly inside one (the regions a change may cover)', () => {
  fc.assert(
    fc.property(fc.array(prefix, { maxLength: 60 }), prefix, (ps, outer) => {
      const t = tableOf([...ps, ...ps.map((p) => ({ dst: (p.dst & maskOf(Math.min(p.len, outer.len + 3))) >>> 0, len: Math.min(p.len, outer.len + 3) }))]);
      const got = new Set<string>();
      forEachLeafInside(t, outer.dst, outer.len, (dst, plen) => got.add(`${dst}/${plen}`));
      const want = new Set([...tableLeaves(t)].filter((l) => l.plen > outer.len && ((l.dst ^ outer.dst) & maskOf(outer.len)) === 0).map((l) => `${l.dst}/${l.plen}`));
      assert.deepEqual(got, want);
    }),
  );
});

test('a rule matches its region inside `to`, or outside it with `not` (fib_rule_match with FIB_RULE_INVERT)', () => {
  const to: CompiledRule = { dst: 0x0a000000, dstLen: 8, invert: false, action: { kind: 'nop' } };
  const notTo: CompiledRule = { ...to, invert: true };
  assert.equal(ruleCovers(to, 0x0a010000, 16), true);
  assert.equal(ruleCovers(to, 0x0b000000, 8), false);
  // A region shorter than the rule's prefix contains it, so lies outside it (the rule's prefix is a region of its own).
  assert.equal(ruleCovers(to, 0x00000000, 0), false);
  assert.equal(ruleCovers(notTo, 0x00000000, 0), true);
  assert.equal(ruleCovers(notTo, 0x0a000000, 24), false);
});

test('rules that cannot match the destination-only flow are dropped, and goto goes to the next kept rule', () => {
  const snaps = snapshotsOf([
    'ip link add v0 type veth peer name v0p',
    'ip rule add from 10.0.0.0/8 lookup 100 pref 100',
    'ip rule add to 8.0.0.0/8 goto 150 pref 110',
    'ip rule add oif v0 lookup 100 pref 150',
    'ip rule add not oif v0 prohibit pref 160',
    'ip rule add not to 9.0.0.0/8 unreachable pref 170',
  ]);
  const p = compileProgram(snaps[snaps.length - 1]!);
  assert.equal(p.kind, 'rules');
  if (p.kind !== 'rules') return;
  // 0 local, 110 goto, 160 prohibit everywhere (its oif never matches: `not` makes it always), 170, 32766, 32767.
  assert.deepEqual(
    p.rules.map((r) => [r.dst, r.dstLen, r.invert, r.action.kind]),
    [
      [0, 0, false, 'lookup'],
      [0x08000000, 8, false, 'goto'],
      [0, 0, false, 'error'],
      [0x09000000, 8, true, 'error'],
      [0, 0, false, 'lookup'],
      [0, 0, false, 'lookup'],
    ],
  );
  const g = p.rules[1]!.action;
  assert.equal(g.kind === 'goto' ? g.target : -1, 2);
});

test('decodeOutcome answers 0.0.0.0 as local via lo from 127.0.0.1, whatever the FIB says (ip_route_output_key_hash_rcu)', () => {
  const s = snapshotsOf(['ip link set lo up'])[0]!;
  assert.deepEqual(decodeOutcome({ kind: 'error', errno: 'ENETUNREACH' }, 0), routeGet(s, destinationRequest(0)));
});

test('compileSnapshot lists each lookup with its answering prefixes (transparent ones left out)', () => {
  const snaps = snapshotsOf([
    'ip link set lo up',
    'ip link add v0 type veth peer name v0p',
    'ip link set v0 up',
    'ip addr add 10.0.0.1/24 dev v0',
    'ip route add 8.0.0.0/8 via 10.0.0.2',
  ]);
  const c = compileSnapshot(snaps[snaps.length - 1]!);
  assert.equal(c.program.kind, 'fast');
  const main = c.tables.find((t) => t.id === 254);
  assert.ok(main);
  // v0p is down, so v0 has no carrier: linkdown, but still usable (ignore_routes_with_linkdown is 0).
  assert.ok(main.entries.some((e) => e.prefix === 0x08000000 && e.len === 8));
  assert.ok(main.entries.some((e) => e.prefix === 0x0a000001 && e.len === 32), 'the local route of 10.0.0.1, merged from table local');
});
