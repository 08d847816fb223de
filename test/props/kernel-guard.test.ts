// kernel-guard.ts's line filter for /proc/sys lines and sysctl keys: only the forms of
// proc-sys-line.ts, and only for files of the model that exist once per network namespace.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelRefusal, kernelScript, netnsFileRefusal } from '../../props/differential/kernel-guard.js';

test('the /proc/sys forms of the model pass for per-namespace files', () => {
  for (const l of [
    'echo 1 > /proc/sys/net/ipv4/ip_forward',
    'echo -n 0 >/proc/sys/net/ipv4/conf/all/rp_filter',
    'echo 2 >> /proc/sys/net/ipv4/conf/eth0.100/rp_filter',
    "printf '1\\n' > /proc/sys/net/ipv4/conf/default/accept_local",
    'echo 1 | tee /proc/sys/net/ipv4/conf/all/forwarding',
    'echo 1 | tee -a /proc/sys/net/ipv4/route/flush > /dev/null',
    'cat /proc/sys/net/ipv4/fib_multipath_hash_policy',
    'cat "/proc/sys/net/ipv6/conf/all/disable_ipv6"',
  ]) assert.equal(kernelRefusal(l), null, l);
});

test('a file the host shares with every namespace is refused, through /proc/sys and through sysctl', () => {
  for (const f of ['net/ipv4/tcp_mem', 'net/ipv4/udp_mem', 'net/ipv4/fib_sync_mem', 'net/ipv4/inet_peer_threshold', 'net/ipv4/route/gc_thresh', 'net/ipv4/route/max_size', 'net/ipv4/neigh/default/gc_thresh1', 'net/core/rmem_max', 'net/core/wmem_max', 'net/ipv6/conf/default/disable_ipv6']) {
    assert.notEqual(kernelRefusal(`echo 1 > /proc/sys/${f}`), null, f);
    assert.notEqual(kernelRefusal(`cat /proc/sys/${f}`), null, f);
    assert.notEqual(kernelRefusal(`sysctl -w ${f.replace(/\//g, '.')}=1`), null, f);
    assert.notEqual(netnsFileRefusal(f.split('/'), f), null, f);
  }
});

test('paths that are not plain, or leave /proc/sys/net, are refused', () => {
  for (const l of [
    'echo 1 > /proc/sys/net/ipv4/../../kernel/hostname',
    'echo 1 > /proc/sys/net/ipv4/conf/../../ipv4/ip_forward',
    'echo 1 > /proc/sys/net/ipv4/./ip_forward',
    'echo 1 > /proc/sys/net//ipv4/ip_forward',
    'echo 1 > /proc/self/../sys/net/ipv4/ip_forward',
    'echo 1 > /proc/1/root/proc/sys/net/ipv4/ip_forward',
    'echo 1 > /proc/self/net/ipv4/ip_forward',
    'cat /proc/self/root/etc/shadow',
    'echo pwned > /proc/sys/kernel/hostname',
    'echo pwned > /proc/sys/kernel/domainname',
    'sysctl -w net/ipv4/../../kernel/hostname=x',
  ]) assert.notEqual(kernelRefusal(l), null, l);
});

test('a redirection, tee or cat of another file, or any other shell syntax, is refused', () => {
  for (const l of [
    'echo 1 > /tmp/x',
    'echo 1 > ip_forward',
    'echo 1 | tee /proc/sys/net/ipv4/ip_forward /tmp/x',
    'echo 1 | tee /proc/sys/net/ipv4/ip_forward > /tmp/x',
    'echo 1 > /proc/sys/net/ipv4/ip_forward > /tmp/x',
    'echo 1 > /proc/sys/net/ipv4/ip_forward; touch /tmp/x',
    'echo 1 > /proc/sys/net/ipv4/ip_forward && touch /tmp/x',
    'echo $(id) > /proc/sys/net/ipv4/ip_forward',
    'echo `id` > /proc/sys/net/ipv4/ip_forward',
    'echo $X > /proc/sys/net/ipv4/ip_forward',
    'echo 1 > /proc/sys/net/ipv4/conf/*/rp_filter',
    'for i in 1; do echo 1 > /proc/sys/net/ipv4/ip_forward; done',
    'cat /proc/sys/net/ipv4/ip_forward /etc/passwd',
    'cat < /proc/sys/net/ipv4/ip_forward',
    'tee /proc/sys/net/ipv4/ip_forward',
    'echo 1 1>/proc/sys/net/ipv4/ip_forward',
    'touch /proc/sys/net/ipv4/ip_forward',
    'echo hi',
  ]) assert.notEqual(kernelRefusal(l), null, l);
});

test('kernelScript withholds the refused /proc/sys lines and keeps the others', () => {
  const k = kernelScript(['echo 1 > /proc/sys/net/ipv4/ip_forward', 'echo 1 > /proc/sys/net/ipv4/tcp_mem', 'echo 1 > /tmp/x', 'cat /proc/sys/net/ipv4/ip_forward', 'echo 1 > /proc/sys/net/ipv4/conf/../../../kernel/hostname', ''].join('\n'));
  assert.equal(k.script, 'echo 1 > /proc/sys/net/ipv4/ip_forward\ncat /proc/sys/net/ipv4/ip_forward\n');
  assert.deepEqual(
    k.withheld.map((w) => w.line),
    [2, 3, 5],
  );
});
