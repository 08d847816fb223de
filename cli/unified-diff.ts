// The unified diff of `kfib run --kernel` and `kfib verify`, model against kernel. jsdiff
// (the `diff` package) computes it with Myers' O(ND) algorithm, whose memory grows with the
// size of the difference, not the product of the two lengths as an LCS table's does (a
// 100,000-line transcript with a few differences stays small); the hunks are printed as
// GNU diff -u prints them (3 lines of context), red and green on a terminal.

import { structuredPatch } from 'diff';

/** `--- a` / `+++ b` and the hunks; '' when the texts are equal. */
export function unifiedDiff(aName: string, bName: string, a: string, b: string, options: { readonly context?: number; readonly colour?: boolean } = {}): string {
  if (a === b) return '';
  const patch = structuredPatch(aName, bName, a, b, undefined, undefined, { context: options.context ?? 3 });
  const colour = options.colour === true;
  const paint = (code: number, s: string): string => (colour ? `\x1b[${code}m${s}\x1b[0m` : s);
  let out = `${paint(1, `--- ${aName}`)}\n${paint(1, `+++ ${bName}`)}\n`;
  for (const h of patch.hunks) {
    out += `${paint(36, `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`)}\n`;
    for (const l of h.lines) out += `${l.startsWith('-') ? paint(31, l) : l.startsWith('+') ? paint(32, l) : l}\n`;
  }
  return out;
}
