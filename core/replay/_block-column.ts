// Growable typed columns for the time-travel index (checkpoint-index.ts, packed-events.ts):
// numbers appended one by one, kept in fixed blocks of 65,536 rather than one array that
// doubles. Doubling touches twice the memory it ends with (each copy goes to fresh pages,
// and a fresh page costs a fault: about 6 ms a MiB measured on this project's VM, where a
// million indexed steps grew ~36 MiB of columns). A block is allocated once and never copied.
// One class per element type, so that each push() sees one array kind (monomorphic).

const SHIFT = 16;
const BLOCK = 1 << SHIFT;
const MASK = BLOCK - 1;

/** Int32 values appended in blocks. */
export class I32Blocks {
  private readonly blocks: Int32Array[] = [];
  private cur: Int32Array = new Int32Array(0);
  private pos = BLOCK;
  length = 0;

  push(x: number): void {
    if (this.pos === BLOCK) {
      this.cur = new Int32Array(BLOCK);
      this.blocks.push(this.cur);
      this.pos = 0;
    }
    this.cur[this.pos++] = x;
    this.length++;
  }

  /** The i-th value (0 <= i < length). */
  at(i: number): number {
    return (this.blocks[i >>> SHIFT] as Int32Array)[i & MASK] as number;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.blocks.length * BLOCK * 4;
  }
}

/** Float64 values appended in blocks (see I32Blocks). */
export class F64Blocks {
  private readonly blocks: Float64Array[] = [];
  private cur: Float64Array = new Float64Array(0);
  private pos = BLOCK;
  length = 0;

  push(x: number): void {
    if (this.pos === BLOCK) {
      this.cur = new Float64Array(BLOCK);
      this.blocks.push(this.cur);
      this.pos = 0;
    }
    this.cur[this.pos++] = x;
    this.length++;
  }

  /** The i-th value (0 <= i < length). */
  at(i: number): number {
    return (this.blocks[i >>> SHIFT] as Float64Array)[i & MASK] as number;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.blocks.length * BLOCK * 8;
  }
}
