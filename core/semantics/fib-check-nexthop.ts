// fib_check_nexthop() and nexthop_check_scope() (net/ipv4/nexthop.c): whether a route of
// a given scope may use a nexthop object, checked when the route is added and, for every
// route using it, when the nexthop is replaced (fib_check_nh_list()).

import type { NexthopObject } from '../snapshot/nexthop-object.js';
import { kerr, type KernelError } from '../uapi/errno.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK } from '../uapi/rtnetlink.js';

/** nexthop_check_scope(): of a single (or blackhole) nexthop. */
function nexthopCheckScope(o: NexthopObject, scope: number): KernelError | null {
  if (o.kind !== 'single') return null;
  if (scope === RT_SCOPE_HOST && (o.gw !== null || o.gw6 !== undefined)) return kerr('EINVAL', 'Route with host scope can not have a gateway');
  if (o.onlink && scope >= RT_SCOPE_LINK) return kerr('EINVAL', 'Scope mismatch with nexthop');
  return null;
}

/** fib_check_nexthop(). */
export function fibCheckNexthop(nexthops: ReadonlyMap<number, NexthopObject>, o: NexthopObject, scope: number): KernelError | null {
  if (o.kind === 'group') {
    if (o.fdb) return kerr('EINVAL', 'Route cannot point to a fdb nexthop');
    if (scope === RT_SCOPE_HOST) return kerr('EINVAL', 'Route with host scope can not have multiple nexthops');
    // "all nexthops in a group have the same scope": the first member stands for them.
    const first = o.members[0] === undefined ? undefined : nexthops.get(o.members[0].id);
    return first === undefined ? null : nexthopCheckScope(first, scope);
  }
  if (o.kind === 'single' && o.fdb) return kerr('EINVAL', 'Route cannot point to a fdb nexthop');
  return nexthopCheckScope(o, scope);
}
