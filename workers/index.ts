// `kfib/engine`: the lookup engine's public surface, listed by hand (see the README's
// "Library" section for the stability promise). FibEngine answers `ip route get DST` for
// batches of destinations on worker threads; the request helpers build the flow the
// compiled table answers; the answer types and printer come from the model.

export { FibEngine, destinationRequest, isDestinationOnly, type FibEngineOptions, type PublishInfo, type LookupBatch } from './fib-engine.js';
export type { LookupPoolOptions, LookupPoolStats } from './lookup-pool.js';
export { routeGet, type RouteGetRequest, type RouteGetOutcome, type RouteGetAnswer, type RouteGetFibMatch } from '../core/route/route-output.js';
export { formatRouteGet, routeGetJson } from '../core/print/route-get.js';
export { formatIp4, parseIp4, type Ip4 } from '../core/net/ip4.js';
