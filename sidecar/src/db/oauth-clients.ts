/**
 * OAuth clients (`rest_gateway_oauth_client`) and the `rest_gateway.*`
 * system parameters, read with the rest of the configuration snapshot.
 */
import type { Knex } from 'knex';

export interface OAuthClientRow {
  id: number;
  name: string;
  /** The public `client_id` (RFC 6749 §2.2). */
  clientId: string;
  secretDigest: string;
  userId: number;
  expiresAt: Date | null;
  tokenLifetime: number;
  rateLimit: number;
  allowedIps: string | null;
  allowedOrigins: string | null;
}

/** Live clients only: active, not revoked, with a secret. */
export async function readOAuthClients(trx: Knex.Transaction): Promise<OAuthClientRow[]> {
  const rows = await trx('rest_gateway_oauth_client')
    .where('active', true)
    .whereNull('revoked_at')
    .whereNotNull('secret_digest')
    .select<Array<Record<string, unknown>>>(
      'id', 'name', 'client_id', 'secret_digest', 'user_id', 'expires_at', 'token_lifetime', 'rate_limit',
      'allowed_ips', 'allowed_origins',
    );
  return rows.map((r) => ({
    id: Number(r.id),
    name: String(r.name),
    clientId: String(r.client_id),
    secretDigest: String(r.secret_digest),
    userId: Number(r.user_id),
    expiresAt: (r.expires_at as Date | null) ?? null,
    tokenLifetime: Number(r.token_lifetime) || 3600,
    rateLimit: Number(r.rate_limit) || 0,
    allowedIps: (r.allowed_ips as string | null) ?? null,
    allowedOrigins: (r.allowed_origins as string | null) ?? null,
  }));
}

export async function readGatewayParams(trx: Knex.Transaction): Promise<Record<string, string>> {
  const rows = await trx('ir_config_parameter')
    .where('key', 'like', 'rest\\_gateway.%')
    .whereNot('key', 'like', 'rest\\_gateway.bridge\\_secret%')
    .select<Array<{ key: string; value: string | null }>>('key', 'value');
  return Object.fromEntries(rows.map((r) => [r.key, r.value ?? '']));
}
