// A small SVG chart writer for the bench results: grouped bars (throughput by threads) and
// lines (throughput by table size), with no dependency.
//
// Why: the issue asks for an SVG chart beside the JSON; a hand-written one keeps the
// benchmark free of plotting packages.

/** One named series of values, one per category (null: not measured). */
export interface Series {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

/** A reference line across a panel (the C baseline). */
export interface RefLine {
  readonly name: string;
  readonly value: number;
}

export interface Panel {
  readonly title: string;
  readonly kind: 'bars' | 'lines';
  readonly categories: readonly string[];
  readonly series: readonly Series[];
  readonly refs: readonly RefLine[];
  readonly unit: string;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2'];
const W = 900;
const H = 330;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(v, 1e-9)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function panelSvg(p: Panel, y0: number): string {
  const left = 70;
  const right = 260;
  const top = y0 + 36;
  const plotW = W - left - right;
  const plotH = H - 90;
  const all = [...p.series.flatMap((s) => s.values.filter((v): v is number => v !== null)), ...p.refs.map((r) => r.value)];
  const max = niceMax(Math.max(1, ...all));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const out: string[] = [];
  out.push(`<text x="${left}" y="${y0 + 20}" font-size="15" font-weight="bold">${esc(p.title)}</text>`);
  for (let i = 0; i <= 5; i++) {
    const v = (max * i) / 5;
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${+v.toFixed(1)}</text>`);
  }
  out.push(`<text x="14" y="${top + plotH / 2}" font-size="11" transform="rotate(-90 14 ${top + plotH / 2})" text-anchor="middle">${esc(p.unit)}</text>`);
  const n = p.categories.length;
  const slot = plotW / n;
  p.categories.forEach((c, i) => {
    out.push(`<text x="${left + slot * (i + 0.5)}" y="${top + plotH + 16}" font-size="11" text-anchor="middle">${esc(c)}</text>`);
  });
  if (p.kind === 'bars') {
    const bw = (slot * 0.8) / Math.max(1, p.series.length);
    p.series.forEach((s, k) => {
      s.values.forEach((v, i) => {
        if (v === null) return;
        const x = left + slot * i + slot * 0.1 + bw * k;
        out.push(`<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(bw - 1).toFixed(1)}" height="${(top + plotH - y(v)).toFixed(1)}" fill="${COLORS[k % COLORS.length]}"><title>${esc(`${s.name} ${p.categories[i]}: ${v.toFixed(1)} ${p.unit}`)}</title></rect>`);
      });
    });
  } else {
    p.series.forEach((s, k) => {
      const pts = s.values
        .map((v, i) => (v === null ? null : `${(left + slot * (i + 0.5)).toFixed(1)},${y(v).toFixed(1)}`))
        .filter((q): q is string => q !== null);
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${COLORS[k % COLORS.length]}" stroke-width="2"/>`);
      for (const q of pts) {
        const [cx, cy] = q.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${COLORS[k % COLORS.length]}"/>`);
      }
    });
  }
  p.refs.forEach((r) => {
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y(r.value)}" y2="${y(r.value)}" stroke="#000" stroke-dasharray="6 4"/>`);
  });
  const legend = [...p.series.map((s, k) => ({ name: s.name, color: COLORS[k % COLORS.length]!, dash: false })), ...p.refs.map((r) => ({ name: `${r.name} (${r.value.toFixed(1)})`, color: '#000', dash: true }))];
  legend.forEach((l, i) => {
    const ly = top + 10 + i * 18;
    const lx = left + plotW + 14;
    out.push(
      l.dash
        ? `<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="#000" stroke-dasharray="4 3"/>`
        : `<rect x="${lx}" y="${ly - 10}" width="14" height="10" fill="${l.color}"/>`,
    );
    out.push(`<text x="${lx + 20}" y="${ly}" font-size="11">${esc(l.name)}</text>`);
  });
  out.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  return out.join('\n');
}

/** An SVG document with the panels stacked, and a caption line at the bottom. */
export function chartSvg(panels: readonly Panel[], caption: string): string {
  const height = panels.length * H + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="sans-serif">`,
    `<rect width="${W}" height="${height}" fill="#fff"/>`,
    ...panels.map((p, i) => panelSvg(p, i * H)),
    `<text x="10" y="${height - 10}" font-size="10" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
