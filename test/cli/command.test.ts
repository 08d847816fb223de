// The command helper (cli/command.ts) on its own: what it parses, what it refuses, the help
// it generates from a declaration, and the suggestions it makes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineCommand, editDistance, helpText, parseCommand, suggest } from '../../cli/command.js';

const CMD = defineCommand({
  name: 'kfib demo',
  usage: 'kfib demo [OPTIONS] FILE',
  about: 'A command for the tests.',
  options: {
    explain: { type: 'boolean', help: 'explain' },
    log: { type: 'string', arg: 'FILE', help: 'a log file\nsecond line of help' },
    get: { type: 'string', multiple: true, arg: 'QUERY', help: 'repeatable' },
    out: { type: 'string', short: 'o', arg: 'DIR', help: 'a folder' },
  },
  positionals: { min: 1, max: 1, what: 'one file' },
  exit: '0 always.',
});

/** Runs parseCommand with stdout/stderr captured. */
function parse(argv: string[]): { r: ReturnType<typeof parseCommand<typeof CMD.options>>; out: string; err: string } {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { r: parseCommand(CMD, argv), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

test('options and positionals parse into typed values with defaults', () => {
  const { r } = parse(['--explain', '--log', 'a.jsonl', '--get', '1.1.1.1', '--get', '2.2.2.2', '-o', 'd', '-']);
  assert.deepEqual(r, { kind: 'ok', values: { explain: true, log: 'a.jsonl', get: ['1.1.1.1', '2.2.2.2'], out: 'd' }, positionals: ['-'] });
  const d = parse(['f']).r;
  assert.deepEqual(d, { kind: 'ok', values: { explain: false, log: undefined, get: [], out: undefined }, positionals: ['f'] });
});

test('--name=value and -- work as in parseArgs', () => {
  assert.deepEqual(parse(['--log=x', '--', '--explain']).r, { kind: 'ok', values: { explain: false, log: 'x', get: [], out: undefined }, positionals: ['--explain'] });
});

test('an unknown option is exit 2 with a suggestion', () => {
  const { r, err } = parse(['--explian', 'f']);
  assert.deepEqual(r, { kind: 'exit', code: 2 });
  assert.equal(err, 'kfib demo: unknown option --explian; did you mean --explain?\n(see "kfib demo --help")\n');
});

test('a string option without its value, a boolean with one, and a wrong count of arguments are exit 2', () => {
  assert.match(parse(['f', '--log']).err, /^kfib demo: --log needs a value \(FILE\)\n/);
  assert.match(parse(['--explain=yes', 'f']).err, /^kfib demo: --explain takes no value \(got "yes"\)\n/);
  assert.match(parse([]).err, /^kfib demo: expected one file\n/);
  assert.match(parse(['a', 'b']).err, /^kfib demo: expected one file; unexpected: "b"\n/);
  for (const argv of [['f', '--log'], ['--explain=yes', 'f'], [], ['a', 'b']]) assert.deepEqual(parse(argv).r, { kind: 'exit', code: 2 });
});

test('--help prints the generated help on stdout and exits 0, even beside other mistakes', () => {
  const { r, out, err } = parse(['--help']);
  assert.deepEqual(r, { kind: 'exit', code: 0 });
  assert.equal(err, '');
  assert.equal(out, helpText(CMD));
  assert.equal(
    out,
    'Usage: kfib demo [OPTIONS] FILE\n\nA command for the tests.\n\nOptions:\n' +
      '  --explain        explain\n' +
      '  --log FILE       a log file\n' +
      '                   second line of help\n' +
      '  --get QUERY      repeatable\n' +
      '  -o, --out DIR    a folder\n' +
      '  -h, --help       this text.\n\nExit status: 0 always.\n',
  );
});

test('suggestions: a unique prefix, else the nearest name within a third of its letters', () => {
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(suggest('rn', ['run', 'replay', 'capture']), 'run');
  assert.equal(suggest('rep', ['run', 'replay', 'capture']), 'replay');
  assert.equal(suggest('captur', ['run', 'replay', 'capture']), 'capture');
  assert.equal(suggest('verfy', ['run', 'verify']), 'verify');
  assert.equal(suggest('zzz', ['run', 'replay']), null);
});
