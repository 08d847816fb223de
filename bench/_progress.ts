// A progress display for the benchmarks on stderr: the step, its number, the time so far
// and an estimate of the time left (steps are taken as equally long), redrawn in place on
// a terminal; silent when stderr is not a terminal (CI logs, pipes), except for notes.

import { formatSeconds } from '../cli/io.js';

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
      process.stderr.write(`\r\x1b[2K${last}`);
    },
    note(message: string): void {
      process.stderr.write(tty ? `\r\x1b[2K  note: ${message}\n${last}` : `  note: ${message}\n`);
    },
    done(): void {
      if (tty) process.stderr.write(`\r\x1b[2K[done] ${formatSeconds(seconds())}\n`);
    },
  };
}
