// `kfib capture`: record a trace folder with the layout of ../shared/traces: an rtmon
// file, an `ip -ts monitor all` log, `ip -j` snapshots before and after (and at each
// `checkpoint NAME` of the script), meta.json and capture.log. Root on Linux; uses
// `unshare`, `rtmon` and `ip` from iproute2. Configures and queries only: it never
// sends a packet. The script is a whole bash program (no line filter can judge it), so it
// runs contained as the kernel runner is (kernel-runner.ts): its own user namespace where
// the kernel allows one (root inside is an unprivileged host uid that owns only the staging
// folder), plus network, mount, pid and uts namespaces; the parent copies the regular files
// it left into the capture folder.
//
// Two modes:
// - `kfib capture -o DIR -- SCRIPT`: SCRIPT (a bash script of ip/sysctl commands) runs
//   in a fresh private network namespace; everything from `capture_start` on (or the
//   whole script) is recorded. Helpers: capture_start, checkpoint NAME, settle [S].
// - `kfib capture --host -o DIR`: the host's own namespace, from the snapshot until
//   SIGINT (Ctrl-C), then the after snapshot.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyNameFiles, IPROUTE2_CONFDIR } from './names-dir.js';
import { EXCL, prepareDir, writeManifest } from './capture-dir.js';
import { collectStaged, readStamp, removeOwn, STAGING } from './capture-staging.js';
import { defineCommand, parseCommand, usageError } from './command.js';
import { containedCommand, RUNNER_HOST_UID } from '../props/differential/kernel-runner.js';

export const CAPTURE = defineCommand({
  name: 'kfib capture',
  usage: `kfib capture [OPTIONS] -o DIR -- SCRIPT|-
       kfib capture --host [OPTIONS] -o DIR`,
  about: `Records a trace folder like those of shared/traces: trace.rtmon (rtmon file),
monitor.txt (ip -ts monitor all), before.json and after.json (ip -j link, addr,
route table all, rule, -4 netconf, nexthop), checkpoints/NN-NAME.json, meta.json,
script.sh, capture.log and names/ (a copy of the host's iproute2 name files:
rt_tables, rt_tables.d/*.conf, rt_protos, rt_protos.d/*.conf, rt_dsfield,
rt_scopes, rt_realms, which kfib replay reads). Needs root on Linux, unshare, rtmon and ip.

SCRIPT runs with bash in fresh namespaces (network, mount, pid, uts, and its own user
namespace where the kernel allows: root there owns no host file); lo is brought up
first; - reads the script from standard input. The part before \`capture_start\` is the
setup (not recorded); without it the whole script is recorded. \`checkpoint NAME\` writes
checkpoints/NN-NAME.json, \`settle [SECONDS]\` waits (carrier changes reach the FIB
asynchronously).`,
  options: {
    out: { type: 'string', short: 'o', arg: 'DIR', help: 'the folder to write: a new one, or an empty one owned by you and\nwritable by no one else (-f replaces an earlier capture: only the files\nlisted in its .kfib-capture-manifest are removed)' },
    host: { type: 'boolean', help: 'record the host\'s own namespace until interrupted (Ctrl-C)' },
    get: { type: 'string', multiple: true, arg: 'QUERY', help: 'an ip route get query to record in every snapshot (repeatable)' },
    'no-ipv6': { type: 'boolean', help: 'disable IPv6 in the namespace' },
    'keep-lo-down': { type: 'boolean', help: 'leave lo down' },
    settle: { type: 'string', arg: 'SECONDS', help: 'quiet time before the after snapshot (default 1)' },
    force: { type: 'boolean', short: 'f', help: 'replace an earlier capture in DIR' },
  },
  positionals: { min: 0, max: 1, what: 'one script after -- (or - for standard input; none with --host)' },
  exit: '0 when the trace was recorded; 1 when the script ended early; 2 on bad usage or when\ncapturing is impossible here.',
  footer: 'Never send packets from SCRIPT (no ping, no curl): configure and query only.',
});

/** Why capturing is impossible here, or null. */
function unavailable(host: boolean): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root';
  for (const t of ['ip', 'rtmon', ...(host ? [] : ['unshare'])]) {
    const r = spawnSync('sh', ['-c', `command -v ${t}`]);
    if (r.status !== 0) return `${t} is not installed (iproute2, util-linux)`;
  }
  return null;
}

function jsonStr(s: string): string {
  return JSON.stringify(s);
}

/** An `ip -j` snapshot of the current namespace, as the fixtures' snapshot files. */
export function snapshotJson(gets: readonly string[], extra: Record<string, string> = {}): string {
  const ipj = (args: string[]): string => {
    const r = spawnSync('ip', ['-j', ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const out = r.stdout.trim();
    return r.status === 0 && out !== '' ? out : 'null';
  };
  const parts: string[] = Object.entries(extra).map(([k, v]) => `${jsonStr(k)}:${v}`);
  parts.push(`"link":${ipj(['link', 'show'])}`, `"addr":${ipj(['addr', 'show'])}`, `"route":${ipj(['route', 'show', 'table', 'all'])}`, `"rule":${ipj(['rule', 'show'])}`, `"netconf":${ipj(['-4', 'netconf', 'show'])}`, `"nexthop":${ipj(['nexthop', 'show'])}`);
  if (gets.length > 0) {
    const g = gets.map((q) => {
      const r = spawnSync('ip', ['-j', 'route', 'get', ...q.split(/\s+/)], { encoding: 'utf8' });
      const out = r.stdout.trim();
      return `{"query":${jsonStr(`ip route get ${q}`)},"result":${out !== '' ? out : 'null'},"error":${out !== '' ? 'null' : jsonStr(r.stderr.trim())}}`;
    });
    parts.push(`"route_get":[${g.join(',')}]`);
  }
  return `{\n${parts.join(',\n')}\n}\n`;
}

/** gettimeofday as "sec.usec", the clock of rtmon's time stamps. */
function wallClock(): string {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  const usec = Math.min(999999, Math.floor((ms - sec * 1000) * 1000));
  return `${sec}.${String(usec).padStart(6, '0')}`;
}

function versions(): { kernel: string; iproute2: string } {
  const k = spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim();
  const i = spawnSync('ip', ['-V'], { encoding: 'utf8' }).stdout.trim();
  return { kernel: k, iproute2: i };
}

// world-writable folders: nothing it leaves there reaches the host.
const RUNNER = String.raw`#!/usr/bin/env bash
# kfib capture runner: sourced scenario in a fresh network namespace.
set -u
export LC_ALL=C TZ=UTC
# Only as the first process of its own pid namespace (unshare -p -f, as kfib starts it): run
# any other way (by hand, on the host) it would mount over the host's /tmp and configure the
# host's network, so it refuses.
[ $$ -eq 1 ] || { echo "kfib runner: not in its own namespaces (pid $$): refusing to run" >&2; exit 125; }
OUT=.; SCRIPT=$1; SETTLE_END=$2; LO=$3; NOV6=$4
for d in /tmp /var/tmp /dev/shm /run/lock; do [ -d $d ] && mount -t tmpfs -o mode=1777,size=64m kfib $d 2>/dev/null; done
exec 9>>"$OUT/capture.log"
stamp() { printf '# %s %s\n' "$EPOCHREALTIME" "$*" >&9; }
[ "$NOV6" = 1 ] && { sysctl -qw net.ipv6.conf.all.disable_ipv6=1; sysctl -qw net.ipv6.conf.default.disable_ipv6=1; } 2>/dev/null
[ "$LO" = 1 ] && ip link set lo up
mapfile -t GETS < ./.gets
jstr() { local s=$1; s=${"$"}{s//\\/\\\\}; s=${"$"}{s//\"/\\\"}; printf '"%s"' "$s"; }
ipj() { local o; o=$(ip -j "$@" 2>/dev/null) || o=; [ -n "$o" ] && printf '%s' "$o" || printf 'null'; }
snap() {
  local f=$1 extra=${"$"}{2:-} q o e first=1
  {
    printf '{\n'; [ -n "$extra" ] && printf '%s,\n' "$extra"
    printf '"link":%s,\n"addr":%s,\n"route":%s,\n' "$(ipj link show)" "$(ipj addr show)" "$(ipj route show table all)"
    printf '"rule":%s,\n"netconf":%s,\n"nexthop":%s' "$(ipj rule show)" "$(ipj -4 netconf show)" "$(ipj nexthop show)"
    if [ ${"$"}{#GETS[@]} -gt 0 ]; then
      printf ',\n"route_get":['
      for q in "${"$"}{GETS[@]}"; do
        [ $first = 1 ] || printf ','; first=0
        o=$(ip -j route get $q 2>"$OUT/.err"); e=$(cat "$OUT/.err")
        printf '{"query":%s,' "$(jstr "ip route get $q")"
        if [ -n "$o" ]; then printf '"result":%s,"error":null}' "$o"; else printf '"result":null,"error":%s}' "$(jstr "$e")"; fi
      done
      printf ']'
    fi
    printf '\n}\n'
  } >"$f"
  rm -f "$OUT/.err"
}
listeners() { awk 'NR>1 && $2==0 && $4!="00000000"' /proc/net/netlink | wc -l; }
CAPTURING=0 N=0 RT= MON=
capture_start() {
  [ "$CAPTURING" = 1 ] && return 0
  sleep 0.3
  printf '%s\n' "$EPOCHREALTIME" > "$OUT/.before_at"
  snap before.json; stamp "before.json"
  local base i; base=$(listeners)
  rtmon file trace.rtmon 2>rtmon.stderr & RT=$!
  stdbuf -oL ip -ts monitor all >monitor.txt 2>monitor.stderr & MON=$!
  for i in $(seq 100); do [ "$(listeners)" -ge $((base + 2)) ] && [ -s trace.rtmon ] && break; sleep 0.05; done
  sleep 0.2
  CAPTURING=1
  printf '%s\n' "$EPOCHREALTIME" > "$OUT/.capture_at"
  stamp "capture started"
}
settle() { sleep "${"$"}{1:-0.3}"; }
checkpoint() {
  settle; N=$((N + 1)); mkdir -p checkpoints
  local f; f=$(printf 'checkpoints/%02d-%s.json' "$N" "$1")
  snap "$f" "$(printf '"checkpoint":%s,\n"time":"%s"' "$(jstr "$1")" "$EPOCHREALTIME")"
  stamp "checkpoint $1"
}
grep -q capture_start "$SCRIPT" || capture_start
BASH_XTRACEFD=9; PS4='+ $EPOCHREALTIME '
set -x
. "$SCRIPT"
set +x
capture_start
sleep "$SETTLE_END"
printf '%s\n' "$EPOCHREALTIME" > "$OUT/.after_at"
snap after.json; stamp "after.json"
kill "$RT" "$MON" 2>/dev/null; wait "$RT" "$MON" 2>/dev/null
exit 0
`;


function writeMeta(dir: string, meta: Record<string, unknown>): void {
  writeFileSync(join(dir, 'meta.json'), `${JSON.stringify(meta, null, 1)}\n`, { flag: 'wx', mode: 0o644 });
}

async function captureHost(dir: string, gets: readonly string[], settle: number): Promise<number> {
  const log = openSync(join(dir, 'capture.log'), EXCL, 0o644);
  const beforeAt = wallClock();
  copyNameFiles(IPROUTE2_CONFDIR, join(dir, 'names'));
  writeFileSync(join(dir, 'before.json'), snapshotJson(gets), { flag: 'wx', mode: 0o644 });
  const kids: ChildProcess[] = [];
  const rt = spawn('rtmon', ['file', join(dir, 'trace.rtmon')], { stdio: ['ignore', 'ignore', log] });
  const monOut = openSync(join(dir, 'monitor.txt'), EXCL, 0o644);
  const mon = spawn('ip', ['-ts', 'monitor', 'all'], { stdio: ['ignore', monOut, log] });
  kids.push(rt, mon);
  const startedAt = wallClock();
  process.stderr.write(`kfib capture: recording the host's namespace into ${dir}; Ctrl-C to stop\n`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await new Promise((r) => setTimeout(r, settle * 1000));
  const afterAt = wallClock();
  writeFileSync(join(dir, 'after.json'), snapshotJson(gets), { flag: 'wx', mode: 0o644 });
  for (const k of kids) if (k.pid !== undefined) k.kill('SIGTERM');
  closeSync(monOut);
  closeSync(log);
  writeMeta(dir, { ...versions(), tz: process.env['TZ'] ?? 'local', host: true, before_at: beforeAt, capture_started_at: startedAt, after_at: afterAt, route_get: gets.map((q) => `ip route get ${q}`) });
  writeManifest(dir);
  process.stderr.write(`kfib capture: wrote ${dir}\n`);
  return 0;
}

/** `kfib capture ARGV…`; resolves to the exit status. */
export async function captureMain(argv: readonly string[]): Promise<number> {
  const p = parseCommand(CAPTURE, argv);
  if (p.kind === 'exit') return p.code;
  const { values, positionals } = p;
  if (values.out === undefined) return usageError(CAPTURE.name, '-o DIR is required');
  const host = values.host;
  if (host ? positionals.length !== 0 : positionals.length !== 1) return usageError(CAPTURE.name, host ? '--host takes no script' : 'expected one script after -- (or - for standard input)');
  const settle = Number(values.settle ?? '1');
  if (!Number.isFinite(settle) || settle < 0) {
    process.stderr.write(`kfib capture: --settle: expected seconds, got "${values.settle ?? ''}"\n`);
    return 2;
  }
  const why = unavailable(host);
  if (why !== null) {
    process.stderr.write(`kfib capture: cannot capture here: ${why}\n`);
    return 2;
  }
  const dir = resolve(values.out);
  const bad = prepareDir(dir, values.force);
  if (bad !== null) {
    process.stderr.write(`kfib capture: ${bad}\n`);
    return 2;
  }
  const gets = values.get ?? [];
  if (host) return captureHost(dir, gets, settle);
  const script = positionals[0] as string;
  if (script === '-') writeFileSync(join(dir, 'script.sh'), readFileSync(0), { flag: 'wx', mode: 0o644 });
  else if (!existsSync(script)) {
    process.stderr.write(`kfib capture: no script ${script}\n`);
    return 2;
  } else copyFileSync(script, join(dir, 'script.sh'), constants.COPYFILE_EXCL);
  // the namespace shares the host's file system: ip prints names through the host's files
  copyNameFiles(IPROUTE2_CONFDIR, join(dir, 'names'));
  const staging = join(dir, STAGING);
  let r: ReturnType<typeof spawnSync>;
  let mode: string;
  let fd: number | undefined;
  try {
    // The runner enters its folder through an open descriptor (fd 3): the folders above the
    // capture folder need not be searchable by the runner's unprivileged host uid.
    const c = containedCommand('cd /proc/self/fd/3 && exec 3<&- && exec bash ./.runner.sh "$@"', ['./.script.sh', String(settle), values['keep-lo-down'] ? '0' : '1', values['no-ipv6'] ? '1' : '0']);
    mkdirSync(staging, { mode: 0o700 });
    copyFileSync(join(dir, 'script.sh'), join(staging, '.script.sh'), constants.COPYFILE_EXCL);
    writeFileSync(join(staging, '.runner.sh'), RUNNER, { flag: 'wx', mode: 0o644 });
    writeFileSync(join(staging, '.gets'), gets.map((g) => `${g}\n`).join(''), { flag: 'wx', mode: 0o644 });
    // userns: root inside is host uid RUNNER_HOST_UID, which owns this folder and nothing else
    if (c.mode === 'userns') chownSync(staging, RUNNER_HOST_UID, RUNNER_HOST_UID);
    mode = c.mode;
    fd = openSync(staging, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    r = spawnSync(c.cmd, c.args, { stdio: ['ignore', 'inherit', 'inherit', fd], cwd: '/' });
  } catch (e) {
    removeOwn(staging);
    process.stderr.write(`kfib capture: ${(e as Error).message}\n`);
    return 2;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const meta = {
    ...versions(),
    tz: 'UTC',
    ipv6: !values['no-ipv6'],
    lo_up_before_start: !values['keep-lo-down'],
    containment: mode,
    before_at: readStamp(staging, '.before_at'),
    capture_started_at: readStamp(staging, '.capture_at'),
    after_at: readStamp(staging, '.after_at'),
    route_get: gets.map((q) => `ip route get ${q}`),
  };
  const skipped = collectStaged(staging, dir);
  removeOwn(staging);
  for (const w of skipped) process.stderr.write(`kfib capture: not copied from the namespace: ${w}\n`);
  writeMeta(dir, meta);
  writeManifest(dir);
  if (!existsSync(join(dir, 'after.json'))) {
    process.stderr.write(`kfib capture: the script ended early (exit?): no after.json in ${dir}\n`);
    return 1;
  }
  process.stderr.write(`kfib capture: wrote ${dir}\n`);
  return r.status === 0 ? 0 : 1;
}
