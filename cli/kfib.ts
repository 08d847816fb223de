#!/usr/bin/env node
// kfib: the command line. Finds the command, loads only its module (so that `kfib run` never
// loads the benchmark's or the property tests' dependencies), and turns what escapes a
// command into an exit status (cli/exit-status.ts); the model is in core/.

import { readFileSync } from 'node:fs';
import { suggest, usageError } from './command.js';
import { EXIT } from './exit-status.js';
import { quietOnClosedPipe, reportFailure } from './io.js';
import { guardTerminal } from './terminal.js';

type Main = (argv: readonly string[]) => Promise<number> | number;

/** Every command, loaded on demand. */
const COMMANDS: Readonly<Record<string, () => Promise<Main>>> = {
  run: async () => (await import('./run-cmd.js')).runMain,
  replay: async () => (await import('./replay-cmd.js')).replayMain,
  capture: async () => (await import('./capture-cmd.js')).captureMain,
  verify: async () => (await import('./verify-cmd.js')).verifyMain,
  bench: async () => (await import('./bench-cmd.js')).benchMain,
  snapshot: async () => (await import('./snapshot-cmd.js')).snapshotMain,
};

const HELP = `kfib - a model of the Linux kernel's IPv4 FIB (Linux 6.18 + iproute2 6.1)

Usage:
  kfib run [--explain] [--json] [--kernel] [--log FILE] SCRIPT.ip|-
      Run a script of ip/sysctl commands through the model and print the transcript
      the kernel would give ("$ command", stdout, stderr, "[exit N]").
  kfib replay TRACE|- [--initial before.json] [--at TIME|@N] [--show WHAT] [--get "ADDR …"]
             [--explain] [--check] [--json] [--out log.jsonl] [--html report.html]
      Replay a captured trace (rtmon file, ip monitor log, or a kfib event log): the FIB
      at any moment, ip route get then, the silent changes, and a check of the kernel's
      notifications against the model.
  kfib capture -o DIR -- SCRIPT | kfib capture --host -o DIR
      Record a trace (rtmon, ip -ts monitor all, ip -j dumps) of a script run in a fresh
      private namespace, or of this host until interrupted (root on Linux).
  kfib snapshot [-o FILE]
      Write this host's current state (ip -j dumps, iproute2 name files, device kinds)
      in the shape of a capture's before.json; read-only. Then: kfib run --initial FILE.
  kfib verify [--kernel] [--runs N] [--seed S] [--path P] [--max-commands K] [--json]
      Property-based verification: the kernel's invariants, and (with --kernel, root on
      Linux) generated scripts compared with the live kernel, shrunk to a minimal script.
  kfib bench [--quick] [--threads 1,2] [--out DIR]
      Lookup throughput of the worker-thread engine on a compiled snapshot, against a C
      DIR-24-8, an npm LPM library and the kernel's ip route get.
  kfib help [COMMAND]
  kfib --version

Run "kfib help COMMAND" (or "kfib COMMAND --help") for the options of a command.
Exit status: 0 done; 1 a difference found (--kernel, --check, verify); 2 bad usage, bad
input or something not modelled; 74 a file could not be read or written; 70 a bug.
`;

/** The package's version, from the package.json beside dist/. */
function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

function unknownCommand(cmd: string): number {
  const s = suggest(cmd, Object.keys(COMMANDS));
  return usageError('kfib', `unknown command "${cmd}"${s === null ? '' : `; did you mean "kfib ${s}"?`}`);
}

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    process.stderr.write(HELP);
    return EXIT.usage;
  }
  if (cmd === '--help' || cmd === '-h') {
    process.stdout.write(HELP);
    return EXIT.ok;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`kfib ${version()}\n`);
    return EXIT.ok;
  }
  if (cmd === 'help') {
    const [topic, ...extra] = rest;
    if (topic === undefined) {
      process.stdout.write(HELP);
      return EXIT.ok;
    }
    if (extra.length > 0) return usageError('kfib help', `expected one command name; unexpected: ${extra.join(' ')}`);
    const load = COMMANDS[topic];
    return load === undefined ? unknownCommand(topic) : (await load())(['--help']);
  }
  if (cmd.startsWith('-')) {
    const s = suggest(cmd.replace(/^-+/, ''), ['help', 'version']);
    return usageError('kfib', `unknown option ${cmd} before the command${s === null ? '' : `; did you mean --${s}?`}`);
  }
  const load = COMMANDS[cmd];
  if (load === undefined) return unknownCommand(cmd);
  return (await load())(rest);
}

quietOnClosedPipe();
guardTerminal();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportFailure(err);
  },
);
