/**
 * The common start of the introspection (RFC 7662 §2.1) and revocation
 * (RFC 7009 §2.1) endpoints: an authenticated client naming a `token`.
 * Their answers are never cached (`Cache-Control: no-store`).
 */
import type { CompiledClient } from '../config/gateway-config-cache.js';
import type { ApiContext, Services } from '../http/types.js';
import { authenticateClient } from './client-auth.js';
import { readFormParams } from './form-body.js';
import { OAuthError, noStore } from './oauth-error.js';

export async function readClientTokenRequest(ctx: ApiContext, services: Services): Promise<{ client: CompiledClient; token: string }> {
  const params = await readFormParams(ctx);
  const client = authenticateClient(ctx, params, services.config.config, { clientAddress: ctx.state.clientAddress, origin: ctx.get('Origin') });
  const token = params.get('token');
  if (!token) throw new OAuthError('invalid_request', 'token is required.');
  noStore(ctx);
  return { client, token };
}
