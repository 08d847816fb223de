// `kfib bench`: the lookup benchmarks of issue 4 (bench/engine.bench.ts, and with --lpm the
// raw LPM structures of bench/lpm.bench.ts). Argv, the terminal and exit codes here; the
// benchmarks themselves are bench/.

import { runEngineBench, parseEngineBenchArgs, type EngineBenchResults } from '../bench/engine.bench.js';
import { runBench as runLpmBench, parseArgs as parseLpmArgs } from '../bench/lpm.bench.js';

const HELP = `Usage: kfib bench [OPTIONS]

Measures the lookup engine (workers/fib-engine.ts) answering \`ip route get DST\` on a FIB
snapshot: a host (devices, addresses, its own routes, four policy rules) with the real
Internet table (../shared/data/ipv4-fulltable-iprbench.txt) behind an uplink, then with a
generated 1,000,000-prefix table (seed 4). In the same run, on the same addresses: the
reference lookup (routeGet), a C DIR-24-8 (gcc -O3 -march=native; skipped without gcc),
the npm package longest-prefix-match, and the kernel's \`ip -batch route get\` in a private
network namespace (root on Linux; skipped otherwise). Every competitor is checked against
the reference on a sample before it is timed. Also: compile time, incremental recompile
per route event, bytes per route, and lookups/s by threads and as the table grows
(10k, 100k, 1M). Progress on stderr, a table of figures and ratios on stdout; writes
engine.json and engine.svg to the results folder. Takes several minutes.

Options:
  --out DIR        results folder (default bench/results)
  --table FILE     the real table, "a.b.c.d/len" per line
  --threads LIST   worker counts, e.g. 1,2 (default 1..number of cores)
  --min-ms N       least time per throughput measurement (default 1000)
  --events N       route events timed for the incremental figure (default 1000)
  --quick          a smaller run (100k generated table, 2^20 addresses): a smoke test
  --no-kernel, --no-c, --no-npm   skip a competitor
  --no-progress    no progress display
  --lpm            also run the raw LPM benchmark (poptrie and DIR-24-8 on prefix values;
                   writes lpm.json and lpm.svg); takes the same options but --events
  -h, --help       this text

Exit status: 0 when every competitor that ran gave the reference's answers, 1 when one did
not (it is reported and not timed), 2 on bad arguments.
`;

/** Whether every timed row passed its check (a skipped competitor is not a failure). */
function allChecked(r: EngineBenchResults): boolean {
  return r.tables.every((t) => t.workloads.every((w) => w.rows.every((row) => row.mlps !== null || row.checked === 'skipped'))) && r.tables.every((t) => t.incremental === null || !t.incremental.checked.includes('differs'));
}

/**
 * Runs `kfib bench ARGS`; resolves to the exit status.
 *
 * @example
 *   process.exitCode = await benchMain(['--quick', '--out', '/tmp/results']);
 */
export async function benchMain(argv: readonly string[]): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const lpm = argv.includes('--lpm');
  const rest = argv.filter((a) => a !== '--lpm');
  let options: ReturnType<typeof parseEngineBenchArgs>;
  try {
    options = parseEngineBenchArgs(rest);
  } catch (err) {
    process.stderr.write(`kfib bench: ${err instanceof Error ? err.message : String(err)}\n(try "kfib bench --help")\n`);
    return 2;
  }
  const results = await runEngineBench(options);
  let ok = allChecked(results);
  if (lpm) {
    const lpmArgs: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === '--events' || a === '--no-progress') {
        if (a === '--events') i++;
        continue;
      }
      lpmArgs.push(a);
    }
    const r = await runLpmBench(parseLpmArgs(lpmArgs));
    ok = ok && r.tables.every((t) => t.workloads.every((w) => w.rows.every((row) => row.mlps !== null || row.checked === 'skipped')));
  }
  return ok ? 0 : 1;
}
