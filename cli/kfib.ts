#!/usr/bin/env node
// kfib: the command line. Parses argv, reads files, sets exit codes; the model is in core/.

import { runMain } from './run-cmd.js';

const HELP = `kfib - a model of the Linux kernel's IPv4 FIB (Linux 6.18 + iproute2 6.1)

Usage:
  kfib run [--explain] [--kernel] [--log FILE] SCRIPT.ip|-
      Run a script of ip/sysctl commands through the model and print the transcript
      the kernel would give ("$ command", stdout, stderr, "[exit N]").
  kfib help [COMMAND]

Run "kfib run --help" for the details of a command.
`;

async function main(argv: readonly string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    if (cmd === 'help' && rest[0] === 'run') return runMain(['--help']);
    process.stdout.write(HELP);
    return cmd === undefined ? 2 : 0;
  }
  switch (cmd) {
    case 'run':
      return runMain(rest);
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
