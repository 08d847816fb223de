// The differential compares what the model models: a generated line the model names as a
// gap (here realms on the input path, found by the 5,000-script soak of seed 20261209 at
// about script 210, where the kernel runner refused the script and ended the soak with a
// stack trace) is withheld from both sides, as `kfib run --kernel` withholds it, and counted.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IpCommand } from '../../props/arbitraries/ip-command.js';
import { comparedScript } from '../../props/differential/differential.js';

const ip = (line: string): IpCommand => new IpCommand(line.split(' ').slice(0, 3).join(' '), line.split(' '));

test('a line the model names as a gap runs on neither side; the lines after it still run', () => {
  const cmds = [
    'ip link add veth0 type veth peer name veth1',
    'ip link set veth0 up',
    'ip link set veth1 up',
    'ip addr add 10.9.0.1/24 dev veth0',
    'ip route add 10.8.0.0/24 dev veth0 realm 5',
    'sysctl -w net.ipv4.conf.all.forwarding=1',
    'ip route get 10.9.0.3 from 203.0.113.99 iif veth0',
    'ip route get 10.9.0.3',
  ].map(ip);
  const c = comparedScript(cmds);
  assert.deepEqual(c.withheld, ['not modelled: realms on the input path (the itag of fib_validate_source)']);
  assert.deepEqual(c.lines, [...cmds.slice(0, 6), ...cmds.slice(7)].map((x) => x.toString()));
  assert.equal(c.text, c.lines.map((l) => `${l}\n`).join(''));
});

test('a script the model models whole is compared whole', () => {
  const cmds = ['ip link add veth0 type veth peer name veth1', 'ip route get 10.9.0.3'].map(ip);
  const c = comparedScript(cmds);
  assert.deepEqual(c.withheld, []);
  assert.deepEqual(c.lines, cmds.map((x) => x.toString()));
});
