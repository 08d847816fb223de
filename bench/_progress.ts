// A progress display for the benchmarks on stderr: one line per step with its elapsed time,
// redrawn in place on a terminal, appended otherwise (CI logs).

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
  const elapsed = (): string => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  return {
    step(label: string): void {
      n++;
      last = `[${String(n).padStart(String(total).length)}/${total}] ${elapsed().padStart(7)} ${label}`;
      process.stderr.write(tty ? `\r\x1b[2K${last}` : `${last}\n`);
    },
    note(message: string): void {
      process.stderr.write(tty ? `\r\x1b[2K  note: ${message}\n${last}` : `  note: ${message}\n`);
    },
    done(): void {
      process.stderr.write(tty ? `\r\x1b[2K[done] ${elapsed()}\n` : `[done] ${elapsed()}\n`);
    },
  };
}
