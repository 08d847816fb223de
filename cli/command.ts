// The one command helper of the kfib CLI and the benches: a command declares its options
// once (type, short name, argument name, help text), and this module derives the --help
// text, parses argv (node:util parseArgs underneath), and turns every usage mistake into
// one line on stderr with a suggestion and exit status 2 (EX_USAGE in spirit; see
// cli/exit-status.ts). No argument library: parseArgs is in Node's standard library since
// 18.3 and does what kfib needs (booleans, strings, repeatable options, `--`, tokens);
// what it lacks (suggestions, generated help) is about a hundred lines here.

import { parseArgs } from 'node:util';
import { EXIT } from './exit-status.js';

/** One option as the command declares it. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  readonly short?: string;
  /** Repeatable: the value is the list of every occurrence. */
  readonly multiple?: boolean;
  /** The argument's name in the help text (FILE, N, LIST). */
  readonly arg?: string;
  /** The help text; continuation lines are indented to the help column. */
  readonly help: string;
  /** Not listed in --help (an alias kept for old scripts). */
  readonly hidden?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends { readonly type: 'boolean' } ? boolean : S extends { readonly multiple: true } ? string[] : string | undefined;

/** The parsed values: booleans default to false, repeatable strings to [], others to undefined. */
export type Values<O extends OptionSpecs> = { -readonly [K in keyof O]: ValueOf<O[K]> };

export interface CommandSpec<O extends OptionSpecs> {
  /** "kfib run": the prefix of every message. */
  readonly name: string;
  /** The usage line(s) after "Usage: ". */
  readonly usage: string;
  /** What the command does (paragraphs, already wrapped). */
  readonly about: string;
  readonly options: O;
  /** How many positional arguments, and what they are (for the error message). */
  readonly positionals: { readonly min: number; readonly max: number; readonly what: string };
  /** The exit statuses, as a paragraph. */
  readonly exit: string;
  /** Anything printed after the exit statuses (notes, examples). */
  readonly footer?: string;
}

export type Parsed<O extends OptionSpecs> =
  | { readonly kind: 'ok'; readonly values: Values<O>; readonly positionals: readonly string[] }
  | { readonly kind: 'exit'; readonly code: number };

const HELP_OPTION: OptionSpec = { type: 'boolean', short: 'h', help: 'this text.' };
const COLUMN = 19;

/** Declares a command; the generic keeps each option's literal type for `Values`. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>): CommandSpec<O> {
  return spec;
}

function optionLabel(name: string, o: OptionSpec): string {
  return `${o.short === undefined ? '' : `-${o.short}, `}--${name}${o.arg === undefined ? '' : ` ${o.arg}`}`;
}

/** The --help text, generated from the declaration. */
export function helpText<O extends OptionSpecs>(spec: CommandSpec<O>): string {
  const all: [string, OptionSpec][] = [...Object.entries(spec.options), ['help', HELP_OPTION]];
  let opts = '';
  for (const [name, o] of all) {
    if (o.hidden === true) continue;
    const label = `  ${optionLabel(name, o)}`;
    const [first, ...rest] = o.help.split('\n');
    const pad = label.length + 2 > COLUMN ? `\n${' '.repeat(COLUMN)}` : ' '.repeat(COLUMN - label.length);
    opts += `${label}${pad}${first ?? ''}\n`;
    for (const l of rest) opts += `${' '.repeat(COLUMN)}${l.trimStart()}\n`;
  }
  return `Usage: ${spec.usage}\n\n${spec.about.trimEnd()}\n\nOptions:\n${opts}\nExit status: ${spec.exit.trimEnd()}\n${spec.footer === undefined ? '' : `\n${spec.footer.trimEnd()}\n`}`;
}

/** Edit distance (Levenshtein), for suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length] as number;
}

/** The closest of `known` to `word` (a prefix, or at most a third of its letters off), or null. */
export function suggest(word: string, known: readonly string[]): string | null {
  const prefixed = known.filter((k) => word.length >= 2 && k.startsWith(word));
  if (prefixed.length === 1) return prefixed[0] as string;
  let best: string | null = null;
  let bestD = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(word, k);
    if (d < bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}

/** Writes a usage error (one line, then where to look) and returns exit status 2. */
export function usageError(name: string, message: string): number {
  process.stderr.write(`${name}: ${message}\n(see "${name} --help")\n`);
  return EXIT.usage;
}

/**
 * Parses argv against the declaration. `--help` prints the help and exits 0; an unknown
 * option, a missing or extra value, or a wrong number of positionals prints one error with
 * a suggestion and exits 2. `--` ends the options.
 */
export function parseCommand<O extends OptionSpecs>(spec: CommandSpec<O>, argv: readonly string[]): Parsed<O> {
  const options: Record<string, { type: 'boolean' | 'string'; short?: string; multiple?: boolean }> = {};
  const all: [string, OptionSpec][] = [...Object.entries(spec.options), ['help', HELP_OPTION]];
  for (const [name, o] of all) options[name] = { type: o.type, ...(o.short === undefined ? {} : { short: o.short }), ...(o.multiple === true ? { multiple: true } : {}) };
  const { tokens } = parseArgs({ args: [...argv], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, boolean | string | string[] | undefined> = {};
  for (const [name, o] of all) values[name] = o.type === 'boolean' ? false : o.multiple === true ? [] : undefined;
  const positionals: string[] = [];
  const names = all.map(([n]) => n);
  for (const t of tokens) {
    if (t.kind === 'positional') {
      positionals.push(t.value);
      continue;
    }
    if (t.kind === 'option-terminator') continue;
    const o = spec.options[t.name] ?? (t.name === 'help' ? HELP_OPTION : undefined);
    if (o === undefined) {
      const s = t.rawName.startsWith('--') ? suggest(t.name, names) : null;
      return { kind: 'exit', code: usageError(spec.name, `unknown option ${t.rawName}${s === null ? '' : `; did you mean --${s}?`}`) };
    }
    if (o.type === 'boolean') {
      if (t.value !== undefined) return { kind: 'exit', code: usageError(spec.name, `${t.rawName} takes no value (got "${t.value}")`) };
      values[t.name] = true;
      continue;
    }
    if (t.value === undefined) return { kind: 'exit', code: usageError(spec.name, `${t.rawName} needs a value (${o.arg ?? 'a string'})`) };
    if (o.multiple === true) (values[t.name] as string[]).push(t.value);
    else values[t.name] = t.value;
  }
  if (values['help'] === true) {
    process.stdout.write(helpText(spec));
    return { kind: 'exit', code: EXIT.ok };
  }
  const { min, max, what } = spec.positionals;
  if (positionals.length < min || positionals.length > max) {
    const extra = positionals.length > max ? `; unexpected: ${positionals.slice(max).map((p) => JSON.stringify(p)).join(' ')}` : '';
    return { kind: 'exit', code: usageError(spec.name, `expected ${what}${extra}`) };
  }
  delete values['help'];
  return { kind: 'ok', values: values as Values<O>, positionals };
}

/**
 * A positive integer option (or the default); null after writing the error. `min` is the
 * least value accepted.
 */
export function intOption(name: string, option: string, text: string | undefined, dflt: number, min = 1): number | null {
  if (text === undefined) return dflt;
  if (!/^-?[0-9]+$/.test(text) || Number(text) < min) {
    usageError(name, `--${option} must be an integer >= ${min}: got ${JSON.stringify(text)}`);
    return null;
  }
  return Number(text);
}
