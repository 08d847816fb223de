// Resilient nexthop groups (net/ipv4/nexthop.c): a table of N buckets, each holding one
// member. nh_res_group_rebalance() gives every member its share of the buckets
// (wants = DIV_ROUND_CLOSEST(N * cumulative weight, total) minus the previous bound) and
// lists the underweight members, each new one at the head (list_add), so the last
// underweight member fills first; nh_res_table_upkeep() then walks the buckets in order
// and moves every bucket that is empty or held by an overweight member to the head of
// that list (nh_res_bucket_migrate), dropping a member from the list once it is balanced.
//
// A bucket moves only when it is idle. A bucket no lookup has used since it was last
// migrated is idle at once (nh_res_bucket_idle_point: used_time == migrated_time), so
// without lookups through the group every upkeep balances the table completely: that is
// what is modelled. A lookup through the group (nexthop_select_path_res) marks the bucket
// its flow hashes to busy, and a busy bucket of an overweight member stays until its idle
// timer runs out: the model does not follow that (README, "What is modelled").

import type { ResMember } from '../snapshot/nexthop-object.js';

/** DIV_ROUND_CLOSEST() for non-negative operands. */
function divRoundClosest(x: number, d: number): number {
  return Math.floor((x + Math.floor(d / 2)) / d);
}

/**
 * replace_nexthop_grp_res() / the insertion in insert_nexthop(): the buckets after the
 * group became `members`, starting from `old` (null for a new table: every bucket empty).
 * nh_res_table_migrate_buckets() keeps a bucket whose member is still in the group and
 * empties the others; nh_res_group_rebalance() and nh_res_table_upkeep() follow.
 */
export function resTableRebalance(old: readonly number[] | null, numBuckets: number, members: readonly ResMember[]): number[] {
  const count = new Map<number, number>();
  const wants = new Map<number, number>();
  for (const m of members) count.set(m.id, 0);
  // nh_res_table_migrate_buckets(): -1 is an unoccupied bucket.
  const buckets = new Array<number>(numBuckets);
  for (let i = 0; i < numBuckets; i++) {
    const id = old === null ? -1 : (old[i] ?? -1);
    if (id >= 0 && count.has(id)) {
      buckets[i] = id;
      count.set(id, (count.get(id) ?? 0) + 1);
    } else buckets[i] = -1;
  }
  // nh_res_group_rebalance()
  let total = 0;
  for (const m of members) total += m.weight;
  let w = 0;
  let prev = 0;
  const underweight: number[] = [];
  for (const m of members) {
    w += m.weight;
    const upper = divRoundClosest(numBuckets * w, total);
    const want = upper - prev;
    wants.set(m.id, want);
    prev = upper;
    if ((count.get(m.id) ?? 0) < want) underweight.unshift(m.id);
  }
  // nh_res_table_upkeep() with every bucket idle.
  for (let i = 0; i < numBuckets && underweight.length > 0; i++) {
    const cur = buckets[i] as number;
    if (cur >= 0 && (count.get(cur) ?? 0) <= (wants.get(cur) ?? 0)) continue;
    const to = underweight[0] as number;
    if (cur >= 0) count.set(cur, (count.get(cur) ?? 0) - 1);
    buckets[i] = to;
    const c = (count.get(to) ?? 0) + 1;
    count.set(to, c);
    if (c === wants.get(to)) underweight.shift();
  }
  return buckets;
}
