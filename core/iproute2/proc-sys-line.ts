// The shell lines of routing scripts that read or write one file under /proc/sys/net
// directly, read as bash reads them (word splitting, quotes, `>`/`>>` redirection, a pipe
// into tee), for the forms below only; any other shell syntax is refused by name, never
// guessed at.
//
// | form                                   | bytes written        | stdout            |
// | -------------------------------------- | -------------------- | ----------------- |
// | echo [-n] WORD… > PATH   (or >>, >PATH)| WORDs joined by ' ', "\n" unless -n | none |
// | printf FORMAT > PATH     (or >>)       | FORMAT with `\n` as a newline (no %, no other \) | none |
// | echo/printf … | tee [-a] PATH          | the same             | the same bytes    |
// | echo/printf … | tee [-a] PATH >/dev/null | the same           | none              |
// | cat PATH                               | (a read)             | the file          |
//
// PATH is /proc/sys/net/… with plain components (no `.`, `..`, empty component, glob or
// variable). Words take letters, digits and `_./:@%+,=-`, single quotes, or double quotes
// without `$ \` \\ ! "`. A `>` must follow a blank (`echo 1>F` redirects fd 1).

/** One modelled /proc/sys line. `path` is below /proc/sys/ (`net/ipv4/ip_forward`). */
export type ProcSysLine =
  | { readonly kind: 'read'; readonly path: string; readonly shown: string }
  | {
      readonly kind: 'write';
      readonly path: string;
      /** The path as written on the line (error messages name it so). */
      readonly shown: string;
      readonly bytes: string;
      /** The builtin that writes (`echo`, `printf`: bash names it on a write error). */
      readonly producer: 'echo' | 'printf';
      /** Through `| tee`: tee writes the file and, unless sent to /dev/null, stdout. */
      readonly tee: null | { readonly toStdout: boolean };
    };

/** A line that is about /proc/sys but in a form outside the model, and why. */
export interface ProcSysRefusal {
  readonly refused: string;
}

type Token = { readonly op: '|' | '>' | '>>' } | { readonly word: string };

const PLAIN = /[A-Za-z0-9_./:@%+,=-]/;

/** bash's word splitting and quote removal over the characters this module takes. */
function tokenize(line: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  let word: string | null = null;
  const end = (): void => {
    if (word !== null) out.push({ word });
    word = null;
  };
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if (c === '|' || c === '>') {
      if (word !== null) return `"${c}" right after a word (write a blank before it)`;
      if (c === '>' && line[i + 1] === '>') {
        out.push({ op: '>>' });
        i += 2;
      } else {
        if (c === '>' && line[i + 1] === '|') return 'the redirection ">|"';
        if (c === '|' && line[i + 1] === '|') return 'the operator "||"';
        out.push({ op: c });
        i++;
      }
    } else if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return 'an unterminated quote';
      word = (word ?? '') + line.slice(i + 1, j);
      i = j + 1;
    } else if (c === '"') {
      const j = line.indexOf('"', i + 1);
      if (j < 0) return 'an unterminated quote';
      const inner = line.slice(i + 1, j);
      if (/[$`\\!]/.test(inner)) return 'an expansion inside double quotes';
      word = (word ?? '') + inner;
      i = j + 1;
    } else if (PLAIN.test(c)) {
      word = (word ?? '') + c;
      i++;
    } else return `the shell character "${c}"`;
  }
  end();
  return out;
}

/** The path below /proc/sys/ if `w` names a plain file under /proc/sys/net, else why not. */
function procPath(w: string): { path: string } | string {
  if (!w.startsWith('/proc/sys/net/')) return `the file ${w} (only files under /proc/sys/net are modelled)`;
  const rest = w.slice('/proc/sys/'.length);
  const parts = rest.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..' || !/^[A-Za-z0-9_:@.-]+$/.test(p))) return `the path ${w} (not a plain path)`;
  return { path: rest };
}

function isWord(t: Token | undefined): t is { readonly word: string } {
  return t !== undefined && 'word' in t;
}

/** echo's or printf's arguments as the bytes the builtin writes, or why not modelled. */
function produce(words: readonly string[]): { bytes: string; producer: 'echo' | 'printf' } | string {
  const [cmd, ...args] = words;
  if (cmd === 'echo') {
    let newline = true;
    let rest = args;
    if (rest[0] === '-n') {
      newline = false;
      rest = rest.slice(1);
    }
    // bash's echo takes any leading word of only n, e and E letters as options.
    if (rest.some((a, i) => (i === 0 && /^-[neE]+$/.test(a)) || a.includes('\\'))) return 'echo with options other than one -n, or a backslash';
    return { bytes: rest.join(' ') + (newline ? '\n' : ''), producer: 'echo' };
  }
  if (cmd === 'printf') {
    const fmt = args[0];
    if (args.length !== 1 || fmt === undefined || fmt.startsWith('-') || fmt.includes('%') || /\\(?!n)/.test(fmt)) return 'printf other than one format with no % and no escape but \\n';
    return { bytes: fmt.replace(/\\n/g, '\n'), producer: 'printf' };
  }
  return `the command ${cmd ?? ''}`;
}

/**
 * Reads one script line as one of the /proc/sys forms above.
 * @example parseProcSysLine('echo 1 > /proc/sys/net/ipv4/ip_forward') // { kind: 'write', path: 'net/ipv4/ip_forward', bytes: '1\n', … }
 * 1. null when the line does not name /proc/sys at all (another command: refused by the
 *    caller); a line naming it with another command is named as not modelled;
 * 2. split it into words and operators as bash does, refusing any other shell syntax;
 * 3. match `cat PATH`, `PRODUCER > PATH` or `PRODUCER | tee [-a] PATH [>/dev/null]`.
 */
export function parseProcSysLine(line: string): ProcSysLine | ProcSysRefusal | null {
  if (!line.includes('/proc/sys')) return null;
  const refuse = (why: string): ProcSysRefusal => ({ refused: `shell line with ${why}` });
  // Another command or a compound one (for, sudo, sh -c …) about /proc/sys: named too.
  const head = /^[^ \t]*/.exec(line)?.[0] ?? '';
  if (head !== 'echo' && head !== 'printf' && head !== 'cat') return refuse(`the command ${JSON.stringify(head)}`);
  const toks = tokenize(line);
  if (typeof toks === 'string') return refuse(toks);
  const words: string[] = [];
  let i = 0;
  for (; i < toks.length && isWord(toks[i]); i++) words.push((toks[i] as { word: string }).word);
  if (words[0] === 'cat') {
    if (i !== toks.length || words.length !== 2) return refuse('cat other than `cat PATH`');
    const p = procPath(words[1] as string);
    return typeof p === 'string' ? refuse(p) : { kind: 'read', path: p.path, shown: words[1] as string };
  }
  const prod = produce(words);
  if (typeof prod === 'string') return refuse(prod);
  const op = toks[i];
  const rest = toks.slice(i + 1);
  if (op !== undefined && 'op' in op && (op.op === '>' || op.op === '>>')) {
    const target = rest[0];
    if (rest.length !== 1 || !isWord(target)) return refuse('a redirection other than one `> PATH`');
    const p = procPath(target.word);
    return typeof p === 'string' ? refuse(p) : { kind: 'write', path: p.path, shown: target.word, ...prod, tee: null };
  }
  if (op !== undefined && 'op' in op && op.op === '|') {
    const tw: string[] = [];
    let j = 0;
    for (; j < rest.length && isWord(rest[j]); j++) tw.push((rest[j] as { word: string }).word);
    if (tw[0] !== 'tee') return refuse('a pipe into something other than tee');
    const files = tw[1] === '-a' ? tw.slice(2) : tw.slice(1);
    if (files.length !== 1) return refuse('tee other than `tee [-a] PATH`');
    const after = rest.slice(j);
    let toStdout = true;
    if (after.length > 0) {
      const [r, f] = after;
      if (after.length !== 2 || r === undefined || !('op' in r) || r.op === '|' || !isWord(f) || f.word !== '/dev/null') return refuse("tee's output sent elsewhere than > /dev/null");
      toStdout = false;
    }
    const p = procPath(files[0] as string);
    return typeof p === 'string' ? refuse(p) : { kind: 'write', path: p.path, shown: files[0] as string, ...prod, tee: { toStdout } };
  }
  return refuse('no redirection to a /proc/sys file');
}
