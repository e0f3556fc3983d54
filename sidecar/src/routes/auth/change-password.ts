/**
 * POST /auth/password: Odoo's own password change (the current password is
 * required). Odoo revokes the user's other sessions and tokens in the same
 * transaction (as any password change does), and cached Basic
 * verifications are forgotten, as Odoo logs out other browser sessions.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../auth/basic-auth.js';
import { requirePrincipal } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody, requireUserCredential } from './auth-support.js';

const body = z.strictObject({ old_password: z.string().min(1).max(MAX_PASSWORD_LENGTH), new_password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

export const changePassword: RouteDefinition = {
  method: 'post',
  path: '/auth/password',
  operationId: 'changePassword',
  summary: "Change the user's password",
  tags: ['Authentication'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const principal = requirePrincipal(ctx);
    requireUserCredential(principal);
    const { old_password: oldPassword, new_password: newPassword } = parseJsonBody(ctx, body);
    const keep = principal.kind === 'session' ? (principal.tokenId ?? null) : null;
    const revoked = await services.auth.odooAuth.changePassword(principal.user.id, oldPassword, newPassword, ctx.state.clientAddress, keep);
    services.auth.basicCache.forgetUser(principal.user.id);
    ctx.body = { data: { changed: true, other_sessions_revoked: revoked } };
  },
};
