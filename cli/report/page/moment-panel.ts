// The report page's moment panel: the selected notification (its record, the events the
// replay applied, what it inferred or the model refused), its silent changes grouped by the
// kernel mechanism behind them (explain.ts mechanism()), and the moments nearby. Split from
// report-page.ts. The notification comes from the packed columns at once; the events and
// silent changes need the FIB before it, and are drawn when the page has folded to it.

import type { MomentState, ReportModel } from '../../../core/report/report-model.js';
import type { SilentLine } from '../../../core/report/moment-view.js';
import { formatClock } from '../../../core/report/timeline-scale.js';
import { byId, h } from './_dom.js';
import { plural } from './fib-panel.js';

/** "+1.081712 s" since the first time stamp, or ''. */
export function offsetText(usec: number | null): string {
  return usec === null ? '' : `+${(usec / 1e6).toFixed(6)} s`;
}

/** One line about state i: for the hover line. */
export function describeState(model: ReportModel, i: number): string {
  const m = model.momentAt(i);
  if (m === null) return 'start: the state before the trace';
  const n = model.silentAt(i);
  const silent = n > 0 ? ` — ${plural(n, 'silent change')}` : '';
  return `@${m.seq} ${offsetText(model.usecAt(i))} ${m.type}${m.by !== undefined ? ` (${m.by})` : ''} ${m.text}${silent}`;
}

/** What the panel shows of the state, once known: the events in words, the silent changes. */
export interface MomentDetail {
  readonly st: MomentState;
  readonly events: readonly string[];
  readonly silent: readonly SilentLine[];
}

/**
 * Draws the moment head and its silent changes; without `detail` (the FIB before it is
 * still being folded) says so where the events and silent changes go.
 */
export function renderMoment(model: ReportModel, i: number, unit: string, detail: MomentDetail | null): void {
  const head = byId('moment-head', HTMLDivElement);
  const total = model.count - 1;
  const m = model.momentAt(i);
  const nodes: (HTMLElement | null)[] = [];
  if (m === null) {
    nodes.push(h('h2', { id: 'moment-title' }, `Before the trace (${plural(total, unit)} follow)`));
    nodes.push(h('p', { class: 'record' }, h('span', { class: 'role initial' }, 'initial'), model.data.initial === null ? 'an empty namespace: only lo, down' : 'the state of the --initial snapshot'));
  } else {
    nodes.push(h('h2', { id: 'moment-title' }, `Moment @${m.seq}`, h('span', { class: 'counts' }, ` (${i} of ${total})`)));
    if (m.t !== undefined) nodes.push(h('p', { class: 'record' }, `${formatClock(m.t)} · ${offsetText(model.usecAt(i))}`));
    nodes.push(h('p', { class: 'record', id: 'moment-record' }, h('span', { class: `role ${m.role}` }, m.role), `${m.type}${m.by !== undefined ? ` from ${m.by}` : ''}: `, h('code', {}, m.text)));
    if (m.pulledBy !== undefined) nodes.push(h('p', { class: 'record' }, `Applied ahead of its turn: @${m.pulledBy} was its consequence.`));
    const events = detail?.events ?? [];
    if (detail === null && m.n > 0) nodes.push(h('p', { class: 'pending', id: 'moment-pending' }, `${plural(m.n, 'event')} applied: shown once the page has replayed the trace up to here.`));
    else if (events.length > 0) nodes.push(h('div', {}, `Events applied (${events.length}):`, h('ul', { class: 'events', id: 'moment-events' }, ...events.map((e) => h('li', {}, e)))));
    else nodes.push(h('p', { class: 'none' }, m.role === 'consequence' ? 'No event: a consequence the model predicted for an earlier cause (matched, not applied twice).' : 'No event applied.'));
    const notes = [...(m.notes ?? []), ...(detail?.st.refused ?? []).map((r) => `the model refused an event: ${r}`)];
    if (notes.length > 0) nodes.push(h('ul', { class: 'notes' }, ...notes.map((x) => h('li', {}, x))));
  }
  head.replaceChildren(...nodes.filter((x): x is HTMLElement => x !== null));
  const count = model.silentAt(i);
  byId('silent-title', HTMLHeadingElement).textContent = `Silent changes at this moment (${count})`;
  const box = byId('silent', HTMLDivElement);
  if (count === 0) {
    const rest = model.silentCount === 0 ? 'The whole trace has no silent change: every change was notified.' : 'None at this moment (see the red marks on the timeline).';
    box.replaceChildren(h('p', { class: 'none' }, rest));
    return;
  }
  if (detail === null) {
    box.replaceChildren(h('p', { class: 'pending' }, `${plural(count, 'silent change')}: listed once the page has replayed the trace up to here.`));
    return;
  }
  // Grouped by mechanism, as kfib replay --explain prints them.
  const groups = new Map<string, SilentLine[]>();
  for (const c of detail.silent) {
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

/** The 13 moments around the selected one; a click selects. */
export function renderNearby(model: ReportModel, selected: number, select: (i: number) => void): void {
  const n = model.count;
  const from = Math.max(0, Math.min(selected - 6, n - 13));
  const to = Math.min(n, from + 13);
  const rows: HTMLTableRowElement[] = [];
  for (let i = from; i < to; i++) {
    const m = model.momentAt(i);
    const silent = model.silentAt(i);
    const tr = h(
      'tr',
      { 'data-index': i, class: i === selected ? 'selected' : undefined },
      h('td', {}, m === null ? 'start' : `@${m.seq}`),
      h('td', { class: 'nowrap' }, offsetText(model.usecAt(i))),
      h('td', {}, m === null ? '' : m.type.replace(/^RTM_/, '')),
      h('td', { class: 'mono' }, m === null ? 'before the trace' : m.text),
      h('td', { class: silent > 0 ? 'silent' : undefined }, silent > 0 ? `${silent} silent` : ''),
    );
    tr.addEventListener('click', () => select(i));
    rows.push(tr);
  }
  byId('nearby', HTMLTableElement).replaceChildren(h('tbody', {}, ...rows));
}
