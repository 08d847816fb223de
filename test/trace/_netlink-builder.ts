// Builds small rtmon files byte by byte for the bad-input tests: netlink headers, NLMSG_TSTAMP
// records, rtattrs, and the fixed headers of the messages the reader decodes, in either byte
// order (NLMSG_ALIGN / NLA_ALIGN padding as the kernel and rtmon write it).

export type Endian = 'le' | 'be';

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function ints(size: 1 | 2 | 4, values: readonly number[], e: Endian): Uint8Array {
  const b = new Uint8Array(size * values.length);
  const v = new DataView(b.buffer);
  values.forEach((x, i) => {
    if (size === 1) v.setUint8(i, x);
    else if (size === 2) v.setUint16(2 * i, x, e === 'le');
    else v.setUint32(4 * i, x >>> 0, e === 'le');
  });
  return b;
}

export const u8 = (...xs: number[]): Uint8Array => ints(1, xs, 'le');
export const u16 = (e: Endian, ...xs: number[]): Uint8Array => ints(2, xs, e);
export const u32 = (e: Endian, ...xs: number[]): Uint8Array => ints(4, xs, e);

export function ipv4(a: string): Uint8Array {
  return new Uint8Array(a.split('.').map(Number));
}

export function cstr(s: string): Uint8Array {
  return concatBytes(new TextEncoder().encode(s), new Uint8Array([0]));
}

function pad4(b: Uint8Array): Uint8Array {
  const n = (b.length + 3) & ~3;
  return n === b.length ? b : concatBytes(b, new Uint8Array(n - b.length));
}

/** An rtattr: u16 rta_len (4 + payload, unpadded), u16 type, payload, padding. */
export function attr(e: Endian, type: number, payload: Uint8Array, lenOverride?: number): Uint8Array {
  return pad4(concatBytes(u16(e, lenOverride ?? 4 + payload.length, type), payload));
}

/** A netlink message: nlmsghdr + payload, padded to 4 bytes (rtmon writes the padding). */
export function nlmsg(
  e: Endian,
  type: number,
  payload: Uint8Array,
  opts: { flags?: number; seq?: number; pid?: number; lenOverride?: number } = {},
): Uint8Array {
  const len = opts.lenOverride ?? 16 + payload.length;
  return pad4(concatBytes(u32(e, len), u16(e, type, opts.flags ?? 0), u32(e, opts.seq ?? 0, opts.pid ?? 0), payload));
}

/** rtmon's NLMSG_TSTAMP record. */
export function tstamp(e: Endian, sec: number, usec: number): Uint8Array {
  return nlmsg(e, 15, u32(e, sec, usec));
}

/** struct rtmsg. */
export function rtmsg(
  e: Endian,
  h: { family?: number; dstLen?: number; srcLen?: number; tos?: number; table?: number; protocol?: number; scope?: number; type?: number; flags?: number },
): Uint8Array {
  return concatBytes(
    u8(h.family ?? 2, h.dstLen ?? 0, h.srcLen ?? 0, h.tos ?? 0, h.table ?? 254, h.protocol ?? 3, h.scope ?? 0, h.type ?? 1),
    u32(e, h.flags ?? 0),
  );
}

/** struct ifinfomsg. */
export function ifinfomsg(e: Endian, h: { family?: number; type?: number; index: number; flags?: number; change?: number }): Uint8Array {
  return concatBytes(u8(h.family ?? 0, 0), u16(e, h.type ?? 1), u32(e, h.index, h.flags ?? 0, h.change ?? 0));
}

/** struct fib_rule_hdr. */
export function fibRuleHdr(e: Endian, h: { family?: number; dstLen?: number; srcLen?: number; tos?: number; table?: number; action?: number; flags?: number }): Uint8Array {
  return concatBytes(u8(h.family ?? 2, h.dstLen ?? 0, h.srcLen ?? 0, h.tos ?? 0, h.table ?? 0, 0, 0, h.action ?? 1), u32(e, h.flags ?? 0));
}

/** A tiny well-formed capture: a stamp, one dumped link, then a stamped route notification. */
export function tinyCapture(e: Endian): Uint8Array {
  return concatBytes(
    tstamp(e, 1795236664, 572217),
    nlmsg(e, 16, concatBytes(ifinfomsg(e, { index: 3, flags: 0x11043 }), attr(e, 3, cstr('eth0')), attr(e, 4, u32(e, 1500))), { flags: 2, seq: 7, pid: 99 }),
    tstamp(e, 1795236665, 1),
    nlmsg(e, 24, concatBytes(
      rtmsg(e, { dstLen: 24 }),
      attr(e, 15, u32(e, 10)),
      attr(e, 1, ipv4('203.0.113.0')),
      attr(e, 5, ipv4('192.0.2.1')),
      attr(e, 4, u32(e, 3)),
    ), { flags: 0x600, seq: 8, pid: 100 }),
  );
}
