// core/dev/br-changelink.ts: br_changelink()'s refusals in the kernel's order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brChangelink } from '../../core/dev/br-changelink.js';

test('hello_time and max_age take whole seconds 1..10 and 6..40 in clock_t (br_set_hello_time, br_set_max_age)', () => {
  assert.deepEqual([99, 100, 1000, 1001].map((h) => brChangelink({ helloTime: h })?.errno ?? null), ['ERANGE', null, null, 'ERANGE']);
  assert.deepEqual([599, 600, 4000, 4001].map((m) => brChangelink({ maxAge: m })?.errno ?? null), ['ERANGE', null, null, 'ERANGE']);
});

test('group_fwd_mask refuses the restricted bits 0..2, and comes after the timers (br_changelink order)', () => {
  assert.deepEqual([1, 2, 4, 8, 0xfff8, 0xffff].map((g) => brChangelink({ groupFwdMask: g })?.errno ?? null), ['EINVAL', 'EINVAL', 'EINVAL', null, null, 'EINVAL']);
  assert.equal(brChangelink({ groupFwdMask: 1, maxAge: 0 })?.errno, 'ERANGE');
  assert.equal(brChangelink({})?.errno, undefined);
});
