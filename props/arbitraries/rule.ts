// Rule commands: every selector (from, to, tos, fwmark, iif, oif, uidrange, ipproto,
// sport, dport, not, l3mdev), protocol, realms (FRA_FLOW), and action (lookup with
// suppress_prefixlength, goto, nop, unreachable, blackhole, prohibit), automatic and
// explicit priorities; delete and flush (with selectors, realms); `ip rule show|list|lst`
// with every selector, -j and -N.

import fc from 'fast-check';
import { cmd, maybe, type IpCommand } from './ip-command.js';
import { anyDeviceName, rulePrefix } from './universe.js';

const PREFS = ['0', '50', '100', '200', '1000', '32765', '32766'] as const;

/** The action words and their coverage label. */
function ruleAction(): fc.Arbitrary<{ words: readonly string[]; label: string }> {
  return fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.constantFrom('main', 'local', 'default', '10', '20', '30'), maybe(fc.constantFrom('0', '8', '16', '24'), 5))
        .map(([t, sp]) => ({ words: ['lookup', t, ...(sp === null ? [] : ['suppress_prefixlength', sp])], label: sp === null ? 'lookup' : 'suppress_prefixlength' })),
      weight: 10,
    },
    { arbitrary: fc.constantFrom(...PREFS).map((p) => ({ words: ['goto', p], label: 'goto' })), weight: 2 },
    { arbitrary: fc.constant({ words: ['nop'], label: 'nop' }), weight: 1 },
    { arbitrary: fc.constantFrom('unreachable', 'blackhole', 'prohibit').map((a) => ({ words: [a], label: a })), weight: 2 },
    // A table with another action: kept by the kernel, printed before the action.
    {
      arbitrary: fc
        .tuple(fc.constantFrom('10', '20', 'main'), fc.constantFrom(['blackhole'], ['unreachable'], ['nop'], ['goto', '1000'], ['goto', '32766']))
        .map(([t, a]) => ({ words: ['table', t, ...a], label: `table+${a[0] ?? ''}` })),
      weight: 1,
    },
  );
}

function selectors(): fc.Arbitrary<{ words: string[]; labels: string[] }> {
  const opt = maybe;
  return fc
    .record({
      not: opt(fc.constant(['not']), 12),
      from: opt(rulePrefix().map((p) => ['from', p]), 2),
      to: opt(rulePrefix().map((p) => ['to', p]), 4),
      tos: opt(fc.constantFrom('0x04', '0x08', '0x10', '0x20').map((t) => ['tos', t]), 8),
      fwmark: opt(fc.constantFrom('7', '0x1/0x1', '0x10/0xf0').map((m) => ['fwmark', m]), 6),
      iif: opt(anyDeviceName().map((d) => ['iif', d]), 7),
      oif: opt(anyDeviceName().map((d) => ['oif', d]), 6),
      uid: opt(fc.constantFrom('0-0', '100-200', '1000-2000').map((u) => ['uidrange', u]), 10),
      proto: opt(fc.constantFrom(['ipproto', 'tcp'], ['ipproto', 'udp'], ['ipproto', 'udp', 'dport', '53'], ['dport', '1000-2000'], ['sport', '1000-2000']), 10),
      protocol: opt(fc.constantFrom(['protocol', 'static'], ['protocol', '99'], ['protocol', 'kernel']), 8),
      realms: opt(fc.constantFrom(['realms', '5'], ['realms', '3/4'], ['realms', '0/7'], ['realms', '2/'], ['realms', '0'], ['realms', 'cosmos/9']), 8),
    })
    .map((r) => {
      const words: string[] = [];
      const labels: string[] = [];
      for (const [k, v] of Object.entries(r) as [string, string[] | null][]) {
        if (v === null) continue;
        words.push(...v);
        labels.push(k === 'proto' ? (v.includes('dport') ? 'dport' : v.includes('sport') ? 'sport' : 'ipproto') : k);
      }
      return { words, labels };
    });
}

/** `ip rule add [selectors] [pref N] ACTION`, or an l3mdev rule (no table: it matches nothing while no VRF exists). */
export function ruleAdd(): fc.Arbitrary<IpCommand> {
  const plain = fc
    .record({ sel: selectors(), pref: maybe(fc.constantFrom(...PREFS), 2), action: ruleAction() })
    .map((r) =>
      cmd('ip rule add', [['ip', 'rule', 'add'], r.sel.words, r.pref === null ? null : ['pref', r.pref], r.action.words], [...r.sel.labels, r.pref === null ? 'auto-pref' : 'pref', r.action.label]),
    );
  const l3mdev = fc
    .record({ not: maybe(fc.constant(['not']), 4), pref: maybe(fc.constantFrom(...PREFS), 2), action: maybe(fc.constantFrom(['unreachable'], ['table', '10']), 3) })
    .map((r) => cmd('ip rule add', [['ip', 'rule', 'add'], r.not, ['l3mdev'], r.pref === null ? null : ['pref', r.pref], r.action], ['l3mdev', r.not === null ? null : 'not']));
  return fc.oneof({ arbitrary: plain, weight: 8 }, { arbitrary: l3mdev, weight: 1 });
}

/** `ip [-j] rule show|list|lst [SELECTOR]`: one selector of each kind iprule_list_flush_or_save() reads. */
export function ruleShow(): fc.Arbitrary<IpCommand> {
  const sel = fc.oneof(
    fc.constant([] as string[]),
    rulePrefix().map((p) => ['from', p]),
    rulePrefix().map((p) => ['to', p]),
    rulePrefix().map((p) => [p]),
    fc.constantFrom(['from', 'all'], ['not'], ['tos', '0x10'], ['tos', '0'], ['fwmark', '7'], ['fwmark', '0x1/0x1'], ['fwmark', '0/0xf0'], ['l3mdev']),
    anyDeviceName().map((d) => ['iif', d]),
    anyDeviceName().map((d) => ['oif', d]),
    fc.constantFrom(['uidrange', '100-200'], ['ipproto', 'tcp'], ['ipproto', 'udp'], ['dport', '53'], ['dport', '1000-2000'], ['sport', '1000-2000']),
    fc.constantFrom(['table', 'main'], ['lookup', '10'], ['table', '0'], ['pref', '100'], ['priority', '0'], ['protocol', 'static']),
  );
  return fc
    .record({ verb: fc.constantFrom('show', 'list', 'lst'), j: fc.constantFrom([] as string[], [] as string[], ['-j'], ['-N'], ['-N', '-j']), sel })
    .map((r) => cmd('ip rule show', [['ip', ...r.j, 'rule', r.verb], r.sel], [r.sel[0] ?? 'all', ...r.j]));
}

/** `ip rule del pref N` / `del from P` / `del lookup T` / `del` with selectors, or `ip rule flush`. */
export function ruleDel(): fc.Arbitrary<IpCommand> {
  return fc.oneof(
    { arbitrary: fc.constantFrom(...PREFS).map((p) => cmd('ip rule del', [['ip', 'rule', 'del', 'pref', p]], ['pref'])), weight: 3 },
    { arbitrary: rulePrefix().map((p) => cmd('ip rule del', [['ip', 'rule', 'del', 'from', p]], ['from'])), weight: 1 },
    { arbitrary: fc.constantFrom('10', '20', 'main').map((t) => cmd('ip rule del', [['ip', 'rule', 'del', 'lookup', t]], ['lookup'])), weight: 1 },
    { arbitrary: fc.constantFrom('5', '3/4', '0').map((f) => cmd('ip rule del', [['ip', 'rule', 'del', 'realms', f]], ['realms'])), weight: 1 },
    { arbitrary: fc.constant(cmd('ip rule flush', [['ip', 'rule', 'flush']])), weight: 1 },
    { arbitrary: fc.constantFrom(['protocol', 'static'], ['table', '10'], ['not']).map((sel) => cmd('ip rule flush', [['ip', 'rule', 'flush'], sel], [sel[0]])), weight: 1 },
    { arbitrary: fc.constantFrom('50', '100').map((p) => cmd('ip rule del', [['ip', 'rule', 'del', 'l3mdev', 'pref', p]], ['l3mdev'])), weight: 1 },
    // fib_nl2rule() on a delete: the goto is checked against the (default) priority, the target not compared.
    {
      arbitrary: fc
        .tuple(maybe(fc.constantFrom(...PREFS), 2), fc.constantFrom('50', '200', '1000', '32766'), fc.constantFrom([] as string[], ['blackhole'], ['table', '10']))
        .map(([p, t, extra]) => cmd('ip rule del', [['ip', 'rule', 'del'], p === null ? null : ['pref', p], extra, extra[0] === 'blackhole' ? null : ['goto', t]], [extra[0] === 'blackhole' ? 'blackhole' : 'goto'])),
      weight: 1,
    },
  );
}

export function ruleCommand(): fc.Arbitrary<IpCommand> {
  return fc.oneof({ arbitrary: ruleAdd(), weight: 4 }, { arbitrary: ruleDel(), weight: 1 }, { arbitrary: ruleShow(), weight: 2 });
}
