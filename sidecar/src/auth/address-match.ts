/**
 * IP and CIDR lists (trusted proxies, a key's allowed addresses).
 * IPv4-mapped IPv6 addresses (::ffff:1.2.3.4) match their IPv4 entries.
 */
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface AddressMatcher {
  readonly empty: boolean;
  matches(address: string): boolean;
}

function normalize(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(address)) return null;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return parsed;
}

function parseEntry(entry: string): Range {
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) throw new Error(`"${entry}" is not a valid CIDR`);
    return ipaddr.parseCIDR(entry);
  }
  const address = normalize(entry);
  if (!address) throw new Error(`"${entry}" is not a valid IP address`);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** Parses a comma-, space- or newline-separated list of IPs and CIDRs. */
export function parseAddressList(text: string | null | undefined): AddressMatcher {
  const ranges = (text ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseEntry);
  return {
    empty: ranges.length === 0,
    matches(address: string): boolean {
      const parsed = normalize(address);
      if (!parsed) return false;
      return ranges.some(([range, bits]) => parsed.kind() === range.kind() && parsed.match(range, bits));
    },
  };
}
