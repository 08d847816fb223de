// kfib's public API, listed by hand.

export type { FibEvent, FibEventType } from './events/fib-event.js';
export { EVENT_SCHEMA_VERSION, assertNever } from './events/fib-event.js';
export type { LinkAddEvent, LinkSetEvent, LinkCarrierEvent, LinkDelEvent, LinkSpec, NetdevEvent } from './events/netdev.js';
export type { AddrAddEvent, AddrDelEvent, InetaddrEvent } from './events/inetaddr.js';
export type { RouteNewEvent, RouteDelEvent, RouteConfig, RouteDelConfig, RouteOp, NexthopSpec, RouteEvent } from './events/route.js';
export type { RuleAddEvent, RuleDelEvent, RuleMatch, RuleEvent } from './events/rule.js';
export type { NexthopAddEvent, NexthopDelEvent, NexthopEvent } from './events/nexthop.js';
export type { SysctlEvent, IpForwardEvent, SysctlTarget } from './events/sysctl.js';

export type { FibSnapshot } from './snapshot/snapshot.js';
export { initialSnapshot, deviceByName, devGetByName, ignoreLinkdown } from './snapshot/snapshot.js';
export type { Effect, EffectCause } from './snapshot/effects.js';
export { reduceFib, type Step } from './reduce/reduce.js';
export { snapshots, scriptLines, decoded, fold, type ReplayStep, type ChunkDecoder } from './stream/rx.js';
export { EventLog, encodeLogLine, decodeLog, type LoggedEvent, type DecodedLog } from './events/event-log.js';

export type { FibAlias, FibInfo, FibNh, FibRoute } from './snapshot/fib-info.js';
export type { KernelError, Errno } from './uapi/errno.js';
export type { RouteType } from './uapi/rtnetlink.js';
export { STRERROR } from './uapi/errno.js';
export { tableRoutes, tableLeaves, type FibTable } from './snapshot/fib-table.js';
export type { FibRule } from './events/rule.js';
export type { NetDevice, InIfaddr } from './snapshot/net-device.js';

export { fibLookup } from './route/fib-lookup.js';
export { fibTableLookup, type FibResult, type LookupOutcome } from './trie/fib-table-lookup.js';
export { makeFlow, type Flow } from './net/flow.js';
export { routeGet, type RouteGetRequest, type RouteGetOutcome, type RouteGetAnswer } from './route/route-output.js';

export { formatRouteLine, routeJson } from './print/route-line.js';
export { formatRouteGet, routeGetJson } from './print/route-get.js';
export { formatRule } from './iproute2/ip-rule.js';
export { describeEffects } from './iproute2/effects.js';
export { runCommand, type CommandResult } from './iproute2/ip-command.js';
export { runScript, transcript, transcriptEntry, scriptCommands, type ScriptLine } from './script/run-script.js';
export { formatIp4, parseIp4, type Ip4 } from './net/ip4.js';

// Trace readers and replay.
export { RtmonDecoder } from './trace/rtmon.js';
export { decodeRtmon, rtmonRecords } from './trace/rtmon-records.js';
export { parseIpMonitor, IpMonitorDecoder, ipMonitorRecords } from './trace/ip-monitor.js';
export { parseIpSnapshot } from './trace/ip-json.js';
export type { TraceRecord } from './trace/netlink-records.js';
export { TraceReplayer, type CheckFinding } from './replay/replayer.js';
export { initialState, type InitialState } from './replay/initial-state.js';
export { ipJsonDump, showText, type ShowWhat } from './replay/ip-json-dump.js';
export { silentChanges, type SilentChange } from './replay/silent-changes.js';

// The HTML report of a replayed trace (the page's own code is cli/report/page/).
export { parseReportData, type ReportData } from './report/report-data.js';
export { ReportRecorder } from './report/report-recorder.js';
export { openReport, type ReportModel } from './report/report-model.js';
export { reportHtml } from './report/report-html.js';
