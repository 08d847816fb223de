// A progress display for the benchmarks on stderr: the step, its number, the time so far
// and an estimate of the time left (steps are taken as equally long), redrawn in place on
// a terminal; silent when stderr is not a terminal (CI logs, pipes), except for notes.

import { formatSeconds } from '../cli/io.js';
import { escapeControl, writeRawStderr } from '../cli/terminal.js';

/** Reports steps of a run of known length. */
export interface Progress {
  step(label: string): void;
  note(message: string): void;
  done(): void;
}

/** A progress display writing to stderr, or a silent one. */
export function progress(total: number, enabled: boolean): Progress {
  if (!enabled) return { step() {}, note() {}, done() {} };
  const tty = process.stderr.isTTY === true;
  const t0 = performance.now();
  let n = 0;
  let last = '';
  const seconds = (): number => (performance.now() - t0) / 1000;
  return {
    step(label: string): void {
      n++;
      if (!tty) return;
      const s = seconds();
      const eta = n > 1 ? ` ETA ${formatSeconds((s / (n - 1)) * (total - n + 1))}` : '';
      last = `[${String(n).padStart(String(total).length)}/${total}] ${formatSeconds(s).padStart(6)}${eta} ${label}`;
      // Raw: under `kfib bench` stderr is guarded, and the guard would print \r as \x0d.
      writeRawStderr(`\r\x1b[2K${escapeControl(last)}`);
    },
    note(message: string): void {
      if (tty) writeRawStderr(`\r\x1b[2K${escapeControl(`  note: ${message}\n${last}`)}`);
      else process.stderr.write(`  note: ${message}\n`);
    },
    done(): void {
      if (tty) writeRawStderr(`\r\x1b[2K[done] ${formatSeconds(seconds())}\n`);
    },
  };
}
