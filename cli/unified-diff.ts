// A small line-based unified diff (LCS), for `kfib run --kernel`.

export function unifiedDiff(aName: string, bName: string, a: string, b: string, context = 3): string {
  if (a === b) return '';
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const next = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) row[j] = x[i] === y[j] ? (next[j + 1] as number) + 1 : Math.max(next[j] as number, row[j + 1] as number);
  }
  type Op = { t: ' ' | '-' | '+'; s: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) ops.push({ t: ' ', s: x[i++] as string, ai: i, bi: ++j });
    else if (j < m && (i >= n || (lcs[i] as Uint32Array)[j + 1]! >= (lcs[i + 1] as Uint32Array)[j]!)) ops.push({ t: '+', s: y[j++] as string, ai: i, bi: j });
    else ops.push({ t: '-', s: x[i++] as string, ai: i, bi: j });
  }
  let out = `--- ${aName}\n+++ ${bName}\n`;
  let k = 0;
  while (k < ops.length) {
    if ((ops[k] as Op).t === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    while (end < ops.length) {
      if ((ops[end] as Op).t !== ' ') {
        end++;
        continue;
      }
      let run = 0;
      while (end + run < ops.length && (ops[end + run] as Op).t === ' ') run++;
      if (end + run >= ops.length || run > 2 * context) {
        end = Math.min(ops.length, end + context);
        break;
      }
      end += run;
    }
    const hunk = ops.slice(start, end);
    const aStart = hunk.filter((o) => o.t !== '+').length === 0 ? 0 : (hunk.find((o) => o.t !== '+') as Op).ai;
    const bStart = hunk.filter((o) => o.t !== '-').length === 0 ? 0 : (hunk.find((o) => o.t !== '-') as Op).bi;
    out += `@@ -${aStart},${hunk.filter((o) => o.t !== '+').length} +${bStart},${hunk.filter((o) => o.t !== '-').length} @@\n`;
    for (const o of hunk) out += `${o.t}${o.s}\n`;
    k = end;
  }
  return out;
}
