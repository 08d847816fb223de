// What every record conversion shares: the resolver of a text trace's device names, the
// value that says a record cannot be converted, and the flag numbers the requests carry
// (nlmsg_flags, RTNH_F_*, IFA_F_*, FIB_RULE_*, IFF_*). Internal to record-*-events.ts.

import { RTN, type RouteType } from '../uapi/rtnetlink.js';
import { parseIp4, type Ip4 } from '../net/ip4.js';

/**
 * Resolves a device name of a text trace to an ifindex. `ambiguous`, when given, names the
 * devices a name may stand for when it is more than one (see ReplayState.resolve).
 */
export type ResolveDev = ((name: string) => number | undefined) & { readonly ambiguous?: (name: string) => readonly number[] | undefined };

/** A conversion that could not be done: the record names something the model lacks. */
export class Unconvertible {
  constructor(readonly problem: string) {}
}

export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
export const RTNH_F_ONLINK = 0x4;
export const IFA_F_NOPREFIXROUTE = 0x200;
export const FIB_RULE_INVERT = 0x2;
export const IFF_UP = 0x1;
export const IFF_LOOPBACK = 0x8;
export const IFF_LOWER_UP = 0x10000;

export const RTN_BY_NUMBER: ReadonlyMap<number, RouteType> = new Map(Object.entries(RTN).map(([k, v]) => [v, k as RouteType]));

/** rtm_type number to the model's route type. */
export function routeTypeOf(n: number): RouteType | undefined {
  return RTN_BY_NUMBER.get(n);
}

/** Dotted quad to a number (null when absent or malformed). */
export function ip(text: string | undefined): Ip4 | null {
  return text === undefined ? null : (parseIp4(text) ?? null);
}

export function dev(ifindex: number | undefined, name: string | undefined, resolve: ResolveDev): number | Unconvertible {
  if (ifindex !== undefined) return ifindex;
  if (name === undefined) return 0;
  const both = resolve.ambiguous?.(name);
  if (both !== undefined) {
    return new Unconvertible(`device "${name}" is ambiguous: ip monitor's name cache gives that name to ifindexes ${both.join(' and ')} (a name it kept after a rename, and a device made with it since)`);
  }
  const i = resolve(name);
  return i === undefined ? new Unconvertible(`no device named "${name}"`) : i;
}

// A class, so that telling a problem from a result is one instanceof (an `in` test on
// results of many shapes was the hottest line of a replay with link events).
export function isProblem(x: unknown): x is Unconvertible {
  return x instanceof Unconvertible;
}
