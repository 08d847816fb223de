// `kfib replay … --html FILE` run as a user runs it, for the report tests and benchmark.

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CMD = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'cli', 'replay-cmd.js');

export interface Run {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

/** Runs `kfib replay ARGS` in a child process. */
export function kfibReplay(args: readonly string[]): Run {
  const src = `import { replayMain } from ${JSON.stringify(CMD)}; process.exitCode = await replayMain(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', src], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The data block of a written report, parsed. */
export function reportDataOf(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="kfib-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no data block in the report');
  return JSON.parse(m[1] as string) as Record<string, unknown>;
}
