/**
 * POST /oauth/token: the client credentials grant (RFC 6749 §4.4). The
 * client authenticates (§2.3.1), may narrow its scope (§3.3), and gets a
 * Bearer access token (RFC 6750) stored only as a digest; no refresh token
 * (§4.4.3). Answers and errors follow §5.1 and §5.2, not the envelope.
 */
import { defaultScope, formatScope, parseScope, unrequestable } from '../../auth/oauth-scope.js';
import { newIssuedToken } from '../../auth/token-format.js';
import { insertToken } from '../../db/tokens.js';
import type { RouteDefinition } from '../../http/types.js';
import { authenticateClient } from '../../oauth/client-auth.js';
import { readFormParams } from '../../oauth/form-body.js';
import { OAuthError, answeringOAuthErrors, noStore } from '../../oauth/oauth-error.js';

export const issueToken: RouteDefinition = {
  method: 'post',
  path: '/oauth/token',
  operationId: 'oauthToken',
  summary: 'Issue an access token (OAuth 2.0 client credentials)',
  tags: ['OAuth'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    await answeringOAuthErrors(ctx, async () => {
      const params = await readFormParams(ctx);
      const config = services.config.config;
      const client = authenticateClient(ctx, params, config, { clientAddress: ctx.state.clientAddress, origin: ctx.get('Origin') });
      ctx.state.identified = { authKind: 'oauth', userId: client.row.userId, clientId: client.row.id };
      const grantType = params.get('grant_type');
      if (!grantType) throw new OAuthError('invalid_request', 'grant_type is required.');
      if (grantType !== 'client_credentials') throw new OAuthError('unsupported_grant_type', 'Only client_credentials is supported.');
      const requested = parseScope(params.get('scope') ?? '');
      if (requested === null) throw new OAuthError('invalid_scope', 'The scope is malformed: model or model:operation, space separated.');
      const refused = unrequestable(client.grants, requested);
      if (refused.length) throw new OAuthError('invalid_scope', `Not within the client's scopes: ${refused.join(' ')}.`);
      const scope = formatScope(requested.length ? requested : defaultScope(client.grants));
      const token = newIssuedToken('oauth');
      const lifetime = client.row.tokenLifetime;
      await insertToken(services.db, {
        kind: 'oauth',
        prefix: token.prefix,
        digest: token.digest,
        userId: client.row.userId,
        clientId: client.row.id,
        scope,
        expiresAt: new Date(Date.now() + lifetime * 1000),
        clientAddress: ctx.state.clientAddress,
        userAgent: ctx.get('User-Agent') || null,
      });
      services.auth.usage.record('rest_gateway_oauth_client', client.row.id);
      noStore(ctx);
      ctx.body = { access_token: token.plaintext, token_type: 'Bearer', expires_in: lifetime, scope };
    });
  },
};
