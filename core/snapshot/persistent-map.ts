// A persistent (immutable, structurally shared) ordered map from 40-bit integer keys to
// values, each entry with a small integer tag: a B+-tree whose leaves are chunks of up to
// 32 entries stored as three parallel arrays (keys, tags, values).
//
// Why not fib_trie's LC-trie? The kernel mutates its trie in place under RCU; the model
// must keep every earlier snapshot intact, so an update copies only the path from the
// root to the changed chunk (four nodes on a full table) and shares everything
// else. Why chunks rather than one object per entry (the 32-way trie this replaced)? A full
// table is 900,000 entries: visiting them as scattered objects cost ~160 ms, while chunks
// keep keys and tags in dense arrays (V8 stores an array of doubles, or of small integers,
// unboxed), so a walk or a bulk export (pmapColumns) reads memory in order, and the map
// takes ~35 bytes an entry instead of ~110 (1M random keys).
//
// Keys are ordered ascending, so an in-order walk yields ascending keys: fib-table.ts
// encodes (dst, 32 - plen) so that the walk is the kernel's dump order (address ascending,
// longer prefix first: fib_table_dump walks leaves by key and each leaf's aliases by
// suffix length). Tags are what fib-table.ts stores per prefix to compile without reading
// the values (a signature of the alias list's content); the map only keeps them.
//
// Shape: every chunk is at the same depth (`height` inner levels above them). An inner
// node holds its children and, per child but the first, the least key that child may hold
// (a separator: child c holds keys in [seps[c], seps[c + 1]); seps[0] is unused). A node's
// kind is known from its depth, so no node carries a type field.

//
// The map's modules: _pmap-node.ts (the nodes), pmap-update.ts (reads and copying
// updates), pmap-edit.ts (in-place updates owned by an edit), pmap-walk.ts (walks and bulk
// exports), pmap-diff.ts (what changed between two versions). This file is their one
// public surface.

export type { PMap } from './_pmap-node.js';
export { pmapEmpty } from './_pmap-node.js';
export { pmapGet, pmapGetTag, pmapSet, pmapDelete, pmapFromSorted } from './pmap-update.js';
export { PMapEdit, pmapGetIn, pmapSetIn, pmapDeleteIn } from './pmap-edit.js';
export { pmapForEach, pmapForEachRange, pmapColumns, pmapForEachChunk, pmapEntries } from './pmap-walk.js';
export { pmapDiff } from './pmap-diff.js';
