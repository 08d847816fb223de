// What the model keeps of the kernel's cached nexthop source addresses (fib_nh's nh_saddr
// and nh_saddr_genid); the logic is in core/route/nh-saddr.ts.

import type { FibInfo } from './fib-info.js';

/** The nh_saddr state of one fib_info at its creation: the dev_addr_genid and each leg's route_localnet (null: not known, an imported state). */
export interface SaddrMark {
  readonly genid: number;
  readonly localnet: readonly (boolean | null)[];
}

/** What fib_find_info() compares of a fib_info (its flags aside): routes with equal keys share one. */
export function nhSaddrKey(info: FibInfo): string {
  let k = `${info.tbId}|${info.protocol}|${info.scope}|${info.priority}|${info.prefsrc}`;
  for (const nh of info.nhs) k += `|${nh.dev}:${nh.gw ?? nh.gw6 ?? 0}:${nh.weight}:${nh.onlink ? 1 : 0}`;
  return k;
}
