// The number a write to an integer /proc/sys file stores, read from the bytes written as
// kernel/sysctl.c reads them: __do_proc_dointvec() (proc_dointvec: devinet's conf keys,
// ip_forward) and do_proc_douintvec_w() (proc_dou8vec_minmax, proc_douintvec_minmax: the
// nexthop/multipath keys), both over proc_skip_spaces() and proc_get_long().
//
// | bytes written          | stored                | why                                        |
// | ---------------------- | --------------------- | ------------------------------------------ |
// | "1\n", "1", " \t1 \n"  | 1                     | leading isspace() skipped, one separator after |
// | "0x10\n", "010\n"      | 16, 8                 | strtoul base 0                             |
// | "1 2\n", "1 abc\n"     | 1                     | one int per file; the rest is not read     |
// | "\n", "abc", "1abc"    | EINVAL                | no digit, or no separator after the number |
// | "+1", "- 1", "0x", "08"| EINVAL                | idem                                       |
// | "-1\n"                 | -1 (int), EINVAL (uint)| the unsigned handlers refuse any '-'      |
// | 21 chars of number     | EINVAL                | proc_get_long()'s TMPBUFLEN guard          |

/** TMPBUFLEN of kernel/sysctl.c: proc_get_long() copies at most TMPBUFLEN - 1 bytes. */
const TMPBUFLEN = 22;

/** isspace() of the kernel's ctype: blank, \t \n \v \f \r. */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** proc_wspace_sep[]: what may follow a number. */
function isWspaceSep(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n';
}

/**
 * proc_skip_spaces() then proc_get_long() over the bytes of one write: the sign and the
 * magnitude of the first number, or null for EINVAL.
 * @example procGetLong(' 0x10\n') // { neg: false, value: 16n }
 * 1. skip leading isspace() bytes; nothing left is EINVAL;
 * 2. take at most TMPBUFLEN - 1 bytes; an optional '-', then a digit is required;
 * 3. strtoul base 0 (`0x` + a hex digit is hex, a leading 0 octal), overflow is EINVAL;
 * 4. a number filling the whole buffer is EINVAL, and so is a byte after it that is not
 *    a blank, tab or newline.
 */
export function procGetLong(bytes: string): { readonly neg: boolean; readonly value: bigint } | null {
  let i = 0;
  while (i < bytes.length && isSpace(bytes[i] as string)) i++;
  const rest = bytes.slice(i);
  if (rest.length === 0) return null;
  const tmp = rest.slice(0, TMPBUFLEN - 1);
  let p = 0;
  const neg = tmp[0] === '-';
  if (neg) p++;
  if (!/[0-9]/.test(tmp[p] ?? '')) return null;
  // _parse_integer_fixup_radix(): "0x" counts as hex only when a hex digit follows.
  let base = 10;
  if (tmp[p] === '0') {
    if ((tmp[p + 1] === 'x' || tmp[p + 1] === 'X') && /[0-9a-fA-F]/.test(tmp[p + 2] ?? '')) {
      base = 16;
      p += 2;
    } else base = 8;
  }
  const digits = base === 16 ? /[0-9a-fA-F]/ : base === 8 ? /[0-7]/ : /[0-9]/;
  let value = 0n;
  while (p < tmp.length && digits.test(tmp[p] as string)) {
    value = value * BigInt(base) + BigInt(parseInt(tmp[p] as string, 16));
    p++;
  }
  // strtoul_lenient(): a value beyond ULONG_MAX is an overflow, EINVAL.
  if (value > 0xffffffffffffffffn) return null;
  if (p === TMPBUFLEN - 1) return null;
  if (p < rest.length && !isWspaceSep(rest[p] as string)) return null;
  return { neg, value };
}

/**
 * The int proc_dointvec() stores for the bytes written (do_proc_dointvec_conv()), or null
 * for EINVAL: at most INT_MAX, or INT_MAX + 1 when negative.
 * @example procDointvecWrite('-1\n') // -1
 */
export function procDointvecWrite(bytes: string): number | null {
  const n = procGetLong(bytes);
  if (n === null) return null;
  if (n.neg) return n.value > 2147483648n ? null : n.value === 0n ? 0 : -Number(n.value);
  return n.value > 2147483647n ? null : Number(n.value);
}

/**
 * The unsigned value do_proc_douintvec_w() reads (range checks are the handler's), or null
 * for EINVAL: any '-' is refused, `-0` included; at most UINT_MAX.
 * @example procDouintvecWrite(' 2 \n') // 2
 */
export function procDouintvecWrite(bytes: string): number | null {
  const n = procGetLong(bytes);
  if (n === null || n.neg || n.value > 4294967295n) return null;
  return Number(n.value);
}
