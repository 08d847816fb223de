// The README's Layout diagram against the layer list that `npm run layers` enforces
// (.dependency-cruiser.cjs LAYERS) and against the tree: every layer is drawn, in the same
// order (the diagram top to bottom is the list bottom to top), and every folder or file the
// diagram names exists.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** LAYERS of .dependency-cruiser.cjs, bottom to top, read from its text. */
function layers(): string[] {
  const text = readFileSync(join(REPO, '.dependency-cruiser.cjs'), 'utf8');
  const body = /const LAYERS = \[([\s\S]*?)\n\];/.exec(text);
  assert.ok(body !== null, '.dependency-cruiser.cjs has no LAYERS list');
  return [...body[1]!.matchAll(/^\s*'([^']+)',/gm)].map((m) => m[1]!);
}

/** The paths the Layout diagram names, top to bottom (left to right on one line). */
function diagram(): string[] {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Layout'));
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block !== null, 'README.md has no Layout diagram');
  const out: string[] = [];
  for (const line of block[1]!.split('\n')) {
    const head = /^ ((?:(?:core|cli|workers|props|bench)\/[\w./-]*(?:, )?)+)/.exec(line);
    if (head !== null) out.push(...head[1]!.split(', ').map((p) => p.trim()).filter((p) => p !== ''));
  }
  return out;
}

/** The diagram entry that draws a layer: itself, or the longest folder that holds it. */
function drawnBy(layer: string, drawn: readonly string[]): number {
  let best = -1;
  drawn.forEach((d, i) => {
    const holds = d === layer || (d.endsWith('/') && layer.startsWith(d));
    if (holds && (best < 0 || d.length > drawn[best]!.length)) best = i;
  });
  return best;
}

test('the Layout diagram draws every layer of the layer check, in its order', () => {
  const drawn = diagram();
  const list = layers();
  assert.ok(list.length > 20, `LAYERS has ${list.length} entries`);
  let above = Number.POSITIVE_INFINITY;
  for (const layer of list) {
    const at = drawnBy(layer, drawn);
    assert.ok(at >= 0, `${layer} (a layer) is not in the README's Layout diagram`);
    assert.ok(at <= above, `${layer} is drawn above a layer that sits above it in .dependency-cruiser.cjs (${drawn[at]} over ${drawn[above]})`);
    above = at;
  }
  for (const d of drawn) assert.ok(list.some((l) => drawnBy(l, drawn) === drawn.indexOf(d)), `${d} is drawn but is no layer`);
});

test('every folder and file the Layout diagram names exists, and every source folder is drawn', () => {
  const drawn = diagram();
  for (const d of drawn) {
    const p = join(REPO, d);
    assert.ok(existsSync(p) && statSync(p).isDirectory() === d.endsWith('/'), `${d} is drawn but not in the tree`);
  }
  const list = layers();
  for (const top of ['core', 'workers']) {
    for (const name of readdirSync(join(REPO, top), { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      const folder = `${top}/${name.name}/`;
      assert.ok(list.includes(folder) && drawnBy(folder, drawn) >= 0 && drawn[drawnBy(folder, drawn)] === folder, `${folder} is in the tree but not drawn`);
    }
  }
});
