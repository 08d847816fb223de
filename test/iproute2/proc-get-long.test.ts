// procGetLong(): the bytes of one write to an integer /proc/sys file, read as
// proc_skip_spaces() + proc_get_long() do (kernel values in test/fixtures/kernel/proc-sys-forms).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { procDointvecWrite, procDouintvecWrite } from '../../core/iproute2/proc-get-long.js';

test('proc_dointvec takes leading blanks, base 0 and one separator, and reads one int', () => {
  const cases: [string, number | null][] = [
    ['1\n', 1], ['1', 1], [' \t1 \n', 1], ['\n\n7\n', 7], ['0x10\n', 16], ['0X1f', 31], ['010\n', 8], ['1 2\n', 1], ['1 abc\n', 1], ['-1\n', -1], ['-0\n', 0],
    ['2147483647\n', 2147483647], ['-2147483648\n', -2147483648], ['2147483648\n', null], ['-2147483649\n', null],
    ['\n', null], ['', null], ['abc\n', null], ['1abc\n', null], ['+1\n', null], ['- 1\n', null], ['0x\n', null], ['08\n', null], ['1,2\n', null],
    ['00000000000000000001\n', 1], ['000000000000000000001\n', null], ['99999999999999999999\n', null],
  ];
  for (const [b, v] of cases) assert.equal(procDointvecWrite(b), v, JSON.stringify(b));
});

test('the unsigned handlers refuse any sign, -0 included', () => {
  assert.equal(procDouintvecWrite('-0\n'), null);
  assert.equal(procDouintvecWrite('-1\n'), null);
  assert.equal(procDouintvecWrite(' 2 \n'), 2);
  assert.equal(procDouintvecWrite('4294967295'), 4294967295);
  assert.equal(procDouintvecWrite('4294967296'), null);
});
