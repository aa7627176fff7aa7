// Address ACL for zone transfers: exact addresses or CIDR blocks, IPv4 and IPv6.

import { BlockList, isIPv4, isIPv6 } from "node:net";

export function buildAcl(entries: string[]): BlockList {
  const bl = new BlockList();
  for (const e of entries) {
    const [addr, bits] = e.split("/");
    const family = isIPv6(addr ?? "") ? "ipv6" : "ipv4";
    if (!addr || (!isIPv4(addr) && !isIPv6(addr)))
      throw new Error(`transfer ACL: bad address ${e}`);
    if (bits === undefined) bl.addAddress(addr, family);
    else bl.addSubnet(addr, Number(bits), family);
  }
  return bl;
}

export function aclAllows(acl: BlockList, address: string): boolean {
  const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (v4mapped) return acl.check(v4mapped[1]!, "ipv4");
  return acl.check(address, isIPv6(address) ? "ipv6" : "ipv4");
}
