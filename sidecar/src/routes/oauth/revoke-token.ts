/**
 * POST /oauth/revoke (RFC 7009): a client revokes one of its tokens. An
 * unknown or already invalid token is a 200 (§2.2); another client's token
 * is refused (§2.1) and stays valid. The next request with a revoked token
 * is refused: tokens are checked per request.
 */
import { digestKey, digestsEqual } from '../../auth/api-key-token.js';
import { parseIssuedToken } from '../../auth/token-format.js';
import { findToken, revokeToken } from '../../db/tokens.js';
import type { RouteDefinition } from '../../http/types.js';
import { OAuthError, answeringOAuthErrors } from '../../oauth/oauth-error.js';
import { readClientTokenRequest } from '../../oauth/token-request.js';

export const revokeOAuthToken: RouteDefinition = {
  method: 'post',
  path: '/oauth/revoke',
  operationId: 'oauthRevoke',
  summary: 'Revoke an access token (RFC 7009)',
  tags: ['OAuth'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    await answeringOAuthErrors(ctx, async () => {
      // token_type_hint is only a hint (§2.1): every token type is searched anyway
      const { client, token } = await readClientTokenRequest(ctx, services);
      const parsed = parseIssuedToken(token);
      const row = parsed?.kind === 'oauth' ? await findToken(services.db, parsed.prefix) : null;
      if (row && digestsEqual(digestKey(token), row.digest)) {
        if (row.clientId !== client.row.id) throw new OAuthError('unauthorized_client', 'The token was not issued to this client.');
        await revokeToken(services.db, row.id, client.row.userId);
      }
      ctx.status = 200;
      ctx.body = {};
    });
  },
};
