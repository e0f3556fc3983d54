/**
 * POST /auth/login: Odoo checks the login and password (its lockout and
 * two-factor rules included); the answer carries a session token, also set
 * as the HttpOnly session cookie. The token works as `Authorization: Bearer`.
 */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH } from '../../auth/basic-auth.js';
import { setSessionCookie } from '../../auth/session-cookie.js';
import { newIssuedToken } from '../../auth/token-format.js';
import { insertToken } from '../../db/tokens.js';
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from './auth-support.js';

const body = z.strictObject({ login: z.string().min(1).max(255), password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

export const login: RouteDefinition = {
  method: 'post',
  path: '/auth/login',
  operationId: 'login',
  summary: 'Log in with a login and password; start a session',
  tags: ['Authentication'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    const { login: name, password } = parseJsonBody(ctx, body);
    const { uid, user } = await services.auth.odooAuth.authenticate(name, password, ctx.state.clientAddress);
    ctx.state.identified = { authKind: 'session', userId: uid, clientId: null };
    const lifetime = services.config.config.settings.sessionLifetime;
    const expiresAt = new Date(Date.now() + lifetime * 1000);
    const token = newIssuedToken('session');
    await insertToken(services.db, {
      kind: 'session',
      prefix: token.prefix,
      digest: token.digest,
      userId: uid,
      clientId: null,
      scope: null,
      expiresAt,
      clientAddress: ctx.state.clientAddress,
      userAgent: ctx.get('User-Agent') || null,
    });
    setSessionCookie(ctx, token.plaintext, lifetime, services.auth.cookie);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: { token: token.plaintext, token_type: 'Bearer', expires_at: expiresAt.toISOString(), user } };
  },
};
