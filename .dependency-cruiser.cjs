// The layer check (`npm run layers`, run by `npm test` before the tests, and so by .ci/run).
//
// LAYERS lists every folder bottom to top, one folder per rank (the README's Layout section
// draws the same list). A module may import only from its own folder or from a folder lower in
// the list; an import from a higher folder is an error. As the order is total, two folders can
// never import each other, so this also rules out every cycle between folders. A module in a
// folder that is not in the list is an error too: a new folder has to take its place here (and
// in the README) first.
//
// Why dependency-cruiser: it reads the TypeScript imports (type-only ones included) the way tsc
// resolves them, and states a violation as "from -> to" with the rule's name.

/** Bottom to top. A folder is a path prefix ending in '/', or one file. */
const LAYERS = [
  'core/net/', //        addresses (inet.h helpers), struct flowi4 (include/net/flow.h)
  'core/uapi/', //       include/uapi/linux/*.h numbers, errno, iproute2's name tables (lib/rt_names.c)
  'core/events/', //     the requests as events (rtnetlink messages, sysctl writes) and the event log
  'core/snapshot/', //   the data: net_device/in_device/in_ifaddr, devconf, fib_info/fib_nh/fib_alias, fib_table, fib_rule, nexthop, the snapshot and its Txn
  'core/trie/', //       fib_trie.c's lookup: fib_table_lookup()
  'core/rules/', //      fib_rules.c / fib4_rules.c: fib_rules_lookup(), fib_newrule(), fib_delrule()
  'core/route/', //      route.c, fib_lookup(): ip_route_output_key_hash_rcu(), ip_route_input_slow()
  'core/semantics/', //  fib_semantics.c: fib_create_info(), fib_check_nh(), fib_sync_down_dev(), fib_sync_up()
  'core/trie-change/', //fib_trie.c's writers: fib_table_insert(), fib_table_delete()
  'core/nexthop/', //    nexthop.c: rtm_new_nexthop(), rtm_del_nexthop(), nexthop_flush_dev()
  'core/frontend/', //   fib_frontend.c: fib_netdev_event(), fib_inetaddr_event(), fib_add_ifaddr()
  'core/devinet/', //    devinet.c: inet_rtm_newaddr(), __inet_insert_ifa(), inetdev_event(), devinet_conf_proc()
  'core/dev/', //        net/core/dev.c, rtnetlink.c: rtnl_newlink(), do_setlink(), unregister_netdevice()
  'core/reduce/', //     rtnetlink_rcv_msg(): one event -> the kernel entry point that handles it
  'core/print/', //      iproute2's route printers (print_route, ip route get)
  'core/iproute2/', //   iproute2's ip commands (ip/*.c) turned into events, and their output
  'core/script/', //     an `ip` script run through the reducer
  'core/stream/', //     the one RxJS module (rx.ts): a decoder as a stream, the fold over events
  'core/trace/', //      readers of captured traces (rtmon files, ip monitor text, ip -j JSON)
  'core/replay/', //     replaying a trace through the model, checking each notification
  'core/report/', //     the report's model (no DOM)
  'core/index.ts', //    the package's public API
  'cli/exit-status.ts', // the CLI's command helper (exit statuses, argv and --help, files and the
  'cli/terminal.ts', //   terminal): below the benches, which declare and parse their options with
  'cli/command.ts', //    it too; the rest of cli/ is the top layer
  'cli/io.ts',
  'workers/lpm/', //     the engine's compiled lookup structures: shared memory, WebAssembly, dir24-8, poptrie
  'workers/compile/', // a snapshot compiled for destination-only lookups (route.c, fib_rules.c answers as outcome codes)
  'workers/protocol.ts', //     the messages between the lookup pool and its workers
  'workers/lookup-worker.ts', // a worker thread: one chunk of a batch (fib_table_lookup() per CPU)
  'workers/lookup-pool.ts', //  the piscina pool: batches pinned to a version (RCU readers)
  'workers/fib-engine.ts', //   the engine: compile, publish, look up, decode
  'workers/index.ts', //        the engine's public API
  'props/', //           property tests and the kernel oracle (differential)
  'bench/', //           benchmarks
  'cli/', //             the kfib command, its I/O, the report page (cli/report/page, DOM)
];

/** Files that break the order today, each with the reason; the list only shrinks. */
const KNOWN_EXCEPTIONS = [];

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const pathOf = (layer) => `^${esc(layer)}${layer.endsWith('/') ? '' : '$'}`;

const upward = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${String(i + 1).padStart(2, '0')}-${layer.replace(/[/.]+$/, '').replace(/[/.]/g, '-')}`,
  comment: `${layer} may import only from itself and the folders below it in .dependency-cruiser.cjs LAYERS`,
  severity: 'error',
  from: { path: pathOf(layer), pathNot: KNOWN_EXCEPTIONS },
  // A one-file layer inside a folder that sits higher (cli/command.ts in cli/) is not higher.
  to: { path: LAYERS.slice(i + 1).map(pathOf), pathNot: LAYERS.slice(0, i + 1).map(pathOf) },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'folder-not-in-a-layer',
      comment: 'every source folder has a place in .dependency-cruiser.cjs LAYERS (and in the README layout)',
      severity: 'error',
      from: { path: '^(core|cli|workers|props|bench)/', pathNot: LAYERS.map(pathOf) },
      to: {},
    },
    {
      name: 'not-resolvable',
      comment: 'an import that does not resolve to a file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
