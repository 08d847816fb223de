// `kfib run --kernel`: the same script in a fresh private network namespace of the live
// kernel, with the scenario runner's preamble and settling rule (see
// ../shared/scenarios/README.md). Configures and queries only; never sends packets.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether this process can run scripts against the kernel (root on Linux with unshare). */
export function kernelAvailable(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: 'not Linux' };
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return { ok: false, why: 'not root' };
  const r = spawnSync('unshare', ['-n', 'true']);
  if (r.error !== undefined || r.status !== 0) return { ok: false, why: 'unshare -n failed (no permission to create a network namespace?)' };
  const ip = spawnSync('ip', ['-V']);
  if (ip.error !== undefined) return { ok: false, why: 'iproute2 (ip) is not installed' };
  return { ok: true };
}

const RUNNER = String.raw`#!/usr/bin/env bash
# kfib kernel runner: executes one script in this (fresh, private) network namespace and
# prints the transcript: "$ CMD", stdout, stderr, "[exit N]".
set -u
set -f
export LC_ALL=C
pin() { local cur; cur=$(sysctl -n "$1" 2>/dev/null) || return 0; [ "$cur" = "$2" ] || sysctl -q -w "$1=$2" >/dev/null 2>&1; }
for k in forwarding rp_filter proxy_arp ignore_routes_with_linkdown promote_secondaries accept_local src_valid_mark route_localnet; do
  for d in all default; do pin "net.ipv4.conf.$d.$k" 0; done
done
pin net.ipv4.ip_forward 0
for d in all default; do sysctl -q -w "net.ipv6.conf.$d.disable_ipv6=1" >/dev/null 2>&1; done
agree() {
  local line flags state up lower f
  while IFS= read -r line; do
    flags=${"$"}{line#*<}; flags=${"$"}{flags%%>*}
    state=${"$"}{line##* state }; state=${"$"}{state%% *}
    up=0; lower=0
    IFS=, read -r -a fl <<<"$flags"
    for f in "${"$"}{fl[@]}"; do [ "$f" = UP ] && up=1; [ "$f" = LOWER_UP ] && lower=1; done
    if [ $up = 1 ] && [ $lower = 1 ]; then case $state in UP|UNKNOWN) ;; *) return 1 ;; esac
    elif [ $up = 1 ]; then case $state in UP|UNKNOWN) return 1 ;; esac
    else [ "$state" = DOWN ] || return 1; fi
  done < <(ip -o link show 2>/dev/null)
  return 0
}
settle() { local i; sleep 0.05; for i in $(seq 1 250); do agree && return 0; sleep 0.02; done; }
islink() { local w; set -- $1; [ "$1" = ip ] || return 1; shift; for w in "$@"; do case $w in -*) continue ;; l|li|lin|link) return 0 ;; *) return 1 ;; esac; done; return 1; }
clean() {
  [ -s "$1" ] || return 0
  sed -E '/([0-9a-f]{2}:){5}[0-9a-f]{2}/{
    s/00:00:00:00:00:00/@Z@/g; s/ff:ff:ff:ff:ff:ff/@B@/g
    s/([0-9a-f]{2}:){5}[0-9a-f]{2}/xx:xx:xx:xx:xx:xx/g
    s/@Z@/00:00:00:00:00:00/g; s/@B@/ff:ff:ff:ff:ff:ff/g
  }' "$1"
  [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ] || echo
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
while IFS= read -r line || [ -n "$line" ]; do
  cmd=${"$"}{line#"${"$"}{line%%[![:space:]]*}"}; cmd=${"$"}{cmd%"${"$"}{cmd##*[![:space:]]}"}
  [ -z "$cmd" ] && continue
  case $cmd in \#*) continue ;; esac
  case $cmd in "ip "*|"sysctl "*) ;; *) printf '$ %s\n' "$cmd"; continue ;; esac
  printf '$ %s\n' "$cmd"
  $cmd >"$tmp/out" 2>"$tmp/err" </dev/null
  rc=$?
  if islink "$cmd"; then settle; fi
  clean "$tmp/out"; clean "$tmp/err"
  [ "$rc" -ne 0 ] && echo "[exit $rc]"
done <"$1"
exit 0
`;

/** The kernel's transcript of a script. */
export function kernelTranscript(script: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-kernel-'));
  try {
    writeFileSync(join(dir, 'runner.sh'), RUNNER);
    writeFileSync(join(dir, 'script.ip'), script);
    const r = spawnSync('unshare', ['-n', 'bash', join(dir, 'runner.sh'), join(dir, 'script.ip')], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    });
    if (r.error !== undefined) throw r.error;
    if (r.status !== 0) throw new Error(`kernel runner exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** kernelTranscript without blocking: several namespaces can run side by side. */
export function kernelTranscriptAsync(script: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kfib-kernel-'));
  writeFileSync(join(dir, 'runner.sh'), RUNNER);
  writeFileSync(join(dir, 'script.ip'), script);
  return new Promise<string>((resolvePromise, reject) => {
    const child = spawn('unshare', ['-n', 'bash', join(dir, 'runner.sh'), join(dir, 'script.ip')], {
      env: { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' },
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', (e) => {
      rmSync(dir, { recursive: true, force: true });
      reject(e);
    });
    child.on('close', (code) => {
      rmSync(dir, { recursive: true, force: true });
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
