// The report's lookup box: an address, optionally `from`, `oif`, `mark` and `tos`, asked
// as `ip route get` at the selected moment. The words go through the model's own
// iproute2 front end (runCommand: iproute_get() parsing, inet_rtm_getroute(),
// print_route()), so the answer and every error message are the ones `ip` prints, with the
// capture's names: a `tos` word is read with its rt_dsfield (rtnl_dsfield_a2n()), the answer's
// table and protocol printed with its rt_tables and rt_protos (rtnl_rttable_n2a() …).

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { runCommand } from '../iproute2/ip-command.js';
import type { JsonValue } from '../print/json-out.js';
import { BUILTIN_NAMES, type PrintNames } from '../uapi/rt-names.js';

/** What the user typed; empty strings mean "not given". */
export interface LookupQuery {
  readonly to: string;
  readonly from?: string;
  readonly oif?: string;
  readonly mark?: string;
  readonly tos?: string;
}

/** The answer, as `ip route get` and `ip -j route get` print it. */
export interface LookupAnswer {
  /** The command asked: `ip route get 8.8.8.8 from 10.0.1.3 oif ens33`. */
  readonly command: string;
  /** What `ip route get` prints on stdout (empty on an error). */
  readonly stdout: string;
  /** What it prints on stderr (`RTNETLINK answers: Network is unreachable`). */
  readonly stderr: string;
  readonly exit: number;
  /** The `ip -j route get` array, or null on an error. */
  readonly json: JsonValue | null;
}

/** The `ip route get` words of a query, or a message saying what is wrong with it. */
export function lookupWords(q: LookupQuery): string[] | string {
  const to = (q.to ?? '').trim();
  if (to === '') return 'address: an address is required';
  if (/\s/.test(to)) return `address: expected one word, got "${to}"`;
  if (to.includes(':')) return `address: IPv6 is not modelled: "${to}"`;
  const words = [to];
  for (const [key, v] of [['from', q.from], ['oif', q.oif], ['mark', q.mark], ['tos', q.tos]] as const) {
    const t = (v ?? '').trim();
    if (t === '') continue;
    if (/\s/.test(t)) return `${key}: expected one word, got "${t}"`;
    words.push(key, t);
  }
  return words;
}

/**
 * Asks `ip route get` at a state, with the capture's names (a report's ReportModel.names).
 * @example lookup(s, { to: '8.8.8.8', from: '10.0.1.3', oif: 'ens33' }, model.names).stdout
 * 1. the query's words (an empty field is left out);
 * 2. `ip route get WORDS` for the text, `ip -j route get WORDS` for the JSON answer.
 */
export function lookup(s: FibSnapshot, q: LookupQuery, names: PrintNames = BUILTIN_NAMES): LookupAnswer | string {
  const words = lookupWords(q);
  if (typeof words === 'string') return words;
  const text = runCommand(s, ['ip', 'route', 'get', ...words], names).output;
  const j = runCommand(s, ['ip', '-j', 'route', 'get', ...words], names).output;
  let json: JsonValue | null = null;
  if (j.exit === 0 && j.stdout.trim() !== '') {
    try {
      json = JSON.parse(j.stdout) as JsonValue;
    } catch {
      json = null;
    }
  }
  return { command: `ip route get ${words.join(' ')}`, stdout: text.stdout, stderr: text.stderr, exit: text.exit, json };
}
