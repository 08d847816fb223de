// What one `ip`/`sysctl` command line needs: the current snapshot, a way to apply an
// event through the reducer (recording effects), and the output it produces. The
// command modules mirror iproute2 6.1's argument parsing and messages (ip/*.c, lib/utils.c).

import type { FibSnapshot } from '../snapshot/snapshot.js';
import { devGetByName } from '../snapshot/snapshot.js';
import type { FibEvent } from '../events/fib-event.js';
import { reduceFib, type Step } from '../reduce/reduce.js';
import { STRERROR, type KernelError } from '../uapi/errno.js';
import type { Ip4 } from '../net/ip4.js';
import { BUILTIN_NAMES, parseUnsigned, type PrintNames } from '../uapi/rt-names.js';

/** stdout, stderr and exit status of one command, as the transcript records them. */
export interface CommandOutput {
  stdout: string;
  stderr: string;
  exit: number;
  /** A valid command outside what kfib models. */
  notModelled?: string;
}

/** Thrown inside a command to stop it the way iproute2's exit() would; caught by the dispatcher. */
export class CommandExit extends Error {
  constructor(
    readonly stderrText: string,
    readonly code: number,
    readonly notModelled?: string,
  ) {
    super(stderrText);
  }
}

export class CommandContext {
  readonly out: CommandOutput = { stdout: '', stderr: '', exit: 0 };
  readonly steps: { event: FibEvent; step: Step }[] = [];

  /** The name tables of the host `ip` runs on (rt_tables ...): iproute2's process state (`-N` makes them numeric). */
  names: PrintNames;

  constructor(public snapshot: FibSnapshot, names: PrintNames = BUILTIN_NAMES) {
    this.names = names;
  }

  /** Send a request to the (model) kernel. */
  apply(event: FibEvent): Step {
    const step = reduceFib(this.snapshot, event);
    this.snapshot = step.snapshot;
    this.steps.push({ event, step });
    return step;
  }

  print(text: string): void {
    this.out.stdout += text;
  }
  warn(text: string): void {
    this.out.stderr += text;
  }
}

/** What one command line did: its output, the snapshot after it, the events it applied. */
export interface CommandResult {
  readonly output: CommandOutput;
  readonly snapshot: FibSnapshot;
  readonly steps: readonly { readonly event: FibEvent; readonly step: Step }[];
}

/**
 * Runs one command line's body in a fresh context on `snapshot`: a CommandExit it throws
 * becomes the line's stderr, exit status and not-modelled note (what ip and sysctl print
 * and return); anything else is a bug and propagates.
 */
export function runInContext(snapshot: FibSnapshot, names: PrintNames, body: (ctx: CommandContext) => void): CommandResult {
  const ctx = new CommandContext(snapshot, names);
  try {
    body(ctx);
  } catch (e) {
    if (!(e instanceof CommandExit)) throw e;
    ctx.out.stderr += e.stderrText;
    ctx.out.exit = e.code;
    if (e.notModelled !== undefined) ctx.out.notModelled = e.notModelled;
  }
  return { output: ctx.out, snapshot: ctx.snapshot, steps: ctx.steps };
}

/** The text iproute2 prints for a kernel refusal (rtnl_talk with extack), exit status 2. */
export function kernelErrorText(err: KernelError): string {
  // nl_dump_ext_ack(): the message, and a full stop unless it ends with one.
  return err.extack !== undefined ? `Error: ${err.extack}${err.extack.endsWith('.') ? '' : '.'}\n` : `RTNETLINK answers: ${STRERROR[err.errno]}\n`;
}

/** Stop with a kernel error (rtnl_talk failed: the command returns -2, ip exits 2). */
export function failKernel(err: KernelError): never {
  throw new CommandExit(kernelErrorText(err), 2);
}

/** invarg(): `Error: argument "X" is wrong: MSG` (MSG usually ends in \n), exit 255. */
export function invarg(msg: string, arg: string): never {
  throw new CommandExit(`Error: argument "${arg}" is wrong: ${msg}\n`, 255);
}

/** nodev(): `Cannot find device "X"`, exit 1. */
export function nodev(name: string): never {
  throw new CommandExit(`Cannot find device "${name}"\n`, 1);
}

/** incomplete_command(): `Command line is not complete. Try option "help"`, exit 255. */
export function incomplete(): never {
  throw new CommandExit('Command line is not complete. Try option "help"\n', 255);
}

/** duparg2(). */
export function duparg2(key: string, arg: string): never {
  throw new CommandExit(`Error: either "${key}" is duplicate, or "${arg}" is a garbage.\n`, 255);
}

/** A valid iproute2 command that the model does not cover. */
export function notModelled(what: string): never {
  throw new CommandExit('', 2, what);
}

/** iproute2's matches(arg, word): arg is a non-empty prefix of word. */
export function matches(arg: string, word: string): boolean {
  return arg.length > 0 && word.startsWith(arg);
}

/** A cursor over argv with NEXT_ARG() semantics. */
export class Args {
  private i = 0;
  constructor(private readonly argv: readonly string[]) {}
  get done(): boolean {
    return this.i >= this.argv.length;
  }
  get cur(): string {
    return this.argv[this.i] ?? '';
  }
  peek(k = 1): string | undefined {
    return this.argv[this.i + k];
  }
  advance(): void {
    this.i++;
  }
  /** NEXT_ARG(): move to the argument's value, or fail as incomplete. */
  next(): string {
    this.i++;
    if (this.i >= this.argv.length) incomplete();
    return this.argv[this.i] as string;
  }
  rest(): readonly string[] {
    return this.argv.slice(this.i);
  }
}

/**
 * get_addr_ipv4() of lib/utils.c: up to four dot-separated parts, each a strtoul(…, 0)
 * number (0x hex, leading-0 octal) of at most 255; missing trailing parts are 0, so
 * "1.2.3" is 1.2.3.0 and "10" is 10.0.0.0.
 */
export function parseIp4Loose(text: string): Ip4 | undefined {
  const bytes = [0, 0, 0, 0];
  let rest = text;
  for (let i = 0; i < 4; i++) {
    // strtoul() takes leading blanks and a sign ('+10' is 10, '-0' is 0, '-1' is beyond 255).
    const m = /^([ \t\n\v\f\r]*[+-]?)(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)/.exec(rest);
    if (m === null) return undefined;
    const tok = m[2] as string;
    const n = /^0[xX]/.test(tok) ? parseInt(tok.slice(2), 16) : tok.length > 1 && tok.startsWith('0') ? parseInt(tok, 8) : parseInt(tok, 10);
    if (n > 255 || ((m[1] as string).endsWith('-') && n !== 0)) return undefined;
    rest = rest.slice((m[1] as string).length);
    bytes[i] = n;
    rest = rest.slice(tok.length);
    if (rest === '') break;
    if (i === 3 || !rest.startsWith('.')) return undefined;
    rest = rest.slice(1);
  }
  return ((bytes[0] as number) * 2 ** 24 + (bytes[1] as number) * 2 ** 16 + (bytes[2] as number) * 256 + (bytes[3] as number)) >>> 0;
}

/**
 * get_netmask() of lib/utils.c, the part of a prefix after '/': a strtoul(…, 0) number (so
 * "024" is octal 20 and "0x18" is 24), else an IPv4 netmask read by get_addr_1() (the loose
 * dotted form, so "255.255" is 255.255.0.0, and `default`/`any`/`all` are 0.0.0.0) that
 * mask2bits() accepts (contiguous ones: "255.255.255.0" is 24, "255.0.255.0" is refused).
 * Undefined when it is neither, or longer than `max` (get_prefix_1()'s check).
 */
export function getNetmask(text: string, max: number): number | undefined {
  let len = parseUnsigned(text);
  if (len === undefined) {
    const m = text === 'default' || text === 'any' || text === 'all' ? 0 : text.includes(':') ? undefined : parseIp4Loose(text);
    if (m === undefined) return undefined;
    const host = ~m >>> 0;
    if (((host & (host + 1)) >>> 0) !== 0) return undefined;
    len = 32 - Math.log2(host + 1);
  }
  return len <= max ? len : undefined;
}

/** get_prefix() for IPv4: A.B.C.D[/len], `default`/`any`/`all`; exits like iproute2 on garbage. */
export function getPrefix(word: string): { addr: Ip4; len: number; lenGiven: boolean } {
  if (word === 'default' || word === 'any' || word === 'all') return { addr: 0, len: 0, lenGiven: true };
  const slash = word.indexOf('/');
  const a = parseIp4Loose(slash < 0 ? word : word.slice(0, slash));
  let len = 32;
  let ok = a !== undefined;
  if (ok && slash >= 0) {
    const l = getNetmask(word.slice(slash + 1), 32);
    if (l === undefined) ok = false;
    else len = l;
  }
  if (!ok || a === undefined) throw new CommandExit(`Error: any valid prefix is expected rather than "${word}".\n`, 1);
  return { addr: a, len, lenGiven: slash >= 0 };
}

/** get_addr() for IPv4. */
export function getAddr(word: string): Ip4 {
  if (word === 'default' || word === 'any' || word === 'all') return 0;
  const a = parseIp4Loose(word);
  if (a === undefined) throw new CommandExit(`Error: any valid address is expected rather than "${word}".\n`, 1);
  return a;
}

/** ll_name_to_index(), or nodev(). */
export function devIndex(ctx: CommandContext, name: string): number {
  const d = devGetByName(ctx.snapshot, name);
  if (d === undefined) nodev(name);
  return d.ifindex;
}
