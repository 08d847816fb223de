// `sysctl` as procps-ng parses its command line (sysctl.c: getopt_long over "bneNqowx…",
// short options combined as in -qw/-wq/-nw, keys and KEY=VALUE in any order) for the
// net.ipv4 keys the model has. Each item is read or written in turn; a missing key is an
// error on stderr that does not stop the later items, unless -e ignores it; the exit
// status is the number of reads that failed, and 1 when any write failed (as procps-ng
// answers on this machine).

import { CommandContext, notModelled } from './command-context.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { isDevconfKey, DEVCONF_READONLY, type DevconfKey } from '../uapi/ip-devconf.js';
import { devConfGet } from '../snapshot/devconf.js';
import type { NetSysctlEvent, SysctlTarget } from '../events/sysctl.js';
import { FLUSHING_KEYS } from '../devinet/sysctl.js';
import { procDointvecWrite, procDouintvecWrite } from './proc-get-long.js';

export interface SysctlOptions {
  /** -w: every item is KEY=VALUE. */
  readonly write: boolean;
  /** -q: no "KEY = VALUE" echo after a write. */
  readonly quiet: boolean;
  /** -n: values only. */
  readonly valuesOnly: boolean;
  /** -N: names only. */
  readonly namesOnly: boolean;
  /** -e: unknown keys are ignored silently. */
  readonly ignoreUnknown: boolean;
  readonly items: readonly string[];
}

const LONG: Readonly<Record<string, string>> = {
  '--write': 'w',
  '--quiet': 'q',
  '--values': 'n',
  '--names': 'N',
  '--ignore': 'e',
};

/** getopt_long() of procps-ng sysctl for the options that change nothing outside the model. */
export function parseSysctlArgs(argv: readonly string[]): SysctlOptions {
  let write = false;
  let quiet = false;
  let valuesOnly = false;
  let namesOnly = false;
  let ignoreUnknown = false;
  const items: string[] = [];
  for (const w of argv) {
    if (w.startsWith('--')) {
      const f = LONG[w];
      if (f === undefined) notModelled(`sysctl ${w}`);
      if (f === 'w') write = true;
      else if (f === 'q') quiet = true;
      else if (f === 'n') valuesOnly = true;
      else if (f === 'N') namesOnly = true;
      else ignoreUnknown = true;
    } else if (w.startsWith('-') && w.length > 1) {
      for (const c of w.slice(1)) {
        if (c === 'w') write = true;
        else if (c === 'q') quiet = true;
        else if (c === 'n') valuesOnly = true;
        else if (c === 'N') namesOnly = true;
        else if (c === 'e') ignoreUnknown = true;
        // -a/-A/-X list the whole machine, -p/--system read files, -b/-o/-x are for
        // compatibility: none of them is about the modelled keys alone.
        else notModelled(`sysctl -${c}`);
      }
    } else items.push(w);
  }
  return { write, quiet, valuesOnly, namesOnly, ignoreUnknown, items };
}

/** A file under /proc/sys the model has. */
export type SysctlFile = { kind: 'ip_forward' } | { kind: 'route_flush' } | { kind: 'conf'; target: SysctlTarget; key: DevconfKey } | { kind: 'net'; key: NetSysctlEvent['key'] };

const NET_KEYS: ReadonlySet<string> = new Set(['nexthop_compat_mode', 'fib_multipath_use_neigh', 'fib_multipath_hash_policy', 'fib_multipath_hash_fields']);

/**
 * One write(2) of `bytes` to a modelled file, through its proc handler: true when it was
 * taken, false for EINVAL (what the write returned). Shared by `sysctl -w` and the shell's
 * `echo V > /proc/sys/…` (core/iproute2/proc-sys.ts). The caller refuses read-only files.
 * 1. route/flush: ipv4_sysctl_rtcache_flush() takes any bytes (it flushes the route cache,
 *    which holds nothing the model shows);
 * 2. the nexthop/multipath keys: do_proc_douintvec_w() (no sign), the handler's range;
 * 3. ip_forward and conf keys: proc_dointvec(); on EINVAL devinet_conf_proc() still marks
 *    the key set on that block (set_bit() does not look at the handler's answer), so a
 *    later write to conf/default no longer reaches the device; devinet_sysctl_forward()
 *    and ipv4_doint_and_flush() mark nothing.
 */
export function writeSysctlFile(ctx: CommandContext, target: SysctlFile, label: string, bytes: string): boolean {
  if (target.kind === 'route_flush') return true;
  if (target.kind === 'net') {
    if (target.key === 'disable_ipv6') {
      const v = procDointvecWrite(bytes);
      if (v !== 0 && v !== 1) return notModelled(`${label}: a disable_ipv6 value other than 0 and 1`);
      return ctx.apply({ type: 'net-sysctl', key: target.key, value: v }).error === null;
    }
    const value = procDouintvecWrite(bytes);
    return value !== null && ctx.apply({ type: 'net-sysctl', key: target.key, value }).error === null;
  }
  const value = procDointvecWrite(bytes);
  if (target.kind === 'ip_forward') {
    if (value !== null) ctx.apply({ type: 'ip-forward', value });
    return value !== null;
  }
  if (value !== null) {
    ctx.apply({ type: 'sysctl', target: target.target, key: target.key, value });
    return true;
  }
  if (target.key !== 'forwarding' && !FLUSHING_KEYS.has(target.key)) markSet(ctx, target.target, target.key, label);
  return false;
}

/** devinet_conf_proc()'s set_bit() (and, for default, devinet_copy_dflt_conf()) with the value unchanged. */
function markSet(ctx: CommandContext, t: SysctlTarget, key: DevconfKey, label: string): void {
  const s = ctx.snapshot;
  const conf = t.kind === 'all' ? s.confAll : t.kind === 'default' ? s.confDefault : s.devices.get(t.ifindex)?.conf;
  if (conf === undefined) return;
  const value = devConfGet(conf, key);
  if (value === null) return notModelled(`an invalid write to ${label}, whose value is not known (it marks the key set)`);
  ctx.apply({ type: 'sysctl', target: t, key, value });
}

/** procps-ng sysctl over the modelled keys. */
export function sysctlCmd(ctx: CommandContext, argv: readonly string[]): void {
  const o = parseSysctlArgs(argv);
  if (o.items.length === 0) {
    ctx.warn("sysctl: no variables specified\nTry `sysctl --help' for more information.\n");
    ctx.out.exit = 1;
    return;
  }
  for (const item of o.items) {
    const eq = item.indexOf('=');
    const isWrite = o.write || eq >= 0;
    // procps-ng: the key is printed in its dotted form, /proc/sys is read at its path.
    const key = displayName(eq >= 0 ? item.slice(0, eq) : item);
    const path = swapSlashDot(key);
    if (isWrite && eq < 0) {
      // WriteSetting(): "KEY" without "=" under -w.
      ctx.warn('sysctl: command line(0): invalid syntax, continuing...\n');
      ctx.out.exit = Math.max(ctx.out.exit, 1);
      continue;
    }
    const target = resolveSysctlFile(ctx, path, `sysctl ${key}`);
    if (target === null) {
      if (o.ignoreUnknown) continue;
      ctx.warn(`sysctl: cannot stat /proc/sys/${path}: No such file or directory\n`);
      // Reads add up their failures; writes only say that one failed (seen on procps-ng here).
      ctx.out.exit = isWrite ? Math.max(ctx.out.exit, 1) : ctx.out.exit + 1;
      continue;
    }
    if (target.kind === 'route_flush') {
      // ipv4_sysctl_rtcache_flush(): a write of anything flushes the route cache
      // (rt_cache_flush(), fnhe_genid_bump(): cached routes and exceptions, which the model
      // does not hold: nothing of the FIB changes); procps echoes the text as given. The file
      // is write-only (0200): ReadSetting() skips it, printing nothing, with exit 0.
      if (isWrite && !o.quiet) ctx.print(line(o, key, item.slice(eq + 1), true));
      continue;
    }
    if (isWrite) {
      const raw = item.slice(eq + 1);
      if (target.kind === 'conf' && DEVCONF_READONLY.has(target.key)) {
        // WriteSetting() of procps-ng 4.0.2 finds no write bit on the file (mc_forwarding is
        // 0444, DEVINET_SYSCTL_RO_ENTRY) and warns with EINVAL, writing nothing; the exit
        // status stays as it was (seen here, with -q, -e and -n alike).
        ctx.warn(`sysctl: setting key "${key}": Invalid argument\n`);
        continue;
      }
      if (!writeSysctlFile(ctx, target, `sysctl ${key}`, raw)) {
        ctx.warn(`sysctl: setting key "${key}": Invalid argument\n`);
        ctx.out.exit = Math.max(ctx.out.exit, 1);
        continue;
      }
      // procps-ng echoes the value as it was given (`0x2`, `010`), not as the kernel read it.
      if (!o.quiet) ctx.print(line(o, key, raw, true));
    } else {
      const v = readSysctlFile(ctx, target);
      if (v === null) notModelled(`sysctl read of ${key}: its value is not in the imported state`);
      ctx.print(line(o, key, String(v)));
    }
  }
}

/**
 * How procps-ng prints one setting under -n / -N: ReadSetting() prints the name alone under
 * -N; WriteSetting() echoes the value alone under -N as under -n (seen on procps-ng here).
 */
function line(o: SysctlOptions, key: string, value: string, write = false): string {
  if (o.namesOnly) return write ? `${value}\n` : `${key}\n`;
  if (o.valuesOnly) return `${value}\n`;
  return `${key} = ${value}\n`;
}

/** '.' and '/' exchanged: procps-ng's slashdot() between a key and its /proc/sys path. */
function swapSlashDot(s: string): string {
  return s.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/**
 * procps-ng: a name whose first separator is '/' is a path (`net/ipv4/conf/eth0.100/rp_filter`)
 * and is shown as a key, '/' and '.' exchanged (`net.ipv4.conf.eth0/100.rp_filter`); a key
 * is shown as given. A device name with a dot is written with '/' in a key.
 */
function displayName(name: string): string {
  const i = name.search(/[./]/);
  return i >= 0 && name[i] === '/' ? swapSlashDot(name) : name;
}

/** The modelled file at a /proc/sys path (separated by '/'; a device name may hold dots). */
export function resolveSysctlFile(ctx: CommandContext, path: string, label: string): SysctlFile | null {
  if (path === 'net/ipv4/ip_forward') return { kind: 'ip_forward' };
  if (path === 'net/ipv4/route/flush') return { kind: 'route_flush' };
  if (path === 'net/ipv6/conf/all/disable_ipv6') return { kind: 'net', key: 'disable_ipv6' };
  const net = /^net\/ipv4\/([a-z_]+)$/.exec(path);
  if (net !== null && NET_KEYS.has(net[1] as string)) return { kind: 'net', key: net[1] as NetSysctlEvent['key'] };
  const m = /^net\/ipv4\/conf\/([^/]+)\/([a-z_0-9]+)$/.exec(path);
  if (m === null) {
    // Below a device's directory there are only files: a deeper path does not exist (a
    // device with a dot written with dots, `net.ipv4.conf.eth0.100.rp_filter`).
    if (/^net\/ipv4\/conf\/[^/]+\/[^/]+\/./.test(path)) return null;
    if (path.startsWith('net/')) notModelled(label);
    return null;
  }
  const devName = m[1] as string;
  const k = m[2] as string;
  // Keys the kernel has that the model does not (igmpv2/igmpv3_unsolicited_report_interval).
  if (!isDevconfKey(k)) {
    if (UNMODELLED_KEYS.has(k)) notModelled(`${label} (net.ipv4.conf.*.${k} is not in the model)`);
    return null;
  }
  if (devName === 'all') return { kind: 'conf', target: { kind: 'all' }, key: k };
  if (devName === 'default') return { kind: 'conf', target: { kind: 'default' }, key: k };
  const d = deviceByName(ctx.snapshot, devName);
  if (d === undefined) return null;
  return { kind: 'conf', target: { kind: 'dev', ifindex: d.ifindex }, key: k };
}

/** IPV4_DEVCONF_IGMPV2/IGMPV3_UNSOLICITED_REPORT_INTERVAL: files under net.ipv4.conf.* the model has no key for. */
const UNMODELLED_KEYS: ReadonlySet<string> = new Set(['igmpv2_unsolicited_report_interval', 'igmpv3_unsolicited_report_interval']);

/** The value a read prints; null when the model does not know it (an imported state). */
export function readSysctlFile(ctx: CommandContext, r: Exclude<SysctlFile, { kind: 'route_flush' }>): number | null {
  const s = ctx.snapshot;
  if (r.kind === 'ip_forward') return devConfGet(s.confAll, 'forwarding');
  if (r.kind === 'net') return s.ipv4Sysctl[r.key];
  const t = r.target;
  if (t.kind === 'all') return devConfGet(s.confAll, r.key);
  if (t.kind === 'default') return devConfGet(s.confDefault, r.key);
  const d = s.devices.get(t.ifindex);
  return d === undefined ? 0 : devConfGet(d.conf, r.key);
}
