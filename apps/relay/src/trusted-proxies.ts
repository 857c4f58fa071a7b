import { BlockList, isIP } from 'node:net';

/**
 * Decides whether a peer address is a trusted proxy (whose X-Forwarded-For is believed). The list
 * (addresses and CIDRs) is read through `current` so a config reload applies at once; the parsed
 * form is cached per list.
 */
export function trustedProxyMatcher(current: () => readonly string[]): (address: string) => boolean {
  let cachedFor: readonly string[] | null = null;
  let blockList = new BlockList();
  return (address) => {
    const list = current();
    if (list.length === 0) return false;
    if (list !== cachedFor) {
      blockList = toBlockList(list);
      cachedFor = list;
    }
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    return blockList.check(
      address.replace(/^::ffff:(?=\d+\.)/, ''),
      family === 'ipv6' && address.startsWith('::ffff:') ? 'ipv4' : family,
    );
  };
}

function toBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, prefix] = entry.split('/');
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (isIP(address) === 0) continue;
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return list;
}
