import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { broadcastOf, formatIp4, formatPrefix, inPrefix, maskOf, networkOf, parseIp4 } from '../../core/net/ip4.js';
import { parseIp4Loose } from '../../core/iproute2/command-context.js';

test('formatting and parsing an address are inverse', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (a) => parseIp4(formatIp4(a)) === a));
});

test('strict parsing refuses what is not four octets', () => {
  for (const bad of ['1.2.3', '256.0.0.1', '1.2.3.4.5', 'a.b.c.d', '', '1..2.3']) assert.equal(parseIp4(bad), undefined, bad);
});

test('strict parsing accepts exactly four decimal octets of one to three digits, each up to 255', () => {
  // The definition, written the slow way: the parser reads character codes instead.
  const reference = (text: string): number | undefined => {
    const parts = text.split('.');
    if (parts.length !== 4 || !parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reduce((v, p) => v * 256 + Number(p), 0) >>> 0;
  };
  const text = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '9', '.', '.', 'x', ' '), maxLength: 18 });
  fc.assert(fc.property(text, (t) => parseIp4(t) === reference(t)), { numRuns: 5000 });
});

test('iproute2 parsing takes short, hex and octal forms (get_addr_ipv4)', () => {
  assert.equal(formatIp4(parseIp4Loose('1.2.3') as number), '1.2.3.0');
  assert.equal(formatIp4(parseIp4Loose('10') as number), '10.0.0.0');
  assert.equal(formatIp4(parseIp4Loose('0x0a.010.0.1') as number), '10.8.0.1');
  assert.equal(parseIp4Loose('1.2.3.256'), undefined);
  assert.equal(parseIp4Loose('1.2.x'), undefined);
});

test('masks, networks, broadcasts and membership agree', () => {
  assert.equal(formatIp4(maskOf(24)), '255.255.255.0');
  assert.equal(maskOf(0), 0);
  assert.equal(maskOf(32), 0xffffffff);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (a, len) => {
      const net = networkOf(a, len);
      return inPrefix(a, net, len) && inPrefix(broadcastOf(a, len), net, len) && networkOf(broadcastOf(a, len), len) === net;
    }),
  );
});

test('prefixes print as iproute2 does: default, bare /32, else a/len', () => {
  assert.equal(formatPrefix(0, 0), 'default');
  assert.equal(formatPrefix(parseIp4('192.0.2.1') as number, 32), '192.0.2.1');
  assert.equal(formatPrefix(parseIp4('10.0.0.0') as number, 8), '10.0.0.0/8');
});
