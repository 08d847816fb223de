// The report page: a header (what the trace is, how many silent changes, problems met),
// the timeline, and for the selected moment its notification, the events the replay
// applied, its silent changes with their cause, a lookup box (`ip route get` at that
// moment) and the FIB after it (tables, rules, devices with ignore_routes_with_linkdown).
//
// The FIB at a moment is computed when the moment is selected (report-model.ts: the nearest
// checkpoint the page has made, then a short replay). When that needs a long fold (the first
// look at the end of a long trace), the page folds in slices of about 40 ms between frames,
// so it keeps answering clicks and keys, and says what it is doing in the panel; the FIB is
// drawn when the fold gets there. Before the events block is read (it follows the page's
// script in the document) only the moments are drawn; eventsRead() draws the FIB.
// The panels: fib-panel.ts, moment-panel.ts.

import type { ReportModel } from '../../../core/report/report-model.js';
import type { ReportProblem } from '../../../core/report/report-data.js';
import { momentView } from '../../../core/report/moment-view.js';
import { lookup, type LookupQuery } from '../../../core/report/lookup.js';
import { formatClock } from '../../../core/report/timeline-scale.js';
import { Timeline } from './timeline.js';
import { byId, h } from './_dom.js';
import { plural, renderFib } from './fib-panel.js';
import { describeState, renderMoment, renderNearby } from './moment-panel.js';

/** How long opening took, in milliseconds. */
export interface Timings {
  readonly parse: number;
  readonly open: number;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = { rtmon: 'rtmon file', monitor: 'ip monitor log', log: 'kfib event log' };

/** Events a selection may replay at once (tens of milliseconds); more are folded in slices. */
const SYNC_EVENTS = 20000;
/** Rows listed per routing table (with every row the moment changed, wherever it is). */
export const TABLE_ROWS = 2000;

/** A report page mounted in `root`. */
export class ReportPage {
  private readonly root: HTMLElement;
  private readonly model: ReportModel;
  private readonly timings: Timings;
  private readonly timeline: Timeline;
  private selected = 0;
  /** The state whose FIB is drawn (-1: none yet). */
  private shown = -1;
  private folding = false;
  private query: LookupQuery | null = null;
  /** What a moment is: a notification of a trace, an event of a kfib log. */
  private readonly unit: string;
  private firstShown: (() => void) | null = null;
  /** Resolves once the FIB of the first selection is drawn. */
  readonly ready: Promise<void>;

  constructor(root: HTMLElement, model: ReportModel, timings: Timings) {
    this.root = root;
    this.model = model;
    this.timings = timings;
    this.unit = model.data.format === 'log' ? 'event' : 'notification';
    this.ready = new Promise((res) => {
      this.firstShown = res;
    });
    this.timeline = new Timeline(model, model.lanes, model.series, {
      select: (i) => this.select(i),
      hover: (i) => this.hover(i),
    });
  }

  /** Builds the page and selects the first state to show. */
  mount(): void {
    this.root.replaceChildren(this.header(), this.timelineSection(), this.columns(), h('p', { class: 'timing', id: 'timing' }));
    this.timeline.render();
    this.select(this.firstSelection(), false);
    this.listenKeys();
    window.addEventListener('hashchange', () => {
      const i = this.fromHash();
      if (i !== null && i !== this.selected) this.select(i, false);
    });
  }

  /** Selects the state after moment `index` (0: before the trace); its FIB now or once folded to. */
  select(index: number, updateHash = true): void {
    const t0 = performance.now();
    const i = Math.max(0, Math.min(this.model.count - 1, index));
    this.selected = i;
    this.timeline.setSelected(i);
    renderNearby(this.model, i, (k) => this.select(k));
    if (updateHash) {
      try {
        history.replaceState(null, '', `#${i === 0 ? 'start' : `@${this.model.seqAt(i)}`}`);
      } catch {
        // Some browsers refuse history changes on file:// pages; the selection still works.
      }
    }
    document.documentElement.dataset['kfibSelected'] = String(i);
    if (i > 0 && !this.model.eventsReady) {
      // The events block follows the page's script; the FIB is drawn once it is read (eventsRead()).
      renderMoment(this.model, i, this.unit, null);
      this.shown = -1;
      byId('fib-title', HTMLHeadingElement).textContent = `Reading the trace's ${plural(this.model.data.events, 'event')}…`;
      byId('tables', HTMLDivElement).replaceChildren();
      return;
    }
    if (this.model.pending(i) <= SYNC_EVENTS) {
      this.show(i, t0);
      return;
    }
    renderMoment(this.model, i, this.unit, null);
    this.shown = -1;
    this.foldInSlices(t0);
  }

  private show(i: number, t0: number): void {
    const st = this.model.state(i);
    const view = momentView(st, { maxRows: TABLE_ROWS });
    renderMoment(this.model, i, this.unit, { st, events: view.events, silent: view.silent });
    renderFib(st, view);
    this.shown = i;
    this.runLookup();
    document.documentElement.dataset['kfibSelectMs'] = (performance.now() - t0).toFixed(1);
    const first = this.firstShown;
    this.firstShown = null;
    first?.();
  }

  /** Folds toward the selection a slice at a time, then draws it (the selection may change meanwhile). */
  private foldInSlices(t0: number): void {
    const title = byId('fib-title', HTMLHeadingElement);
    const tick = (): void => {
      const target = this.selected;
      if (this.shown === target) {
        this.folding = false;
        return;
      }
      const done = this.model.foldToward(target, 40);
      if (done) {
        this.folding = false;
        this.show(target, t0);
        return;
      }
      title.textContent = `Replaying the trace up to @${this.model.seqAt(target)}: ${plural(this.model.pending(target), 'event')} to go…`;
      setTimeout(tick, 0);
    };
    title.textContent = `Replaying the trace up to @${this.model.seqAt(this.selected)}: ${plural(this.model.pending(this.selected), 'event')} to go…`;
    byId('tables', HTMLDivElement).replaceChildren();
    if (this.folding) return;
    this.folding = true;
    setTimeout(tick, 0);
  }

  /**
   * The events block has been read (ReportModel.attachEvents(), with the problems it had):
   * the problems join the header, and the selection's FIB is drawn (or folded to).
   */
  eventsRead(problems: readonly ReportProblem[]): void {
    if (problems.length > 0) this.root.querySelector('header')?.replaceWith(this.header());
    if (this.shown !== this.selected) this.select(this.selected, false);
  }

  /** The time it took to open, shown at the bottom. */
  showTimings(interactiveMs: number, readyMs: number): void {
    byId('timing', HTMLParagraphElement).textContent =
      `${plural(this.model.data.events, 'event')} of ${plural(this.model.count - 1, this.unit)} in this page: ` +
      `read in ${this.timings.parse.toFixed(0)} ms, opened in ${this.timings.open.toFixed(0)} ms, interactive after ${interactiveMs.toFixed(0)} ms, ` +
      `first FIB after ${readyMs.toFixed(0)} ms (${plural(this.model.checkpoints, 'checkpoint')} folded so far).`;
  }

  private firstSelection(): number {
    const fromHash = this.fromHash();
    if (fromHash !== null) return fromHash;
    const silent = this.model.silentMoments[0];
    return silent ?? this.model.count - 1;
  }

  private fromHash(): number | null {
    const hash = decodeURIComponent(location.hash.slice(1));
    if (hash === 'start') return 0;
    const m = /^@(\d+)$/.exec(hash);
    if (m === null) return null;
    const seq = Number(m[1]);
    for (let i = 1; i < this.model.count; i++) if (this.model.seqAt(i) === seq) return i;
    return null;
  }

  private header(): HTMLElement {
    const d = this.model.data;
    const model = this.model;
    // The first and last moments with a time (searched from either end), and the latest time.
    const usec = model.usec;
    let firstI = 1;
    while (firstI < model.count && Number.isNaN(usec[firstI] as number)) firstI++;
    if (firstI >= model.count) firstI = -1;
    let lastI = model.count - 1;
    while (lastI > 0 && Number.isNaN(usec[lastI] as number)) lastI--;
    if (lastI <= 0) lastI = -1;
    const span = model.latestUsec;
    const first = firstI < 0 ? undefined : model.momentAt(firstI)?.t;
    const last = lastI < 0 ? undefined : model.momentAt(lastI)?.t;
    const moments = model.count - 1;
    const parts: string[] = [`${FORMAT_NAMES[d.format] ?? d.format}, ${d.traceBytes.toLocaleString('en')} bytes`, plural(moments, this.unit)];
    if (first !== undefined && last !== undefined) parts.push(`${formatClock(first)} → ${formatClock(last).slice(11)} (${(span / 1e6).toFixed(3)} s)`);
    parts.push(model.silentCount === 0 ? 'no silent change' : `${plural(model.silentCount, 'silent change')} at ${plural(model.silentMoments.length, 'moment')}`);
    parts.push(plural(model.lanes.length, 'device'));
    parts.push(d.initial === null ? 'no initial snapshot (empty namespace)' : 'initial state from the --initial snapshot');
    const problems = model.problems;
    return h(
      'header',
      {},
      h('h1', {}, `kfib report: ${d.title}`),
      h('p', { class: 'summary', id: 'summary' }, parts.join(' · ')),
      moments === 0 ? h('p', { class: 'problem', id: 'empty' }, `The trace has no ${this.unit}s: the page shows the initial state only.`) : null,
      problems.length === 0 ? null : h('ul', { class: 'problems', id: 'problems' }, ...problems.map((p) => h('li', { class: p.fatal ? 'problem fatal' : 'problem' }, p.message))),
    );
  }

  private timelineSection(): HTMLElement {
    const axisButton = (axis: 'time' | 'order', label: string): HTMLButtonElement => {
      const b = h('button', { type: 'button', id: `axis-${axis}`, 'aria-pressed': String(this.timeline.axis === axis), disabled: axis === 'time' && !this.model.timed }, label);
      b.addEventListener('click', () => {
        this.timeline.setAxis(axis);
        for (const a of ['time', 'order']) byId(`axis-${a}`, HTMLButtonElement).setAttribute('aria-pressed', String(this.timeline.axis === a));
      });
      return b;
    };
    const button = (id: string, label: string, title: string, f: () => void): HTMLButtonElement => {
      const b = h('button', { type: 'button', id, title }, label);
      b.addEventListener('click', f);
      return b;
    };
    const sw = (colour: string): HTMLSpanElement => {
      const e = h('span', { class: 'sw' });
      e.style.background = colour;
      return e;
    };
    const toolbar = h(
      'div',
      { class: 'toolbar' },
      h('span', { class: 'group' }, h('span', { class: 'label' }, 'axis'), axisButton('time', 'time'), axisButton('order', `one step per ${this.unit}`)),
      h('span', { class: 'group' }, h('span', { class: 'label' }, 'zoom'), button('zoom-in', '+', 'zoom in (or the mouse wheel)', () => this.timeline.zoom(0.5)), button('zoom-out', '−', 'zoom out', () => this.timeline.zoom(2)), button('zoom-fit', 'fit', 'show the whole trace', () => this.timeline.fit())),
      h(
        'span',
        { class: 'group' },
        button('prev-silent', '« silent', 'previous moment with silent changes (Shift+←)', () => this.step(-1, true)),
        button('prev', '◀', `previous ${this.unit} (←)`, () => this.step(-1, false)),
        button('next', '▶', `next ${this.unit} (→)`, () => this.step(1, false)),
        button('next-silent', 'silent »', 'next moment with silent changes (Shift+→)', () => this.step(1, true)),
      ),
      h(
        'span',
        { class: 'legend' },
        h('span', {}, sw('var(--cause)'), 'cause'),
        h('span', {}, sw('var(--consequence)'), 'consequence'),
        h('span', {}, sw('var(--state)'), 'link/state'),
        h('span', {}, sw('var(--silent)'), 'silent change'),
        h('span', {}, sw('var(--up)'), 'up'),
        h('span', {}, sw('var(--nocarrier)'), 'up, no carrier'),
        h('span', {}, sw('var(--down)'), 'down'),
      ),
    );
    return h('section', { id: 'timeline' }, toolbar, this.timeline.svg, h('div', { id: 'hover' }, ' '));
  }

  private columns(): HTMLElement {
    const form = h(
      'form',
      { class: 'lookup', id: 'lookup', autocomplete: 'off' },
      h('label', {}, 'address', h('input', { id: 'lookup-to', name: 'to', placeholder: '8.8.8.8', required: true })),
      h('label', {}, 'from', h('input', { id: 'lookup-from', name: 'from', placeholder: 'optional' })),
      h('label', {}, 'oif', h('input', { id: 'lookup-oif', name: 'oif', placeholder: 'optional', list: 'lookup-devs' })),
      h('label', {}, 'mark', h('input', { id: 'lookup-mark', name: 'mark', placeholder: 'optional' })),
      h('label', {}, 'tos', h('input', { id: 'lookup-tos', name: 'tos', placeholder: 'optional' })),
      h('button', { type: 'submit', id: 'lookup-go' }, 'ip route get'),
      h('datalist', { id: 'lookup-devs' }),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const v = (id: string): string => byId(id, HTMLInputElement).value;
      this.query = { to: v('lookup-to'), from: v('lookup-from'), oif: v('lookup-oif'), mark: v('lookup-mark'), tos: v('lookup-tos') };
      this.runLookup();
    });
    const moment = h(
      'section',
      { class: 'panel', id: 'moment' },
      h('div', { id: 'moment-head' }),
      h('h3', { id: 'silent-title' }, 'Silent changes'),
      h('div', { id: 'silent' }),
      h('h3', {}, 'Lookup at this moment'),
      form,
      h('div', { class: 'answer', id: 'lookup-answer', hidden: true }),
      h('h3', {}, 'Moments nearby'),
      h('table', { class: 'grid nearby', id: 'nearby' }),
    );
    const fib = h('section', { class: 'panel', id: 'fib' }, h('h2', { id: 'fib-title' }), h('div', { id: 'tables' }), h('h3', {}, 'Rules (ip rule show)'), h('pre', { id: 'rules' }), h('h3', {}, 'Devices'), h('div', { id: 'devices' }));
    return h('div', { class: 'columns' }, moment, fib);
  }

  private step(dir: -1 | 1, silent: boolean): void {
    if (!silent) {
      this.select(this.selected + dir);
      return;
    }
    const list = this.model.silentMoments;
    const next = dir > 0 ? list.find((i) => i > this.selected) : [...list].reverse().find((i) => i < this.selected);
    if (next !== undefined) this.select(next);
  }

  private listenKeys(): void {
    document.addEventListener('keydown', (e) => {
      const t = e.target;
      if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement) return;
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        this.step(e.key === 'ArrowLeft' ? -1 : 1, e.shiftKey);
      } else if (e.key === 'Home') this.select(0);
      else if (e.key === 'End') this.select(this.model.count - 1);
    });
  }

  private hover(i: number | null): void {
    byId('hover', HTMLDivElement).textContent = i === null || i < 0 || i >= this.model.count ? ' ' : describeState(this.model, i);
  }

  private runLookup(): void {
    const box = byId('lookup-answer', HTMLDivElement);
    if (this.query === null) return;
    if (this.shown !== this.selected) {
      // Asked while the page folds toward the selection: answered once the FIB is drawn.
      box.hidden = false;
      box.replaceChildren(h('p', { class: 'pending' }, 'Answered once the page has replayed the trace up to this moment.'));
      return;
    }
    const t0 = performance.now();
    const st = this.model.state(this.selected);
    const a = lookup(st.snapshot, this.query, st.names);
    document.documentElement.dataset['kfibLookupMs'] = (performance.now() - t0).toFixed(1);
    box.hidden = false;
    if (typeof a === 'string') {
      box.replaceChildren(h('pre', { class: 'stderr', id: 'lookup-stderr' }, a));
      return;
    }
    const when = st.moment === null ? 'before the trace' : `after @${st.moment.seq}`;
    box.replaceChildren(
      h('pre', { class: 'command' }, `$ ${a.command}    # ${when}`),
      h('pre', { class: 'stdout', id: 'lookup-stdout' }, a.stdout),
      h('pre', { class: 'stderr', id: 'lookup-stderr' }, a.stderr),
      h('details', { class: 'json' }, h('summary', {}, `ip -j ${a.command.slice(3)}`), h('pre', { id: 'lookup-json' }, a.json === null ? '' : JSON.stringify(a.json))),
    );
  }
}
