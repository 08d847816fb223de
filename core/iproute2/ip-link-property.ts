// `ip link property add|del` (iproute2 6.1 ip/iplink.c: iplink_prop(), iplink_prop_mod()):
// a device's alternative names, sent as one RTM_NEWLINKPROP / RTM_DELLINKPROP
// (core/dev/rtnl-linkprop.ts).
//
// What iproute2 does with the words, as seen on iproute2 6.1:
// | words                          | answer                                                   |
// |--------------------------------|----------------------------------------------------------|
// | `property` and no operator, or one that is not a prefix of `add`/`del` (`delete`) | `Operator required`, exit 255 |
// | `help` anywhere                | the usage of ip link (not modelled)                      |
// | `altname` (or a prefix) N      | N checked by check_altifname(): `not a valid altname`    |
// | `dev D` or a bare D            | D checked by check_altifname(); a second one: duparg2()  |
// | no device                      | `Not enough of information: "dev" argument is required.` |
// | a device no name finds         | nodev(), exit 1                                          |

import { Args, CommandContext, CommandExit, duparg2, failKernel, invarg, matches, nodev, notModelled } from './command-context.js';
import { checkAltifname } from './ip-link.js';
import { devGetByName } from '../snapshot/snapshot.js';
import { altnamePolicyOk } from '../dev/rtnl-linkprop.js';
import { kerr } from '../uapi/errno.js';

/** `ip link property OP [dev] D [altname N]…`. */
export function linkProperty(ctx: CommandContext, a: Args): void {
  const op = a.done ? null : a.cur;
  if (op === null) notModelled('ip link help (the usage `ip link property` prints)');
  const kind = matches(op, 'add') ? 'add' : matches(op, 'del') ? 'del' : null;
  if (kind === null) throw new CommandExit('Operator required\n', 255);
  a.advance();
  let dev: string | null = null;
  const altnames: string[] = [];
  for (; !a.done; a.advance()) {
    const w = a.cur;
    if (matches(w, 'altname')) {
      const n = a.next();
      if (!checkAltifname(n)) invarg('not a valid altname', n);
      altnames.push(n);
    } else if (matches(w, 'help')) {
      notModelled('ip link help (the usage `ip link property … help` prints)');
    } else {
      const d = w === 'dev' ? a.next() : w;
      if (dev !== null) duparg2('dev', d);
      if (!checkAltifname(d)) invarg('"dev" not a valid ifname', d);
      dev = d;
    }
  }
  if (dev === null) throw new CommandExit('Not enough of information: "dev" argument is required.\n', 255);
  const d = devGetByName(ctx.snapshot, dev);
  if (d === undefined) nodev(dev);
  // One request in the kernel; sent here as one event per name, in order, so that an event
  // log keeps the names applied before a refusal (it keeps no refused event). The same
  // state and answer: the whole message is validated first (altnamePolicyOk()), then
  // rtnl_linkprop() applies the names in order and stops at the first error.
  if (!altnames.every(altnamePolicyOk)) failKernel(kerr('EINVAL', 'Attribute failed policy validation'));
  for (const n of altnames) {
    const step = ctx.apply({ type: 'link-prop', ifindex: d.ifindex, op: kind, altnames: [n] });
    if (step.error !== null) failKernel(step.error);
  }
}
