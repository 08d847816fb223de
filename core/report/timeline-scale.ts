// Where the moments of a report sit on the timeline, and back: positions on a time axis
// (microseconds since the first time stamp) or an order axis (one step per notification),
// the visible window (zoom and pan), the nearest moment to a click, tick marks, and the
// time formats of the page. Pure arithmetic, so the page's clicks are testable in Node.

import type { ReportModel } from './report-model.js';

export type Axis = 'time' | 'order';

/** The positions of the states on an axis, and the whole extent. */
export interface Positions {
  readonly axis: Axis;
  /** pos[i] for states[i]; states[0] (before the trace) sits at the start. */
  readonly pos: Float64Array;
  /** State indexes sorted by position (ties: by index). */
  readonly order: Uint32Array;
  readonly min: number;
  readonly max: number;
}

/**
 * Positions of every state on an axis.
 * @example statePositions(model, 'time').pos[3] // µs of moment @3 since the first one
 * 1. order: state i at i;
 * 2. time: a moment at its µs; the initial state a little before the first moment (2% of
 *    the span, at least 1 ms); a moment without time at its predecessor's position.
 */
export function statePositions(model: Pick<ReportModel, 'count' | 'timed' | 'usec'>, axis: Axis): Positions {
  const n = model.count;
  const pos = new Float64Array(n);
  if (axis === 'order' || !model.timed) {
    for (let i = 0; i < n; i++) pos[i] = i;
  } else {
    let first = Infinity;
    let last = -Infinity;
    for (let i = 1; i < n; i++) {
      const u = model.usec[i] as number;
      if (Number.isNaN(u)) continue;
      if (u < first) first = u;
      if (u > last) last = u;
    }
    const pad = Math.max(1000, (last - first) * 0.02);
    pos[0] = first - pad;
    for (let i = 1; i < n; i++) {
      const u = model.usec[i] as number;
      pos[i] = Number.isNaN(u) ? (pos[i - 1] as number) : u;
    }
  }
  // Positions in index order are usually sorted already (a million states: no sort needed).
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) if ((pos[i] as number) < (pos[i - 1] as number)) sorted = false;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (!sorted) order.sort((a, b) => (pos[a] as number) - (pos[b] as number) || a - b);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const p = pos[i] as number;
    if (p < min) min = p;
    if (p > max) max = p;
  }
  if (n === 0) {
    min = 0;
    max = 1;
  }
  return { axis: axis === 'time' && model.timed ? 'time' : 'order', pos, order, min, max };
}

/** A visible window [from, to] of an axis. */
export interface Window {
  readonly from: number;
  readonly to: number;
}

/** The window showing everything, with a margin. */
export function fullWindow(p: Positions): Window {
  const span = p.max - p.min;
  const pad = p.axis === 'order' ? 0.5 : Math.max(500, span * 0.01);
  return { from: p.min - pad, to: p.max + pad + (span === 0 && p.axis === 'order' ? 1 : 0) };
}

/** The window zoomed by `factor` (< 1 zooms in) around `at`, never wider than the full window. */
export function zoomWindow(w: Window, factor: number, at: number, full: Window): Window {
  const fullSpan = full.to - full.from;
  const span = Math.min(fullSpan, Math.max((w.to - w.from) * factor, fullSpan * 1e-7, 1e-3));
  const frac = (at - w.from) / (w.to - w.from);
  return clampWindow({ from: at - span * frac, to: at - span * frac + span }, full);
}

/** The window moved by `delta`, kept inside the full window. */
export function panWindow(w: Window, delta: number, full: Window): Window {
  return clampWindow({ from: w.from + delta, to: w.to + delta }, full);
}

function clampWindow(w: Window, full: Window): Window {
  const span = w.to - w.from;
  if (span >= full.to - full.from) return full;
  if (w.from < full.from) return { from: full.from, to: full.from + span };
  if (w.to > full.to) return { from: full.to - span, to: full.to };
  return w;
}

/**
 * The state nearest to an axis position; of a burst of states within `tolerance` after it
 * (a pixel or two on screen), the last one: the state after the whole burst.
 * @example nearestState(p, w.from + (x / width) * (w.to - w.from), 2 * unitsPerPixel)
 */
export function nearestState(p: Positions, at: number, tolerance = 0): number {
  const { order, pos } = p;
  const n = order.length;
  if (n === 0) return 0;
  const posAt = (k: number): number => pos[order[k] as number] as number;
  // k: the last entry at or before `at` (-1 when all are after it).
  let k = -1;
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (posAt(mid) <= at) {
      k = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let best = k < 0 ? 0 : k === n - 1 || at - posAt(k) <= posAt(k + 1) - at ? k : k + 1;
  const start = posAt(best);
  while (best + 1 < n && posAt(best + 1) - start <= tolerance) best++;
  return order[best] as number;
}

/** A tick of the axis. */
export interface Tick {
  readonly at: number;
  readonly label: string;
}

const STEPS = [1, 2, 5];

/** A round step for about `count` ticks over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  for (const s of STEPS) if (s * mag >= raw) return s * mag;
  return 10 * mag;
}

/** Seconds from microseconds, with as many decimals as the step needs. */
export function formatOffset(usec: number, stepUsec: number): string {
  const decimals = Math.min(6, Math.max(0, 6 - Math.floor(Math.log10(Math.max(1, stepUsec)))));
  return `+${(usec / 1e6).toFixed(decimals)} s`;
}

/**
 * Ticks of a window: time axes in round fractions of a second since the first moment,
 * order axes in round numbers of notifications.
 */
export function axisTicks(p: Positions, w: Window, count: number): Tick[] {
  const span = w.to - w.from;
  if (!(span > 0)) return [];
  const step = p.axis === 'order' ? Math.max(1, niceStep(span, count)) : niceStep(span, count);
  const out: Tick[] = [];
  for (let at = Math.ceil(w.from / step) * step; at <= w.to; at += step) {
    if (p.axis === 'order') {
      if (at < 0) continue;
      out.push({ at, label: at === 0 ? 'start' : `#${Math.round(at)}` });
    } else out.push({ at, label: formatOffset(at, step) });
    if (out.length > 200) break;
  }
  return out;
}

/** A "sec.usec" time stamp as UTC: `2026-11-21 04:51:05.864799 UTC`. */
export function formatClock(t: string): string {
  const dot = t.indexOf('.');
  const sec = Number(t.slice(0, dot));
  const iso = new Date(sec * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${t.slice(dot + 1)} UTC`;
}
