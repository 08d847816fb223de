#!/usr/bin/env node
// kfib: the command line. Parses argv, reads files, sets exit codes; the model is in core/.

import { runMain } from './run-cmd.js';
import { replayMain } from './replay-cmd.js';
import { captureMain } from './capture-cmd.js';
import { verifyMain } from './verify-cmd.js';
import { benchMain } from './bench-cmd.js';
import { snapshotMain } from './snapshot-cmd.js';

const HELP = `kfib - a model of the Linux kernel's IPv4 FIB (Linux 6.18 + iproute2 6.1)

Usage:
  kfib run [--explain] [--kernel] [--log FILE] SCRIPT.ip|-
      Run a script of ip/sysctl commands through the model and print the transcript
      the kernel would give ("$ command", stdout, stderr, "[exit N]").
  kfib replay TRACE [--initial before.json] [--at TIME|@N] [--show WHAT] [--get "ADDR …"]
             [--explain] [--check] [--out log.jsonl] [--lenient]
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
      Lookup throughput of the worker-thread engine on a compiled snapshot of the full
      Internet table, against a C DIR-24-8, npm LPM libraries and the kernel's ip route get.
  kfib help [COMMAND]

Run "kfib run --help" for the details of a command.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] === 'run') return runMain(['--help']);
    if (cmd === 'help' && rest[0] === 'replay') return replayMain(['--help']);
    if (cmd === 'help' && rest[0] === 'capture') return captureMain(['--help']);
    if (cmd === 'help' && rest[0] === 'snapshot') return snapshotMain(['--help']);
    if (cmd === 'help' && rest[0] === 'verify') return verifyMain(['--help']);
    if (cmd === 'help' && rest[0] === 'bench') return benchMain(['--help']);
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  switch (cmd) {
    case 'run':
      return runMain(rest);
    case 'replay':
      return replayMain(rest);
    case 'capture':
      return captureMain(rest);
    case 'snapshot':
      return snapshotMain(rest);
    case 'verify':
      return verifyMain(rest);
    case 'bench':
      return benchMain(rest);
    default:
      process.stderr.write(`kfib: unknown command "${cmd}" (try "kfib --help")\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kfib: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 70;
  },
);
