// The layout of a flat copy of a poptrie version (wasm-lookup.ts reads it, its flatten loop
// and _direct-level.ts write it), as byte offsets from the copy's word pairs.
//
// Why one module: the WebAssembly loop, the flatten loop, the direct level's writer and the
// workers' message check (protocol.ts) must agree on every offset.

/** Word pairs (bitmap, leaf base) per node of the third byte. */
export const PAIRS = 8;

/**
 * After the pairs (65,536 x 8 x 8 bytes) and the /16 leaves (65,536 x 4): a 64-byte header
 * whose first word says whether the copy has a direct level (1) or not (0).
 */
export const FLAG_AT = 4 * (2 * PAIRS * 65536 + 65536);

/** The direct level: a uint16 entry per /24 (2^24 entries, 32 MiB), /16 x's 256 at x * 512. */
export const DIRECT_AT = FLAG_AT + 64;

/** The entry of a /24 that the direct level does not answer: walk the pairs. */
export const DIRECT_MISS = 0xffff;

/** Int32s of a copy without the direct level (4.25 MiB). */
export const FLAT_WORDS = FLAG_AT / 4 + 16;

/** Int32s of a copy with it (36.25 MiB). */
export const FLAT_DIRECT_WORDS = FLAT_WORDS + (1 << 23);
