/**
 * Idempotency-Key records (addon table rest_gateway_idempotency, docs/data-model.md):
 * claimed before a request runs, completed with its answer after, released
 * when it failed with a 5xx, purged when expired. All SQL of the feature.
 */
import { withTryLock, type Db } from './knex.js';

const TABLE = 'rest_gateway_idempotency';
const RETENTION_PARAM = 'rest_gateway.idempotency_retention_hours';
/** Advisory lock key of the purge ("rgwid" in ASCII): one sidecar purges at a time. */
const PURGE_LOCK_KEY = 0x72_6777_6964;
const NOW = "(now() AT TIME ZONE 'UTC')";

export interface IdempotencyClaim {
  scope: string;
  key: string;
  digest: string;
  ttlSeconds: number;
}

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body as sent (JSON text), null when there was none. */
  body: string | null;
}

export interface IdempotencyRecord {
  digest: string;
  state: 'in_progress' | 'done';
  answer: StoredAnswer | null;
}

/**
 * Inserts the in-progress row; true when this request owns the key. An
 * expired row not purged yet is taken over; a live one is left alone.
 */
export async function claimIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<boolean> {
  const result = await db.raw<{ rows: unknown[] }>(
    `INSERT INTO ${TABLE} (scope, key, request_digest, state, created_at, expires_at)
     VALUES (?, ?, ?, 'in_progress', ${NOW}, ${NOW} + make_interval(secs => ?))
     ON CONFLICT (scope, key) DO UPDATE
        SET request_digest = EXCLUDED.request_digest, state = 'in_progress', response_status = NULL,
            response_headers = NULL, response_body = NULL, created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
      WHERE ${TABLE}.expires_at <= ${NOW}
     RETURNING id`,
    [claim.scope, claim.key, claim.digest, claim.ttlSeconds],
  );
  return result.rows.length === 1;
}

export async function readIdempotencyRecord(db: Db, scope: string, key: string): Promise<IdempotencyRecord | null> {
  const row = await db(TABLE)
    .where({ scope, key })
    .first<{ request_digest: string; state: string; response_status: number | null; response_headers: string | null; response_body: string | null } | undefined>(
      'request_digest', 'state', 'response_status', 'response_headers', 'response_body',
    );
  if (!row) return null;
  const done = row.state === 'done' && row.response_status !== null;
  return {
    digest: row.request_digest,
    state: done ? 'done' : 'in_progress',
    answer: done
      ? { status: Number(row.response_status), headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>, body: row.response_body }
      : null,
  };
}

export async function completeIdempotencyKey(db: Db, scope: string, key: string, answer: StoredAnswer): Promise<void> {
  await db(TABLE)
    .where({ scope, key, state: 'in_progress' })
    .update({ state: 'done', response_status: answer.status, response_headers: JSON.stringify(answer.headers), response_body: answer.body });
}

/** Forgets an in-progress claim (the request failed on our side): a retry runs again. */
export async function releaseIdempotencyKey(db: Db, scope: string, key: string): Promise<void> {
  await db(TABLE).where({ scope, key, state: 'in_progress' }).delete();
}

export async function readIdempotencyRetentionHours(db: Db): Promise<number | null> {
  const row = await db('ir_config_parameter').where({ key: RETENTION_PARAM }).first<{ value: string | null } | undefined>('value');
  const hours = Number(row?.value);
  return Number.isFinite(hours) && hours > 0 ? hours : null;
}

/** Deletes up to `chunkSize` expired rows; null when another sidecar holds the purge lock. */
export async function purgeIdempotencyChunk(db: Db, chunkSize: number): Promise<number | null> {
  return withTryLock(db, PURGE_LOCK_KEY, async (trx) => {
    const result = await trx.raw<{ rowCount: number | null }>(
      `DELETE FROM ${TABLE} WHERE id IN (SELECT id FROM ${TABLE} WHERE expires_at <= ${NOW} ORDER BY expires_at LIMIT ?)`,
      [chunkSize],
    );
    return result.rowCount ?? 0;
  });
}
