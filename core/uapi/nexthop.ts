// Nexthop objects (include/uapi/linux/nexthop.h): struct nhmsg's attributes NHA_*.

export const NHA_ID = 1;
export const NHA_GROUP = 2;
export const NHA_GROUP_TYPE = 3;
export const NHA_BLACKHOLE = 4;
export const NHA_OIF = 5;
export const NHA_GATEWAY = 6;
/** Lightweight tunnel encapsulation of a nexthop object (nh_fill_node()). */
export const NHA_ENCAP_TYPE = 7;
export const NHA_ENCAP = 8;
export const NHA_FDB = 11;
