// `kfib/trace`: the trace readers' public surface, listed by hand (see the README's
// "Library" section for the stability promise). Bytes or text in, TraceRecords out: rtmon
// files (rtmon.c's format), `ip monitor` logs, `ip -j` snapshots.

export { RtmonDecoder, type RtmonOptions } from './rtmon.js';
export { decodeRtmon, rtmonRecords } from './rtmon-records.js';
export { IpMonitorDecoder, parseIpMonitor, ipMonitorRecords, type IpMonitorOptions } from './ip-monitor.js';
export { parseIpSnapshot, type IpSnapshot, type IpSnapshotResult, type IpJsonOptions, type JsonPathError } from './ip-json.js';
export {
  isNetlinkRecord,
  formatTimestamp,
  type TraceRecord,
  type NetlinkRecord,
  type LinkRecord,
  type AddrRecord,
  type RouteRecord,
  type RuleRecord,
  type NetconfRecord,
  type NexthopRecord,
  type SkippedRecord,
  type TraceError,
  type TraceStats,
  type EndRecord,
  type Timestamp,
} from './netlink-records.js';
