// Address families (include/linux/socket.h AF_*): the family of a netlink message.

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;
