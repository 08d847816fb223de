// The bytes a streaming reader holds between chunks: at most one record that a chunk
// boundary cut (bounded by the reader's largest message), kept in one growable buffer
// rather than a concatenation per chunk. iproute2's rtnl_from_file() reads the file with
// fread() into a fixed buffer; a stream of chunks needs this instead.

const SHRINK_ABOVE = 1 << 16;

/** A window [start, end) of a reusable buffer: the unread bytes of a stream. */
export class PendingBytes {
  buf = new Uint8Array(0);
  start = 0;
  end = 0;

  /** How many bytes are pending. */
  get length(): number {
    return this.end - this.start;
  }

  /** The pending bytes (a view, valid until the next change). */
  view(): Uint8Array {
    return this.buf.subarray(this.start, this.end);
  }

  /** Replaces the pending bytes with `rest` (the unread tail of a chunk read in place). */
  keep(rest: Uint8Array): void {
    if (rest.length === 0) {
      this.start = this.end = 0;
      return;
    }
    if (this.buf.length < rest.length) this.buf = new Uint8Array(Math.max(rest.length, 4096));
    this.buf.set(rest, 0);
    this.start = 0;
    this.end = rest.length;
  }

  /** Appends a chunk after the pending bytes, moving or growing the buffer as needed. */
  append(chunk: Uint8Array): void {
    const live = this.length;
    if (this.end + chunk.length > this.buf.length) {
      const size = live + chunk.length;
      if (size <= this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
      } else {
        const next = new Uint8Array(Math.max(size, this.buf.length * 2));
        next.set(this.view(), 0);
        this.buf = next;
      }
      this.start = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Gives back a buffer that a large chunk grew, keeping only the pending bytes. */
  shrink(): void {
    const live = this.length;
    if (this.buf.length > SHRINK_ABOVE && this.buf.length > 4 * live) {
      const next = new Uint8Array(Math.max(live, 4096));
      next.set(this.view(), 0);
      this.buf = next;
      this.start = 0;
      this.end = live;
    }
  }

  /** Drops everything, buffer included. */
  clear(): void {
    this.start = this.end = 0;
    this.buf = new Uint8Array(0);
  }
}
