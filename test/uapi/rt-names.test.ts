import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameToNumber, parseNumber, PROTOCOL_NAMES, TABLE_NAMES } from '../../core/uapi/rt-names.js';

test('names map back to numbers as rtnl_*_a2n() does: defaults, the host tables, then numbers', () => {
  assert.equal(nameToNumber('main', TABLE_NAMES, undefined, 0xffffffff), 254);
  assert.equal(nameToNumber('bgp', PROTOCOL_NAMES, undefined, 255), 186);
  assert.equal(nameToNumber('custom', TABLE_NAMES, { custom: 100 }, 0xffffffff), 100);
  assert.equal(nameToNumber('0x10', TABLE_NAMES, undefined, 255), 16);
  assert.equal(nameToNumber('300', PROTOCOL_NAMES, undefined, 255), undefined, 'above the maximum');
  assert.equal(nameToNumber('constructor', TABLE_NAMES, undefined, 255), undefined, 'no prototype keys');
});

test('numbers are decimal or 0x hex, nothing else', () => {
  assert.equal(parseNumber('42', 100), 42);
  assert.equal(parseNumber('0xff', 255), 255);
  assert.equal(parseNumber('-1', 255), undefined);
  assert.equal(parseNumber('1e3', 5000), undefined);
  assert.equal(parseNumber('', 5), undefined);
});
