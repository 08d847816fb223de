// `ip monitor` [LINK] and [ADDR] records: the reverse of print_linkinfo() and print_addrinfo()
// (ip/ipaddress.c).

import { AF_INET, AF_UNSPEC } from '../uapi/socket.js';
import { IFA_F_PERMANENT } from '../uapi/if-addr.js';
import { IFF_RUNNING, IFF_UP } from '../uapi/if.js';
import type { AddrRecord, LinkRecord } from './netlink-records.js';
import { GROUP_NAMES, IFA_FLAG_WORDS, LINK_EVENT_NAMES, LINK_FLAG_WORDS, LINK_TYPE_NAMES, OPERSTATE_NAMES, SCOPE_NAMES, parseNumber } from '../uapi/rt-names.js';
import { type Ctx, type Mutable, Skip, TextFault, Tokens, clip, ipv4, named, num, withTime, words } from './_ip-monitor-text.js';

// ---- [LINK] ----

export function parseLink(s: string, ctx: Ctx): LinkRecord {
  const m = /^(\d+): ([^:\s]+): <([^>]*)>(.*)$/.exec(s);
  if (m === null) {
    throw new TextFault(ctx.line, 'IFINDEX: NAME[@LINK]: <FLAGS> mtu N ...', `Cannot parse link: "${clip(s)}"`);
  }
  const t = new Tokens(words(m[4] ?? ''), ctx.line, 'link');
  const nameLink = m[2] ?? '';
  const at = nameLink.lastIndexOf('@');
  const rec: Mutable<LinkRecord> = {
    line: ctx.line, dump: false,
    kind: 'link',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 16 : 17,
    family: AF_UNSPEC,
    ifindex: num(t, 'ifindex', m[1] ?? '', 0x7fffffff),
    name: at > 0 ? nameLink.slice(0, at) : nameLink,
    flags: 0,
  };
  if (at > 0) {
    const peer = nameLink.slice(at + 1);
    if (peer === 'NONE') rec.link = 0;
    else rec.linkName = peer;
  }
  let flags = 0;
  let noCarrier = false;
  for (const w of (m[3] ?? '').split(',')) {
    if (w === '') continue;
    if (w === 'NO-CARRIER') { noCarrier = true; continue; }
    if (w === 'M-DOWN') { rec.linkDown = true; continue; }
    const f = LINK_FLAG_WORDS.find(([name]) => name === w);
    if (f !== undefined) { flags |= f[1]; continue; }
    if (/^[0-9a-f]+$/.test(w)) { flags |= parseInt(w, 16); continue; }
    throw t.fault('link flag words (BROADCAST, UP, LOWER_UP ...)', `unknown link flag "${w}"`);
  }
  // print_link_flags() prints NO-CARRIER for UP without RUNNING and never RUNNING itself.
  if ((flags & IFF_UP) !== 0 && !noCarrier) flags |= IFF_RUNNING;
  rec.flags = flags;
  while (!t.done) {
    const k = t.next() ?? '';
    switch (k) {
      case 'mtu': rec.mtu = num(t, k, t.value(k)); break;
      case 'qdisc': rec.qdisc = t.value(k); break;
      case 'master': rec.masterName = t.value(k); break;
      case 'state': rec.operstate = named(t, k, t.value(k), OPERSTATE_NAMES, undefined, 255, 'the IF_OPER_* words'); break;
      case 'mode': t.value(k); break;
      case 'group': rec.group = named(t, k, t.value(k), GROUP_NAMES, ctx.names.groups, 0xffffffff, 'iproute2 group'); break;
      case 'qlen': t.value(k); break;
      case 'event': {
        const rest: string[] = [];
        while (!t.done) rest.push(t.next() ?? '');
        const ev = rest.join(' ');
        const n = LINK_EVENT_NAMES[ev] ?? parseNumber(ev, 0xffffffff);
        if (n === undefined) throw t.fault('an IFLA_EVENT word', `unknown event "${ev}"`);
        rec.event = n;
        break;
      }
      default:
        if (k.startsWith('xdp') || k.startsWith('prog/')) break; // xdp_dump() output: not modelled
        throw t.fault('mtu, qdisc, master, state, group or event', `unexpected word "${k}"`);
    }
  }
  const second = ctx.cont[0];
  if (second !== undefined) {
    const lm = /^\s+link\/(\S+)(.*)$/.exec(second.text);
    if (lm === null) {
      throw new TextFault(second.line, '    link/TYPE [MAC] [brd MAC]', `Cannot parse link: bad second line "${clip(second.text)}"`);
    }
    const type = LINK_TYPE_NAMES[lm[1] ?? ''];
    if (type !== undefined) rec.ifiType = type;
    const u = new Tokens(words(lm[2] ?? ''), second.line, 'link');
    if (!u.done && /^[0-9a-f]{2}([:-][0-9a-f]{2})*$/.test(u.peek() ?? '')) rec.address = u.next() ?? '';
    while (!u.done) {
      const k = u.next() ?? '';
      switch (k) {
        case 'brd': case 'peer': rec.broadcast = u.value(k); break;
        case 'permaddr': case 'link-netns': case 'new-netns':
          u.value(k);
          break;
        case 'new-netnsid': rec.newNetnsid = num(u, k, u.value(k), 0x7fffffff); break;
        case 'new-ifindex': rec.newIfindex = num(u, k, u.value(k), 0x7fffffff); break;
        case 'link-netnsid': {
          const v = u.value(k);
          if (v !== 'unknown') rec.linkNetnsid = num(u, k, v, 0x7fffffff);
          break;
        }
        case 'protodown': rec.protoDown = u.value(k) === 'on'; break;
        // `ip -d monitor`: print_linkinfo()'s details start with the promiscuity count (then
        // allmulti, min/max MTU, on the next lines the kind and its options): not read, as
        // the plain form does not print them either.
        case 'promiscuity': while (!u.done) u.next(); break;
        default:
          if (k.startsWith('protodown_reason')) { while (!u.done) u.next(); break; }
          throw u.fault('brd, permaddr, link-netnsid or protodown', `unexpected word "${k}"`);
      }
    }
  }
  // print_linkinfo(): with IFLA_LINK_NETNSID the peer is printed `@if<N>`, N its ifindex in
  // the other namespace (no name lookup), which the JSON gives as link_index.
  const peerIndex = rec.linkNetnsid !== undefined && rec.linkName !== undefined ? /^if(\d+)$/.exec(rec.linkName) : null;
  if (peerIndex !== null) {
    rec.link = Number(peerIndex[1]);
    delete rec.linkName;
  }
  // print_linkinfo(): after the link-layer line (and the alias of `ip link`), one
  // `    altname X` line per alternative name; a [LINK] line prints all of them.
  if (ctx.op === 'new') {
    const altnames: string[] = [];
    for (const c of ctx.cont.slice(1)) {
      const am = /^\s+altname (\S+)\s*$/.exec(c.text);
      if (am !== null) altnames.push(am[1] ?? '');
    }
    rec.altnames = altnames;
  }
  // AF_BRIDGE (and AF_INET6) link messages have no IFLA_GROUP: only AF_UNSPEC ones describe the device.
  if (rec.group === undefined) throw new Skip('[LINK] without group (AF_BRIDGE or AF_INET6 link message)');
  return withTime(rec, ctx);
}

// ---- [ADDR] ----

export function parseAddr(s: string, ctx: Ctx): AddrRecord {
  const m = /^(\d+): (\S+)\s+(\S+) (.*)$/.exec(s);
  if (m === null) {
    throw new TextFault(ctx.line, 'IFINDEX: NAME    inet ADDR/PLEN ... scope S ... LABEL', `Cannot parse address: "${clip(s)}"`);
  }
  const fam = m[3] ?? '';
  if (fam !== 'inet') {
    if (fam === 'inet6' || fam === 'family' || fam === 'link' || fam === 'mpls' || fam === 'bridge') {
      throw new Skip(`[ADDR]/${fam}`);
    }
    throw new TextFault(ctx.line, 'the family word inet or inet6', `Cannot parse address: unknown family "${fam}"`);
  }
  const t = new Tokens(words(m[4] ?? ''), ctx.line, 'address');
  const rec: Mutable<AddrRecord> = {
    line: ctx.line, dump: false,
    kind: 'addr',
    op: ctx.op,
    nlmsgType: ctx.op === 'new' ? 20 : 21,
    family: AF_INET,
    ifindex: num(t, 'ifindex', m[1] ?? ''),
    devName: m[2] ?? '',
    prefixlen: 0,
    flags: 0,
    scope: 0,
  };
  const first = t.next() ?? '';
  let plenWord: string;
  if (t.peek() === 'peer') {
    t.next();
    rec.local = ipv4(t, 'inet', first);
    const peer = t.value('peer');
    const pm = /^([^/]+)\/(\d+)$/.exec(peer);
    if (pm === null) throw t.fault('peer PEER/PLEN', `bad peer "${peer}"`);
    rec.address = ipv4(t, 'peer', pm[1] ?? '');
    plenWord = pm[2] ?? '';
  } else {
    const am = /^([^/]+)\/(\d+)$/.exec(first);
    if (am === null) throw t.fault('ADDR/PLEN after "inet"', `bad address "${first}"`);
    rec.local = ipv4(t, 'inet', am[1] ?? '');
    rec.address = rec.local;
    plenWord = am[2] ?? '';
  }
  const plen = Number(plenWord);
  if (plen > 32) throw t.fault('a prefix length <= 32', `prefix length must be <= 32: got ${plen}`);
  rec.prefixlen = plen;
  let scopeSeen = false;
  let dynamic = false;
  let flags = 0;
  while (!t.done) {
    const k = t.next() ?? '';
    if (!scopeSeen) {
      switch (k) {
        case 'metric': rec.rtPriority = num(t, k, t.value(k)); continue;
        case 'brd': rec.broadcast = ipv4(t, k, t.value(k)); continue;
        case 'any': t.value(k); continue;
        case 'scope':
          rec.scope = named(t, k, t.value(k), SCOPE_NAMES, ctx.names.scopes, 255, 'rt_scopes');
          scopeSeen = true;
          continue;
        default:
          throw t.fault('metric, brd or scope', `unexpected word "${k}"`);
      }
    }
    const f = Object.hasOwn(IFA_FLAG_WORDS, k) ? IFA_FLAG_WORDS[k] : undefined;
    if (f !== undefined) { flags |= f; continue; }
    if (k === 'dynamic') { dynamic = true; continue; }
    if (k === 'flags') {
      const v = t.value(k);
      if (!/^[0-9a-f]+$/.test(v)) throw t.fault('hex flags after "flags"', `bad flags "${v}"`);
      flags |= parseInt(v, 16);
      continue;
    }
    if (t.done) { rec.label = k; continue; }
    throw t.fault('address flag words, then the label', `unexpected word "${k}"`);
  }
  if (!scopeSeen) throw t.fault('"scope S"', 'no scope');
  // print_ifa_flags() prints "dynamic" for the absence of IFA_F_PERMANENT and never "permanent".
  rec.flags = dynamic ? flags : flags | IFA_F_PERMANENT;
  for (const c of ctx.cont) {
    const lm = /^\s+valid_lft (forever|\d+sec) preferred_lft (forever|-?\d+sec)\s*$/.exec(c.text);
    if (lm === null) {
      throw new TextFault(c.line, '       valid_lft (forever|Nsec) preferred_lft (forever|Nsec)',
        `Cannot parse address: bad continuation line "${clip(c.text)}"`);
    }
    const life = (w: string): number => (w === 'forever' ? 0xffffffff : Number(w.slice(0, -3)) >>> 0);
    rec.validLft = life(lm[1] ?? '');
    rec.preferredLft = life(lm[2] ?? '');
  }
  return withTime(rec, ctx);
}
