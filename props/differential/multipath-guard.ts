// The scenario rule "never ask `ip route get` about a multipath route with more than one
// usable leg unless `oif` pins the leg" (../shared/scenarios/README.md), enforced by
// rewriting, not by narrowing the generator: the kernel picks the leg with a flow hash
// seeded randomly at boot (fib_select_multipath; ip_mkroute_input on the input path), so
// such a question gets `fibmatch` appended, which prints the matched FIB entry whatever
// the leg. Which questions those are is decided on the model's state before the line,
// conservatively: a route with two or more legs that are not RTNH_F_DEAD (a linkdown leg
// may still hold a hash range: fib_rebalance only runs on link events), or a nexthop
// group with two or more members.

import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { routeGet, type RouteGetRequest } from '../../core/route/route-output.js';
import { aliasNexthops } from '../../core/trie/fib-table-lookup.js';
import { deviceByName } from '../../core/snapshot/snapshot.js';
import { parseIp4 } from '../../core/net/ip4.js';
import { dsfieldNumber, parseUnsigned } from '../../core/uapi/rt-names.js';
import { ipprotoNumber } from '../../core/iproute2/ip-proto.js';
import { IpCommand } from '../arbitraries/ip-command.js';

/** The request of an `ip route get` line, as iproute_get() builds it; null if it does not parse. */
export function routeGetRequest(s: FibSnapshot, words: readonly string[]): RouteGetRequest | null {
  let i = words.indexOf('get');
  if (i < 0) return null;
  let dst: number | undefined;
  let src = 0;
  let iif = 0;
  let oif = 0;
  let mark = 0;
  let tos = 0;
  let uid: number | undefined;
  let ipproto = 17;
  let sport = 0;
  let dport = 0;
  const dev = (name: string | undefined): number => (name === undefined ? -1 : (deviceByName(s, name)?.ifindex ?? -1));
  for (i++; i < words.length; i++) {
    const w = words[i] as string;
    const v = words[i + 1];
    switch (w) {
      case 'from':
        src = parseIp4((v ?? '').split('/')[0] ?? '') ?? 0;
        i++;
        break;
      case 'iif':
        iif = dev(v);
        i++;
        break;
      case 'oif':
      case 'dev':
        oif = dev(v);
        i++;
        break;
      case 'mark':
        mark = parseUnsigned(v ?? '') ?? 0;
        i++;
        break;
      case 'tos':
        tos = dsfieldNumber(v ?? '') ?? 0;
        i++;
        break;
      case 'uid':
        uid = parseUnsigned(v ?? '');
        i++;
        break;
      case 'ipproto':
        ipproto = ipprotoNumber(v ?? '') ?? 17;
        i++;
        break;
      case 'sport':
        sport = parseUnsigned(v ?? '') ?? 0;
        i++;
        break;
      case 'dport':
        dport = parseUnsigned(v ?? '') ?? 0;
        i++;
        break;
      case 'fibmatch':
        return null;
      default:
        dst = parseIp4(w.split('/')[0] ?? '');
    }
  }
  if (dst === undefined || iif < 0 || oif < 0) return null;
  return { dst, src, iif, oif, mark, tos, ...(uid === undefined ? {} : { uid }), ipproto, sport, dport, fibmatch: true };
}

/** Would the kernel's answer to this request depend on its random multipath hash? */
export function multipathAmbiguous(s: FibSnapshot, req: RouteGetRequest): boolean {
  if (req.oif !== 0 && req.iif === 0) return false;
  const out = routeGet(s, req);
  if (!out.ok || out.answer.kind !== 'fibmatch') return false;
  const alias = out.answer.res.alias;
  const nhs = aliasNexthops(s, alias);
  if (nhs === 'blackhole') return false;
  return nhs.filter((nh) => !nh.dead).length >= 2;
}

/**
 * Rewrites every `ip route get` whose answer would hang on the multipath hash into
 * `ip route get … fibmatch`, judging on the model's state before that line.
 */
export function multipathGuard(cmds: readonly IpCommand[]): IpCommand[] {
  let s = initialSnapshot();
  const out: IpCommand[] = [];
  for (const c of cmds) {
    let next = c;
    if (c.kind === 'ip route get') {
      const req = routeGetRequest(s, c.words);
      if (req !== null && multipathAmbiguous(s, req)) next = new IpCommand(c.kind, [...c.words, 'fibmatch'], [...c.options, 'pinned:fibmatch']);
    }
    out.push(next);
    s = runCommand(s, next.toString().split(' ')).snapshot;
  }
  return out;
}

/** The guard over plain command lines (for scripts read back from a file or cut down by hand). */
export function multipathGuardLines(lines: readonly string[]): string[] {
  const cmds = lines.map((l) => {
    const words = l.split(' ');
    return new IpCommand(words[1] === 'route' && words[2] === 'get' ? 'ip route get' : (words[0] ?? ''), words);
  });
  return multipathGuard(cmds).map((c) => c.toString());
}
