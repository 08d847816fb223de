// The RTA_METRICS vocabulary (include/uapi/linux/rtnetlink.h enum RTAX_*, RTAX_FEATURE_*)
// and the attributes of one RTA_METRICS nest as a request carries them.

/** enum RTAX_* (include/uapi/linux/rtnetlink.h). */
export const RTAX_LOCK = 1;
export const RTAX_MTU = 2;
export const RTAX_WINDOW = 3;
export const RTAX_RTT = 4;
export const RTAX_RTTVAR = 5;
export const RTAX_SSTHRESH = 6;
export const RTAX_CWND = 7;
export const RTAX_ADVMSS = 8;
export const RTAX_REORDERING = 9;
export const RTAX_HOPLIMIT = 10;
export const RTAX_INITCWND = 11;
export const RTAX_FEATURES = 12;
export const RTAX_RTO_MIN = 13;
export const RTAX_INITRWND = 14;
export const RTAX_QUICKACK = 15;
export const RTAX_CC_ALGO = 16;
export const RTAX_FASTOPEN_NO_COOKIE = 17;
export const RTAX_MAX = 17;

/** RTAX_FEATURE_ECN, the only user feature bit iproute2 sets (RTAX_FEATURE_MASK has 4). */
export const RTAX_FEATURE_ECN = 1;
export const RTAX_FEATURE_MASK = 0xf;

/**
 * The congestion control algorithms this kernel has built in (Linux 6.18 here: reno, cubic,
 * bbr; `tcp_available_congestion_control`). tcp_ca_get_key_by_name() would also load a
 * module; this machine has none to load, so any other name is refused.
 */
export const TCP_CA_BUILTIN: readonly string[] = ['reno', 'cubic', 'bbr'];

/** One RTA_METRICS attribute as iproute2 sends it (RTAX_CC_ALGO carries a name). */
export type MetricAttr =
  | { readonly type: number; readonly val: number }
  | { readonly type: typeof RTAX_CC_ALGO; readonly name: string };

