// The growth rows of the engine benchmark (engine.bench.ts): lookups/s and bytes per route
// as the generated table grows, the engine on each worker count against the C baseline.
//
// Why: a structure that is fast on one size may fall off a cache level on the next; the
// rows show where. Each size is checked against the reference lookup before it is timed.

import { join } from 'node:path';
import { routeGet } from '../core/route/route-output.js';
import { FibLpmCompiler } from '../workers/compile/fib-lpm.js';
import { destinationRequest } from '../workers/fib-engine.js';
import { writePrefixFile } from './_c-baseline.js';
import { generateTable } from './_tables.js';
import { settle, timeRuns } from './_harness.js';
import { fibBenchSnapshot, valueOfAnswer } from './_fib-snapshot.js';
import { ENGINE, C_BASELINE, type RateRow, type EngineTableResult, type GrowthRow } from './_engine-results.js';
import { cRow, engineRows, engineValues, publishAll, workloadAddrs, type Ctx } from './_engine-rows.js';


export async function benchGrowth(ctx: Ctx, sizes: readonly number[], done: Map<number, EngineTableResult>): Promise<GrowthRow[]> {
  const { o, p } = ctx;
  const rows: GrowthRow[] = [];
  const maxT = Math.max(...o.threads);
  for (const n of sizes) {
    const known = done.get(n);
    if (known) {
      const w = known.workloads.find((x) => x.addresses === 'table-drawn')!;
      const rate = (c: string, t: number | 'main'): number | null => w.rows.find((r) => r.competitor === c && r.threads === t)?.mlps ?? null;
      const mlps: Record<string, number | null> = { 'engine main thread': rate(ENGINE, 'main'), 'engine 1 worker': rate(ENGINE, 1) };
      if (maxT > 1) mlps[`engine ${maxT} workers`] = rate(ENGINE, maxT);
      mlps['C DIR-24-8'] = rate(C_BASELINE, 1);
      rows.push({ prefixes: n, compileMs: known.compile.coldMs.median, bytesPerRoute: known.compile.bytesPerRoute, mlps });
      continue;
    }
    p.step(`growth: ${n} prefixes`);
    const fb = fibBenchSnapshot(generateTable(n, o.seed + n));
    const coldMs = await timeRuns(() => new FibLpmCompiler().compileFull(fb.snapshot), o.compileRuns);
    await settle();
    ctx.compiler.compileFull(fb.snapshot, 'bench');
    publishAll(ctx, fb.snapshot);
    const e = ctx.engines.get(maxT)!;
    let routes = 0;
    for (const t of fb.snapshot.tables.values()) routes += t.leaves.size;
    const addrs = workloadAddrs('table-drawn', fb.table, Math.min(o.addresses, 1 << 21), o.seed + 7);
    const sample = addrs.subarray(0, Math.min(2000, addrs.length));
    const want = Array.from(sample, (a) => routeGet(fb.snapshot, destinationRequest(a)));
    const scratch: RateRow[] = [];
    const codes = await engineRows(ctx, addrs, want, scratch, `growth ${n}`);
    const mlps: Record<string, number | null> = {};
    mlps['engine main thread'] = scratch.find((r) => r.competitor === ENGINE && r.threads === 'main')?.mlps ?? null;
    mlps['engine 1 worker'] = scratch.find((r) => r.competitor === ENGINE && r.threads === 1)?.mlps ?? null;
    if (maxT > 1) mlps[`engine ${maxT} workers`] = scratch.find((r) => r.competitor === ENGINE && r.threads === maxT)?.mlps ?? null;
    if ('binary' in ctx.c) {
      const prefixFile = join(ctx.dir, `prefixes-growth-${n}.txt`);
      writePrefixFile(prefixFile, fb.table);
      mlps['C DIR-24-8'] = cRow(ctx, prefixFile, addrs, engineValues(e, codes), Uint32Array.from(want, valueOfAnswer), `growth-${n}`).row.mlps;
    }
    rows.push({ prefixes: n, compileMs: coldMs.median, bytesPerRoute: e.memory().sharedBytes / routes, mlps });
  }
  return rows;
}
