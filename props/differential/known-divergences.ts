// The known divergences of props/known-divergences.md as narrow classifiers: each says
// whether one differing command entry is explained by that divergence and nothing else.
// The differential tolerates exactly these; anything else fails. A classifier that is
// `outputOnly` leaves the state alone, so comparison goes on after it; otherwise the
// rest of the script is not compared (the states have parted) and the run is counted as
// tolerated, not as passed.

import type { EntryDiff } from './transcript-diff.js';

export interface KnownDivergence {
  /** The heading id in props/known-divergences.md. */
  readonly id: string;
  readonly title: string;
  readonly outputOnly: boolean;
  /** Whether this difference (and the script before it) is exactly this divergence. */
  matches(d: EntryDiff, script: readonly string[]): boolean;
  /** The documented minimal example: script lines and both transcripts. */
  readonly example: { readonly script: readonly string[]; readonly model: string; readonly kernel: string };
}

export const KNOWN_DIVERGENCES: readonly KnownDivergence[] = [];

/** The known divergence explaining a difference, if any. */
export function classify(d: EntryDiff, script: readonly string[]): KnownDivergence | undefined {
  return KNOWN_DIVERGENCES.find((k) => k.matches(d, script));
}
