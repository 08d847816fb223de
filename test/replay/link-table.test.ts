import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagWords, flagsFromWords, linkFromJson, peerName } from '../../core/replay/link-table.js';

test('flag words round-trip, NO-CARRIER and M-DOWN derived', () => {
  const a = linkFromJson({ ifindex: 3, ifname: 'vethtest1', link: 'vethtest1p', flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN'] });
  const b = { ...linkFromJson({ ifindex: 2, ifname: 'vethtest1p', link: 'vethtest1', flags: ['BROADCAST', 'MULTICAST'] }), link: 3 };
  const table = new Map([[3, { ...a, link: 2 }], [2, b]]);
  assert.deepEqual(flagWords({ ...a, link: 2 }, table), ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP', 'M-DOWN']);
  assert.equal(peerName({ ...a, link: 2 }, table), 'vethtest1p');
  assert.equal(flagsFromWords(['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']) & 0x40, 0x40);
});
