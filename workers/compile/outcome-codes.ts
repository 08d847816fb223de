// Outcome codes: what a compiled table stores per region, and what decode() turns back
// into `ip route get`'s answer (fib-lpm.ts).
//
// Why: the workers' table holds 32-bit codes, not answers; a code is given out once per
// distinct outcome and never reused, so an answer computed against any version of the table
// decodes to the same outcome.

import type { CompiledOutcome } from './compile.js';

/**
 * Outcome codes: 1, 2, … for each distinct outcome, interned by content and never reused,
 * so that a code answered against any version decodes to the same outcome.
 */
export class OutcomeCodes {
  private readonly list: CompiledOutcome[] = [];
  private readonly ids = new Map<string, number>();

  /** The code of an outcome (>= 1). */
  code(o: CompiledOutcome): number {
    const key = JSON.stringify(o);
    let c = this.ids.get(key);
    if (c === undefined) {
      this.list.push(o);
      c = this.list.length;
      this.ids.set(key, c);
    }
    return c;
  }

  /** The outcome of a code; throws a RangeError for a code never given out. */
  outcome(code: number): CompiledOutcome {
    const o = this.list[code - 1];
    if (o === undefined) throw new RangeError(`Cannot decode lookup answer: unknown code ${code}`);
    return o;
  }

  /** How many distinct outcomes were coded. */
  get size(): number {
    return this.list.length;
  }
}
