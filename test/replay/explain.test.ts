import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEvent, mechanism, formatFinding } from '../../core/replay/explain.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';
import type { Notification } from '../../core/replay/notification.js';

test('events read like what was done', () => {
  const s = initialSnapshot();
  assert.equal(describeEvent({ type: 'link-set', ifindex: 1, up: true }, s), 'link lo up');
  assert.equal(describeEvent({ type: 'sysctl', target: { kind: 'dev', ifindex: 1 }, key: 'ignore_routes_with_linkdown', value: 1 }, s), 'sysctl net.ipv4.conf.lo.ignore_routes_with_linkdown = 1');
});

test('each silent mechanism is named after the kernel function', () => {
  assert.match(mechanism('fib_disable_ip'), /^fib_disable_ip: /);
  assert.match(mechanism('nexthop_flush_dev'), /without RTM_DELNEXTHOP/);
});

test('findings name the kind, the position and what differs', () => {
  const n: Notification = { kind: 'route', op: 'del', id: 'x', attrs: {}, text: 'Deleted 10.0.0.0/8 dev 3 table 254' };
  assert.equal(formatFinding({ kind: 'missing', expected: n, causeSeq: 4, causeTime: { sec: 1, usec: 2 } }), 'missing     @4 1.000002: the model predicted "Deleted 10.0.0.0/8 dev 3 table 254", the trace has no such notification');
  assert.equal(formatFinding({ kind: 'different', captured: n, expected: n, seq: 5, fields: ['flags: captured linkdown, model '] }), 'different   @5 -: "Deleted 10.0.0.0/8 dev 3 table 254": flags: captured linkdown, model ');
});
