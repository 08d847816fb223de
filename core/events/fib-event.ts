// The event log's vocabulary: every change the model accepts, as a discriminated union
// on `type`. Events are plain JSON (addresses as numbers); schema version 1.

import type { NetdevEvent } from './netdev.js';
import type { InetaddrEvent } from './inetaddr.js';
import type { RouteEvent } from './route.js';
import type { RuleEvent } from './rule.js';
import type { NexthopEvent } from './nexthop.js';
import type { SysctlWriteEvent } from './sysctl.js';

export const EVENT_SCHEMA_VERSION = 1;

export type FibEvent = NetdevEvent | InetaddrEvent | RouteEvent | RuleEvent | NexthopEvent | SysctlWriteEvent;

export type FibEventType = FibEvent['type'];

/** Exhaustiveness check for switches over unions. */
export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
