// fib_default_rule_pref, goto targets and the rule walk of fib_rules_lookup.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript, transcript } from '../../core/script/run-script.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import { fibLookup } from '../../core/route/fib-lookup.js';
import { makeFlow } from '../../core/net/flow.js';
import { parseIp4 } from '../../core/net/ip4.js';

test('automatic priorities count down from the second rule, and stick at 0', () => {
  const s = [...runScript('ip rule add lookup 10\nip rule add lookup 11\nip rule add pref 0 lookup 12\nip rule add lookup 13')].pop()?.snapshot ?? initialSnapshot();
  assert.deepEqual(
    s.rules.map((r) => [r.priority, r.table]),
    [
      [0, 255],
      [0, 12],
      [0, 13],
      [32764, 11],
      [32765, 10],
      [32766, 254],
      [32767, 253],
    ],
  );
});

test('a goto resolves to the first rule of its target priority, and falls back when it does not match', () => {
  const script = `ip link add name v0 up type veth peer name v0p
ip link set dev v0p up
ip addr add 192.0.2.2/24 dev v0
ip route add default via 192.0.2.1 table 100
ip rule add pref 10 goto 50
ip rule add pref 50 to 9.9.9.0/24 lookup 100`;
  const s = [...runScript(script)].pop()?.snapshot ?? initialSnapshot();
  const hit = fibLookup(s, makeFlow({ daddr: parseIp4('9.9.9.9') as number }));
  assert.equal(hit.ok && hit.res.table, 100);
  const miss = fibLookup(s, makeFlow({ daddr: parseIp4('8.8.8.8') as number }));
  assert.deepEqual(miss, { ok: false, errno: 'ENETUNREACH' });
  assert.match(transcript(`${script}\nip rule show pref 10`), /10:\tfrom all goto 50\n$/);
});
