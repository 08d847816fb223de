// The bytes of a WebAssembly module, written by hand: LEB128 numbers, sections, and the
// opcodes the lookup loops use (WebAssembly core specification, sections 5.2-5.5).
//
// Why: the lookup loops (wasm-lookup.ts) are a few hundred bytes; emitting them here needs no
// toolchain at build or run time, and keeps the loops readable as code beside the tables
// they read.

/** A piece of code: a byte, or nested pieces (flattened when the module is written). */
export type Code = number | Code[];

/** Value type i32. */
export const I32 = 0x7f;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v) b |= 0x80;
    out.push(b);
  } while (v);
  return out;
}

/** Signed LEB128 (of an int32). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let v = n | 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && !(b & 0x40)) || (v === -1 && b & 0x40)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const flat = (c: Code[]): number[] => c.flat(Infinity as 1) as number[];
export const vec = (items: Code[][]): number[] => [...uleb(items.length), ...items.flatMap(flat)];
export const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((ch) => ch.charCodeAt(0))];
export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** A function body: `locals` i32 locals, then the code. */
export function funcBody(locals: number, body: Code[]): number[] {
  const f = [...vec([[...uleb(locals), I32]]), ...flat(body)];
  return [...uleb(f.length), ...f];
}

// The instructions used (section 5.4).
export const get = (i: number): Code => [0x20, ...uleb(i)];
export const set = (i: number): Code => [0x21, ...uleb(i)];
export const tee = (i: number): Code => [0x22, ...uleb(i)];
export const i32 = (v: number): Code => [0x41, ...sleb(v)];
export const load = (offset = 0): Code => [0x28, 2, ...uleb(offset)];
export const store = (offset = 0): Code => [0x36, 2, ...uleb(offset)];
/** i32.load16_u (alignment hint 2^1). */
export const load16u = (offset = 0): Code => [0x2f, 1, ...uleb(offset)];
export const add = 0x6a;
export const sub = 0x6b;
export const and = 0x71;
export const or = 0x72;
export const xor = 0x73;
export const shl = 0x74;
export const shrU = 0x76;
export const popcnt = 0x69;
export const eq = 0x46;
export const ne = 0x47;
export const geU = 0x4f;
export const gtU = 0x4b;
export const ltS = 0x48;
export const geS = 0x4e;
export const select = 0x1b;
export const block: Code = [0x02, 0x40];
export const loop: Code = [0x03, 0x40];
export const ifThen: Code = [0x04, 0x40];
export const orElse = 0x05;
export const end = 0x0b;
export const br = (depth: number): Code => [0x0c, depth];
export const brIf = (depth: number): Code => [0x0d, depth];
