// parseProcSysLine(): the shell forms of /proc/sys lines the model takes, and the ones it names.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcSysLine } from '../../core/iproute2/proc-sys-line.js';

const F = '/proc/sys/net/ipv4/ip_forward';

test('echo, printf, tee and cat forms give the bytes bash writes', () => {
  const w = (bytes: string, producer: 'echo' | 'printf', tee: null | { toStdout: boolean }) => ({ kind: 'write', path: 'net/ipv4/ip_forward', shown: F, bytes, producer, tee });
  assert.deepEqual(parseProcSysLine(`echo 1 > ${F}`), w('1\n', 'echo', null));
  assert.deepEqual(parseProcSysLine(`echo -n 1 >${F}`), w('1', 'echo', null));
  assert.deepEqual(parseProcSysLine(`echo "1 " 2 >> ${F}`), w('1  2\n', 'echo', null));
  assert.deepEqual(parseProcSysLine(`echo > ${F}`), w('\n', 'echo', null));
  assert.deepEqual(parseProcSysLine(`printf '1\\n' > ${F}`), w('1\n', 'printf', null));
  assert.deepEqual(parseProcSysLine(`echo 1 | tee ${F}`), w('1\n', 'echo', { toStdout: true }));
  assert.deepEqual(parseProcSysLine(`echo 1 | tee -a ${F} > /dev/null`), w('1\n', 'echo', { toStdout: false }));
  assert.deepEqual(parseProcSysLine(`cat '${F}'`), { kind: 'read', path: 'net/ipv4/ip_forward', shown: F });
});

test('other shell syntax is named, never guessed at', () => {
  for (const l of [`echo $V > ${F}`, `echo 1 1>${F}`, `echo -e 1 > ${F}`, `echo -n -n 1 > ${F}`, `echo 'a\\tb' > ${F}`, `printf '%s\\n' 1 > ${F}`, `echo 1 > ${F} 2>/dev/null`, `echo 1 | tee ${F} | cat`, `cat -A ${F}`, `echo 1 > /proc/sys/kernel/hostname`, `echo 1 > /proc/sys/net/ipv4/../ipv4/ip_forward`, `echo 1 >${F};`])
    assert.ok('refused' in (parseProcSysLine(l) ?? { refused: 'null' }) && parseProcSysLine(l) !== null, l);
  assert.equal(parseProcSysLine('echo 1 > /tmp/x'), null);
  assert.deepEqual(parseProcSysLine('touch /proc/sys/net/ipv4/ip_forward'), { refused: 'shell line with the command "touch"' });
  assert.deepEqual(parseProcSysLine('for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 > $f; done'), { refused: 'shell line with the command "for"' });
});
