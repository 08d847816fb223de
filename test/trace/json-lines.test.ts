import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { entryLines } from '../../core/trace/json-lines.js';

const here = dirname(fileURLToPath(import.meta.url));

test('entryLines: the line each element of a top-level array starts on, through strings with brackets, escapes and nesting', () => {
  const text = '{"link":[],\n"route":[\n{"dst":"default","flags":["a]","b\\"{"]},\n  {"dst":"10.0.0.0/8","nexthops":[{"dev":"x"},\n{"dev":"y"}]},{"dst":"x"}\n],"rule":null,"addr":[1,\n2]}';
  const lines = entryLines(text);
  assert.deepEqual(lines.get('route'), [{ line: 3, column: 1 }, { line: 4, column: 3 }, { line: 5, column: 15 }]);
  assert.deepEqual(lines.get('link'), []);
  assert.deepEqual(lines.get('addr'), [{ line: 6, column: 23 }, { line: 7, column: 1 }]);
  assert.equal(lines.get('rule'), undefined);
});

test('entryLines on a capture\'s before.json (ip -j prints each dump on one line): every route element is counted', () => {
  const path = resolve(here, '../../../test/fixtures/traces/11-named-tables-wg/before.json');
  const text = readFileSync(path, 'utf8');
  const json = JSON.parse(text) as Record<string, unknown[]>;
  const lines = entryLines(text);
  for (const k of ['link', 'addr', 'route', 'rule', 'netconf']) {
    assert.equal(lines.get(k)?.length, json[k]?.length, k);
    // capture.sh prints one key per line; each element's column points at its "{".
    const rows = text.split('\n');
    const keyLine = rows.findIndex((l) => l.startsWith(`"${k}":`)) + 1;
    for (const [i, p] of (lines.get(k) ?? []).entries()) {
      assert.equal(p.line, keyLine, k);
      const at = (rows[p.line - 1] as string).slice(p.column - 1);
      assert.ok(at.startsWith(JSON.stringify(json[k]?.[i]).slice(0, 2)), `${k}[${i}] at ${p.line}:${p.column}: ${at.slice(0, 20)}`);
    }
  }
});
