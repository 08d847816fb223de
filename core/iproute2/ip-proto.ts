// inet_proto_a2n / inet_proto_n2a (lib/utils.c via getprotobyname over /etc/protocols).

const PROTOS: ReadonlyMap<number, string> = new Map([
  [0, 'ip'],
  [1, 'icmp'],
  [2, 'igmp'],
  [4, 'ipencap'],
  [6, 'tcp'],
  [17, 'udp'],
  [33, 'dccp'],
  [41, 'ipv6'],
  [47, 'gre'],
  [50, 'esp'],
  [51, 'ah'],
  [58, 'ipv6-icmp'],
  [89, 'ospf'],
  [103, 'pim'],
  [112, 'vrrp'],
  [132, 'sctp'],
  [136, 'udplite'],
]);

export function ipprotoNumber(word: string): number | undefined {
  for (const [k, v] of PROTOS) if (v === word) return k;
  if (/^[0-9]+$/.test(word) && Number(word) <= 255) return Number(word);
  return undefined;
}

/** inet_proto_n2a(): "ipproto-N" under `ip -N` (lib/inet_proto.c skips getprotobynumber()'s name). */
export function ipprotoName(n: number, numeric = false): string {
  if (numeric) return `ipproto-${n}`;
  return PROTOS.get(n) ?? String(n);
}
