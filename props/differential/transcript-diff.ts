// Comparing two transcripts command by command ("$ CMD" entries), so that a difference
// is reported at the command that first shows it and can be classified.

/** One command's entry: the `$ ` line and everything it printed. */
export interface Entry {
  readonly command: string;
  readonly text: string;
}

/** Splits a transcript into its entries. */
export function entries(transcript: string): Entry[] {
  const out: Entry[] = [];
  for (const chunk of transcript.split(/^(?=\$ )/m)) {
    if (chunk === '') continue;
    const nl = chunk.indexOf('\n');
    out.push({ command: chunk.slice(2, nl < 0 ? undefined : nl), text: chunk });
  }
  return out;
}

/** The first command whose entries differ, with both entries; null when the transcripts are equal. */
export interface EntryDiff {
  readonly index: number;
  readonly command: string;
  readonly model: string;
  readonly kernel: string;
}

export function entryDiffs(model: string, kernel: string): EntryDiff[] {
  const m = entries(model);
  const k = entries(kernel);
  const out: EntryDiff[] = [];
  for (let i = 0; i < Math.max(m.length, k.length); i++) {
    const a = m[i];
    const b = k[i];
    if (a?.text === b?.text) continue;
    out.push({ index: i, command: a?.command ?? b?.command ?? '', model: a?.text ?? '', kernel: b?.text ?? '' });
  }
  return out;
}
