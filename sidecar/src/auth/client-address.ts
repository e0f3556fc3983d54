/**
 * Who and where the client is, behind trusted proxies only (TRUSTED_PROXIES):
 * the address (the peer, or the right-most X-Forwarded-For entry that is not
 * a trusted proxy; entries further left are client-controlled), and the
 * protocol and host the client used (X-Forwarded-Proto / -Host, believed
 * only from a trusted peer). Koa's own `app.proxy` is off: it would believe
 * those headers from any peer.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../http/types.js';
import type { AddressMatcher } from './address-match.js';

export function resolveClientAddress(peer: string, forwardedFor: string, trusted: AddressMatcher): string {
  if (trusted.empty || !trusted.matches(peer)) return peer;
  const hops = forwardedFor.split(',').map((h) => h.trim()).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    if (!trusted.matches(hop)) return hop;
  }
  return hops[0] ?? peer;
}

export interface ForwardedOrigin {
  protocol?: 'http' | 'https';
  host?: string;
}

// a host name, IPv4 or bracketed IPv6 literal, and an optional port: nothing that could break a URL
const HOST_RE = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * The protocol and host a trusted proxy says the client used: the first
 * value of each header, as Koa reads them with `app.proxy`; nothing from
 * a peer that is not a trusted proxy, or for a value that is not a
 * protocol or a host.
 */
export function resolveForwardedOrigin(peer: string, forwardedProto: string, forwardedHost: string, trusted: AddressMatcher): ForwardedOrigin {
  if (trusted.empty || !trusted.matches(peer)) return {};
  const origin: ForwardedOrigin = {};
  const proto = forwardedProto.split(',')[0]?.trim().toLowerCase();
  if (proto === 'http' || proto === 'https') origin.protocol = proto;
  const host = forwardedHost.split(',')[0]?.trim();
  if (host && HOST_RE.test(host)) origin.host = host;
  return origin;
}

export function clientAddressMiddleware(trusted: AddressMatcher): Middleware<ApiState> {
  return async (ctx, next) => {
    const peer = ctx.req.socket.remoteAddress ?? '';
    ctx.state.clientAddress = resolveClientAddress(peer, ctx.get('X-Forwarded-For'), trusted);
    // ctx.ip, and ctx.protocol / ctx.host (ctx.secure, ctx.origin, ctx.href derive from them) for this request only
    ctx.request.ip = ctx.state.clientAddress;
    const forwarded = resolveForwardedOrigin(peer, ctx.get('X-Forwarded-Proto'), ctx.get('X-Forwarded-Host'), trusted);
    if (forwarded.protocol && ctx.request.protocol !== 'https') { // a TLS socket stays https
      Object.defineProperty(ctx.request, 'protocol', { value: forwarded.protocol, configurable: true });
    }
    if (forwarded.host) Object.defineProperty(ctx.request, 'host', { value: forwarded.host, configurable: true });
    await next();
  };
}
