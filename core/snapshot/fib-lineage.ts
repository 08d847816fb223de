// What one lineage of snapshots shares: the snapshots made from one initialSnapshot() by
// any number of events, as the kernel's FIB state belongs to one network namespace (struct
// net). The kernel's fib_info_hash is per netns (net->ipv4.fib_info_hash); so is the model's
// (InfoHash, fib-info-hash.ts), and so is the registry of alias-list signatures the tables
// are tagged with (AliasSigs, alias-sig.ts).
//
// Why not module state: two independent FIBs in one process (two replays, a differential
// run beside a replay) must not see each other's entries, or an id depend on what the other
// did first; and a cache must go when its last snapshot goes. A lineage is created with the
// initial snapshot, carried by every snapshot made from it (and by the Txn that makes them,
// through its base), and collected with the last of them. Both caches are append-only and
// change no answer: the purity tests keep a lineage by identity, as they keep InfoIndex.

import { AliasSigs } from './alias-sig.js';
import { InfoHash } from './fib-info-hash.js';

export class FibLineage {
  /**
   * @param imported the lineage starts from a dump of a real namespace (replay/initial-state.ts),
   *   not from a fresh one: what such a dump does not carry (the route exceptions that
   *   `ip route show cached` lists) is unknown to the model, not empty.
   */
  constructor(readonly imported = false) {}
  /** The alias-list signatures the lineage's tables are tagged with. */
  readonly sigs = new AliasSigs();
  /** The lineage's fib_info hash (fib_find_info()). */
  readonly infos = new InfoHash();
  /**
   * A dump's IPv6 evidence (set once by the importer, replay/initial-state.ts): the ifindexes
   * of the devices it listed with IPv6 addresses, or null when it listed none (or the lineage
   * is not a dump). The model keeps no IPv6 address, so where the dump had some, an `ip
   * address` listing of the inet6 family is not modelled (ip-addr-list.ts).
   */
  inet6Devices: ReadonlySet<number> | null = null;
}
