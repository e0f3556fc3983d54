/**
 * Which destination addresses outbound webhook requests may reach (SSRF
 * defence). Only globally routable unicast addresses by default; a webhook
 * with `allow_private` (set by an administrator) may also reach private,
 * loopback, link-local, unique-local and CGNAT ones; unspecified, multicast
 * and broadcast addresses are never reached. IPv4-mapped IPv6 addresses are
 * judged as the IPv4 address they carry.
 */
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

const NEVER = new Set(['unspecified', 'multicast', 'broadcast']);

/** ipaddr.js's range name for an address ("unicast" for a public one), or null when it is not an IP. */
export function addressRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  return ipaddr.process(address).range();
}

export function checkAddress(address: string, allowPrivate: boolean): AddressVerdict {
  const range = addressRange(address);
  if (range === null) return { allowed: false, reason: `refused: not an IP address ${address}` };
  if (NEVER.has(range)) return { allowed: false, reason: `refused: ${range} address ${address}` };
  if (range === 'unicast' || allowPrivate) return { allowed: true };
  return { allowed: false, reason: `refused: private address ${address}` };
}

/** The error a refused destination raises; its message is what the attempt records. */
export class RefusedAddressError extends Error {
  readonly code = 'EREFUSEDADDRESS';
  constructor(reason: string) {
    super(reason);
    this.name = 'RefusedAddressError';
  }
}
