// `ip tuntap add|del` (and `ip tap`): ip/iptuntap.c opens /dev/net/tun and asks TUNSETIFF,
// then TUNSETPERSIST 1 (add) or 0 (del), and closes the file. What the kernel does with
// that, in tun_set_iff() (drivers/net/tun.c):
//
// | the name given        | add (IFF_TUN_EXCL)                     | del                                   |
// | --------------------- | -------------------------------------- | ------------------------------------- |
// | a tun/tap device      | EBUSY (any device: IFF_TUN_EXCL first) | same mode: unregistered (its routes flushed as any device's); other mode: EINVAL |
// | another device        | EBUSY                                  | EINVAL                                |
// | none, or no name      | a new persistent device (`tun%d`/`tap%d` when no name) | the same: made, then gone when the file closes (an ifindex used up), exit 0 |
//
// iproute2 prints a failed ioctl with perror() ("ioctl(TUNSETIFF): Device or resource busy")
// and exits 1. Seen on this machine's kernel: fixture test/fixtures/kernel/tuntap.ip.
// Not modelled, by name: `show`/`list` (they read /sys/class/net/*/tun_flags), `multi_queue`
// (256 queues: the qdisc an open makes is mq), a device imported of unknown kind under that
// name (whether it is a tun the dump does not say).

import { STRERROR, type KernelError } from '../uapi/errno.js';
import { Args, CommandExit, duparg2, invarg, matches, notModelled, type CommandContext } from './command-context.js';
import type { LinkSpec } from '../events/netdev.js';
import { checkIfname } from './ip-link.js';
import { devGetByName } from '../snapshot/snapshot.js';


interface TuntapArgs {
  name: string;
  mode: 'tun' | 'tap' | null;
  multiQueue: boolean;
}

/** parse_args() of iptuntap.c: the words in any order; `user`/`group` only for add. */
function parseArgs(argv: readonly string[], add: boolean): TuntapArgs {
  const a = new Args(argv);
  const out: TuntapArgs = { name: '', mode: null, multiQueue: false };
  for (; !a.done; a.advance()) {
    const w = a.cur;
    if (matches(w, 'mode')) {
      const m = a.next();
      if (matches(m, 'tun') || matches(m, 'tap')) {
        const mode = matches(m, 'tun') ? 'tun' : 'tap';
        if (out.mode !== null && out.mode !== mode) throw new CommandExit('You managed to ask for more than one tunnel mode.\n', 255);
        out.mode = mode;
      } else throw new CommandExit(`Unknown tunnel mode "${m}"\n`, 255);
    } else if (add && (matches(w, 'user') || matches(w, 'group'))) {
      // TUNSETOWNER/TUNSETGROUP: who may open the device; nothing the FIB or ip link shows.
      const v = a.next();
      if (!/^\d+$/.test(v)) notModelled(`ip tuntap ${matches(w, 'user') ? 'user' : 'group'} by name (getpwnam()/getgrnam() of this host)`);
    } else if (matches(w, 'pi') || matches(w, 'one_queue') || matches(w, 'vnet_hdr')) {
      // Flags of the file's queue (IFF_NO_PI cleared, IFF_ONE_QUEUE, IFF_VNET_HDR): shown only by `ip -d link` and `ip tuntap show`.
    } else if (matches(w, 'multi_queue')) {
      out.multiQueue = true;
    } else if (matches(w, 'dev')) {
      const v = a.next();
      if (!checkIfname(v)) invarg('"dev" not a valid ifname', v);
      out.name = v;
    } else {
      let v = w;
      if (matches(w, 'name')) v = a.next();
      else if (matches(w, 'help')) throw new CommandExit('', 255, 'ip tuntap help (its usage text)');
      if (out.name !== '') duparg2('name', v);
      if (!checkIfname(v)) invarg('"name" not a valid ifname', v);
      out.name = v;
    }
  }
  if (out.mode === null) throw new CommandExit('You failed to specify a tunnel mode\n', 1);
  return out;
}

/** perror("ioctl(TUNSETIFF)") and exit 1. */
function ioctlFailed(err: KernelError): never {
  throw new CommandExit(`ioctl(TUNSETIFF): ${STRERROR[err.errno]}\n`, 1);
}

/**
 * The device tun_set_iff() finds under `name`: a tun/tap made here (its mode), another
 * device (EINVAL), an imported device whose kind is not known (named), or none.
 */
function existing(ctx: CommandContext, name: string): { readonly kind: 'none' } | { readonly kind: 'tun'; readonly ifindex: number; readonly mode: 'tun' | 'tap' } | { readonly kind: 'other' } {
  if (name === '' || name.includes('%')) return { kind: 'none' };
  // __dev_get_by_name(): the name or an alternative name.
  const d = devGetByName(ctx.snapshot, name);
  if (d !== undefined) {
    // A tun has no link-layer address (ARPHRD_NONE), a tap an Ethernet one: so an imported one's mode.
    if (d.kind === 'other' && d.driver === 'tun') return { kind: 'tun', ifindex: d.ifindex, mode: d.tun ?? (d.noLinkAddress === true ? 'tun' : 'tap') };
    if (d.kind === 'other' && d.driver === undefined) notModelled(`ip tuntap on ${name}, a device imported of unknown kind (a tun/tap or not)`);
    return { kind: 'other' };
  }
  return { kind: 'none' };
}

/** A new device: `name`, or tun_set_iff()'s `tun%d`/`tap%d`. */
function newTun(ctx: CommandContext, t: TuntapArgs): LinkSpec {
  const mode = t.mode as 'tun' | 'tap';
  return { ifindex: ctx.snapshot.nextIfindex, name: t.name === '' ? `${mode}%d` : t.name, kind: 'other', driver: 'tun', tun: mode, up: false };
}

/** `ip tuntap` (do_iptuntap()): add, del; show/list named. */
export function ipTuntap(ctx: CommandContext, argv: readonly string[]): void {
  const verb = argv[0];
  if (verb === undefined || matches(verb, 'show') || matches(verb, 'list') || matches(verb, 'lst')) notModelled('ip tuntap show (it reads /sys/class/net/*/tun_flags)');
  const rest = argv.slice(1);
  if (matches(verb, 'add')) {
    const t = parseArgs(rest, true);
    if (t.multiQueue) notModelled('ip tuntap multi_queue (256 queues: the qdisc its first open attaches is mq)');
    // tun_set_iff(): IFF_TUN_EXCL makes any device of that name EBUSY, before its kind is asked.
    if (t.name !== '' && !t.name.includes('%') && devGetByName(ctx.snapshot, t.name) !== undefined) ioctlFailed({ errno: 'EBUSY' });
    const step = ctx.apply({ type: 'link-add', link: newTun(ctx, t) });
    if (step.error !== null) ioctlFailed(step.error);
    return;
  }
  if (matches(verb, 'delete')) {
    const t = parseArgs(rest, false);
    const found = existing(ctx, t.name);
    if (found.kind === 'other') ioctlFailed({ errno: 'EINVAL' });
    if (found.kind === 'tun') {
      // tun_set_iff(): an existing device of the other mode, or a single-queue one asked
      // with multi_queue, is EINVAL.
      if (found.mode !== t.mode || t.multiQueue) ioctlFailed({ errno: 'EINVAL' });
      const step = ctx.apply({ type: 'link-del', ifindex: found.ifindex });
      if (step.error !== null) ioctlFailed(step.error);
      return;
    }
    if (t.multiQueue) notModelled('ip tuntap multi_queue (256 queues)');
    // No such device: TUNSETIFF makes one, TUNSETPERSIST 0 and close() unregister it.
    const link = newTun(ctx, t);
    const made = ctx.apply({ type: 'link-add', link });
    if (made.error !== null) ioctlFailed(made.error);
    ctx.apply({ type: 'link-del', ifindex: link.ifindex as number });
    return;
  }
  if (matches(verb, 'help')) throw new CommandExit('', 255, 'ip tuntap help (its usage text)');
  throw new CommandExit(`Command "${verb}" is unknown, try "ip tuntap help".\n`, 255);
}
