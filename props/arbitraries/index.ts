// The arbitraries of the property tests, by domain.

export { IpCommand, scriptText, cmd } from './ip-command.js';
export { VETH, BRIDGE, RENAMES, SUBNETS, ROUTE_PREFIXES, KNOWN_HOSTS, deviceName, anyDeviceName, localAddress, gateway, routePrefix, lookupAddress } from './universe.js';
export { vethPairAdd, bridgeAdd, linkUpDown, linkMaster, linkRename, linkMtu, linkDel, linkCommand, macvlanAdd, linkAttr } from './link.js';
export { addrAdd, addrDel, addrCommand } from './address.js';
export { routeNew, routeDel, routeFlush, routeCommand, routeType } from './route.js';
export { ruleAdd, ruleDel, ruleCommand } from './rule.js';
export { nexthopAdd, nexthopDel, nexthopCommand } from './nexthop.js';
export { sysctlCommand, sysctlRead, sysctlWrite } from './sysctl.js';
export { routeGet, dump, observation } from './observation.js';
export { ipScript, setup, bodyCommand, FINAL_DUMPS, type ScriptConstraints } from './script.js';
