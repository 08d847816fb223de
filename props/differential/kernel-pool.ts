// A queue in front of the kernel runner (props/differential/kernel-runner.ts, kernelTranscriptAsync: a
// fresh `unshare -n` namespace per script): at most `size` namespaces at a time. The
// runner mostly sleeps while linkwatch settles, so namespaces overlap well on two cores.
// `front` puts a job ahead of the queue (shrinking must not wait behind prefetched
// scripts), and `cancelPending` drops what has not started.

import { kernelTranscriptAsync } from './kernel-runner.js';

interface Pending {
  readonly script: string;
  readonly resolve: (t: string | null) => void;
  readonly reject: (e: unknown) => void;
}

export class KernelPool {
  private readonly queue: Pending[] = [];
  private active = 0;
  private closed = false;

  /** @param size namespaces running side by side */
  constructor(readonly size: number) {}

  /**
   * The kernel's transcript of a script; null when the job was cancelled before it started.
   * @param front put the job at the head of the queue
   */
  run(script: string, front = false): Promise<string | null> {
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const p: Pending = { script, resolve, reject };
      if (front) this.queue.unshift(p);
      else this.queue.push(p);
      this.pump();
    });
  }

  /** Resolve every job that has not started with null. */
  cancelPending(): void {
    for (const p of this.queue.splice(0)) p.resolve(null);
  }

  close(): void {
    this.closed = true;
    this.cancelPending();
  }

  private pump(): void {
    while (this.active < this.size && this.queue.length > 0) {
      const p = this.queue.shift() as Pending;
      this.active++;
      kernelTranscriptAsync(p.script).then(
        (t) => this.finish(() => p.resolve(t)),
        (e: unknown) => this.finish(() => p.reject(e)),
      );
    }
  }

  private finish(settle: () => void): void {
    this.active--;
    settle();
    this.pump();
  }
}
