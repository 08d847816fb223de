// Where the shared trace fixtures are, and small readers for them. The tests run from
// dist/test/trace/, so ../shared/traces (relative to the repository root) is four levels up.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TraceRecord } from '../../core/trace/netlink-records.js';

/** Absolute path of ../shared/traces, resolved from this file's location in dist/test/trace/. */
export const TRACES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'traces');

/** This repository's own captures (test/fixtures/traces: real-host-like, issue 12), from dist/test/trace/. */
export const LOCAL_TRACES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'traces');

function namesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => /^\d\d-/.test(d));
}

/** The fixture folder names of ../shared/traces (01-addr-del-policy-route ... 10-nexthop-objects), sorted. */
export function fixtureNames(): string[] {
  return namesIn(TRACES_DIR).sort();
}

/** Those and this repository's own real-host-like captures (test/fixtures/traces, 11-...), for the replay tests. */
export function allFixtureNames(): string[] {
  return [...namesIn(TRACES_DIR), ...namesIn(LOCAL_TRACES_DIR)].sort();
}

/** The folder of a fixture: ../shared/traces/NAME, or test/fixtures/traces/NAME for this repository's own. */
export function fixtureDir(name: string): string {
  const local = join(LOCAL_TRACES_DIR, name);
  return existsSync(local) ? local : join(TRACES_DIR, name);
}

export function fixturePath(name: string, file: string): string {
  return join(fixtureDir(name), file);
}

export function readRtmon(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(name, 'trace.rtmon')));
}

export function readMonitor(name: string): string {
  return readFileSync(fixturePath(name, 'monitor.txt'), 'utf8');
}

export function readJson(name: string, file: string): unknown {
  return JSON.parse(readFileSync(fixturePath(name, file), 'utf8')) as unknown;
}

export function checkpointFiles(name: string): string[] {
  const dir = fixturePath(name, 'checkpoints');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join('checkpoints', f));
}

/** The records without the closing `end` record. */
export function withoutEnd(rs: readonly TraceRecord[]): TraceRecord[] {
  return rs.filter((r) => r.kind !== 'end');
}

/** The last record (a decode always ends with one). */
export function lastRecord(rs: readonly TraceRecord[]): TraceRecord {
  const r = rs[rs.length - 1];
  if (r === undefined) throw new Error('no records');
  return r;
}
