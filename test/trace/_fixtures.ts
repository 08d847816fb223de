// Where the shared trace fixtures are, and small readers for them. The tests run from
// dist/test/trace/, so ../shared/traces (relative to the repository root) is four levels up.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of ../shared/traces, resolved from this file's location in dist/test/trace/. */
export const TRACES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'shared', 'traces');

/** The fixture folder names (01-addr-del-policy-route ... 10-nexthop-objects), sorted. */
export function fixtureNames(): string[] {
  if (!existsSync(TRACES_DIR)) return [];
  return readdirSync(TRACES_DIR).filter((d) => /^\d\d-/.test(d)).sort();
}

export function fixturePath(name: string, file: string): string {
  return join(TRACES_DIR, name, file);
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
