// `sysctl` (procps-ng) for the net.ipv4 keys the model has: -w KEY=VALUE, KEY, -n, -q.

import { CommandContext, CommandExit, notModelled } from './command-context.js';
import { deviceByName } from '../snapshot/snapshot.js';
import { isDevconfKey, DEVCONF_READONLY, type DevconfKey } from '../uapi/ip-devconf.js';
import type { SysctlTarget } from '../events/sysctl.js';

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

type Resolved = { kind: 'ip_forward' } | { kind: 'conf'; target: SysctlTarget; key: DevconfKey };

function resolve(ctx: CommandContext, key: string): Resolved | null {
  if (key === 'net.ipv4.ip_forward') return { kind: 'ip_forward' };
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
  const t = r.target;
  if (t.kind === 'all') return s.confAll.values[r.key];
  if (t.kind === 'default') return s.confDefault.values[r.key];
  const d = s.devices.get(t.ifindex);
  if (d === undefined) throw new CommandExit('', 255);
  return d.conf.values[r.key];
}
