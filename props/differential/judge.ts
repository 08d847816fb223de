// The verdict on one script: the model's transcript against the kernel's, entry by entry,
// with the known divergences tolerated and nothing else.

import { entryDiffs, type EntryDiff } from './transcript-diff.js';
import { classify, type KnownDivergence } from './known-divergences.js';

export type Verdict =
  | { readonly kind: 'same' }
  | { readonly kind: 'tolerated'; readonly known: readonly KnownDivergence[] }
  | { readonly kind: 'diverged'; readonly diff: EntryDiff; readonly known: readonly KnownDivergence[] };

/**
 * 1. equal transcripts: same;
 * 2. walk the differing entries in order: an entry a known divergence explains is
 *    tolerated; an `outputOnly` one lets the walk go on, another one ends it (the states
 *    parted, later entries are its consequences);
 * 3. the first entry no known divergence explains: diverged.
 */
export function judge(model: string, kernel: string, script: readonly string[]): Verdict {
  if (model === kernel) return { kind: 'same' };
  const known: KnownDivergence[] = [];
  for (const d of entryDiffs(model, kernel)) {
    const k = classify(d, script.slice(0, d.index + 1));
    if (k === undefined) return { kind: 'diverged', diff: d, known };
    known.push(k);
    if (!k.outputOnly) break;
  }
  return { kind: 'tolerated', known };
}
