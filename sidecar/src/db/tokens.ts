/**
 * Issued tokens (`rest_gateway_token`): API sessions and OAuth access
 * tokens. The sidecar inserts them and looks each one up on every request
 * (unique index on `prefix`), so a revocation stops the very next request.
 */
import type { Db } from './knex.js';
import { USER_COLUMNS_SQL, toUserRow, type UserSqlRow } from './users.js';
import type { UserRow } from './gateway-config.js';

export type TokenKind = 'session' | 'oauth';

export interface NewToken {
  kind: TokenKind;
  prefix: string;
  digest: string;
  userId: number;
  clientId: number | null;
  scope: string | null;
  expiresAt: Date;
  clientAddress: string;
  userAgent: string | null;
}

export interface TokenRecord {
  id: number;
  kind: TokenKind;
  digest: string;
  clientId: number | null;
  scope: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  user: UserRow;
}

/** Odoo stores naive UTC timestamps. */
export const utc = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');

export async function insertToken(db: Db, token: NewToken): Promise<number> {
  const now = utc(new Date());
  const [row] = await db('rest_gateway_token')
    .insert({
      kind: token.kind,
      prefix: token.prefix,
      digest: token.digest,
      user_id: token.userId,
      client_id: token.clientId,
      scope: token.scope,
      expires_at: utc(token.expiresAt),
      client_address: token.clientAddress,
      user_agent: token.userAgent?.slice(0, 255) ?? null,
      use_count: 0,
      create_uid: token.userId,
      write_uid: token.userId,
      create_date: now,
      write_date: now,
    })
    .returning<Array<{ id: number }>>('id');
  return Number(row?.id);
}

// one indexed lookup per request (unique prefix), written as plain SQL: no query builder on the hot path
const FIND_TOKEN = `
  SELECT t.id AS token_id, t.kind, t.digest, t.client_id, t.scope, t.expires_at, t.revoked_at,
         t.create_date AS token_created, ${USER_COLUMNS_SQL}
    FROM rest_gateway_token t
    JOIN res_users u ON u.id = t.user_id
    JOIN res_partner p ON p.id = u.partner_id
   WHERE t.prefix = ?`;

/** The token with this prefix and the user it acts as, or null. */
export async function findToken(db: Db, prefix: string): Promise<TokenRecord | null> {
  const row = (await db.raw<{ rows: Array<UserSqlRow & Record<string, unknown>> }>(FIND_TOKEN, [prefix])).rows[0];
  if (!row) return null;
  return {
    id: Number(row.token_id),
    kind: row.kind as TokenKind,
    digest: String(row.digest),
    clientId: row.client_id === null ? null : Number(row.client_id),
    scope: (row.scope as string | null) ?? null,
    expiresAt: row.expires_at as Date,
    revokedAt: (row.revoked_at as Date | null) ?? null,
    createdAt: row.token_created as Date,
    user: toUserRow(row),
  };
}

/** Revokes one token; true when it was live. */
export async function revokeToken(db: Db, id: number, byUserId: number): Promise<boolean> {
  const now = utc(new Date());
  const count = await db('rest_gateway_token')
    .where({ id })
    .whereNull('revoked_at')
    .update({ revoked_at: now, write_date: now, write_uid: byUserId });
  return count > 0;
}
