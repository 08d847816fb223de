// `kfib run --kernel`: the same script in a fresh private network namespace of the live
// kernel, with the scenario runner's preamble and settling rule (see
// ../shared/scenarios/README.md). Configures and queries only; never sends packets.
// Output is normalised as that runner does (MAC addresses masked), and the `idle_time` of
// `ip nexthop bucket` (jiffies since the bucket was last used: a clock reading) is masked
// to 0, which is what the model prints.
// Contained twice: only lines kernel-guard.ts lets through are run, and the runner runs
// in its own user, network, mount, pid and uts namespaces (README, "Safety").

import { spawn, spawnSync } from 'node:child_process';
import { kernelScript, type WithheldLine } from './kernel-guard.js';

/**
 * How the runner is contained. `userns`: its own user namespace in which root is host uid
 * 2^31 (owner of no file, member of no group), and uids 1..2^31-2 inside are host uids
 * 2^31+1.. (so that `ip route get … uid N` and `ip rule … uidrange` print as under root),
 * with private network, mount, pid and uts namespaces and a private /tmp: a line that got
 * past kernel-guard.ts still cannot touch the host's network, processes, host name or files
 * (setns into the host's namespaces needs CAP_SYS_ADMIN over the host's user namespace).
 * `root`: the kernel refuses user namespaces here; root in private network, mount, pid and
 * uts namespaces, and the line filter is the only guard against what root can do to files.
 */
export type Containment = 'userns' | 'root';

/** The host uid of root in the runner's user namespace (and its gid). */
export const RUNNER_HOST_UID = 2147483648;

// Run as root on the host: a holder process creates the user namespace, the host's root
// writes its uid and gid maps (several ids need CAP_SETUID in the parent namespace, which
// only the host's root has), and the runner enters it as uid 0 and makes its other
// namespaces there, so that they belong to it. "$1" is the program to run inside.
const USERNS = String.raw`set -u
unshare -U -- sleep 3600 </dev/null >/dev/null 2>&1 & H=$!
me=$(readlink /proc/self/ns/user)
for i in $(seq 400); do ns=$(readlink /proc/$H/ns/user 2>/dev/null) || ns=; [ -n "$ns" ] && [ "$ns" != "$me" ] && break; sleep 0.005; done
[ -n "$ns" ] && [ "$ns" != "$me" ] && echo "0 ${RUNNER_HOST_UID} 2147483647" > /proc/$H/uid_map && echo "0 ${RUNNER_HOST_UID} 2147483647" > /proc/$H/gid_map || { kill $H 2>/dev/null; echo "kfib: cannot set up the runner's user namespace" >&2; exit 125; }
nsenter --user=/proc/$H/ns/user -S 0 -G 0 -- unshare -n -m -p -f --mount-proc -u -- bash -c "$1" kfib-kernel-runner "${"$"}{@:2}"
rc=$?; kill $H 2>/dev/null; wait $H 2>/dev/null; exit $rc
`;

function runnerCommand(mode: Containment, program: string, args: readonly string[] = []): { cmd: string; args: string[] } {
  if (mode === 'root') return { cmd: 'unshare', args: ['-n', '-m', '-p', '-f', '--mount-proc', '-u', '--', 'bash', '-c', program, 'kfib-kernel-runner', ...args] };
  return { cmd: 'bash', args: ['-c', USERNS, 'kfib-kernel-userns', program, ...args] };
}

/**
 * The command that runs the bash `program` (with `args` as $1…) contained as the kernel
 * runner is: used by `kfib capture`, whose scripts are whole bash programs and so cannot be
 * filtered line by line; their only guard is these namespaces. Throws when the kernel
 * cannot be run here.
 */
export function containedCommand(program: string, args: readonly string[]): { cmd: string; args: string[]; mode: Containment } {
  const avail = kernelAvailable();
  if (!avail.ok) throw new Error(`cannot run the kernel here: ${avail.why}`);
  return { ...runnerCommand(avail.mode, program, args), mode: avail.mode };
}

let probed: { ok: true; mode: Containment } | { ok: false; why: string } | undefined;

/** Whether this process can run scripts against the kernel, and how contained. */
export function kernelAvailable(): { ok: true; mode: Containment } | { ok: false; why: string } {
  if (probed !== undefined) return probed;
  probed = probe();
  return probed;
}

function probe(): { ok: true; mode: Containment } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'not Linux' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, why: 'not root' };
  const ip = spawnSync('ip', ['-V']);
  if (ip.error !== undefined) return { ok: false, why: 'iproute2 (ip) is not installed' };
  const check = 'ip link add name kfibprobe0 type veth peer name kfibprobe1 && mount -t tmpfs tmpfs /tmp';
  const u = runnerCommand('userns', check);
  const r = spawnSync(u.cmd, u.args, { stdio: 'ignore' });
  if (r.error === undefined && r.status === 0) return { ok: true, mode: 'userns' };
  const p = runnerCommand('root', check);
  const q = spawnSync(p.cmd, p.args, { stdio: 'ignore' });
  if (q.error !== undefined || q.status !== 0) return { ok: false, why: 'unshare -n -m -p -u failed (no permission to create namespaces?)' };
  return { ok: true, mode: 'root' };
}

/** The runner's bash program (exported for the test that it refuses to run outside its namespaces). */
export const RUNNER = String.raw`#!/usr/bin/env bash
# kfib kernel runner: executes the script on standard input in this (fresh, private)
# network namespace and prints the transcript: "$ CMD", stdout, stderr, "[exit N]".
set -u
set -f
export LC_ALL=C
# Only as the first process of its own pid namespace (unshare -p -f, as kfib starts it): run
# any other way (by hand, on the host) it would mount over the host's /tmp and configure the
# host's network, so it refuses.
[ $$ -eq 1 ] || { echo "kfib runner: not in its own namespaces (pid $$): refusing to run" >&2; exit 125; }
# Reads and writes /proc/sys with shell builtins (what sysctl does, without a process each).
pin() { local f=/proc/sys/${"$"}{1//.//} cur; [ -r "$f" ] || return 0; IFS= read -r cur <"$f" || return 0; [ "$cur" = "$2" ] || { echo "$2" >"$f"; } 2>/dev/null; }
for k in forwarding rp_filter proxy_arp ignore_routes_with_linkdown promote_secondaries accept_local src_valid_mark route_localnet; do
  for d in all default; do pin "net.ipv4.conf.$d.$k" 0; done
done
pin net.ipv4.ip_forward 0
for d in all default; do pin "net.ipv6.conf.$d.disable_ipv6" 1; done
agree() {
  local line flags state up lower f
  while IFS= read -r line; do
    flags=${"$"}{line#*<}; flags=${"$"}{flags%%>*}
    state=${"$"}{line##* state }; state=${"$"}{state%% *}
    up=0; lower=0
    IFS=, read -r -a fl <<<"$flags"
    for f in "${"$"}{fl[@]}"; do [ "$f" = UP ] && up=1; [ "$f" = LOWER_UP ] && lower=1; done
    if [ $up = 1 ] && [ $lower = 1 ]; then
      case $state in UP) ;; UNKNOWN) stacked "$line" && return 1; fwd_pending "$line" && return 1 ;; *) return 1 ;; esac
    elif [ $up = 1 ]; then case $state in UP|UNKNOWN) return 1 ;; esac
    else [ "$state" = DOWN ] || return 1; fi
  done < <(ip -o link show 2>/dev/null)
  return 0
}
# A stacked device (NAME@LOWER: a macvlan, a veth) has a linkwatch event queued from its
# creation (macvlan_common_newlink() fires one; veth's carrier changes do): once it has run,
# rfc2863_policy() leaves UP or (LOWERLAYER)DOWN, so UNKNOWN with carrier is not settled yet.
stacked() {
  local name=${"$"}{1#*: }; name=${"$"}{name%%: *}
  [[ $name == *@* ]]
}
# A bridge that has a forwarding port is UP once linkwatch has run (non-urgent linkwatch
# events may wait up to a second): UNKNOWN then is not settled yet.
fwd_pending() {
  local name=${"$"}{1#*: }; name=${"$"}{name%%:*}; name=${"$"}{name%%@*}
  bridge link show 2>/dev/null | grep " master $name " | grep -q " state forwarding "
}
settle() { local i; sleep 0.05; for i in $(seq 1 250); do agree && return 0; sleep 0.02; done; }
# A command that may change a link (not show/list/lst, which change nothing to wait for):
# ip link, and ip tuntap/tap (ip.c matches objects by prefix in its table's order: tu and tun
# are tunnel, ta is tap), whose add and del change a bridge's ports as ip link does.
islink() {
  local w obj=0; set -- $1; [ "$1" = ip ] || return 1; shift
  for w in "$@"; do
    case $w in -*) continue ;; esac
    if [ $obj = 0 ]; then case $w in l|li|lin|link|tunt|tunta|tuntap|ta|tap) obj=1; continue ;; *) return 1 ;; esac; fi
    case $w in show|list|lst) return 1 ;; *) return 0 ;; esac
  done
  return 0
}
# Output as the scenario runner leaves it: MAC addresses masked, idle_time 0, a final newline.
# Most outputs have neither: they are copied with builtins (no process).
clean() {
  [ -s "$1" ] || return 0
  local c=
  IFS= read -r -d '' c <"$1"
  if ! [[ $c =~ ([0-9a-f]{2}:){5}[0-9a-f]{2} || $c == *idle_time* ]]; then
    printf '%s' "$c"
    [[ $c == *$'\n' ]] || echo
    return 0
  fi
  sed -E '/([0-9a-f]{2}:){5}[0-9a-f]{2}/{
    s/00:00:00:00:00:00/@Z@/g; s/ff:ff:ff:ff:ff:ff/@B@/g
    s/([0-9a-f]{2}:){5}[0-9a-f]{2}/xx:xx:xx:xx:xx:xx/g
    s/@Z@/00:00:00:00:00:00/g; s/@B@/ff:ff:ff:ff:ff:ff/g
  }
  s/(idle_time |"idle_time":)[0-9][0-9.e+-]*/\10/g' "$1"
  [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || echo
}
# Private world-writable folders (this mount namespace only): nothing the runner writes
# there reaches the host; elsewhere, root here is an unprivileged host uid (userns mode).
for d in /tmp /var/tmp /dev/shm /run/lock; do [ -d $d ] && mount -t tmpfs -o mode=1777,size=64m kfib $d 2>/dev/null; done
tmp=$(mktemp -d)
procline='^[-A-Za-z0-9 '$'\t''_./:@%+,=|>"'"'"'\]+$'
# The only shapes a /proc line may have (kernel-guard.ts takes no other): echo/printf
# redirected to the file, piped to tee (nothing else after a pipe), or cat of the file.
procform='^(echo|printf) [^|>]*(>>?|[|] *tee( +-a)?) */proc/sys/[^ |>]+( *> */dev/null)? *$|^cat +/proc/sys/[^ |>]+ *$'
procfile='^net/(ipv4/(ip_forward|nexthop_compat_mode|fib_multipath_(use_neigh|hash_policy|hash_fields)|route/flush|conf/[A-Za-z0-9_:@-][A-Za-z0-9_.:@-]*/[a-z0-9_]+)|ipv6/conf/all/disable_ipv6)$'
while IFS= read -r line || [ -n "$line" ]; do
  cmd=${"$"}{line#"${"$"}{line%%[![:space:]]*}"}; cmd=${"$"}{cmd%"${"$"}{cmd##*[![:space:]]}"}
  [ -z "$cmd" ] && continue
  case $cmd in \#*) continue ;; esac
  case $cmd in "ip "*|"sysctl "*|"echo "*|"printf "*|"cat "*) ;; *) printf '$ %s\n' "$cmd"; continue ;; esac
  printf '$ %s\n' "$cmd"
  case $cmd in
    "ip "*|"sysctl "*) $cmd >"$tmp/out" 2>"$tmp/err" </dev/null ;;
    # A /proc/sys/net line kernel-guard.ts let through (echo/printf > F, … | tee F, cat F):
    # run by a bash of its own, which prints its errors as a user's "bash -c LINE" does.
    # Checked again here: no expansion, glob, list or subshell character, no "..", one
    # /proc/sys file among the per-namespace ones of the model, no other file than /dev/null.
    *) f=${"$"}{cmd#*/proc/sys/}; f=${"$"}{f%%[\ \"\']*}; rest=${"$"}{cmd/"/proc/sys/$f"/}; rest=${"$"}{rest//\/dev\/null/}
       if [[ $cmd =~ $procline && $cmd =~ $procform && $cmd != *..* && $cmd == *"/proc/sys/"* && $rest != */* && $f =~ $procfile ]]; then
         BASH_ENV= ENV= bash -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null
       else echo "kfib runner: refusing the shell line" >"$tmp/err"; : >"$tmp/out"; false; fi ;;
  esac
  rc=$?
  if islink "$cmd"; then settle; fi
  clean "$tmp/out"; clean "$tmp/err"
  [ "$rc" -ne 0 ] && echo "[exit $rc]"
done
exit 0
`;

/** The refusal if `script` has a line that must not reach the kernel (see kernel-guard.ts). */
function guard(script: string): Error | null {
  const k = kernelScript(script);
  if (k.withheld.length === 0) return null;
  const w = k.withheld[0] as WithheldLine;
  return new Error(`refusing to run in the kernel: line ${w.line}: ${w.why}: ${JSON.stringify(w.command)} (filter the script with kernelScript first)`);
}

function spawnArgs(): { cmd: string; args: string[] } {
  const avail = kernelAvailable();
  if (!avail.ok) throw new Error(`cannot run the kernel here: ${avail.why}`);
  return runnerCommand(avail.mode, RUNNER);
}

const ENV = (): NodeJS.ProcessEnv => ({ PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' });

/**
 * The kernel's transcript of a script whose every line passes kernel-guard.ts (any other
 * script is refused with an error: callers filter with kernelScript and say what they withheld).
 */
export function kernelTranscript(script: string): string {
  const refused = guard(script);
  if (refused !== null) throw refused;
  const { cmd, args } = spawnArgs();
  const r = spawnSync(cmd, args, { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: ENV(), cwd: '/' });
  if (r.error !== undefined) throw r.error;
  if (r.status !== 0) throw new Error(`kernel runner exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** kernelTranscript without blocking: several namespaces can run side by side. */
export function kernelTranscriptAsync(script: string): Promise<string> {
  const refused = guard(script);
  if (refused !== null) return Promise.reject(refused);
  let spec: { cmd: string; args: string[] };
  try {
    spec = spawnArgs();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
  return new Promise<string>((resolvePromise, reject) => {
    const child = spawn(spec.cmd, spec.args, { env: ENV(), cwd: '/' });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdin.on('error', () => undefined);
    child.stdin.end(script);
    child.on('error', (e) => reject(e));
    child.on('close', (code) => {
      if (code === 0) resolvePromise(out);
      else reject(new Error(`kernel runner exited ${String(code)}: ${err}`));
    });
  });
}

/** Runs many scripts through the kernel, `parallel` namespaces at a time, answers in input order. */
export async function kernelTranscripts(scripts: readonly string[], parallel = 4): Promise<string[]> {
  const out: string[] = new Array<string>(scripts.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < scripts.length) {
      const i = next++;
      out[i] = await kernelTranscriptAsync(scripts[i] as string);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, scripts.length) }, worker));
  return out;
}

/**
 * Every ip/sysctl line of `script` through the contained runner, without kernel-guard.ts:
 * only for the containment test (test/cli/kernel-escape.test.ts), which shows that a line
 * the filter would have stopped still cannot leave the runner's namespaces.
 */
export function containedTranscriptUnfiltered(script: string): string {
  const { cmd, args } = spawnArgs();
  const r = spawnSync(cmd, args, { input: script, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: ENV(), cwd: '/', timeout: 300_000 });
  if (r.error !== undefined) throw r.error;
  return r.stdout;
}
