// The generator's coverage: how often each command kind and each of its options appeared.

import type { IpCommand } from '../arbitraries/ip-command.js';

export class Coverage {
  readonly kinds = new Map<string, number>();
  readonly options = new Map<string, Map<string, number>>();
  scripts = 0;
  commands = 0;

  add(script: readonly IpCommand[]): void {
    this.scripts++;
    for (const c of script) {
      this.commands++;
      this.kinds.set(c.kind, (this.kinds.get(c.kind) ?? 0) + 1);
      let m = this.options.get(c.kind);
      if (m === undefined) this.options.set(c.kind, (m = new Map()));
      for (const o of c.options) m.set(o, (m.get(o) ?? 0) + 1);
    }
  }

  /** A text table: kind, count, then its options by frequency. */
  table(): string {
    const kinds = [...this.kinds].sort((a, b) => b[1] - a[1]);
    const w = Math.max(...kinds.map(([k]) => k.length), 4);
    let out = `${'command'.padEnd(w)}  ${'count'.padStart(6)}  options (count)\n`;
    for (const [k, n] of kinds) {
      const opts = [...(this.options.get(k) ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
      out += `${k.padEnd(w)}  ${String(n).padStart(6)}  ${opts.map(([o, c]) => `${o} ${c}`).join(', ')}\n`;
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    return {
      scripts: this.scripts,
      commands: this.commands,
      kinds: Object.fromEntries(this.kinds),
      options: Object.fromEntries([...this.options].map(([k, m]) => [k, Object.fromEntries(m)])),
    };
  }
}
