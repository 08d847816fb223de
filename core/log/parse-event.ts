// Validating an unknown JSON value as a FibEvent (the log is read back from disk).

import type { FibEvent, FibEventType } from '../events/fib-event.js';

const TYPES: readonly FibEventType[] = [
  'link-add',
  'link-set',
  'link-carrier',
  'link-del',
  'addr-add',
  'addr-del',
  'route-new',
  'route-del',
  'rule-add',
  'rule-del',
  'nexthop-add',
  'nexthop-del',
  'sysctl',
  'ip-forward',
];

const REQUIRED: Readonly<Record<FibEventType, readonly string[]>> = {
  'link-add': ['link'],
  'link-set': ['ifindex'],
  'link-carrier': ['ifindex', 'carrier'],
  'link-del': ['ifindex'],
  'addr-add': ['ifindex', 'local', 'address', 'prefixlen', 'broadcast', 'scope', 'metric', 'noprefixroute', 'replace'],
  'addr-del': ['ifindex', 'prefixlen'],
  'route-new': ['op', 'cfg'],
  'route-del': ['cfg'],
  'rule-add': ['rule'],
  'rule-del': ['match'],
  'nexthop-add': ['id', 'kind', 'replace', 'protocol'],
  'nexthop-del': ['id'],
  sysctl: ['target', 'key', 'value'],
  'ip-forward': ['value'],
};

/** The event, or a message saying what was expected. */
export function parseFibEvent(v: unknown): FibEvent | string {
  if (typeof v !== 'object' || v === null) return 'expected an object';
  const o = v as Record<string, unknown>;
  const t = o['type'];
  if (typeof t !== 'string' || !(TYPES as readonly string[]).includes(t)) return `unknown event type ${JSON.stringify(t)}`;
  for (const k of REQUIRED[t as FibEventType]) if (!(k in o)) return `${t}: missing "${k}"`;
  // The fields' shapes are those written by encodeLogLine; the reducer re-validates semantics.
  return v as FibEvent;
}
