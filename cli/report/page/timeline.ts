// The report's timeline, drawn by hand in SVG: a mark per notification (coloured by how
// the replay used it), a red diamond per moment with silent changes, a lane per device
// (admin state and carrier), and the IPv4 route count of each table. Click a moment to
// select it, drag to pan, use the wheel (or the buttons) to zoom.

import type { ReportModel } from '../../../core/report/report-model.js';
import type { DeviceLane } from '../../../core/report/device-lanes.js';
import type { TableSeries } from '../../../core/report/route-counts.js';
import {
  axisTicks, fullWindow, nearestState, panWindow, statePositions, zoomWindow, type Axis, type Positions, type Window,
} from '../../../core/report/timeline-scale.js';
import { s } from './_dom.js';

/** What the timeline tells the page. */
export interface TimelineEvents {
  select(index: number): void;
  hover(index: number | null): void;
}

const GUTTER = 150;
const RIGHT = 14;
const AXIS_Y = 14;
const NOTIF_Y = 24;
const ROW_H = 14;
const SILENT_Y = 44;
const LANES_Y = 68;
const LANE_H = 14;
const LANE_GAP = 6;
const CHART_H = 84;
/** Table colours (red is kept for silent changes). */
const PALETTE = ['#2f5f9e', '#7a4f9a', '#b07a1a', '#2e8b57', '#0f8b8d', '#8b5a2b', '#4a6fa5', '#9c6b98'];
const ROLE_ORDER = ['ignored', 'consequence', 'state', 'cause'] as const;
const ROLE_COLOUR: Readonly<Record<(typeof ROLE_ORDER)[number], string>> = {
  cause: 'var(--cause)',
  consequence: 'var(--consequence)',
  state: 'var(--state)',
  ignored: 'var(--ignored)',
};

/** A table's colour in the chart and its legend. */
export function tableColour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

const fmt = (x: number): string => (Math.round(x * 10) / 10).toString();
/** fmt()'s rounding as a number (tenths of a pixel): compared without making a string. */
const tenths = (x: number): number => Math.round(x * 10);

/** The timeline of one report. */
export class Timeline {
  readonly svg: SVGSVGElement;
  private readonly model: ReportModel;
  private readonly lanes: readonly DeviceLane[];
  private readonly series: readonly TableSeries[];
  private readonly on: TimelineEvents;
  private positions: Positions;
  private full: Window;
  private win: Window;
  private selected = 0;
  private width = 800;
  private cursor: SVGGElement | null = null;
  private hoverLine: SVGLineElement | null = null;
  private legendValues: SVGTextElement[] = [];
  private drag: { x: number; win: Window; moved: boolean } | null = null;
  private suppressClick = false;
  private frame = 0;

  constructor(model: ReportModel, lanes: readonly DeviceLane[], series: readonly TableSeries[], on: TimelineEvents) {
    this.model = model;
    this.lanes = lanes;
    this.series = series;
    this.on = on;
    this.positions = statePositions(model, model.timed ? 'time' : 'order');
    this.full = fullWindow(this.positions);
    this.win = this.full;
    this.svg = s('svg', { id: 'timeline-svg', role: 'img', 'aria-label': 'Timeline of the trace' });
    this.listen();
  }

  get axis(): Axis {
    return this.positions.axis;
  }

  /** Switches between a time axis and one step per notification. */
  setAxis(axis: Axis): void {
    this.positions = statePositions(this.model, axis);
    this.full = fullWindow(this.positions);
    this.win = this.full;
    this.render();
  }

  /** Zooms around the selected moment (or the centre when it is out of view). */
  zoom(factor: number): void {
    const p = this.positions.pos[this.selected] ?? (this.win.from + this.win.to) / 2;
    const at = p >= this.win.from && p <= this.win.to ? p : (this.win.from + this.win.to) / 2;
    this.win = zoomWindow(this.win, factor, at, this.full);
    this.schedule();
  }

  fit(): void {
    this.win = this.full;
    this.schedule();
  }

  /** Moves the cursor to a state, panning if it is out of view. */
  setSelected(index: number): void {
    this.selected = index;
    const p = this.positions.pos[index];
    if (p !== undefined && (p < this.win.from || p > this.win.to)) {
      const half = (this.win.to - this.win.from) / 2;
      this.win = panWindow(this.win, p - (this.win.from + half), this.full);
      this.render();
      return;
    }
    this.placeCursor();
    this.updateLegend();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private plotWidth(): number {
    return Math.max(50, this.width - GUTTER - RIGHT);
  }

  private x(p: number): number {
    return GUTTER + ((p - this.win.from) / (this.win.to - this.win.from)) * this.plotWidth();
  }

  /** `n` pixels in axis units. */
  private pixels(n: number): number {
    return (n * (this.win.to - this.win.from)) / this.plotWidth();
  }

  private invert(x: number): number {
    return this.win.from + ((x - GUTTER) / this.plotWidth()) * (this.win.to - this.win.from);
  }

  private chartY(): number {
    return LANES_Y + this.lanes.length * (LANE_H + LANE_GAP) + 14;
  }

  private height(): number {
    return this.chartY() + CHART_H + 8;
  }

  /** Redraws everything for the current width, window and axis. */
  render(): void {
    const measured = this.svg.getBoundingClientRect().width;
    if (measured > 0) this.width = measured;
    const W = this.width;
    const H = this.height();
    this.svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    this.svg.setAttribute('height', String(H));
    const pos = this.positions.pos;
    const model = this.model;
    const n = model.count;
    const visible = (p: number): boolean => p >= this.win.from && p <= this.win.to;
    const clipId = 'plot-clip';
    const root: SVGElement[] = [];
    root.push(s('defs', {}, s('clipPath', { id: clipId }, s('rect', { x: GUTTER, y: 0, width: this.plotWidth(), height: H }))));

    // Grid and axis labels.
    const grid = s('g', {});
    for (const t of axisTicks(this.positions, this.win, Math.max(2, Math.floor(this.plotWidth() / 110)))) {
      const x = this.x(t.at);
      grid.append(s('line', { class: 'grid', x1: fmt(x), x2: fmt(x), y1: AXIS_Y + 4, y2: H - 4 }));
      grid.append(s('text', { x: fmt(x), y: AXIS_Y, 'text-anchor': 'middle' }, t.label));
    }
    root.push(grid);

    // Row labels.
    const labels = s('g', {});
    labels.append(s('text', { x: 4, y: NOTIF_Y + 11 }, `${this.model.data.format === 'log' ? 'events' : 'notifications'} (${n - 1})`));
    labels.append(s('text', { x: 4, y: SILENT_Y + 11 }, `silent changes (${this.model.silentCount})`));
    this.lanes.forEach((lane, k) => {
      const y = LANES_Y + k * (LANE_H + LANE_GAP);
      const name = lane.names.join(' → ');
      labels.append(s('text', { class: 'lane-label', x: 4, y: y + 11 }, `${name.length > 18 ? `${name.slice(0, 17)}…` : name} (${lane.ifindex})`));
    });
    root.push(labels);

    const plot = s('g', { 'clip-path': `url(#${clipId})` });
    // Notifications: one path per role (a mark drawn once per pixel column: a million
    // notifications draw as many marks as the plot has columns).
    const paths: Record<string, string[]> = { cause: [], consequence: [], state: [], ignored: [] };
    const lastX: Record<string, number> = { cause: NaN, consequence: NaN, state: NaN, ignored: NaN };
    for (let i = 1; i < n; i++) {
      const p = pos[i] as number;
      if (!visible(p)) continue;
      const role = model.roleAt(i);
      const x = tenths(this.x(p));
      if (lastX[role] === x) continue;
      lastX[role] = x;
      (paths[role] as string[]).push(`M${x / 10} ${NOTIF_Y}v${ROW_H}`);
    }
    for (const role of ROLE_ORDER) {
      const d = (paths[role] as string[]).join('');
      if (d !== '') plot.append(s('path', { d, stroke: ROLE_COLOUR[role], 'stroke-width': 1.2, fill: 'none', 'data-role': role }));
    }
    // Silent changes: a diamond per moment.
    // (Over 5,000 of them, one diamond per pixel column: the first moment of the column.)
    const many = this.model.silentMoments.length > 5000;
    let lastDiamond = '';
    for (const i of this.model.silentMoments) {
      const p = pos[i] as number;
      if (!visible(p)) continue;
      const x = this.x(p);
      if (many && fmt(x) === lastDiamond) continue;
      lastDiamond = fmt(x);
      const c = SILENT_Y + ROW_H / 2;
      const count = model.silentAt(i);
      const seq = model.seqAt(i);
      plot.append(
        s('path', { class: 'silent-mark', d: `M${fmt(x)} ${c - 7}l6 7l-6 7l-6 -7z`, 'data-index': i, 'data-seq': seq },
          s('title', {}, `@${seq}: ${count} silent change${count === 1 ? '' : 's'}`)),
      );
    }
    // Device lanes.
    this.lanes.forEach((lane, k) => {
      const y = LANES_Y + k * (LANE_H + LANE_GAP);
      const g = s('g', { 'data-ifindex': lane.ifindex });
      for (const seg of lane.segments) {
        const x0 = this.x(seg.from === 0 ? this.full.from : (pos[seg.from] as number));
        const x1 = this.x(seg.to >= n ? this.full.to : (pos[seg.to] as number));
        if (x1 < GUTTER || x0 > W) continue;
        const w = Math.max(1, x1 - x0);
        const state = !seg.up ? 'down' : seg.carrier ? 'up' : 'no carrier';
        const fill = !seg.up ? 'var(--down)' : seg.carrier ? 'var(--up)' : 'var(--nocarrier)';
        const rect = !seg.up
          ? s('rect', { x: fmt(x0), y: y + LANE_H / 2 - 2, width: fmt(w), height: 4, fill })
          : s('rect', { x: fmt(x0), y, width: fmt(w), height: LANE_H, fill, rx: 2 });
        rect.append(s('title', {}, `${seg.name}: ${state}`));
        g.append(rect);
      }
      const marks = lane.marks.filter((i) => visible(pos[i] as number)).map((i) => `M${fmt(this.x(pos[i] as number))} ${y + LANE_H - 4}v4`).join('');
      if (marks !== '') g.append(s('path', { d: marks, stroke: '#333', 'stroke-width': 1 }));
      plot.append(g);
    });
    // Routes per table.
    const cy = this.chartY();
    let max = 1;
    for (const t of this.series) if (t.max > max) max = t.max;
    const y = (c: number): number => cy + CHART_H - (c / max) * (CHART_H - 6);
    plot.append(s('line', { x1: GUTTER, x2: W - RIGHT, y1: cy + CHART_H, y2: cy + CHART_H, stroke: 'var(--line)' }));
    const order = this.positions.order;
    this.series.forEach((t, k) => {
      const parts: string[] = [];
      let lastY = NaN;
      let lastX = NaN;
      const counts = t.counts;
      for (let j = 0; j < order.length; j++) {
        const i = order[j] as number;
        const yy = tenths(y(counts[i] ?? 0));
        if (yy === lastY) continue;
        const p = i === 0 ? this.full.from : (pos[i] as number);
        const xx = tenths(this.x(p));
        if (parts.length === 0) parts.push(`M${xx / 10} ${yy / 10}`);
        // Within one pixel column only the vertical move is drawn (the same picture).
        else parts.push(xx === lastX ? `V${yy / 10}` : `H${xx / 10}V${yy / 10}`);
        lastX = xx;
        lastY = yy;
      }
      let d = parts.join('');
      d += `H${fmt(this.x(this.full.to))}`;
      plot.append(s('path', { d, stroke: tableColour(k), 'stroke-width': 1.5, fill: 'none', 'data-table': t.id }));
    });
    root.push(plot);

    // Chart labels and legend (values at the selected moment).
    const legend = s('g', {});
    legend.append(s('text', { x: 4, y: cy + 10 }, `IPv4 routes (max ${max})`));
    this.legendValues = [];
    this.series.slice(0, 5).forEach((t, k) => {
      const ty = cy + 26 + k * 13;
      legend.append(s('rect', { x: 6, y: ty - 8, width: 9, height: 9, fill: tableColour(k), rx: 2 }));
      const v = s('text', { x: 20, y: ty, 'data-table': t.id }, '');
      this.legendValues.push(v);
      legend.append(v);
    });
    if (this.series.length > 5) legend.append(s('text', { x: 20, y: cy + 26 + 5 * 13 }, `… ${this.series.length - 5} more`));
    root.push(legend);

    this.hoverLine = s('line', { class: 'hover-line', x1: -10, x2: -10, y1: NOTIF_Y - 2, y2: H - 4, visibility: 'hidden' });
    this.cursor = s('g', { class: 'cursor-group' });
    root.push(this.hoverLine, this.cursor);
    this.svg.replaceChildren(...root);
    this.placeCursor();
    this.updateLegend();
  }

  private placeCursor(): void {
    if (this.cursor === null) return;
    const p = this.positions.pos[this.selected];
    const x = p === undefined ? -10 : this.x(p);
    const inView = x >= GUTTER - 1 && x <= this.width - RIGHT + 1;
    const label = this.selected === 0 ? 'start' : `@${this.model.seqAt(this.selected)}`;
    this.cursor.replaceChildren(
      s('line', { class: 'cursor', x1: fmt(x), x2: fmt(x), y1: NOTIF_Y - 4, y2: this.height() - 4, visibility: inView ? 'visible' : 'hidden' }),
      s('text', { x: fmt(Math.min(this.width - RIGHT - 2, x + 3)), y: NOTIF_Y - 1, visibility: inView ? 'visible' : 'hidden', 'text-anchor': x > this.width - 60 ? 'end' : 'start' }, label),
    );
  }

  private updateLegend(): void {
    this.series.slice(0, 5).forEach((t, k) => {
      const v = this.legendValues[k];
      if (v !== undefined) v.textContent = `${t.name}: ${t.counts[this.selected] ?? 0}`;
    });
  }

  private localX(e: MouseEvent): number {
    const r = this.svg.getBoundingClientRect();
    return ((e.clientX - r.left) / Math.max(1, r.width)) * this.width;
  }

  private listen(): void {
    this.svg.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      this.drag = { x: this.localX(e), win: this.win, moved: false };
    });
    window.addEventListener('mousemove', (e) => {
      if (this.drag !== null && (e.buttons & 1) === 1) {
        const dx = this.localX(e) - this.drag.x;
        if (Math.abs(dx) > 3) this.drag.moved = true;
        if (this.drag.moved) {
          const per = (this.drag.win.to - this.drag.win.from) / this.plotWidth();
          this.win = panWindow(this.drag.win, -dx * per, this.full);
          this.schedule();
        }
      }
    });
    window.addEventListener('mouseup', () => {
      if (this.drag?.moved === true) this.suppressClick = true;
      this.drag = null;
    });
    this.svg.addEventListener('click', (e) => {
      if (this.suppressClick) {
        this.suppressClick = false;
        return;
      }
      const mark = e.target instanceof Element ? e.target.closest('.silent-mark') : null;
      const idx = mark?.getAttribute('data-index');
      if (idx !== null && idx !== undefined) {
        this.on.select(Number(idx));
        return;
      }
      const x = this.localX(e);
      if (x < GUTTER) return;
      this.on.select(nearestState(this.positions, this.invert(x), this.pixels(2)));
    });
    this.svg.addEventListener('mousemove', (e) => {
      const x = this.localX(e);
      if (x < GUTTER || this.hoverLine === null) {
        this.hoverLine?.setAttribute('visibility', 'hidden');
        this.on.hover(null);
        return;
      }
      const mark = e.target instanceof Element ? e.target.closest('.silent-mark') : null;
      const i = mark !== null ? Number(mark.getAttribute('data-index')) : nearestState(this.positions, this.invert(x), this.pixels(2));
      const hx = fmt(this.x(this.positions.pos[i] ?? 0));
      this.hoverLine.setAttribute('x1', hx);
      this.hoverLine.setAttribute('x2', hx);
      this.hoverLine.setAttribute('visibility', 'visible');
      this.on.hover(i);
    });
    this.svg.addEventListener('mouseleave', () => {
      this.hoverLine?.setAttribute('visibility', 'hidden');
      this.on.hover(null);
    });
    this.svg.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const at = this.invert(this.localX(e));
        this.win = zoomWindow(this.win, e.deltaY > 0 ? 1.25 : 0.8, at, this.full);
        this.schedule();
      },
      { passive: false },
    );
    window.addEventListener('resize', () => this.schedule());
  }
}
