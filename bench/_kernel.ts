// The kernel's own answers: `ip -batch` `route get` in a private network namespace loaded
// with the same table (fib_table_lookup() via RTM_GETROUTE, inet_rtm_getroute()).
//
// Why: this is what a user asks today, and the issue sets the engine's target as a multiple
// of its rate. `ip route get` only asks the FIB; it sends no packet. The namespace
// (`unshare -n`) has only `lo`, so nothing can leave it anyway. Each route carries its value
// as a realm (`realm N`, shown by `route get`), so answers can be checked.
// Needs root (or the right to unshare); skipped with a note otherwise.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchTable } from './_tables.js';
import { formatIp, formatPrefix } from './_tables.js';

/** Why the kernel cannot be asked here, or null when it can. */
export function kernelUnavailable(): string | null {
  if (process.platform !== 'linux') return 'not Linux: kernel rate skipped';
  if (process.getuid?.() !== 0) return 'not root: cannot unshare a network namespace; kernel rate skipped';
  const ip = spawnSync('ip', ['-V'], { encoding: 'utf8' });
  if (ip.error || ip.status !== 0) return 'iproute2 `ip` not found: kernel rate skipped';
  const u = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  if (u.error || u.status !== 0) return `unshare -n failed (${u.stderr.trim()}): kernel rate skipped`;
  return null;
}

/** One set of queries asked of the kernel. */
export interface KernelQueries {
  readonly queries: number;
  readonly seconds: number;
  readonly lookupsPerSec: number;
  /** Per query: the realm (= value) answered, 0 when the kernel had no route. */
  readonly answers: Uint32Array;
}

/** One kernel run: the table loaded once, then each query set timed on its own. */
export interface KernelRun {
  readonly routes: number;
  readonly loadSeconds: number;
  readonly runs: KernelQueries[];
}

/**
 * Loads `t` (values must be 1..65535: they travel as realms) into a fresh namespace and
 * times `ip -force -batch` over one `route get` per query, for each query set.
 */
export function runKernel(t: BenchTable, sets: readonly Uint32Array[], dir: string): KernelRun {
  const routes = join(dir, 'routes.batch');
  const times = join(dir, 'times');
  writeFileSync(routes, t.entries.map((e) => `route add ${formatPrefix(e)} dev lo realm ${e.value}`).join('\n') + '\n');
  // date +%s%N around each step; answers on stdout, "Network is unreachable" on stderr.
  const script = ['set -e', 'ip link set lo up', `date +%s%N > ${times}`, `ip -force -batch ${routes} 2>/dev/null || true`, `date +%s%N >> ${times}`];
  sets.forEach((qs, i) => {
    const gets = join(dir, `gets-${i}.batch`);
    writeFileSync(gets, Array.from(qs, (a) => `route get ${formatIp(a)}`).join('\n') + '\n');
    script.push(`ip -force -batch ${gets} > ${join(dir, `gets-${i}.out`)} 2>/dev/null || true`, `date +%s%N >> ${times}`);
  });
  const r = spawnSync('unshare', ['-n', 'sh', '-c', script.join('\n')], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`Cannot run the kernel benchmark: ${r.stderr.trim()}`);
  const stamps = readFileSync(times, 'utf8').trim().split('\n').map((x) => BigInt(x));
  const secs = (i: number): number => Number((stamps[i + 1] ?? 0n) - (stamps[i] ?? 0n)) / 1e9;
  const runs = sets.map((qs, i): KernelQueries => {
    const byAddr = new Map<string, number>();
    for (const line of readFileSync(join(dir, `gets-${i}.out`), 'utf8').split('\n')) {
      const m = /^(\d+\.\d+\.\d+\.\d+) .*\brealms? (?:\d+\/)?(\d+)/.exec(line);
      if (m) byAddr.set(m[1]!, Number(m[2]));
    }
    const seconds = secs(i + 1);
    return {
      queries: qs.length,
      seconds,
      lookupsPerSec: qs.length / seconds,
      answers: Uint32Array.from(qs, (a) => byAddr.get(formatIp(a)) ?? 0),
    };
  });
  return { routes: t.entries.length, loadSeconds: secs(0), runs };
}
