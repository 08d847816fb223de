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
import type { NexthopSpec, RouteConfig, RouteDelConfig, RouteDelEvent, RouteNewEvent } from '../events/route.js';
import type { MetricAttr } from '../uapi/rtax.js';
import { I32Blocks } from './_block-column.js';

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

/** Route shapes routeShape() compares before it writes a key. */
const RECENT_SHAPES = 4;

/** Equal nexthop specs, field by field. */
function sameSpecs(a: readonly NexthopSpec[], b: readonly NexthopSpec[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as NexthopSpec;
    const y = b[i] as NexthopSpec;
    if (x.dev !== y.dev || x.gw !== y.gw || x.gw6 !== y.gw6 || x.gw6Routed !== y.gw6Routed || x.weight !== y.weight || x.onlink !== y.onlink || x.flow !== y.flow) return false;
  }
  return true;
}

/** Equal RTA_METRICS as sent. */
function sameMx(a: readonly MetricAttr[] | null | undefined, b: readonly MetricAttr[] | null | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as MetricAttr;
    const y = b[i] as MetricAttr;
    if (x.type !== y.type) return false;
    if ('name' in x ? !('name' in y) || x.name !== y.name : 'name' in y || x.val !== y.val) return false;
  }
  return true;
}

/**
 * Whether a route event has the shape of a template: the same type and op, and every field
 * of its fib_config but dst and plen equal, read by name (walking the keys, as
 * routeShapeKey() does, was most of an indexed replay's time here). Every field the types
 * declare is compared (COMPARED below holds the list to the types); an optional field
 * is absent exactly when it reads undefined (exactOptionalPropertyTypes), so equal fields
 * mean equal keys.
 */
function sameShape(e: RouteNewEvent | RouteDelEvent, t: RouteNewEvent | RouteDelEvent): boolean {
  if (e.type !== t.type || (e.type === 'route-new' && e.op !== (t as RouteNewEvent).op)) return false;
  const a: RouteConfig | RouteDelConfig = e.cfg;
  const b: RouteConfig | RouteDelConfig = t.cfg;
  return (
    a.table === b.table &&
    a.tos === b.tos &&
    a.type === b.type &&
    a.scope === b.scope &&
    a.protocol === b.protocol &&
    a.priority === b.priority &&
    a.prefsrc === b.prefsrc &&
    a.multipath === b.multipath &&
    a.nhid === b.nhid &&
    (a as RouteConfig).flow === (b as RouteConfig).flow &&
    sameTop((a as RouteConfig).mpTop, (b as RouteConfig).mpTop) &&
    sameMx(a.mx, b.mx) &&
    sameSpecs(a.nhs, b.nhs)
  );
}

/** RouteConfig.mpTop of two events alike. */
function sameTop(a: RouteConfig['mpTop'], b: RouteConfig['mpTop']): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.oif === b.oif && a.gw === b.gw && a.gw6 === b.gw6;
}

/**
 * Every field of the events sameShape() compares, of either fib_config and of a nexthop
 * spec: a field added to those types fails to compile here until sameShape() (and
 * cfgWith()) handle it too.
 */
const COMPARED: Record<keyof RouteNewEvent | keyof RouteDelEvent | keyof RouteConfig | keyof RouteDelConfig | keyof NexthopSpec, true> = {
  op: true, cfg: true,
  table: true, dst: true, plen: true, tos: true, type: true, scope: true, protocol: true, priority: true, prefsrc: true,
  nhs: true, multipath: true, nhid: true, mx: true, flow: true, mpTop: true, dev: true, gw: true, gw6: true, gw6Routed: true, weight: true, onlink: true,
};
void COMPARED;

/** A template's fib_config with another prefix, written out (a spread copy takes V8's generic path). */
function cfgWith<C extends RouteConfig | RouteDelConfig>(c: C, dst: number, plen: number): C {
  // RouteDelConfig's fields are RouteConfig's, with a type that may be null: one literal serves both.
  const o: { -readonly [K in keyof RouteDelConfig]: RouteDelConfig[K] } & { flow?: number; mpTop?: RouteConfig['mpTop'] } = {
    table: c.table, dst, plen, tos: c.tos, type: c.type, scope: c.scope, protocol: c.protocol, priority: c.priority,
    prefsrc: c.prefsrc, nhs: c.nhs, multipath: c.multipath, nhid: c.nhid,
  };
  if (c.mx !== undefined) o.mx = c.mx;
  const flow = (c as RouteConfig).flow;
  if (flow !== undefined) o.flow = flow;
  const top = (c as RouteConfig).mpTop;
  if (top !== undefined) o.mpTop = top;
  return o as unknown as C;
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
  private readonly cols = new I32Blocks();
  /** Per step: the index of its first event; one more entry than steps. */
  private readonly starts = new I32Blocks();
  private readonly templates: (RouteNewEvent | RouteDelEvent)[] = [];
  private readonly shapes = new Map<string, number>();
  private readonly others: FibEvent[] = [];
  /** Template indexes matched last, most recent first (at most RECENT_SHAPES). */
  private readonly recent: number[] = [];
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
    for (const e of events) this.push(e);
    this.endStep();
  }

  /** Appends one event to the step being made (endStep() ends it): append() without its array. */
  push(e: FibEvent): void {
    const shape = e.type === 'route-new' || e.type === 'route-del' ? this.routeShape(e) : -1;
    if (shape >= 0 && (e.type === 'route-new' || e.type === 'route-del')) {
      this.cols.push(shape);
      this.cols.push(e.cfg.dst | 0);
      this.cols.push(e.cfg.plen);
    } else {
      this.cols.push(-1 - this.others.length);
      this.others.push(e);
      this.cols.push(0);
      this.cols.push(0);
    }
    this.events++;
  }

  /** Ends the step whose events push() added. */
  endStep(): void {
    this.starts.push(this.events);
  }

  /**
   * The route shape of an event (its template's index), -1 when it is kept whole. The
   * shapes matched last are tried first, compared field by field: a trace's route events
   * come in runs of a few shapes, and writing the key of each event (routeShapeKey) was
   * a third of an indexed replay's time and most of its garbage.
   */
  private routeShape(e: RouteNewEvent | RouteDelEvent): number {
    const dst = e.cfg.dst;
    const plen = e.cfg.plen;
    if (dst >>> 0 !== dst || (plen & 63) !== plen) return -1;
    const recent = this.recent;
    for (let i = 0; i < recent.length; i++) {
      const id = recent[i] as number;
      if (!sameShape(e, this.templates[id] as RouteNewEvent | RouteDelEvent)) continue;
      if (i > 0) {
        recent[i] = recent[0] as number;
        recent[0] = id;
      }
      return id;
    }
    const key = routeShapeKey(e);
    if (key === null) return -1;
    let id = this.shapes.get(key);
    if (id === undefined) {
      id = this.templates.length;
      this.templates.push(e);
      this.shapes.set(key, id);
    }
    if (recent.length < RECENT_SHAPES) recent.push(id);
    else recent[recent.length - 1] = id;
    for (let i = recent.length - 1; i > 0; i--) {
      recent[i] = recent[i - 1] as number;
    }
    recent[0] = id;
    return id;
  }

  /** The events of step i (0-based), equal to those appended for it. */
  eventsOf(i: number): FibEvent[] {
    const from = this.starts.at(i);
    const to = this.starts.at(i + 1);
    const out: FibEvent[] = [];
    const d = this.cols;
    for (let j = from; j < to; j++) {
      const shape = d.at(3 * j);
      if (shape < 0) {
        out.push(this.others[-1 - shape] as FibEvent);
        continue;
      }
      const t = this.templates[shape] as RouteNewEvent | RouteDelEvent;
      const dst = d.at(3 * j + 1) >>> 0;
      const plen = d.at(3 * j + 2);
      if (t.cfg.dst === dst && t.cfg.plen === plen) {
        out.push(t);
        continue;
      }
      out.push(t.type === 'route-new' ? { type: 'route-new', op: t.op, cfg: cfgWith(t.cfg, dst, plen) } : { type: 'route-del', cfg: cfgWith(t.cfg, dst, plen) });
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
