// The package as a user gets it: `npm pack` the built tree, install the tarball into an
// empty project (offline from npm's cache, which `npm ci` warmed), check what the tarball
// holds, and run every README example from the installed copy: the `sh` blocks through the
// installed `kfib` (from the package's folder, so that `examples/…` resolves), the `ts`
// blocks type-checked with the repo's TypeScript against the installed types and run. Each
// block's output is compared with the `text` block the README shows after it, and nothing
// may appear on stderr.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeExamples } from './_readme-examples.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
const README = readFileSync(join(REPO, 'README.md'), 'utf8');
const PKG = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 << 20 });
}

function ok(r: SpawnSyncReturns<string>, what: string): string {
  assert.equal(r.error, undefined, `${what}: ${String(r.error)}`);
  assert.equal(r.status, 0, `${what} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('the packed package, installed into an empty project', () => {
  let dir = '';
  let project = '';
  let files: string[] = [];
  const examples = readmeExamples(README);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kfib-pack-'));
    project = join(dir, 'project');
    mkdirSync(project);
    // The tree is built (npm test builds first): pack it as it is, without prepack's rebuild.
    const packed = JSON.parse(ok(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], REPO), 'npm pack')) as { filename: string; files: { path: string }[] }[];
    const p = packed[0];
    assert.ok(p !== undefined);
    files = p.files.map((f) => f.path).sort();
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'kfib-user', private: true, type: 'module' }, null, 2)}\n`);
    ok(run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, p.filename)], project), 'npm install of the tarball');
    // Every ts example, type-checked in one compile (the libraries' declarations too) as a
    // user's strict project would, against the installed package's types.
    const sources = examples.flatMap((ex, i) => (ex.lang === 'ts' ? [join(project, `example-${i}.ts`)] : []));
    for (const [i, ex] of examples.entries()) if (ex.lang === 'ts') writeFileSync(join(project, `example-${i}.ts`), ex.code);
    const TS_OPTIONS = ['--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    ok(run(process.execPath, [TSC, ...TS_OPTIONS, '--typeRoots', join(REPO, 'node_modules', '@types'), '--types', 'node', '--outDir', join(project, 'out'), ...sources], project), 'tsc on the README\'s ts examples');
  });

  after(() => {
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  test('the tarball holds dist (no tests, no source maps), examples, LICENSE, README and package.json, nothing else', () => {
    const unexpected = files.filter(
      (f) => !(/^dist\/(core|cli|workers|props|bench)\/.+\.(js|d\.ts)$/.test(f) || f.startsWith('examples/') || ['LICENSE', 'README.md', 'package.json'].includes(f)),
    );
    assert.deepEqual(unexpected, []);
    assert.ok(files.includes('LICENSE') && files.includes('README.md') && files.includes('dist/cli/kfib.js') && files.includes('dist/workers/lookup-worker.js'));
    assert.ok(files.some((f) => f.startsWith('examples/')), 'examples/ is shipped');
    assert.deepEqual(files.filter((f) => f.startsWith('dist/test/') || f.endsWith('.map')), []);
  });

  test('kfib --version prints the package version', () => {
    const r = run(join(project, 'node_modules', '.bin', 'kfib'), ['--version'], project);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, `kfib ${PKG.version}\n`);
  });

  test('kfib run X | head -1 prints one line and nothing on stderr', () => {
    const kfib = join(project, 'node_modules', '.bin', 'kfib');
    const r = run('bash', ['-c', `set -o pipefail; "${kfib}" run examples/seed-stories.ip | head -1`], join(project, 'node_modules', 'kfib'));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '$ ip link add name vethtest1 up type veth peer name vethtest1peer\n');
    assert.equal(r.stderr, '');
  });

  test('the README has runnable examples of the CLI and of each library entry point', () => {
    assert.ok(examples.filter((e) => e.lang === 'sh').length >= 3);
    for (const entry of ["from 'kfib'", "from 'kfib/engine'", "from 'kfib/replay'", "from 'kfib/trace'"]) assert.ok(examples.some((e) => e.lang === 'ts' && e.code.includes(entry)), `a ts example imports ${entry}`);
  });

  for (const [i, ex] of examples.entries()) {
    test(`README line ${ex.line}: the ${ex.lang} example runs from the installed package${ex.expected === undefined ? '' : ' and prints what the README shows'}`, () => {
      let r: SpawnSyncReturns<string>;
      if (ex.lang === 'sh') {
        // `npx kfib` from a project that installed kfib runs its bin; the examples run from
        // the package's folder so that examples/… resolves.
        const env = { ...process.env, PATH: `${join(project, 'node_modules', '.bin')}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1' };
        r = run('bash', ['-c', `set -e -o pipefail\nnpx() { "$@"; }\n${ex.code}`], join(project, 'node_modules', 'kfib'), env);
      } else {
        r = run(process.execPath, [join(project, 'out', `example-${i}.js`)], project);
      }
      assert.equal(r.stderr, '', `stderr of the example at README line ${ex.line}`);
      assert.equal(r.status, 0, `exit status of the example at README line ${ex.line}\n${r.stdout}`);
      if (ex.expected !== undefined) assert.equal(r.stdout, ex.expected);
    });
  }
});
