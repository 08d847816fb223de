// The report page's FIB panel for the selected moment: each routing table as
// fib_table_dump() lists it (`ip route show table all`), the rules (fib_rules_dump()), and the
// devices with ignore_routes_with_linkdown (the setting fib_sync_down_dev() and
// fib_lookup() read), rows marked with what changed at that moment and why.
// Split from report-page.ts.

import type { MomentState } from '../../../core/report/report-model.js';
import { mechanismName, type momentView, type RouteRow, type RuleRow } from '../../../core/report/moment-view.js';
import { byId, h } from './_dom.js';

const STATUS_LABELS: Readonly<Record<RouteRow['status'], string>> = {
  kept: '',
  added: 'added at this moment',
  deleted: 'deleted at this moment (RTM_DELROUTE sent)',
  'gone-silently': 'gone silently',
  replaced: 'replaced (NLM_F_REPLACE)',
  'changed-silently': 'changed silently',
  elided: 'not listed',
};

/** "1 route", "2 routes". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function rowsInto(pre: HTMLPreElement, rows: readonly (RouteRow | RuleRow)[]): void {
  let kept = '';
  const flush = (): void => {
    if (kept !== '') pre.append(document.createTextNode(kept));
    kept = '';
  };
  for (const r of rows) {
    if (r.status === 'kept') {
      kept += `${r.text}\n`;
      continue;
    }
    flush();
    if (r.status === 'elided') {
      pre.append(h('span', { class: 'row elided none', 'data-status': 'elided' }, r.text));
      continue;
    }
    const label = STATUS_LABELS[r.status];
    pre.append(h('span', { class: `row ${r.status}`, 'data-status': r.status, title: r.mechanism ?? label }, r.text));
    const why = `${r.change !== undefined ? `: ${r.change}` : ''}${r.mechanism !== undefined ? ` (${mechanismName(r.mechanism)})` : ''}`;
    pre.append(h('span', { class: `row-note ${r.status}`, title: r.mechanism ?? label }, h('span', { class: 'tag' }, `↳ ${label}`), why));
  }
  flush();
}

export function renderFib(st: MomentState, view: ReturnType<typeof momentView>): void {
  byId('fib-title', HTMLHeadingElement).textContent = st.moment === null ? 'FIB before the trace' : `FIB after @${st.moment.seq}`;
  const tables = view.tables.map((t) => {
    const counts = new Map<string, number>();
    for (const r of t.rows) if (r.status !== 'kept' && r.status !== 'elided') counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    const extra = [...counts].map(([k, n]) => `${n} ${STATUS_LABELS[k as RouteRow['status']].replace(' at this moment', '').replace(/ \(.*\)$/, '')}`);
    const pre = h('pre', {});
    if (t.rows.length === 0) pre.append(h('span', { class: 'none' }, '(empty)'));
    rowsInto(pre, t.rows);
    return h(
      'details',
      { class: 'fib-table', open: true, 'data-table': t.id },
      h('summary', {}, `table ${t.name}`, h('span', { class: 'counts' }, `${plural(t.count, 'route')}${extra.length > 0 ? `; ${extra.join(', ')}` : ''}`)),
      pre,
    );
  });
  const tablesBox = byId('tables', HTMLDivElement);
  if (tables.length === 0) tablesBox.replaceChildren(h('p', { class: 'none' }, 'No routing table holds a route.'));
  else tablesBox.replaceChildren(...tables);
  const rules = byId('rules', HTMLPreElement);
  rules.replaceChildren();
  rowsInto(rules, view.rules);
  const onoff = (b: boolean): HTMLSpanElement => h('span', { class: `onoff ${b ? 'on' : 'off'}` }, b ? 'on' : 'off');
  const devRows = view.devices.map((d) =>
    h(
      'tr',
      { 'data-ifindex': d.ifindex },
      h('td', {}, String(d.ifindex)),
      h('td', { class: 'mono' }, d.name),
      h('td', { class: !d.up ? 'state-down' : d.carrier ? 'state-up' : 'state-nocarrier' }, !d.up ? 'down' : d.carrier ? 'up' : 'up, no carrier'),
      h('td', { class: 'mono' }, d.addrs.join(', ') || '—'),
      h('td', {}, onoff(d.ignoreRoutesWithLinkdown)),
      h('td', { 'data-effective': String(d.effective) }, onoff(d.effective)),
    ),
  );
  byId('devices', HTMLDivElement).replaceChildren(
    h(
      'table',
      { class: 'grid', id: 'devices-table' },
      h('thead', {}, h('tr', {}, h('th', {}, '#'), h('th', {}, 'device'), h('th', {}, 'state'), h('th', {}, 'IPv4'), h('th', { title: 'net.ipv4.conf.DEV.ignore_routes_with_linkdown' }, 'ignore_routes_with_linkdown'), h('th', { title: 'all OR device: what the kernel applies' }, 'effective'))),
      h('tbody', {}, ...devRows),
    ),
    h('p', { class: 'record' }, 'net.ipv4.conf.all.ignore_routes_with_linkdown ', onoff(view.ignoreAll), ' · default ', onoff(view.ignoreDefault)),
  );
  byId('lookup-devs', HTMLDataListElement).replaceChildren(...view.devices.map((d) => h('option', { value: d.name })));
}
