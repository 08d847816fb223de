// An rtmon file read whole (decodeRtmon) or as a stream of chunks (rtmonRecords, RxJS): the
// two entry points over RtmonDecoder (rtmon.ts), which does the framing as iproute2's
// rtnl_from_file() does. Split from rtmon.ts.

import { decoded, type OperatorFunction } from '../stream/rx.js';
import type { TraceRecord } from './netlink-records.js';
import { RtmonDecoder, type RtmonOptions } from './rtmon.js';

/**
 * Decodes a whole rtmon file held in memory.
 *
 * Example: `decodeRtmon(bytes, { file: 'trace.rtmon' }).filter((r) => r.kind === 'route')`.
 */
export function decodeRtmon(bytes: Uint8Array, options: RtmonOptions = {}): TraceRecord[] {
  const d = new RtmonDecoder(options);
  return [...d.push(bytes), ...d.finish()];
}

/**
 * An RxJS operator from chunks of an rtmon file to records; the last record is `end`.
 * A fatal error completes the output (and unsubscribes from the input) after the error and
 * `end` records; input errors (a failing read) are passed on as errors.
 *
 * Example:
 * ```ts
 * fileChunks$.pipe(rtmonRecords({ file: 'trace.rtmon', lenient: true }))
 * ```
 *
 * 1. A fresh RtmonDecoder per subscription.
 * 2. Each chunk is pushed; its records are emitted in order.
 * 3. Emission stops after a fatal error; on completion `finish()` adds the tail and `end`.
 */
export function rtmonRecords(options: RtmonOptions = {}): OperatorFunction<Uint8Array, TraceRecord> {
  return decoded(() => new RtmonDecoder(options), (r) => r.kind === 'error' && r.fatal);
}
