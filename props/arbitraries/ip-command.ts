// One generated script step: the `ip`/`sysctl` words that produce it, plus the command
// kind and the options it used (for the generator's coverage table). Its toString() is
// the command line, so a shrunk counterexample reads as a script.

import fc from 'fast-check';

/** A generated command line with its coverage labels. */
export class IpCommand {
  /**
   * @param kind    what the command is, e.g. `ip route add`, `ip route get`, `sysctl`
   * @param words   the argv, joined by single spaces when printed
   * @param options coverage labels of the options it carries, e.g. `tos`, `type:blackhole`
   */
  constructor(
    readonly kind: string,
    readonly words: readonly string[],
    readonly options: readonly string[] = [],
  ) {}

  toString(): string {
    return this.words.join(' ');
  }
}

/** A script: commands, printed one per line. */
export function scriptText(cmds: readonly IpCommand[]): string {
  return cmds.map((c) => `${c.toString()}\n`).join('');
}

/** Builds an IpCommand from optional word groups: `null`/`undefined` parts are left out. */
export function cmd(kind: string, parts: readonly (readonly string[] | null | undefined)[], options: readonly (string | null | undefined | false)[] = []): IpCommand {
  const words: string[] = [];
  for (const p of parts) if (p !== null && p !== undefined) words.push(...p);
  return new IpCommand(
    kind,
    words,
    options.filter((o): o is string => typeof o === 'string'),
  );
}

/**
 * An optional part present about one time in `oneIn` (null otherwise); shrinks to null.
 * @example maybe(fc.constant(['onlink']), 5)
 */
export function maybe<T>(a: fc.Arbitrary<T>, oneIn: number): fc.Arbitrary<T | null> {
  return fc.oneof({ withCrossShrink: true }, { arbitrary: fc.constant(null), weight: Math.max(1, oneIn - 1) }, { arbitrary: a, weight: 1 });
}
