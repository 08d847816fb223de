// Address lifetimes in a script (ipaddr_modify() -> inet_rtm_newaddr() -> set_ifa_lifetime()):
// lifetimes of a minute or more are modelled (test/fixtures/kernel/addr-lifetimes.ip compares
// them with the kernel); a shorter one may run out during the script (check_lifetime()),
// so it is named, and the address is not added.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runScript } from '../../core/script/run-script.js';

const SETUP = 'ip link add v0 type veth peer name v0p\nip link set v0 up\n';

for (const [lft, named] of [
  ['valid_lft 59 preferred_lft 59', true],
  ['valid_lft 600 preferred_lft 1', true],
  ['valid_lft 60 preferred_lft 60', false],
  ['valid_lft 600 preferred_lft 0', false],
  ['valid_lft forever preferred_lft 0', false],
] as const) {
  test(`ip addr add … ${lft}: ${named ? 'named (it may run out during the script)' : 'modelled'}`, () => {
    const lines = [...runScript(`${SETUP}ip addr add 192.0.2.1/24 dev v0 ${lft}\nip -br addr show dev v0\n`)];
    const add = lines[2]!;
    const show = lines[3]!;
    if (named) {
      assert.match(add.problem ?? '', /^not modelled: address lifetimes under 60 seconds/);
      assert.equal(show.stdout, 'v0@v0p           LOWERLAYERDOWN \n');
    } else {
      assert.equal(add.problem, undefined);
      assert.equal(show.stdout, 'v0@v0p           LOWERLAYERDOWN 192.0.2.1/24 \n');
    }
  });
}
