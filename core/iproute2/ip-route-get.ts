// `ip route get` (iproute2 6.1 ip/iproute.c: iproute_get()): the request the kernel's
// inet_rtm_getroute() answers with ip_route_output_key_hash_rcu()/ip_route_input_rcu(),
// and its printing. Split from ip-route.ts.

import { Args, CommandContext, CommandExit, devIndex, failKernel, invarg, matches, notModelled } from './command-context.js';
import { STRERROR } from '../uapi/errno.js';
import { dsfieldNumber, parseUnsigned } from '../uapi/rt-names.js';
import { type Ip4 } from '../net/ip4.js';
import { formatRouteLine, oneline, routeJson } from '../print/route-line.js';
import type { FibRoute } from '../snapshot/fib-info.js';
import { routeGet, routeGetHashDependence, type RouteGetRequest } from '../route/route-output.js';
import { formatRouteGet, routeGetJson } from '../print/route-get.js';
import { jsonCompact, jsonPretty, type JsonValue } from '../print/json-out.js';
import type { GlobalOptions } from './global-options.js';
import { ipprotoNumber } from './ip-proto.js';
import { getPrefixAf, type AfPrefix } from './addr-family.js';
import { startFamily, vrfArg } from './_ip-route-args.js';
import { nhInfoJsonCheck } from './ip-route-list.js';

/** iproute_get(). */
export function routeGetCmd(ctx: CommandContext, opts: GlobalOptions, a: Args): void {
  const st = startFamily(opts);
  let v6 = false;
  const inetPrefix = (p: AfPrefix): { addr: Ip4; len: number } => {
    if (p.family === 'inet6') v6 = true;
    return { addr: p.family === 'inet' ? p.addr : 0, len: p.len };
  };
  let tos = 0;
  let src = 0;
  let idev: string | null = null;
  let odev: string | null = null;
  let mark = 0;
  let uid: number | undefined;
  let fibmatch = false;
  let connected = false;
  let fromOk = false;
  let srcLen = 0;
  let srcAttr = false;
  let sport = 0;
  let dport = 0;
  let ipproto: number | undefined;
  let dst: Ip4 | null = null;
  while (!a.done) {
    const w = a.cur;
    if (w === 'tos' || matches(w, 'dsfield')) {
      const v = a.next();
      const t = dsfieldNumber(v, ctx.names);
      if (t === undefined) invarg('TOS value is invalid\n', v);
      tos = t;
    } else if (matches(w, 'from')) {
      const v = a.next();
      if (matches(v, 'help')) notModelled('ip route help');
      fromOk = true;
      // get_prefix(): `any`/`all` carry no address (bytelen 0), `default` one only once a
      // family is settled (af_byte_len()); the length is the given one, else 32 (0 for those).
      const carried = v === 'any' || v === 'all' ? false : v === 'default' ? st.family !== 'unspec' : true;
      const p = inetPrefix(getPrefixAf(v, st));
      srcLen = p.len;
      if (carried) {
        srcAttr = true;
        src = p.addr;
      }
    } else if (matches(w, 'iif')) idev = a.next();
    else if (matches(w, 'mark')) {
      const v = a.next();
      const m = parseUnsigned(v);
      if (m === undefined) invarg('invalid mark value', v);
      mark = m;
    } else if (matches(w, 'oif') || w === 'dev') odev = a.next();
    else if (matches(w, 'uid')) {
      const v = a.next();
      const u = parseUnsigned(v);
      if (u === undefined) invarg('invalid UID\n', v);
      // make_kuid(current_user_ns(), u): 4294967295 is INVALID_UID everywhere (no RTA_UID in
      // the answer); 2147483647..4294967294 are uids or not by the caller's user namespace.
      if (u > 2147483646 && u !== 0xffffffff) notModelled('ip route get uid above 2147483646 (a uid or not by the user namespace of the caller)');
      uid = u;
    } else if (matches(w, 'fibmatch')) fibmatch = true;
    else if (matches(w, 'sport')) {
      const v = a.next();
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) invarg('invalid sport\n', v);
      sport = n;
    } else if (matches(w, 'dport')) {
      const v = a.next();
      const n = parseUnsigned(v, 0xffff);
      if (n === undefined) invarg('invalid dport\n', v);
      dport = n;
    } else if (matches(w, 'ipproto')) {
      const v = a.next();
      const n = ipprotoNumber(v);
      if (n === undefined) invarg('Invalid "ipproto" value\n', v);
      ipproto = n;
    } else if (matches(w, 'notify')) notModelled(`ip route get ${w}`);
    else if (matches(w, 'connected')) connected = true;
    else if (matches(w, 'vrf')) vrfArg(ctx, 'ip route get', a.next());
    else if (w === 'as') notModelled(`ip route get ${w}`);
    else {
      let word = w;
      if (word === 'to') word = a.next();
      // iproute_get(): `help` (or a prefix of it) where the destination goes prints the usage.
      if (matches(word, 'help')) notModelled('ip route help');
      const p = inetPrefix(getPrefixAf(word, st));
      if (p.len !== 32 && st.family === 'inet') ctx.warn(`Warning: /${p.len} as prefix is invalid, only /32 (or none) is supported.\n`);
      dst = p.addr;
    }
    a.advance();
  }
  if (dst === null) throw new CommandExit('need at least a destination address\n', 1);
  if (st.family === 'inet6' || v6) notModelled('IPv6 routes');
  const iif = idev === null ? 0 : devIndex(ctx, idev);
  const oif = odev === null ? 0 : devIndex(ctx, odev);
  const req: RouteGetRequest = {
    dst,
    src,
    iif,
    oif,
    mark,
    tos,
    ...(uid === undefined ? {} : { uid }),
    // inet_rtm_getroute(): without RTA_IP_PROTO the flow is UDP.
    ipproto: ipproto ?? 17,
    sport,
    dport,
    fibmatch,
  };
  // (An input question's RTA_UID only goes into the answer: route-input.ts looks up as the
  // namespace's root, as ip_route_input_slow() does.)
  // inet_rtm_valid_getroute_req() (iproute2 asks with strict checking): rtm_src_len must be
  // 0 or 32 (`from 10.0.0.1/24` is refused), and an RTA_SRC needs a non-zero one (`from
  // 0.0.0.0/0`, or `from default` after the destination). rtm_dst_len is always 32 or 0 here:
  // iproute_get() forces 32 on an IPv4 destination with another length (the warning above).
  if (srcLen !== 0 && srcLen !== 32) failKernel({ errno: 'EINVAL', extack: 'ipv4: Invalid values in header for route get request' });
  if (srcAttr && srcLen === 0) failKernel({ errno: 'EINVAL', extack: 'ipv4: rtm_src_len and rtm_dst_len must be 32 for IPv4' });
  // rtm_getroute_parse_ip_proto(): an IPv4 flow is TCP, UDP or ICMP.
  if (ipproto !== undefined && ipproto !== 6 && ipproto !== 17 && ipproto !== 1) failKernel({ errno: 'EOPNOTSUPP', extack: 'Unsupported ip proto' });
  const out = routeGet(ctx.snapshot, req);
  if (!out.ok && out.gap !== undefined) notModelled(out.gap);
  if (!out.ok) throw new CommandExit(`RTNETLINK answers: ${STRERROR[out.errno]}\n`, 2);
  // fib_select_multipath(): a leg the per-boot hash seed picks is named, never guessed.
  const hash = routeGetHashDependence(ctx.snapshot, req);
  if (hash !== null) notModelled(`multipath leg chosen by the flow hash (per-boot seed): ${hash}`);
  let obj: JsonValue;
  let text: string;
  if (out.answer.kind === 'fibmatch') {
    if (out.answer.gap !== undefined) notModelled(out.answer.gap);
    const r: FibRoute = { table: out.answer.res.table, dst: out.answer.res.dst, plen: out.answer.res.plen, alias: out.answer.res.alias };
    // fibmatch answers with fib_dump_info(): a route as `ip route show` prints it.
    const hide = opts.details ? { details: true } : {};
    if (opts.details && opts.json) nhInfoJsonCheck(ctx, [r]);
    obj = routeJson(ctx.snapshot, r, hide, undefined, ctx.names);
    text = oneline(formatRouteLine(ctx.snapshot, r, hide, undefined, ctx.names), opts.oneline);
  } else {
    if (out.answer.gap !== undefined) notModelled(out.answer.gap);
    obj = routeGetJson(ctx.snapshot, out.answer, ctx.names, opts.details);
    text = oneline(formatRouteGet(ctx.snapshot, out.answer, ctx.names, opts.details), opts.oneline);
  }
  const json = opts.pretty ? jsonPretty([obj]) : jsonCompact([obj]);
  if (!connected || fromOk) {
    ctx.print(opts.json ? `${json}\n` : text);
    return;
  }
  connectedGet(ctx, opts, obj, json, text);
}

/**
 * iproute_get() with `connected` and no `from`: it prints the answer, then, when the answer
 * has a source (RTA_PREFSRC, or RTA_SRC), asks again and prints that answer too. It edits
 * the attributes of the answer it is about to free, not the request, so the second request
 * is the first one again and the same answer comes back; by then the JSON array is closed,
 * so the second answer is printed as text. Without a source: "Failed to connect the route",
 * exit 1, and an open JSON array left unclosed.
 */
function connectedGet(ctx: CommandContext, opts: GlobalOptions, obj: JsonValue, json: string, text: string): void {
  const hasSource = typeof obj === 'object' && obj !== null && !Array.isArray(obj) && ('prefsrc' in obj || 'src' in obj);
  if (!hasSource) {
    // The array's closing " ]" (pretty) or "]" is delete_json_obj()'s, which is not reached.
    if (opts.json) ctx.print(json.slice(0, json.length - (opts.pretty ? 2 : 1)));
    else ctx.print(text);
    throw new CommandExit('Failed to connect the route\n', 1);
  }
  ctx.print(opts.json ? `${json}\n` : text);
  ctx.print(text);
}
