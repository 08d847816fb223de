// Netlink message types and header flags (include/uapi/linux/netlink.h), and the time-stamp
// record type of iproute2's rtmon files.

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;
/** iproute2's rtmon time-stamp record (not a kernel message). */
export const NLMSG_TSTAMP = 15;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
export const NLM_F_REPLACE = 0x100;
export const NLM_F_EXCL = 0x200;
export const NLM_F_CREATE = 0x400;
export const NLM_F_APPEND = 0x800;
