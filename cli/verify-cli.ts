// `node dist/cli/verify-cli.js …` = `kfib verify …`, for running the properties directly.

import { verifyMain } from './verify-cmd.js';

verifyMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`kfib verify: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 70;
  },
);
