import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp6, isLinkLocal6, parseIp6 } from '../../core/net/ip6.js';

test('IPv6 text is canonicalised as inet_ntop prints it (RFC 5952)', () => {
  const cases: [string, string][] = [
    ['fe80::1', 'fe80::1'],
    ['FE80:0000:0000:0000:0000:0000:0000:0001', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8::0:1', '2001:db8::1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['::', '::'],
    ['::1', '::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
  ];
  assert.deepEqual(cases.map(([a]) => canonicalIp6(a)), cases.map(([, b]) => b));
});

test('text that is not an IPv6 address is refused', () => {
  assert.deepEqual(['10.0.0.1', 'fe80:::1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '', ':'].map(parseIp6), new Array(7).fill(undefined));
});

test('link-local is fe80::/10', () => {
  assert.deepEqual(['fe80::1', 'febf::1', 'fec0::1', '2001:db8::1'].map(isLinkLocal6), [true, true, false, false]);
});
