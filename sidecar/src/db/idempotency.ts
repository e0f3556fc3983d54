/**
 * Idempotency-Key records (addon table rest_gateway_idempotency, docs/data-model.md):
 * claimed before a request runs (Odoo records a write's bridge answer on the
 * claim in the write's transaction), completed with its answer after,
 * released when nothing was written, taken over past their lease, purged
 * when expired. All SQL of the feature.
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
  /** How long the claim belongs to this request before a retry may take it over. */
  leaseSeconds: number;
}

/** A claim this request holds: the row and its fencing attempt. */
export interface HeldClaim {
  id: number;
  attempt: number;
}

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  /** The body as sent (JSON text), null when there was none. */
  body: string | null;
}

/** The bridge answer Odoo recorded in the write's transaction. */
export interface RecordedCall {
  results: unknown[];
  callDigest: string;
}

export interface IdempotencyRecord extends HeldClaim {
  digest: string;
  /** in_progress: outcome unknown; committed: Odoo recorded the write's answer; done: the API answer is stored. */
  state: 'in_progress' | 'committed' | 'done';
  answer: StoredAnswer | null;
  recorded: RecordedCall | null;
  /** Past its retention: taken over by any request under the key. */
  expired: boolean;
  /** In progress past its lease: a retry may take it over (when no Odoo transaction holds it). */
  leaseExpired: boolean;
}

/** Inserts the in-progress row; the held claim when this request owns the key, null when a row exists. */
export async function claimIdempotencyKey(db: Db, claim: IdempotencyClaim): Promise<HeldClaim | null> {
  // DO NOTHING, not DO UPDATE: an update would wait for the row lock an
  // Odoo write holds for its whole transaction (takeIdempotencyClaim skips it)
  const result = await db.raw<{ rows: { id: number; attempt: number }[] }>(
    `INSERT INTO ${TABLE} (scope, key, request_digest, state, attempt, created_at, expires_at, lease_expires_at)
     VALUES (?, ?, ?, 'in_progress', 1, ${NOW}, ${NOW} + make_interval(secs => ?), ${NOW} + make_interval(secs => ?))
     ON CONFLICT (scope, key) DO NOTHING
     RETURNING id, attempt`,
    [claim.scope, claim.key, claim.digest, claim.ttlSeconds, claim.leaseSeconds],
  );
  const row = result.rows[0];
  return row ? { id: Number(row.id), attempt: Number(row.attempt) } : null;
}

/**
 * Takes over a row past its retention, or an in-progress claim past its
 * lease, unless an Odoo write holds its row lock (SKIP LOCKED: then null,
 * the outcome is still being decided). Raising the attempt fences the
 * previous holder: a write of it that reaches Odoo later does not run.
 */
export async function takeIdempotencyClaim(db: Db, record: HeldClaim, claim: IdempotencyClaim): Promise<HeldClaim | null> {
  const result = await db.raw<{ rows: { id: number; attempt: number }[] }>(
    `UPDATE ${TABLE}
        SET request_digest = ?, state = 'in_progress', attempt = attempt + 1, response_status = NULL,
            response_headers = NULL, response_body = NULL, bridge_result = NULL, call_digest = NULL,
            created_at = ${NOW}, expires_at = ${NOW} + make_interval(secs => ?), lease_expires_at = ${NOW} + make_interval(secs => ?)
      WHERE id = (SELECT id FROM ${TABLE}
                   WHERE id = ? AND attempt = ?
                     AND (expires_at <= ${NOW} OR (state = 'in_progress' AND lease_expires_at <= ${NOW}))
                     FOR UPDATE SKIP LOCKED)
     RETURNING id, attempt`,
    [claim.digest, claim.ttlSeconds, claim.leaseSeconds, record.id, record.attempt],
  );
  const row = result.rows[0];
  return row ? { id: Number(row.id), attempt: Number(row.attempt) } : null;
}

interface IdempotencyRow {
  id: number;
  attempt: number;
  request_digest: string;
  state: string;
  response_status: number | null;
  response_headers: string | null;
  response_body: string | null;
  bridge_result: string | null;
  call_digest: string | null;
  expired: boolean;
  lease_expired: boolean;
}

function recordedCall(row: IdempotencyRow): RecordedCall | null {
  if (row.bridge_result === null || row.call_digest === null) return null;
  const parsed = JSON.parse(row.bridge_result) as { results?: unknown };
  return Array.isArray(parsed.results) ? { results: parsed.results, callDigest: row.call_digest } : null;
}

export async function readIdempotencyRecord(db: Db, scope: string, key: string): Promise<IdempotencyRecord | null> {
  const result = await db.raw<{ rows: IdempotencyRow[] }>(
    `SELECT id, attempt, request_digest, state, response_status, response_headers, response_body, bridge_result, call_digest,
            expires_at <= ${NOW} AS expired, COALESCE(lease_expires_at <= ${NOW}, true) AS lease_expired
       FROM ${TABLE} WHERE scope = ? AND key = ?`,
    [scope, key],
  );
  const row = result.rows[0];
  if (!row) return null;
  const done = row.state === 'done' && row.response_status !== null;
  const recorded = recordedCall(row);
  return {
    id: Number(row.id),
    attempt: Number(row.attempt),
    digest: row.request_digest,
    state: done ? 'done' : recorded ? 'committed' : 'in_progress',
    answer: done
      ? { status: Number(row.response_status), headers: JSON.parse(row.response_headers ?? '{}') as Record<string, string>, body: row.response_body }
      : null,
    recorded,
    expired: row.expired,
    leaseExpired: row.lease_expired,
  };
}

/** Stores the API answer of the claim (still ours: same attempt). */
export async function completeIdempotencyKey(db: Db, claim: HeldClaim, answer: StoredAnswer): Promise<void> {
  await db(TABLE)
    .where({ id: claim.id, attempt: claim.attempt })
    .whereIn('state', ['in_progress', 'committed'])
    .update({ state: 'done', response_status: answer.status, response_headers: JSON.stringify(answer.headers), response_body: answer.body });
}

/** Forgets an in-progress claim whose request certainly wrote nothing: a retry runs again. */
export async function releaseIdempotencyKey(db: Db, claim: HeldClaim): Promise<void> {
  await db(TABLE).where({ id: claim.id, attempt: claim.attempt, state: 'in_progress' }).delete();
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
