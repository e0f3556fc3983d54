/**
 * POST /oauth/introspect (RFC 7662): an authenticated client asks about a
 * token. Only its own live tokens are `"active": true`; anything else —
 * unknown, expired, revoked, another client's — is just `{"active": false}`
 * (§2.2), so the endpoint reveals nothing about other clients' tokens.
 */
import type { ApiError } from '../../errors.js';
import { verifyIssuedToken } from '../../auth/token-auth.js';
import { parseIssuedToken } from '../../auth/token-format.js';
import type { TokenRecord } from '../../db/tokens.js';
import type { RouteDefinition } from '../../http/types.js';
import { answeringOAuthErrors } from '../../oauth/oauth-error.js';
import { readClientTokenRequest } from '../../oauth/token-request.js';

const seconds = (date: Date): number => Math.floor(date.getTime() / 1000);

export const introspectToken: RouteDefinition = {
  method: 'post',
  path: '/oauth/introspect',
  operationId: 'oauthIntrospect',
  summary: 'Introspect an access token (RFC 7662)',
  tags: ['OAuth'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    await answeringOAuthErrors(ctx, async () => {
      const { client, token } = await readClientTokenRequest(ctx, services);
      let row: TokenRecord | null = null;
      if (parseIssuedToken(token)?.kind === 'oauth') row = await verifyIssuedToken(services.db, token).catch((_e: ApiError) => null);
      if (!row || row.clientId !== client.row.id) {
        ctx.body = { active: false };
        return;
      }
      ctx.body = {
        active: true,
        scope: row.scope ?? '',
        client_id: client.row.clientId,
        username: row.user.login,
        sub: String(row.user.id),
        token_type: 'Bearer',
        exp: seconds(row.expiresAt),
        iat: seconds(row.createdAt),
      };
    });
  },
};
