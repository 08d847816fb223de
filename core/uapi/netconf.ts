// netconf (include/uapi/linux/netconf.h): the pseudo-ifindexes of conf/all and conf/default.

export const NETCONFA_IFINDEX_ALL = -1;
export const NETCONFA_IFINDEX_DEFAULT = -2;
