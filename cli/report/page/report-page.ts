// The report page: a header (what the trace is, how many silent changes, problems met),
// the timeline, and for the selected moment its notification, the events the replay
// applied, its silent changes with their cause, a lookup box (`ip route get` at that
// moment) and the FIB after it (tables, rules, devices with ignore_routes_with_linkdown).
//
// The FIB panel (tables, rules, devices) is rendered by fib-panel.ts.

import type { ReportModel, MomentState } from '../../../core/report/report-model.js';
import type { DeviceLane } from '../../../core/report/device-lanes.js';
import type { TableSeries } from '../../../core/report/route-counts.js';
import { momentView, type SilentLine } from '../../../core/report/moment-view.js';
import { lookup, type LookupQuery } from '../../../core/report/lookup.js';
import { formatClock } from '../../../core/report/timeline-scale.js';
import { Timeline } from './timeline.js';
import { byId, h } from './_dom.js';
import { plural, renderFib } from './fib-panel.js';

/** How long opening took, in milliseconds. */
export interface Timings {
  readonly parse: number;
  readonly fold: number;
}

const FORMAT_NAMES: Readonly<Record<string, string>> = { rtmon: 'rtmon file', monitor: 'ip monitor log', log: 'kfib event log' };


function offset(st: MomentState): string {
  if (st.usec === null) return '';
  return `+${(st.usec / 1e6).toFixed(6)} s`;
}

/** A report page mounted in `root`. */
export class ReportPage {
  private readonly root: HTMLElement;
  private readonly model: ReportModel;
  private readonly lanes: readonly DeviceLane[];
  private readonly timings: Timings;
  private readonly timeline: Timeline;
  private selected = 0;
  private query: LookupQuery | null = null;
  /** What a moment is: a notification of a trace, an event of a kfib log. */
  private readonly unit: string;

  constructor(root: HTMLElement, model: ReportModel, lanes: readonly DeviceLane[], series: readonly TableSeries[], timings: Timings) {
    this.root = root;
    this.model = model;
    this.lanes = lanes;
    this.timings = timings;
    this.unit = model.data.format === 'log' ? 'event' : 'notification';
    this.timeline = new Timeline(model, lanes, series, {
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

  /** Shows the state after moment `index` (0: before the trace). */
  select(index: number, updateHash = true): void {
    const t0 = performance.now();
    const n = this.model.states.length;
    const i = Math.max(0, Math.min(n - 1, index));
    this.selected = i;
    this.timeline.setSelected(i);
    const st = this.model.states[i] as MomentState;
    const view = momentView(st);
    this.renderMoment(st, view.events, view.silent);
    renderFib(st, view);
    this.renderNearby();
    this.runLookup();
    if (updateHash) {
      try {
        history.replaceState(null, '', `#${st.moment === null ? 'start' : `@${st.moment.seq}`}`);
      } catch {
        // Some browsers refuse history changes on file:// pages; the selection still works.
      }
    }
    document.documentElement.dataset['kfibSelected'] = String(i);
    document.documentElement.dataset['kfibSelectMs'] = (performance.now() - t0).toFixed(1);
  }

  /** The time it took to open, shown at the bottom. */
  showTimings(totalMs: number): void {
    const events = this.model.states.reduce((n, st) => n + st.events.length, 0);
    byId('timing', HTMLParagraphElement).textContent =
      `Replayed ${plural(events, 'event')} of ${plural(this.model.states.length - 1, this.unit)} in this page: ` +
      `read in ${this.timings.parse.toFixed(0)} ms, folded in ${this.timings.fold.toFixed(0)} ms, interactive after ${totalMs.toFixed(0)} ms.`;
  }

  private firstSelection(): number {
    const fromHash = this.fromHash();
    if (fromHash !== null) return fromHash;
    const silent = this.model.silentMoments[0];
    return silent ?? this.model.states.length - 1;
  }

  private fromHash(): number | null {
    const hash = decodeURIComponent(location.hash.slice(1));
    if (hash === 'start') return 0;
    const m = /^@(\d+)$/.exec(hash);
    if (m === null) return null;
    const seq = Number(m[1]);
    const i = this.model.states.findIndex((st) => st.moment?.seq === seq);
    return i < 0 ? null : i;
  }

  private header(): HTMLElement {
    const d = this.model.data;
    const moments = d.moments;
    const first = moments.find((m) => m.t !== undefined)?.t;
    const last = [...moments].reverse().find((m) => m.t !== undefined)?.t;
    const parts: string[] = [`${FORMAT_NAMES[d.format] ?? d.format}, ${d.traceBytes.toLocaleString('en')} bytes`, plural(moments.length, this.unit)];
    if (first !== undefined && last !== undefined) {
      const span = this.model.states.reduce((m, st) => Math.max(m, st.usec ?? 0), 0) / 1e6;
      parts.push(`${formatClock(first)} → ${formatClock(last).slice(11)} (${span.toFixed(3)} s)`);
    }
    parts.push(this.model.silentCount === 0 ? 'no silent change' : `${plural(this.model.silentCount, 'silent change')} at ${plural(this.model.silentMoments.length, 'moment')}`);
    parts.push(plural(this.lanes.length, 'device'));
    parts.push(d.initial === null ? 'no initial snapshot (empty namespace)' : 'initial state from the --initial snapshot');
    const problems = this.model.problems;
    return h(
      'header',
      {},
      h('h1', {}, `kfib report: ${d.title}`),
      h('p', { class: 'summary', id: 'summary' }, parts.join(' · ')),
      moments.length === 0 ? h('p', { class: 'problem', id: 'empty' }, `The trace has no ${this.unit}s: the page shows the initial state only.`) : null,
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
      else if (e.key === 'End') this.select(this.model.states.length - 1);
    });
  }

  private describe(st: MomentState): string {
    if (st.moment === null) return 'start: the state before the trace';
    const m = st.moment;
    const silent = st.silent.length > 0 ? ` — ${plural(st.silent.length, 'silent change')}` : '';
    return `@${m.seq} ${offset(st)} ${m.type}${m.by !== undefined ? ` (${m.by})` : ''} ${m.text}${silent}`;
  }

  private hover(i: number | null): void {
    const el = byId('hover', HTMLDivElement);
    const st = i === null ? undefined : this.model.states[i];
    el.textContent = st === undefined ? ' ' : this.describe(st);
  }

  private renderMoment(st: MomentState, events: readonly string[], silent: ReturnType<typeof momentView>['silent']): void {
    const head = byId('moment-head', HTMLDivElement);
    const total = this.model.states.length - 1;
    const m = st.moment;
    const nodes: (HTMLElement | null)[] = [];
    if (m === null) {
      nodes.push(h('h2', { id: 'moment-title' }, `Before the trace (${plural(total, this.unit)} follow)`));
      nodes.push(h('p', { class: 'record' }, h('span', { class: 'role initial' }, 'initial'), this.model.data.initial === null ? 'an empty namespace: only lo, down' : 'the state of the --initial snapshot'));
    } else {
      nodes.push(h('h2', { id: 'moment-title' }, `Moment @${m.seq}`, h('span', { class: 'counts' }, ` (${st.index} of ${total})`)));
      if (m.t !== undefined) nodes.push(h('p', { class: 'record' }, `${formatClock(m.t)} · ${offset(st)}`));
      nodes.push(h('p', { class: 'record', id: 'moment-record' }, h('span', { class: `role ${m.role}` }, m.role), `${m.type}${m.by !== undefined ? ` from ${m.by}` : ''}: `, h('code', {}, m.text)));
      if (m.pulledBy !== undefined) nodes.push(h('p', { class: 'record' }, `Applied ahead of its turn: @${m.pulledBy} was its consequence.`));
      if (events.length > 0) nodes.push(h('div', {}, `Events applied (${events.length}):`, h('ul', { class: 'events', id: 'moment-events' }, ...events.map((e) => h('li', {}, e)))));
      else nodes.push(h('p', { class: 'none' }, m.role === 'consequence' ? 'No event: a consequence the model predicted for an earlier cause (matched, not applied twice).' : 'No event applied.'));
      const notes = [...(m.notes ?? []), ...st.refused.map((r) => `the model refused an event: ${r}`)];
      if (notes.length > 0) nodes.push(h('ul', { class: 'notes' }, ...notes.map((x) => h('li', {}, x))));
    }
    head.replaceChildren(...nodes.filter((x): x is HTMLElement => x !== null));
    byId('silent-title', HTMLHeadingElement).textContent = `Silent changes at this moment (${silent.length})`;
    const box = byId('silent', HTMLDivElement);
    if (silent.length === 0) {
      const rest = this.model.silentCount === 0 ? 'The whole trace has no silent change: every change was notified.' : 'None at this moment (see the red marks on the timeline).';
      box.replaceChildren(h('p', { class: 'none' }, rest));
      return;
    }
    // Grouped by mechanism, as kfib replay --explain prints them.
    const groups = new Map<string, SilentLine[]>();
    for (const c of silent) {
      const list = groups.get(c.mechanism);
      if (list === undefined) groups.set(c.mechanism, [c]);
      else list.push(c);
    }
    box.replaceChildren(
      h(
        'div',
        { id: 'silent-list' },
        ...[...groups].map(([mech, list]) =>
          h(
            'div',
            { class: 'silent-group', 'data-cause': list[0]?.cause ?? '' },
            h('p', { class: 'cause' }, `${mech} (${list.length})`),
            h('ul', { class: 'silent-list' }, ...list.map((c) => h('li', { class: 'silent', 'data-kind': c.kind, 'data-cause': c.cause }, h('code', {}, c.text), c.implied ? ' (implied by NLM_F_REPLACE)' : ''))),
          ),
        ),
      ),
    );
  }

  private renderNearby(): void {
    const n = this.model.states.length;
    const from = Math.max(0, Math.min(this.selected - 6, n - 13));
    const to = Math.min(n, from + 13);
    const rows: HTMLTableRowElement[] = [];
    for (let i = from; i < to; i++) {
      const st = this.model.states[i] as MomentState;
      const m = st.moment;
      const tr = h(
        'tr',
        { 'data-index': i, class: i === this.selected ? 'selected' : undefined },
        h('td', {}, m === null ? 'start' : `@${m.seq}`),
        h('td', { class: 'nowrap' }, offset(st)),
        h('td', {}, m === null ? '' : m.type.replace(/^RTM_/, '')),
        h('td', { class: 'mono' }, m === null ? 'before the trace' : m.text),
        h('td', { class: st.silent.length > 0 ? 'silent' : undefined }, st.silent.length > 0 ? `${st.silent.length} silent` : ''),
      );
      tr.addEventListener('click', () => this.select(i));
      rows.push(tr);
    }
    byId('nearby', HTMLTableElement).replaceChildren(h('tbody', {}, ...rows));
  }

  private runLookup(): void {
    const box = byId('lookup-answer', HTMLDivElement);
    if (this.query === null) return;
    const t0 = performance.now();
    const st = this.model.states[this.selected] as MomentState;
    const a = lookup(st.snapshot, this.query);
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
