// br_changelink() (net/bridge/br_netlink.c) on the bridge options the model carries, in the
// kernel's order (not the order typed): the first refusal ends the request.
//
// | attribute            | kernel function                  | refused                                        |
// | -------------------- | -------------------------------- | ---------------------------------------------- |
// | IFLA_BR_HELLO_TIME   | br_set_hello_time()              | ERANGE outside 1..10 s (clock_t 100..1000)     |
// | IFLA_BR_MAX_AGE      | br_set_max_age()                 | ERANGE outside 6..40 s (clock_t 600..4000)     |
// | IFLA_BR_GROUP_FWD_MASK | (inline)                       | EINVAL with a BR_GROUPFWD_RESTRICTED bit (0x7) |
//
// forward_delay is checked only while STP is on (br_set_forward_delay()), which the model
// never turns on (`stp_state` other than 0 is named by ../iproute2/iplink-bridge.ts);
// ageing_time, priority, mcast_snooping and nf_call_* are taken as they come. clock_t
// values become jiffies by clock_t_to_jiffies(); the bounds fall on whole seconds, so they
// are the same for every HZ.
//
// ops->changelink() runs before do_setlink() (rtnl_changelink()): a refused option leaves
// the device as it was, `up` and the rest not applied; for a new bridge, br_dev_newlink()
// registered it first and deletes it again (its ifindex stays spent).

import type { BridgeData } from '../events/netdev.js';
import { kerr, type KernelError } from '../uapi/errno.js';

/** BR_GROUPFWD_RESTRICTED: the STP, MAC pause and 802.3ad slow protocol addresses (01-80-C2-00-00-00..02). */
const BR_GROUPFWD_RESTRICTED = 0x7;

/**
 * br_changelink(): the first refusal of the options, or null.
 *
 * @example brChangelink({ maxAge: 0, groupFwdMask: 1 }) // ERANGE: max_age comes first
 *
 * 1. hello_time: 100..1000 clock_t, else ERANGE.
 * 2. max_age: 600..4000 clock_t, else ERANGE.
 * 3. group_fwd_mask: no restricted bit, else EINVAL.
 */
export function brChangelink(b: BridgeData): KernelError | null {
  if (b.helloTime !== undefined && (b.helloTime < 100 || b.helloTime > 1000)) return kerr('ERANGE');
  if (b.maxAge !== undefined && (b.maxAge < 600 || b.maxAge > 4000)) return kerr('ERANGE');
  if (b.groupFwdMask !== undefined && (b.groupFwdMask & BR_GROUPFWD_RESTRICTED) !== 0) return kerr('EINVAL');
  return null;
}
