// What a first script meets: it names a device of the user's machine (`ip addr add … dev
// ens33`) in the model's fresh namespace, where only lo exists, and every line answers
// `Cannot find device "ens33"`. The transcript stays what the kernel would print; this
// adds one hint per device on stderr, saying how to declare it or where to start from.

const CANNOT_FIND = /Cannot find device "([^"]+)"/g;

/**
 * The hint for the first `Cannot find device "X"` of each device in a command's stderr, or
 * null (a device already hinted is not hinted again).
 */
export function missingDeviceHint(stderr: string, hinted: Set<string>, fromInitial: boolean): string | null {
  const names: string[] = [];
  for (const m of stderr.matchAll(CANNOT_FIND)) {
    const dev = m[1] as string;
    if (hinted.has(dev)) continue;
    hinted.add(dev);
    names.push(dev);
  }
  if (names.length === 0) return null;
  const dev = names[0] as string;
  const where = fromInitial ? 'the --initial snapshot has no such device' : "the model starts from a fresh namespace, where only lo exists";
  return `hint: device "${dev}" does not exist (${where}); declare it first: ip link add name ${dev} type veth peer name ${peerName(dev)}${fromInitial ? '' : ', or start from your host\'s state with --initial host.json (see kfib run --help)'}`;
}

/** A peer name within IFNAMSIZ (15 characters): NAME-p, shortened when needed. */
function peerName(dev: string): string {
  return `${dev.slice(0, 13)}-p`;
}
