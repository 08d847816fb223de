// `sysctl` (procps-ng) for the net.ipv4 keys the model has: -w KEY=VALUE, KEY, -n, -q.

import { CommandContext, CommandExit, notModelled } from './command-context.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { isDevconfKey, DEVCONF_READONLY, type DevconfKey } from '../uapi/ip-devconf.js';
import type { NetSysctlEvent, SysctlTarget } from '../events/sysctl.js';

export function sysctlCmd(ctx: CommandContext, argv: readonly string[]): void {
  let write = false;
  let quiet = false;
  let valueOnly = false;
  const items: string[] = [];
  for (const w of argv) {
    if (w === '-w' || w === '--write') write = true;
    else if (w === '-q' || w === '--quiet') quiet = true;
    else if (w === '-n' || w === '--values') valueOnly = true;
    else if (w.startsWith('-')) notModelled(`sysctl ${w}`);
    else items.push(w);
  }
  if (items.length === 0) notModelled('sysctl without a key');
  for (const item of items) {
    const eq = item.indexOf('=');
    const isWrite = write || eq >= 0;
    const key = (eq >= 0 ? item.slice(0, eq) : item).replace(/\//g, '.');
    const target = resolve(ctx, key);
    if (target === null) {
      ctx.warn(`sysctl: cannot stat /proc/sys/${key.replace(/\./g, '/')}: No such file or directory\n`);
      ctx.out.exit = 1;
      continue;
    }
    if (isWrite) {
      if (eq < 0) {
        ctx.warn('sysctl: command line(0): invalid syntax, continuing...\n');
        ctx.out.exit = 1;
        continue;
      }
      const raw = item.slice(eq + 1);
      if (target.kind === 'net') {
        netSysctlWrite(ctx, key, target.key, raw, quiet, valueOnly);
        continue;
      }
      if (!/^-?[0-9]+$/.test(raw.trim())) notModelled(`sysctl value ${raw}`);
      const value = Number(raw.trim());
      if (target.kind === 'ip_forward') ctx.apply({ type: 'ip-forward', value });
      else {
        if (DEVCONF_READONLY.has(target.key)) notModelled(`sysctl write of read-only ${key}`);
        ctx.apply({ type: 'sysctl', target: target.target, key: target.key, value });
      }
      if (!quiet) ctx.print(valueOnly ? `${value}\n` : `${key} = ${value}\n`);
    } else {
      const v = read(ctx, target);
      ctx.print(valueOnly ? `${v}\n` : `${key} = ${v}\n`);
    }
  }
}

type Resolved = { kind: 'ip_forward' } | { kind: 'conf'; target: SysctlTarget; key: DevconfKey } | { kind: 'net'; key: NetSysctlEvent['key'] };

const NET_KEYS: ReadonlySet<string> = new Set(['nexthop_compat_mode', 'fib_multipath_use_neigh', 'fib_multipath_hash_policy', 'fib_multipath_hash_fields']);

/**
 * A write to a namespace-wide key: the proc handler parses the number (base 0, as
 * proc_get_long() does) and checks its range; a refusal is procps's "setting key" error.
 */
function netSysctlWrite(ctx: CommandContext, name: string, key: NetSysctlEvent['key'], raw: string, quiet: boolean, valueOnly: boolean): void {
  const t = raw.trim();
  const m = /^(?:0[xX]([0-9a-fA-F]+)|(0[0-7]*)|([1-9][0-9]*))$/.exec(t);
  const value = m === null ? NaN : m[1] !== undefined ? parseInt(m[1], 16) : m[2] !== undefined ? parseInt(m[2], 8) : Number(m[3]);
  const step = Number.isNaN(value) ? null : ctx.apply({ type: 'net-sysctl', key, value });
  if (step === null || step.error !== null) {
    ctx.warn(`sysctl: setting key "${name}": Invalid argument\n`);
    ctx.out.exit = 1;
    return;
  }
  if (!quiet) ctx.print(valueOnly ? `${raw}\n` : `${name} = ${raw}\n`);
}

function resolve(ctx: CommandContext, key: string): Resolved | null {
  if (key === 'net.ipv4.ip_forward') return { kind: 'ip_forward' };
  const net = /^net\.ipv4\.([a-z_]+)$/.exec(key);
  if (net !== null && NET_KEYS.has(net[1] as string)) return { kind: 'net', key: net[1] as NetSysctlEvent['key'] };
  const m = /^net\.ipv4\.conf\.([^.]+)\.([a-z_0-9]+)$/.exec(key);
  if (m === null) {
    if (key.startsWith('net.')) notModelled(`sysctl ${key}`);
    return null;
  }
  const devName = m[1] as string;
  const k = m[2] as string;
  if (!isDevconfKey(k)) return null;
  if (devName === 'all') return { kind: 'conf', target: { kind: 'all' }, key: k };
  if (devName === 'default') return { kind: 'conf', target: { kind: 'default' }, key: k };
  const d = deviceByName(ctx.snapshot, devName);
  if (d === undefined) return null;
  return { kind: 'conf', target: { kind: 'dev', ifindex: d.ifindex }, key: k };
}

function read(ctx: CommandContext, r: Resolved): number {
  const s = ctx.snapshot;
  if (r.kind === 'ip_forward') return s.confAll.values.forwarding;
  if (r.kind === 'net') return s.ipv4Sysctl[r.key];
  const t = r.target;
  if (t.kind === 'all') return s.confAll.values[r.key];
  if (t.kind === 'default') return s.confDefault.values[r.key];
  const d = s.devices.get(t.ifindex);
  if (d === undefined) throw new CommandExit('', 255);
  return d.conf.values[r.key];
}
