// The binary columns of a report page (report-data.ts): unsigned and zigzag varints
// (LEB128, as protobuf writes them) and base64, so that the per-notification data of a
// million-notification trace is a few bytes each instead of a JSON object each.
//
// Why varints: most fields of a moment change little from one moment to the next (seq
// grows by one, the time by a few microseconds, one event applied), so a delta is one
// byte. Values up to 2^53 are exact (arithmetic, not 32-bit shifts: a time stamp's
// seconds do not fit in 31 bits).

/** A growable byte buffer written with varints. */
export class ByteWriter {
  private buf = new Uint8Array(1 << 12);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.length));
    this.buf = b;
  }

  /** An unsigned integer (0 ≤ v < 2^53) as a varint. */
  uint(v: number): void {
    if (!(v >= 0) || !Number.isSafeInteger(v)) throw new RangeError(`varint: expected a safe unsigned integer, got ${v}`);
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** A signed integer (|v| < 2^52) zigzag-encoded: 0, -1, 1, -2 … as 0, 1, 2, 3 …. */
  int(v: number): void {
    this.uint(v < 0 ? -2 * v - 1 : 2 * v);
  }

  /** Four bytes, little-endian (an IPv4 address). */
  u32(v: number): void {
    this.room(4);
    const x = v >>> 0;
    this.buf[this.length++] = x & 0xff;
    this.buf[this.length++] = (x >>> 8) & 0xff;
    this.buf[this.length++] = (x >>> 16) & 0xff;
    this.buf[this.length++] = x >>> 24;
  }

  byte(v: number): void {
    this.room(1);
    this.buf[this.length++] = v & 0xff;
  }

  /** The bytes written so far (a view: copy before writing more). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** The bytes written so far, and the writer emptied. */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}

/** Reads what a ByteWriter wrote; a read past the end throws a RangeError naming the offset. */
export class ByteReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) throw new RangeError(`the column ends at byte ${this.buf.length}, in the middle of a value that starts at byte ${this.pos}`);
  }

  uint(): number {
    // Most values are one byte (deltas of seq, counts, types): no loop, no bounds call.
    const b0 = this.buf[this.pos];
    if (b0 !== undefined && b0 < 0x80) {
      this.pos++;
      return b0;
    }
    let v = 0;
    let mul = 1;
    for (;;) {
      this.need(1);
      const b = this.buf[this.pos++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new RangeError(`a varint longer than 8 bytes at byte ${this.pos}`);
    }
  }

  int(): number {
    const u = this.uint();
    return u % 2 === 1 ? -(u + 1) / 2 : u / 2;
  }

  u32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0;
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Standard base64 (with padding) of some bytes. */
export function toBase64(b: Uint8Array): string {
  let out = '';
  let chunk: string[] = [];
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
    chunk.push(ALPHABET[n >>> 18] as string, ALPHABET[(n >>> 12) & 63] as string, ALPHABET[(n >>> 6) & 63] as string, ALPHABET[n & 63] as string);
    if (chunk.length >= 8192) {
      out += chunk.join('');
      chunk = [];
    }
  }
  out += chunk.join('');
  const rest = b.length - i;
  if (rest === 1) {
    const n = (b[i] as number) << 16;
    out += `${ALPHABET[n >>> 18]}${ALPHABET[(n >>> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8);
    out += `${ALPHABET[n >>> 18]}${ALPHABET[(n >>> 12) & 63]}${ALPHABET[(n >>> 6) & 63]}=`;
  }
  return out;
}

/**
 * The bytes of a base64 text (white space ignored), or a message naming the first
 * character that is not base64 and its offset.
 */
export function fromBase64(text: string): Uint8Array | string {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let n = 0;
  let acc = 0;
  let bits = 0;
  let pad = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (c === 61) {
      pad = true;
      continue;
    }
    const d = c < 128 ? (DECODE[c] as number) : -1;
    if (d < 0 || pad) return `offset ${i}: expected base64, got ${JSON.stringify(text[i])}`;
    acc = ((acc << 6) | d) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}
