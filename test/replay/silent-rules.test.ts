// The rules whose [detached] / [unresolved] state a step changed without a notification.
// silentChanges() looks only at the rules that fib_rules_event() (attach/detach effects) and
// a goto's target (rule-add/rule-del of the target's priority) can move; these tests hold it
// to the plain definition: every rule present before and after whose display flags differ,
// in list order.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ruleDisplayFlags, silentChanges } from '../../core/replay/silent-changes.js';
import { initialSnapshot, type FibSnapshot } from '../../core/snapshot/snapshot.js';
import { runCommand } from '../../core/iproute2/ip-command.js';
import { linkCommand, ruleCommand, vethPairAdd } from '../../props/arbitraries/index.js';

/** The rule changes by the definition: a scan of the whole list. */
function byScan(before: FibSnapshot, after: FibSnapshot): string[] {
  const out: string[] = [];
  after.rules.forEach((r) => {
    if (before.rules.indexOf(r) < 0) return;
    const b = ruleDisplayFlags(before, r).join();
    const a = ruleDisplayFlags(after, r).join();
    if (a !== b) out.push(`${r.priority} [${b}] -> [${a}]`);
  });
  return out;
}

function step(s: FibSnapshot, line: string): { after: FibSnapshot; found: string[] } {
  const r = runCommand(s, line.split(' '));
  const effects = r.steps.flatMap((x) => x.step.effects);
  const found = silentChanges(s, r.snapshot, effects, { rules: true }).flatMap((c) =>
    c.kind === 'rule-changed' ? [`${c.rule.priority} [${c.before.join()}] -> [${c.after.join()}]`] : [],
  );
  return { after: r.snapshot, found };
}

function run(lines: readonly string[]): string[][] {
  let s = initialSnapshot();
  const seen: string[][] = [];
  for (const l of lines) {
    const { after, found } = step(s, l);
    seen.push(found);
    s = after;
  }
  return seen;
}

test('a goto becomes unresolved when the last rule of its target goes, and resolved when one comes back', () => {
  const seen = run(['ip rule add pref 100 goto 300', 'ip rule add pref 300 lookup 10', 'ip rule add pref 300 lookup 20', 'ip rule del pref 300 lookup 10', 'ip rule del pref 300 lookup 20']);
  assert.deepEqual(seen, [[], ['100 [unresolved] -> []'], [], [], ['100 [] -> [unresolved]']]);
});

test('rules naming a device detach when it goes or is renamed, and attach when its name comes back, in list order', () => {
  const seen = run([
    'ip link add veth0 type veth peer name veth1',
    'ip rule add pref 50 oif veth1 lookup 10',
    'ip rule add pref 40 iif veth0 lookup 10',
    'ip link set veth0 name veth9',
    'ip link set veth9 name veth0',
    'ip link del veth0',
  ]);
  assert.deepEqual(seen, [[], [], [], ['40 [] -> [iif_detached]'], ['40 [iif_detached] -> []'], ['40 [] -> [iif_detached]', '50 [] -> [oif_detached]']]);
});

test('the rule changes of every step equal a scan of the whole list (generated scripts)', () => {
  const command = fc.oneof({ arbitrary: ruleCommand(), weight: 3 }, { arbitrary: linkCommand(), weight: 2 }, { arbitrary: vethPairAdd(), weight: 1 });
  fc.assert(
    fc.property(fc.array(command, { minLength: 1, maxLength: 30 }), (cmds) => {
      let s = initialSnapshot();
      for (const c of cmds) {
        const { after, found } = step(s, c.toString());
        assert.deepEqual(found, byScan(s, after), `at \`${c.toString()}\``);
        s = after;
      }
    }),
    { numRuns: 400, seed: Number(process.env['KFIB_PROPS_SEED'] ?? 1206) },
  );
});
