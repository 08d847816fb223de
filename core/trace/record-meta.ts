// What every captured rtnetlink record carries (see netlink-records.ts): where it came from,
// its nlmsghdr (type, flags, seq, pid: who caused it), and the time stamp of the reader
// (NLMSG_TSTAMP, or `ip monitor -ts`). Split from netlink-records.ts.

/** Wall-clock time of the userspace reader: seconds since the epoch and microseconds. */
export interface Timestamp {
  readonly sec: number;
  readonly usec: number;
}

/** Where a record came from and what netlink said about it. */
export interface RecordMeta {
  /** rtmon: byte offset of the record's netlink header. */
  readonly offset?: number;
  /** `ip monitor` text: 1-based line number of the record's first line. */
  readonly line?: number;
  /** nlmsg_type (for text: the type the line implies, e.g. 25 for `[ROUTE]Deleted ...`). */
  readonly nlmsgType: number;
  /** nlmsg_flags (NLM_F_*); absent in text, which does not print them. */
  readonly nlmsgFlags?: number;
  /** nlmsg_seq; absent in text. */
  readonly nlmsgSeq?: number;
  /** nlmsg_pid (0 = the kernel acted on its own); absent in text. */
  readonly nlmsgPid?: number;
  /** The most recent time stamp before this record; absent before the first one. */
  readonly time?: Timestamp;
  /** True for the initial link dump of an rtmon file (state, not events). */
  readonly dump: boolean;
}

/** NLMSG_TSTAMP, or a `-t`/`-ts` time stamp of `ip monitor`. */
export interface TimestampRecord {
  readonly kind: 'timestamp';
  readonly offset?: number;
  readonly line?: number;
  readonly sec: number;
  readonly usec: number;
}

export type Op = 'new' | 'del';

/** `sec.usec` with six digits, the form meta.json and checkpoints use. */
export function formatTimestamp(t: Timestamp): string {
  return `${t.sec}.${String(t.usec).padStart(6, '0')}`;
}

/** Orders two time stamps (negative when a is earlier). */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.usec - b.usec;
}
