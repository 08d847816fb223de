// The C DIR-24-8 baseline (bench/c/dir24_8.c): compiled with the machine's
// `gcc -O3 -march=native` at bench time, then run on the same prefixes and addresses.
//
// Why: the headline figure is the engine's rate as a ratio to a single-thread C
// DIR-24-8 on the same machine, measured in the same run. Its answers are checked (checksum
// over every answer, and the first answers one by one) before its rate counts.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchTable } from './_tables.js';
import { formatPrefix } from './_tables.js';

/** The C source, found from the compiled bench (dist/bench/) or the source tree (bench/). */
export function cSourcePath(): string {
  const here = fileURLToPath(new URL('.', import.meta.url));
  // Compiled: dist/bench/ -> ../../bench/c; run from source: bench/ -> ./c.
  const fromDist = join(here, '..', '..', 'bench', 'c', 'dir24_8.c');
  const fromSrc = join(here, 'c', 'dir24_8.c');
  return existsSync(fromDist) ? fromDist : fromSrc;
}

/** The compiled binary, or why there is none (no gcc: the baseline is skipped). */
export type CBuild = { readonly binary: string; readonly compiler: string } | { readonly skipped: string };

/** Compiles the baseline into `dir`. */
export function compileC(dir: string): CBuild {
  if (!existsSync(cSourcePath())) return { skipped: "the C baseline's source (bench/c/dir24_8.c) is in kfib's source checkout, not in the package: C baseline skipped" };
  const which = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) return { skipped: 'gcc not found: C baseline skipped' };
  const binary = join(dir, 'dir24_8');
  const r = spawnSync('gcc', ['-O3', '-march=native', '-o', binary, cSourcePath()], { encoding: 'utf8' });
  if (r.status !== 0) return { skipped: `gcc failed: ${r.stderr.trim()}` };
  return { binary, compiler: which.stdout.split('\n')[0] ?? 'gcc' };
}

/** Writes "a.b.c.d/len value" lines for the C baseline. */
export function writePrefixFile(path: string, t: BenchTable): void {
  writeFileSync(path, t.entries.map((e) => `${formatPrefix(e)} ${e.value}`).join('\n') + '\n');
}

/** Writes addresses as little-endian uint32s. */
export function writeAddrFile(path: string, addrs: Uint32Array): void {
  writeFileSync(path, new Uint8Array(addrs.buffer, addrs.byteOffset, addrs.byteLength));
}

/** What one run of the baseline printed. */
export interface CRun {
  readonly buildMs: number;
  /** Over all passes. */
  readonly lookupsPerSec: number;
  /** The fastest pass. */
  readonly bestLookupsPerSec: number;
  readonly checksum: number;
  readonly bytes: number;
  readonly first: Uint32Array;
}

function num(x: unknown, what: string): number {
  if (typeof x !== 'number') throw new Error(`Cannot parse C baseline output: ${what} is not a number`);
  return x;
}

/** Runs the baseline; `dump` answers are returned to be checked one by one. */
export function runC(binary: string, prefixFile: string, addrFile: string, minSeconds: number, dump: number): CRun {
  const out = execFileSync(binary, [prefixFile, addrFile, String(minSeconds), String(dump)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const [json = '{}', ...rest] = out.split('\n');
  const r: unknown = JSON.parse(json);
  if (typeof r !== 'object' || r === null) throw new Error('Cannot parse C baseline output');
  const o = r as Record<string, unknown>;
  return {
    buildMs: num(o['build_ms'], 'build_ms'),
    lookupsPerSec: num(o['lookups_per_sec'], 'lookups_per_sec'),
    bestLookupsPerSec: num(o['best_pass_lookups_per_sec'], 'best_pass_lookups_per_sec'),
    checksum: num(o['checksum'], 'checksum'),
    bytes: num(o['bytes'], 'bytes'),
    first: Uint32Array.from(rest.filter((l) => l !== '').map(Number)),
  };
}
