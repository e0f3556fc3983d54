/** POST /auth/logout: revokes the session the request is made with and clears the cookie. */
import { clearSessionCookie } from '../../auth/session-cookie.js';
import { revokeToken } from '../../db/tokens.js';
import { requirePrincipal } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { requireUserCredential } from './auth-support.js';

export const logout: RouteDefinition = {
  method: 'post',
  path: '/auth/logout',
  operationId: 'logout',
  summary: 'End the current session',
  tags: ['Authentication'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const principal = requirePrincipal(ctx);
    requireUserCredential(principal, ['session']);
    await revokeToken(services.db, principal.tokenId as number, principal.user.id);
    clearSessionCookie(ctx, services.auth.cookie);
    ctx.status = 204;
  },
};
