// `kfib snapshot`: this host's current state in the shape of a capture's before.json (the
// `ip -j` dumps of link, addr, route table all, rule, -4 netconf, nexthop), with the host's
// iproute2 name files under "names" and the device kinds (`ip -d -j link show`'s
// linkinfo) under "link_kinds", so that `kfib run --initial FILE SCRIPT` can answer "what
// would this script do here" from this box's own FIB. Read-only: only dumps, which need no
// root; nothing is configured.

import { parseArgs } from 'node:util';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { snapshotJson } from './capture-cmd.js';
import { IPROUTE2_CONFDIR, namesJson } from './names-dir.js';

const HELP = `Usage: kfib snapshot [-o FILE|-] [--get QUERY]...

Writes this host's current network state as one JSON object with the keys of a
capture's before.json ("link", "addr", "route", "rule", "netconf", "nexthop": the
ip -j dumps), plus "names" (the iproute2 name files of /etc/iproute2: rt_tables,
rt_tables.d/*.conf, rt_protos, rt_protos.d/*.conf, rt_dsfield, rt_scopes,
rt_realms) and "link_kinds" (each device's kind from ip -d -j link show).
Read-only: it runs only ip -j ... show, which needs no root.

Then "kfib run --initial FILE SCRIPT" runs a script from that state.

Options:
  -o, --out FILE  where to write (default: - = stdout)
  --get QUERY     also record ip route get QUERY (repeatable)
  -h, --help      this text

Exit status: 0; 2 on bad arguments, when ip is missing, or when FILE cannot be written.
`;

/** The kind of each device (IFLA_INFO_KIND), from `ip -d -j link show`; physical NICs have none. */
function linkKinds(): Record<string, string> {
  const r = spawnSync('ip', ['-d', '-j', 'link', 'show'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const out: Record<string, string> = {};
  if (r.status !== 0) return out;
  let list: unknown;
  try {
    list = JSON.parse(r.stdout);
  } catch {
    return out;
  }
  if (!Array.isArray(list)) return out;
  for (const l of list as Record<string, unknown>[]) {
    const name = l['ifname'];
    const info = l['linkinfo'] as Record<string, unknown> | undefined;
    const kind = info?.['info_kind'];
    if (typeof name === 'string' && typeof kind === 'string') out[name] = kind;
  }
  return out;
}

/** `kfib snapshot ARGV…`; the exit status. */
export function snapshotMain(argv: readonly string[]): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        out: { type: 'string', short: 'o', default: '-' },
        get: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (e) {
    process.stderr.write(`kfib snapshot: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    return 2;
  }
  const { values } = parsed;
  if (values.help === true) {
    process.stdout.write(HELP);
    return 0;
  }
  if (spawnSync('ip', ['-V']).status !== 0) {
    process.stderr.write('kfib snapshot: ip (iproute2) is not installed\n');
    return 2;
  }
  const extra: Record<string, string> = {
    names: JSON.stringify(namesJson(IPROUTE2_CONFDIR)),
    link_kinds: JSON.stringify(linkKinds()),
  };
  const text = snapshotJson(values.get ?? [], extra);
  if (values.out === '-') {
    process.stdout.write(text);
    return 0;
  }
  try {
    writeFileSync(values.out, text);
  } catch (e) {
    process.stderr.write(`kfib snapshot: cannot write ${values.out}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return 0;
}
