/**
 * The client's address: the peer, unless the peer is a trusted proxy, in
 * which case the right-most X-Forwarded-For entry that is not a trusted
 * proxy (entries further left are client-controlled).
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

export function clientAddressMiddleware(trusted: AddressMatcher): Middleware<ApiState> {
  return async (ctx, next) => {
    ctx.state.clientAddress = resolveClientAddress(ctx.req.socket.remoteAddress ?? '', ctx.get('X-Forwarded-For'), trusted);
    await next();
  };
}
