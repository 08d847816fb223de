// Which trace format a file's first bytes are: an rtmon file (its first record is the
// RTM_NEWLINK dump request rtmon writes: nlmsg_len 24, nlmsg_type 15 in either byte order),
// kfib's own JSON Lines event log, or `ip monitor` text. Bytes that are none of these are
// refused by the caller with the bytes seen (looksLikeText), never read as text.

/** The formats a trace may have. */
export type TraceFormat = 'rtmon' | 'monitor' | 'log';

/**
 * The colour escapes `ip -c` writes around addresses, names and states (SGR sequences,
 * ESC [ n ; ... m: color_fprintf() in iproute2's lib/color.c prints one before the text and
 * `\e[0m` after it, nothing else), wherever its output goes: `ip -c monitor > log` keeps them.
 */
export const SGR_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * Whether the first bytes read as text (UTF-8, no control characters but tab, CR, LF, and
 * ESC only in the colour escapes of `ip -c`: SGR_ESCAPE).
 */
export function looksLikeText(head: Uint8Array): boolean {
  let text: string;
  try {
    // stream: a multi-byte character cut at the end of the sample is not an error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  // A sample may end inside an escape: its start (ESC, ESC [ and digits) is not a fault.
  return !/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/.test(text.replace(SGR_ESCAPE, '').replace(/\x1b(\[[0-9;]*)?$/, ''));
}

/** The format the first bytes of a trace say. */
export function detectFormat(head: Uint8Array): TraceFormat {
  if (head.length >= 6) {
    const le = head[0] === 24 && head[1] === 0 && head[2] === 0 && head[3] === 0 && head[4] === 15 && head[5] === 0;
    const be = head[0] === 0 && head[1] === 0 && head[2] === 0 && head[3] === 24 && head[4] === 0 && head[5] === 15;
    if (le || be) return 'rtmon';
  }
  const text = new TextDecoder().decode(head.subarray(0, 64)).trimStart();
  if (text.startsWith('{')) return 'log';
  return 'monitor';
}
