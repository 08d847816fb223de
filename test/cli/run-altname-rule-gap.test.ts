// kfib run --initial on a host whose devices have alternative names
// (test/fixtures/initial/altname-dev-words: eth0 has the altname enp0s3): a rule naming a
// device by an alternative name attaches through it in fib_nl2rule() (__dev_get_by_name()),
// but fib_rules_event() attaches and detaches rules by dev->name only, which the model's
// rules (resolved by name as they stand) do not follow; so such a rule is a named gap. Before,
// the model printed the rule `[detached]` and called the run exact (exit 0).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const kfib = join(root, 'dist', 'cli', 'kfib.js');
const before = join(root, 'test', 'fixtures', 'initial', 'altname-dev-words', 'before.json');

test('a rule naming a device by its alternative name is a named gap (fib_nl2rule, fib_rules_event)', () => {
  const script = 'ip rule add iif enp0s3 table 5\nip rule add iif eth0 table 6\nip rule\n';
  const r = spawnSync(process.execPath, [kfib, 'run', '--initial', before, '-'], { input: script, encoding: 'utf8' });
  const gap = "not modelled: ip rule naming enp0s3, an alternative name of eth0 (the kernel attaches the rule to that device's ifindex)";
  assert.equal(r.status, 3, r.stderr);
  assert.equal(
    r.stdout.split('\n# out of scope')[0],
    [
      '$ ip rule add iif enp0s3 table 5',
      '[exit 2]',
      '$ ip rule add iif eth0 table 6',
      '$ ip rule',
      '0:\tfrom all lookup local',
      '32765:\tfrom all iif eth0 lookup 6',
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
      '# run: 1 gap (IPv4 FIB content the model did not represent):',
      `#   1 × ${gap} (first line 1)`,
    ].join('\n'),
  );
});
