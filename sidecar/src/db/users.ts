/**
 * The Odoo user a session, OAuth token or Basic credential acts as, read
 * per request (archiving a user or changing their password takes effect
 * at once). The password hash never leaves PostgreSQL: only a SHA-256 of
 * it, to notice a change.
 */
import type { Db } from './knex.js';
import type { UserRow } from './gateway-config.js';

export interface UserSqlRow {
  user_id: number;
  user_active: boolean;
  user_login: string;
  user_lang: string | null;
  user_tz: string | null;
  user_company_id: number;
  user_company_ids: number[];
  password_fingerprint: string;
}

/** The same columns as plain SQL, for the per-request lookups (no query builder on the hot path). */
export const USER_COLUMNS_SQL = `
  u.id AS user_id, u.active AS user_active, u.login AS user_login, p.lang AS user_lang, p.tz AS user_tz,
  u.company_id AS user_company_id,
  ARRAY(SELECT cid FROM res_company_users_rel WHERE user_id = u.id ORDER BY cid) AS user_company_ids,
  encode(sha256(convert_to(COALESCE(u.password, ''), 'UTF8')), 'hex') AS password_fingerprint`;


export function toUserRow(row: UserSqlRow): UserRow {
  return {
    id: Number(row.user_id),
    active: Boolean(row.user_active),
    login: String(row.user_login),
    lang: row.user_lang || null,
    tz: row.user_tz || null,
    companyId: Number(row.user_company_id),
    companyIds: (row.user_company_ids ?? []).map(Number),
  };
}

export interface UserWithFingerprint {
  user: UserRow;
  /** SHA-256 of the stored password hash: changes when the password does. */
  fingerprint: string;
}

const BY_ID = `SELECT ${USER_COLUMNS_SQL} FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = ?`;
const BY_LOGIN = `SELECT ${USER_COLUMNS_SQL} FROM res_users u JOIN res_partner p ON p.id = u.partner_id
  WHERE u.login = ? AND u.active LIMIT 1`;

async function findUser(db: Db, sql: string, value: string | number): Promise<UserWithFingerprint | null> {
  const row = (await db.raw<{ rows: UserSqlRow[] }>(sql, [value])).rows[0];
  return row ? { user: toUserRow(row), fingerprint: row.password_fingerprint } : null;
}

export function findUserById(db: Db, id: number): Promise<UserWithFingerprint | null> {
  return findUser(db, BY_ID, id);
}

/** The active user with this login (Odoo's own login lookup is exact). */
export function findActiveUserByLogin(db: Db, login: string): Promise<UserWithFingerprint | null> {
  return findUser(db, BY_LOGIN, login);
}
