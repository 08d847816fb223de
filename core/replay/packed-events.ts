// The events a replay applied, kept compactly so that a time-travel index
// (checkpoint-index.ts) can apply them again between two checkpoints without holding a
// million event objects (a route event object with its fib_config costs about 400 bytes;
// its JSON Lines form about 245).
//
// Why this shape: a long trace is mostly route requests that differ only in their prefix
// (a full table announced, routes withdrawn and added again). Each route event is stored as
// a "shape" (every field of the event but cfg.dst and cfg.plen, interned once: the first
// event of that shape is kept as the template) plus its dst and plen: 12 bytes an event.
// Every other event (links, addresses, rules, sysctls, nexthops: few in any trace) is kept
// as the object itself. eventsOf() gives back events equal to those appended, field for
// field (the template's fields with dst and plen set), which the reducer treats alike:
// struct fib_config has no identity.

import type { FibEvent } from '../events/fib-event.js';
import type { RouteDelEvent, RouteNewEvent } from '../events/route.js';

/** A growable Int32Array (the backing store doubles). */
class IntColumn {
  data: Int32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }
  push(x: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = x;
  }
  /** Bytes held. */
  get bytes(): number {
    return this.data.byteLength;
  }
}

/** A key that equals no other (a value an event never holds). */
let unique = 0;

/** A value written as a key: primitives as themselves, arrays and plain objects walked (keys in order). */
function keyOf(v: unknown): string {
  if (v === null) return 'n';
  switch (typeof v) {
    case 'number':
      return `${v}`;
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 't' : 'f';
    case 'undefined':
      return 'u';
    case 'object': {
      if (Array.isArray(v)) {
        let s = '[';
        for (const x of v) s += `${keyOf(x)},`;
        return `${s}]`;
      }
      let s = '{';
      for (const k in v) s += `${k}:${keyOf((v as Record<string, unknown>)[k])},`;
      return `${s}}`;
    }
    default:
      // bigint, function, symbol: not in an event; never shared (a key of its own).
      return `?${++unique}`;
  }
}

/** The shape of a route event: everything but cfg.dst and cfg.plen (null: a field it does not know). Also used by the report page (core/report/moment-columns.ts). */
export function routeShapeKey(e: RouteNewEvent | RouteDelEvent): string | null {
  let s = e.type === 'route-new' ? `N${e.op}|` : 'D|';
  for (const k in e) if (k !== 'type' && k !== 'op' && k !== 'cfg') return null;
  const c = e.cfg as unknown as Record<string, unknown>;
  for (const k in c) {
    if (k === 'dst' || k === 'plen') {
      s += `${k}|`;
      continue;
    }
    s += `${k}:${keyOf(c[k])}|`;
  }
  return s;
}

/**
 * The events of every step of a replay, in order.
 * @example
 *   const p = new PackedEvents();
 *   p.append(step.applied.map((a) => a.event));   // once per step
 *   p.eventsOf(0)                                  // the first step's events, equal to those appended
 */
export class PackedEvents {
  /** Per event: the shape (>= 0: a route template; < 0: -1 - index into `others`), dst, plen. */
  private readonly cols = new IntColumn(3 * 4096);
  /** Per step: the index of its first event; one more entry than steps. */
  private readonly starts = new IntColumn(4096);
  private readonly templates: (RouteNewEvent | RouteDelEvent)[] = [];
  private readonly shapes = new Map<string, number>();
  private readonly others: FibEvent[] = [];
  private events = 0;

  constructor() {
    this.starts.push(0);
  }

  /** Steps appended. */
  get steps(): number {
    return this.starts.length - 1;
  }

  /** Appends one step's events. */
  append(events: readonly FibEvent[]): void {
    for (const e of events) {
      let shape: number;
      const key = e.type === 'route-new' || e.type === 'route-del' ? routeShapeKey(e) : null;
      if (key !== null && (e.type === 'route-new' || e.type === 'route-del') && e.cfg.dst >>> 0 === e.cfg.dst && (e.cfg.plen & 63) === e.cfg.plen) {
        let id = this.shapes.get(key);
        if (id === undefined) {
          id = this.templates.length;
          this.templates.push(e);
          this.shapes.set(key, id);
        }
        shape = id;
        this.cols.push(shape);
        this.cols.push(e.cfg.dst | 0);
        this.cols.push(e.cfg.plen);
      } else {
        shape = -1 - this.others.length;
        this.others.push(e);
        this.cols.push(shape);
        this.cols.push(0);
        this.cols.push(0);
      }
      this.events++;
    }
    this.starts.push(this.events);
  }

  /** The events of step i (0-based), equal to those appended for it. */
  eventsOf(i: number): FibEvent[] {
    const from = this.starts.data[i] as number;
    const to = this.starts.data[i + 1] as number;
    const out: FibEvent[] = [];
    const d = this.cols.data;
    for (let j = from; j < to; j++) {
      const shape = d[3 * j] as number;
      if (shape < 0) {
        out.push(this.others[-1 - shape] as FibEvent);
        continue;
      }
      const t = this.templates[shape] as RouteNewEvent | RouteDelEvent;
      const dst = (d[3 * j + 1] as number) >>> 0;
      const plen = d[3 * j + 2] as number;
      if (t.cfg.dst === dst && t.cfg.plen === plen) {
        out.push(t);
        continue;
      }
      out.push(t.type === 'route-new' ? { type: 'route-new', op: t.op, cfg: { ...t.cfg, dst, plen } } : { type: 'route-del', cfg: { ...t.cfg, dst, plen } });
    }
    return out;
  }

  /** Bytes held by the columns (templates and other events not counted). */
  get bytes(): number {
    return this.cols.bytes + this.starts.bytes;
  }

  /** How many distinct route shapes and other events are kept as objects. */
  get objects(): { readonly templates: number; readonly others: number } {
    return { templates: this.templates.length, others: this.others.length };
  }
}
