// Containment of the kernel runner (issue 15, README "Safety"): in a sandbox standing in for
// the host (its own network, mount, pid and uts namespaces, a tmpfs for files and /run), a
// script of escape attempts run through `kfib run --kernel` and `kfib verify --kernel --path`
// must leave the sandbox's devices, addresses, routes, rules, nexthops, namespaces, sysctls,
// host name and files unchanged. The same attempts then go through the runner with the line
// filter bypassed: the runner's own namespaces must hold on their own.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernelAvailable } from '../../props/differential/kernel-runner.js';

const here = dirname(fileURLToPath(import.meta.url));
const KFIB = resolve(here, '../../cli/kfib.js');
const RUNNER = resolve(here, '../../props/differential/kernel-runner.js');
const avail = kernelAvailable();
const skip = avail.ok ? false : `kernel not available: ${avail.ok ? '' : avail.why}`;

// $F is a folder of the sandbox's (on a tmpfs, mode 755 like the host's /run). Every line here is an attempt on the sandbox.
const ESCAPES = `
ip netns attach hostns 1
ip -n hostns link add name pwn0 type veth peer name pwn1
ip -n hostns addr add 10.99.0.1/24 dev hostveth0
ip -n hostns route add 10.98.0.0/16 dev hostveth0
ip -netns hostns rule add pref 1 table 99
ip -n hostns link set dev hostveth0 down
ip netns exec hostns touch $F/pwned-exec
ip netns exec hostns ip link del hostveth0
ip -all netns exec touch $F/pwned-all
ip netns add pwnns
ip netns set hostns 7
ip link add name pw0 type veth peer name pw1 netns 1
ip link add name pw2 netns 1 type veth peer name pw3
ip link add name pw4 type veth peer name pw5
ip link set dev pw4 netns 1
ip link set dev pw5 netns /proc/1/ns/net
ip link add name pw6 link-netns 1 type veth peer name pw7
ip -b $F/batch
ip -batch $F/batch
ip -force -batch $F/batch
ip -force link add name pwf0 type veth peer name pwf1
sysctl -w kernel.hostname=pwned
sysctl -w kernel.domainname=pwned
sysctl -w kernel/hostname=pwned
sysctl -w net/ipv4/../../kernel/hostname=pwned
sysctl -w net.ipv4.conf.all.forwarding=1
sysctl -w net.ipv4.conf.hostveth0.forwarding=1
sysctl -w net.ipv4.ip_forward=1
sysctl -p $F/sysctl.conf
sysctl --system
echo pwned > /proc/sys/kernel/domainname
echo pwned > /proc/sys/net/../kernel/hostname
echo pwned > /proc/sys/net/ipv4/conf/../../../kernel/hostname
echo 1 > /proc/self/root/proc/sys/net/ipv4/conf/all/forwarding
echo 1 > /proc/1/root/proc/sys/net/ipv4/ip_forward
echo 1 > /proc/sys/net/ipv4/conf/hostveth0/forwarding
echo 1 | tee /proc/sys/net/ipv4/ip_forward $F/pwned-tee
echo 1 | tee /proc/sys/net/ipv4/ip_forward > $F/pwned-tee
echo pwned > $F/pwned-echo
echo 1 > /proc/sys/net/ipv4/ip_forward; touch $F/pwned-list
echo mkdir pwned-pipe | sh > /proc/sys/net/ipv4/ip_forward
cat /proc/sys/net/ipv4/ip_forward | sh
echo mkdir pwned-tee | tee /proc/sys/net/ipv4/ip_forward | sh
ip route add 10.97.0.0/16 dev lo
ip addr add 10.96.0.1/24 dev lo
`;

// A capture script is a whole bash program (no line filter): its namespaces alone must hold.
const CAPTURE_ESCAPES = String.raw`
hostname pwned
echo pwned > /proc/sys/kernel/domainname
touch $F/pwned-capture
echo pwned > $F/batch
ip netns attach hostns 1
ip netns add pwnns
nsenter -t 1 -n ip link add name pwc0 type veth peer name pwc1
ip link add name pwc2 type veth peer name pwc3 netns 1
sysctl -w kernel.hostname=pwned
ln -s $F/batch link-to-batch
mkfifo fifo
capture_start
ip link add name capv0 type veth peer name capv1
`;

// The sandbox: state of what the runner must not touch, before and after.
const SANDBOX = String.raw`
set -u
mount -t tmpfs -o mode=755 kfib-sandbox /run && mount -t tmpfs -o mode=1777 kfib-sandbox /tmp || exit 99
for d in /var/tmp /dev/shm; do [ -d $d ] && mount -t tmpfs -o mode=1777 kfib-sandbox $d; done
F=/run/files; mkdir -p $F /run/capture; export F
hostname kfib-sandbox
echo kfib-sandbox-domain > /proc/sys/kernel/domainname
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip link add name hostveth0 type veth peer name hostveth1
ip addr add 192.0.2.1/24 dev hostveth0
ip link set hostveth0 up; ip link set hostveth1 up; ip link set lo up
ip route add 198.51.100.0/24 via 192.0.2.2
ip rule add pref 500 table 50
sysctl -qw net.ipv4.conf.all.forwarding=0 net.ipv4.ip_forward=0 net.ipv4.conf.hostveth0.forwarding=0
printf 'link add name pwb0 type veth peer name pwb1\n' > $F/batch
printf 'kernel.hostname = pwned\n' > $F/sysctl.conf
printf '%s' "$ESCAPES" | sed "s|\$F|$F|g" > $F/escape.ip
printf '%s' "$CAPTURE_ESCAPES" | sed "s|\$F|$F|g" > $F/escape.sh
state() {
  ip -o link show | sed -E 's/ +link\/.*//'; ip -o addr show; ip route show table all; ip rule show; ip nexthop show
  ls -A /run /run/netns 2>&1; ip netns list-id 2>&1
  hostname; cat /proc/sys/kernel/domainname; sysctl net.ipv4.conf.all.forwarding net.ipv4.ip_forward net.ipv4.conf.hostveth0.forwarding
  find /run /tmp /var/tmp /dev/shm -path /run/capture -prune -o -printf '%p %u %m %s\n' 2>/dev/null | sort
  ls -d /pwned-* 2>/dev/null
  ps -e -o pid=,comm= | grep -v -e ' ps$' -e ' bash$' -e ' sed$' -e ' grep$' -e ' head$'
}
sleep 0.05
before=$(state)
echo "=== run"; "$NODE" "$KFIB" run --kernel $F/escape.ip; echo "[run exit $?]"
echo "=== verify"; "$NODE" "$KFIB" verify --kernel --path $F/escape.ip; echo "[verify exit $?]"
echo "=== unfiltered"; "$NODE" -e 'import(process.argv[1]).then((m) => process.stdout.write(m.containedTranscriptUnfiltered(require("fs").readFileSync(process.argv[2], "utf8"))))' "$RUNNER" $F/escape.ip; echo "[unfiltered exit $?]"
echo "=== capture"; "$NODE" "$KFIB" capture -o /run/capture/cap --settle 0.1 --no-ipv6 -- $F/escape.sh; echo "[capture exit $?]"; ls -A /run/capture/cap; cat /run/capture/cap/meta.json
after=$(state)
echo "=== before"; printf '%s\n' "$before"
echo "=== after"; printf '%s\n' "$after"
`;

function sandbox(unfiltered: boolean): { out: string; before: string; after: string } {
  // Without a user namespace only the line filter guards files: the unfiltered runner and
  // the (unfiltered by nature) capture are then left out.
  const program = unfiltered ? SANDBOX : SANDBOX.replace(/^echo "=== unfiltered".*$/m, '').replace(/^echo "=== capture".*$/m, '');
  const r = spawnSync('unshare', ['-n', '-m', '-p', '-f', '--mount-proc', '-u', '--', 'bash', '-c', program, 'sandbox'], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', NODE: process.execPath, KFIB, RUNNER, ESCAPES, CAPTURE_ESCAPES },
    timeout: 600_000,
  });
  assert.equal(r.status, 0, `sandbox exited ${String(r.status)}: ${r.stderr}`);
  const part = (name: string): string => {
    const m = new RegExp(`^=== ${name}\\n([\\s\\S]*?)(?=^=== |(?![\\s\\S]))`, 'm').exec(r.stdout);
    return m === null ? '' : (m[1] as string);
  };
  return { out: r.stdout + r.stderr, before: part('before'), after: part('after') };
}

test('escape attempts through kfib run --kernel and verify --kernel --path leave the sandbox unchanged', { skip }, () => {
  const userns = avail.ok && avail.mode === 'userns';
  const s = sandbox(userns);
  assert.match(s.before, /hostveth0/, 'the sandbox state was recorded');
  assert.match(s.before, /kfib-sandbox/);
  assert.equal(s.after, s.before, `the sandbox changed:\n${s.out}`);
  // Every attempt was withheld from the kernel and named (by run, then by verify), except
  // the seven lines that stay in the runner's namespace: pw4/pw5, three net.ipv4 sysctls,
  // the write to conf/hostveth0/forwarding (no such device there), lo.
  const withheld = (s.out.match(/not run in the kernel/g) ?? []).length;
  const attempts = ESCAPES.trim().split('\n').length;
  assert.equal(withheld, 2 * (attempts - 7), s.out);
  assert.match(s.out, /\[run exit 2\]/);
  assert.match(s.out, /\[verify exit 2\]/);
  if (userns) {
    // Unfiltered: the namespaced lines ran (the runner is root in its own namespaces) …
    assert.match(s.out, /\$ sysctl -w net\.ipv4\.ip_forward=1\nnet\.ipv4\.ip_forward = 1\n/);
    assert.match(s.out, /\$ ip link add name pw4 type veth peer name pw5\n\$/);
    // … and the escapes failed inside them.
    assert.match(s.out, /\$ sysctl -w kernel\.hostname=pwned\n.*permission denied/i);
    assert.match(s.out, /\$ ip netns attach hostns 1\n.*(Permission denied|Operation not permitted)/);
    // kfib capture ran the whole bash script contained: it recorded its trace …
    assert.match(s.out, /\[capture exit 0\]\n(?:\.kfib-capture-manifest\n)?after\.json\nbefore\.json\ncapture\.log\n/);
    assert.match(s.out, /"containment": "userns"/);
    // … and what it left that is not a regular file was named, not copied
    assert.match(s.out, /not copied from the namespace: link-to-batch \(a symbolic link\)/);
    assert.match(s.out, /not copied from the namespace: fifo \(not a regular file\)/);
  }
});

test('the runner is contained by a user namespace here (root inside is an unprivileged host uid)', { skip: skip === false && avail.ok && avail.mode === 'root' ? 'the kernel refuses user namespaces here: the line filter is the only guard for files' : skip }, () => {
  assert.ok(avail.ok && avail.mode === 'userns');
});
