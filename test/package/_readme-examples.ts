// The README's runnable examples: every fenced block whose info string is `sh` (shell
// commands, `npx kfib …`) or `ts` (a library example), each with the `text` block that
// follows it, if any, as its expected standard output. Blocks without an info string are
// illustrations that need a checkout of kfib (../shared) and are not run.

export interface ReadmeExample {
  readonly lang: 'sh' | 'ts';
  readonly code: string;
  /** The README line of the block's opening fence. */
  readonly line: number;
  /** The output the README shows for it, when it shows one. */
  readonly expected?: string;
}

/** The runnable examples of a README, in order. */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split('\n');
  const blocks: { lang: string; code: string; line: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^```(\S*)\s*$/.exec(lines[i] as string);
    if (m === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).startsWith('```'); i++) body.push(lines[i] as string);
    blocks.push({ lang: m[1] ?? '', code: body.map((l) => `${l}\n`).join(''), line: start + 1, end: i });
  }
  const out: ReadmeExample[] = [];
  for (const [k, b] of blocks.entries()) {
    if (b.lang !== 'sh' && b.lang !== 'ts') continue;
    const next = blocks[k + 1];
    // The output block must follow directly (blank lines or one line of prose between).
    const between = next === undefined ? [] : lines.slice(b.end + 1, next.line - 1).filter((l) => l.trim() !== '');
    const expected = next !== undefined && next.lang === 'text' && between.length <= 1 ? next.code : undefined;
    out.push({ lang: b.lang, code: b.code, line: b.line, ...(expected === undefined ? {} : { expected }) });
  }
  return out;
}
