// What every rtnetlink message decoder shares (_rtnl-decode*.ts): the op a message type names
// (RTM_NEW* or RTM_DEL*), the skip reason of a family that is not modelled, and the
// nlmsghdr length the fixed headers follow (NLMSG_HDRLEN). Internal to core/trace.

import { familyName, nlmsgTypeName } from './netlink-records.js';
import type { Op } from './netlink-records.js';
import { type DecodeFailure, NLMSG_HDRLEN } from './_rtnl-attrs.js';

export function opOf(type: number, newType: number): Op {
  return type === newType ? 'new' : 'del';
}

export function skipFamily(type: number, family: number): DecodeFailure {
  return { ok: 'skip', reason: `${nlmsgTypeName(type)}/${familyName(family)}` };
}

export const H = NLMSG_HDRLEN;
