// Which lines of a script may reach the live kernel (props/differential/kernel-runner.ts). `kfib run --kernel`, `kfib verify
// --kernel` and the differential property run user scripts as (namespace) root; scripts are
// what users paste from the internet. A line reaches the kernel only when
//  1. the model runs it without a "not modelled" problem (so nothing the model does not
//     know, such as `ip netns`, `ip -batch`, `ip monitor`, ever runs), and
//  2. it passes a syntactic check independent of the model: ip with only the global options
//     the model has (-4 -j -p -o -d, -f inet), an object among address/route/rule/link/
//     netconf/nexthop/tuntap (tap), no word naming another namespace (netns, link-netns, exec); sysctl
//     with only -w/-q/-n and keys under net.ipv4 (per network namespace in the kernel:
//     net/ipv4/devinet.c devinet_sysctl_register, net/ipv4/sysctl_net_ipv4.c
//     ipv4_net_table), never a path with `.` or `..` components; a shell line that writes
//     or reads one /proc/sys file (echo/printf > F, … | tee F, cat F) in the forms of
//     core/iproute2/proc-sys-line.ts. Both only for the files of the model that exist once
//     per network namespace (netnsFileRefusal()): never a host-wide one such as tcp_mem.
// The second check holds even where the model's answer is wrong: `sysctl -w
// kernel.hostname=x` is "cannot stat" in the model, but it never reaches the kernel.

import { matchesColor } from '../../core/iproute2/ip-command.js';
import { parseProcSysLine } from '../../core/iproute2/proc-sys-line.js';
import { runScriptLine } from '../../core/script/script-line.js';
import { matches } from '../../core/iproute2/command-context.js';
import { scriptCommands } from '../../core/script/run-script.js';
import { initialSnapshot } from '../../core/snapshot/snapshot.js';

/** A line kept from the kernel, and why. */
export interface WithheldLine {
  readonly line: number;
  readonly command: string;
  readonly why: string;
  /** Withheld because the model names it (not modelled): a gap of the run, not a guard refusal. */
  readonly gap: boolean;
}

/** The script the kernel may run (withheld lines removed), and what was withheld. */
export interface KernelScript {
  readonly script: string;
  readonly commands: number;
  readonly withheld: readonly WithheldLine[];
}

// tuntap/tap: /dev/net/tun makes and removes devices in the opener's own network namespace
// (tun_set_iff(): the tun file's socket is the caller's netns), so the runner's private one.
const IP_OBJECTS = ['address', 'route', 'rule', 'link', 'netconf', 'nexthop', 'tuntap', 'tap'] as const;
// ip.c's object table order up to nexthop, so that an abbreviation resolves as ip does.
const IP_TABLE = ['address', 'addrlabel', 'maddress', 'route', 'rule', 'neighbor', 'neighbour', 'ntable', 'link', 'l2tp', 'fou', 'ila', 'macsec', 'tunnel', 'tunl', 'tuntap', 'tap', 'token', 'tcpmetrics', 'tcp_metrics', 'monitor', 'xfrm', 'mroute', 'mrule', 'netns', 'netconf', 'vrf', 'sr', 'nexthop'];

const PRINT_ONLY_IP_OPTIONS: ReadonlySet<string> = new Set(['s', 'stats', 'statistics', 't', 'timestamp', 'ts', 'tshort', '0', 'human', 'human-readable', 'iec', 'N', 'Numeric']);

/** Why this argv must not reach the kernel, or null when it may. */
export function kernelRefusal(command: string): string | null {
  const argv = command.split(/[ \t]+/);
  if (argv[0] === 'ip') return ipRefusal(argv.slice(1));
  if (argv[0] === 'sysctl') return sysctlRefusal(argv.slice(1));
  if (command.includes('/proc/sys')) return procSysRefusal(command);
  return 'only ip and sysctl commands, and echo/printf/tee/cat of a /proc/sys/net file, run in the kernel';
}

function ipRefusal(args: readonly string[]): string | null {
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith('-')) break;
    const opt = a.replace(/^--?/, '');
    if (opt === '4' || opt === 'j' || opt === 'p' || opt === 'o' || opt === 'd') continue;
    // Options that change only how ip prints (stats, time stamps, numbers), never what it
    // touches: the generator and users combine them. -r (-resolve) stays out: it asks DNS.
    if (PRINT_ONLY_IP_OPTIONS.has(opt)) continue;
    // -color[=always|auto|never] (matches_color()): colours only.
    if (matchesColor(`-${opt}`) !== undefined) continue;
    // -br … -brief (ip.c tests -batch first, so -b alone is -batch and stays out).
    if (opt.length >= 2 && matches(opt, 'brief')) continue;
    if (opt.length >= 1 && (matches(opt, 'json') || matches(opt, 'pretty') || matches(opt, 'oneline') || matches(opt, 'details'))) continue;
    if ((opt === 'f' || (opt.length >= 1 && matches(opt, 'family'))) && args[i + 1] === 'inet') {
      i++;
      continue;
    }
    return `ip option ${a} (only -4, -j, -p, -o, -d, -f inet and the print-only -s, -t, -ts, -0, -N, -br, -c, -human, -iec run in the kernel)`;
  }
  const obj = args[i];
  if (obj === undefined) return 'ip without an object';
  const name = IP_TABLE.find((o) => matches(obj, o));
  if (name === undefined || !(IP_OBJECTS as readonly string[]).includes(name)) return `ip ${obj} (only ${IP_OBJECTS.join(', ')} run in the kernel)`;
  for (const w of args.slice(i + 1)) {
    if (w.includes('netns') || w === 'exec' || (w.length >= 3 && 'netns'.startsWith(w))) return `the word "${w}" (another network namespace)`;
  }
  return null;
}

// A key of the model's: net.ipv4.ip_forward or net.ipv4.conf.DEV.KEY, in dotted or slashed form.
const SEGMENT = /^[A-Za-z0-9_:@-][A-Za-z0-9_.:@-]*$/;

// The namespace-wide net.ipv4 keys of the model (ipv4_net_table: one copy per namespace).
const NETNS_IPV4_KEYS: ReadonlySet<string> = new Set(['ip_forward', 'nexthop_compat_mode', 'fib_multipath_use_neigh', 'fib_multipath_hash_policy', 'fib_multipath_hash_fields']);

/**
 * Why the /proc/sys file at `parts` (below /proc/sys) must not be touched, or null: only
 * files that exist once per network namespace, and only those of the model. Many net.*
 * files are the host's whatever namespace reads them: ipv4_table (tcp_mem, udp_mem,
 * inet_peer_*, fib_sync_mem, tcp_max_orphans …) and ipv4_route_table (route/gc_thresh,
 * max_size …) are registered on init_net alone; neigh/default's gc_thresh1-3 and
 * gc_interval point at the global ARP table (neigh_sysctl_register()); net.core's
 * rmem_max, wmem_max … are global. What is let through:
 *   net/ipv4/{ip_forward, nexthop_compat_mode, fib_multipath_*} (ipv4_net_table),
 *   net/ipv4/route/flush (ipv4_route_netns_table),
 *   net/ipv4/conf/DEV/KEY (devinet_sysctl_register(): per device, all, default),
 *   net/ipv6/conf/all/disable_ipv6 (addrconf_sysctl_register(), per namespace).
 */
export function netnsFileRefusal(parts: readonly string[], shown: string): string | null {
  if (parts.some((p) => p === '' || p === '.' || p === '..' || !SEGMENT.test(p))) return `${shown} (not a plain key)`;
  const [a, b, c, d, e] = parts;
  const ok =
    a === 'net' &&
    ((b === 'ipv4' && parts.length === 3 && NETNS_IPV4_KEYS.has(c as string)) ||
      (b === 'ipv4' && parts.length === 4 && c === 'route' && d === 'flush') ||
      (b === 'ipv4' && parts.length === 5 && c === 'conf') ||
      (b === 'ipv6' && parts.length === 5 && c === 'conf' && d === 'all' && e === 'disable_ipv6'));
  return ok
    ? null
    : `${shown} (only net.ipv4.ip_forward, net.ipv4.conf.*, net.ipv4.route.flush, the nexthop/multipath keys and net.ipv6.conf.all.disable_ipv6, which belong to the network namespace, run in the kernel)`;
}

function sysctlRefusal(args: readonly string[]): string | null {
  let items = 0;
  for (const w of args) {
    if (w === '--write' || w === '--quiet' || w === '--values' || w === '--ignore' || w === '--names') continue;
    // procps' short options that only choose writing, quiet, values/names only or ignoring
    // unknown keys, alone or combined (-w, -qw, -wq, -e, -N …); -p, -a, --system read files.
    if (/^-[wqneN]+$/.test(w)) continue;
    if (w.startsWith('-')) return `sysctl option ${w} (only -w, -q, -n, -e and -N run in the kernel)`;
    items++;
    const eq = w.indexOf('=');
    const key = eq >= 0 ? w.slice(0, eq) : w;
    // procps-ng: a key whose first separator is '/' is a path under /proc/sys; otherwise
    // dots separate and a '/' stands for a dot inside a part (a device named eth0.100).
    const first = key.search(/[./]/);
    const path = first >= 0 && key[first] === '/' ? key : key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
    const refusal = netnsFileRefusal(path.split('/'), `sysctl key ${key}`);
    if (refusal !== null) return refusal;
  }
  return items === 0 ? 'sysctl without a key' : null;
}

// What a /proc/sys line may hold at all: no expansion, substitution, glob, list, subshell,
// here-document or comment character ($ ` ; & < ( ) { } * ? [ ] ~ ! #).
const PROC_LINE_CHARS = /^[A-Za-z0-9 \t_.\/:@%+,=\-'"\\|>]+$/;

/**
 * Why a /proc/sys shell line must not reach the kernel, or null. Checked apart from the
 * model's reading of it (parseProcSysLine() says which file and which form):
 * 1. only the characters above;
 * 2. one of the forms of core/iproute2/proc-sys-line.ts;
 * 3. every word holding a '/' is that one file under /proc/sys/ or /dev/null (tee's
 *    output), and `/proc/sys/` occurs once;
 * 4. the file passes netnsFileRefusal().
 */
export function procSysRefusal(command: string): string | null {
  if (!PROC_LINE_CHARS.test(command)) return 'a shell line with characters other than letters, digits, blanks, quotes and _./:@%+,=-|>';
  const p = parseProcSysLine(command);
  if (p === null || 'refused' in p) return `a shell line other than echo/printf/tee/cat of one /proc/sys file`;
  const full = `/proc/sys/${p.path}`;
  const slashWords = command
    .replace(/['"]/g, '')
    .split(/[ \t|>]+/)
    .filter((w) => w.includes('/'));
  if (command.split('/proc/sys/').length !== 2 || slashWords.some((w) => w !== full && w !== '/dev/null')) return 'a shell line naming another file';
  return netnsFileRefusal(p.path.split('/'), full);
}

/**
 * Splits a script into what the kernel may run and what is withheld: every line runs
 * through the model first, in order (a line's meaning depends on the state before it).
 * Withholding a line changes the state later lines see, so this repeats until no more
 * lines are withheld: the kept script is then one the model runs without a problem.
 */
export function kernelScript(text: string): KernelScript {
  const withheld: WithheldLine[] = [];
  const commands = scriptCommands(text);
  let kept = commands;
  for (;;) {
    const next: typeof kept = [];
    let snapshot = initialSnapshot();
    for (const c of kept) {
      const refusal = kernelRefusal(c.command);
      let problem: string | undefined;
      const r = runScriptLine(snapshot, c.command);
      if ('refused' in r) {
        if (r.gap) problem = `not modelled: ${r.refused}`;
      } else if (r.output.notModelled !== undefined) problem = `not modelled: ${r.output.notModelled}`;
      else if (refusal === null) snapshot = r.snapshot;
      if (problem !== undefined || refusal !== null) withheld.push({ ...c, why: problem ?? (refusal as string), gap: problem !== undefined });
      else next.push(c);
    }
    if (next.length === kept.length) break;
    kept = next;
  }
  withheld.sort((a, b) => a.line - b.line);
  return { script: kept.map((c) => `${c.command}\n`).join(''), commands: commands.length, withheld };
}
