/**
 * The request log and its hourly statistics (tables rest_gateway_request_log
 * and rest_gateway_request_stat, docs/data-model.md): one statement per
 * batch that inserts the logged rows and upserts the statistics, and the
 * chunked retention purge of both.
 */
import { replaceBadText } from '../http/text-checks.js';
import { withTryLock, type Db } from './knex.js';

export const LOG_RETENTION_PARAM = 'rest_gateway.request_log_retention_days';
export const STAT_RETENTION_PARAM = 'rest_gateway.request_stat_retention_days';
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_STAT_RETENTION_DAYS = 400;
/** Any constant unique to this job: sidecars purging at once would only wait on each other. */
const PURGE_LOCK_KEY = 0x5247574c; // "RGWL"

/** One request, as the middleware saw it. */
export interface RequestLogEntry {
  loggedAt: Date;
  requestId: string;
  method: string;
  path: string;
  /** `GET /api/v1/:model/:id`: what the statistics group by. */
  endpoint: string;
  operation: string | null;
  model: string | null;
  authKind: string | null;
  userId: number | null;
  keyId: number | null;
  clientId: number | null;
  clientAddress: string | null;
  origin: string | null;
  userAgent: string | null;
  status: number;
  durationMs: number;
  odooMs: number;
  errorCode: string | null;
  errorMessage: string | null;
  requestSize: number | null;
  responseSize: number | null;
  requestSummary: string | null;
  responseSummary: string | null;
  /** false: counted in the statistics only (the log mode leaves it out of the log). */
  logged: boolean;
}

export interface BatchResult {
  logged: number;
  buckets: number;
}

export function statusClass(status: number): string {
  return `${Math.min(5, Math.max(1, Math.floor(status / 100)))}xx`;
}

/**
 * A failure that belongs to the rows sent rather than to the database:
 * SQLSTATE class 22 (data exception: untranslatable character, value out
 * of range, invalid text) or 23 (integrity). Worth retrying row by row; a
 * lost connection or a missing table is not.
 */
export function isRowDataError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/** Every string column storable in text and jsonb (no NUL, no unpaired surrogate), whatever built the entry. */
function storable(record: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(record)) if (typeof value === 'string') record[name] = replaceBadText(value);
  return record;
}

function toRecord(entry: RequestLogEntry): Record<string, unknown> {
  return storable({
    logged_at: entry.loggedAt.toISOString(),
    request_id: entry.requestId,
    method: entry.method,
    path: entry.path,
    endpoint: entry.endpoint,
    operation: entry.operation,
    model: entry.model,
    auth_kind: entry.authKind,
    user_id: entry.userId,
    key_id: entry.keyId,
    client_id: entry.clientId,
    client_address: entry.clientAddress,
    origin: entry.origin,
    user_agent: entry.userAgent,
    status: entry.status,
    status_class: statusClass(entry.status),
    duration_ms: entry.durationMs,
    odoo_ms: entry.odooMs,
    error_code: entry.errorCode,
    error_message: entry.errorMessage,
    request_size: entry.requestSize,
    response_size: entry.responseSize,
    request_summary: entry.requestSummary,
    response_summary: entry.responseSummary,
    logged: entry.logged,
  });
}

/**
 * Inserts the batch's logged entries and adds every entry to its hour's
 * statistics row, in one statement (the batch travels as one jsonb
 * parameter). Log rows keep the user, key and client ids as they were (the
 * log table has no foreign keys, D-L2); a statistics row's key or client
 * deleted meanwhile becomes null rather than failing the batch. Statistics rows are upserted
 * in (hour, bucket) order so that two sidecars never deadlock on them.
 */
export async function insertRequestLogBatch(db: Db, entries: readonly RequestLogEntry[]): Promise<BatchResult> {
  if (entries.length === 0) return { logged: 0, buckets: 0 };
  const result = await db.raw<{ rows: BatchResult[] }>(
    `WITH input AS (
          SELECT r.logged_at AT TIME ZONE 'UTC' AS logged_at, r.request_id, r.method, r.path, r.endpoint,
                 r.operation, r.model, r.auth_kind, r.client_address, r.origin, r.user_agent, r.status,
                 r.status_class, r.duration_ms, r.odoo_ms, r.error_code, r.error_message, r.request_size,
                 r.response_size, r.request_summary, r.response_summary, r.logged,
                 r.user_id, r.key_id, r.client_id
            FROM jsonb_to_recordset(?::jsonb) AS r(
                 logged_at timestamptz, request_id varchar, method varchar, path varchar, endpoint varchar,
                 operation varchar, model varchar, auth_kind varchar, user_id integer, key_id integer,
                 client_id integer, client_address varchar, origin varchar, user_agent varchar, status integer,
                 status_class varchar, duration_ms double precision, odoo_ms double precision,
                 error_code varchar, error_message text, request_size integer, response_size integer,
                 request_summary text, response_summary text, logged boolean)
     ), logged AS (
          INSERT INTO rest_gateway_request_log (
                 logged_at, request_id, method, path, endpoint, operation, model, auth_kind, user_id, key_id,
                 client_id, client_address, origin, user_agent, status, status_class, duration_ms, odoo_ms,
                 error_code, error_message, request_size, response_size, request_summary, response_summary)
          SELECT logged_at, request_id, method, path, endpoint, operation, model, auth_kind, user_id, key_id,
                 client_id, client_address, origin, user_agent, status, status_class, duration_ms, odoo_ms,
                 error_code, error_message, request_size, response_size, request_summary, response_summary
            FROM input WHERE logged
          RETURNING 1
     ), counted AS (
          INSERT INTO rest_gateway_request_stat AS s (
                 hour, bucket, endpoint, method, model, status, status_class, key_id, client_id,
                 request_count, error_count, duration_sum_ms, duration_max_ms, odoo_ms_sum)
          SELECT g.hour, g.bucket, g.endpoint, g.method, g.model, g.status, g.status_class,
                 (SELECT k.id FROM rest_gateway_key AS k WHERE k.id = g.key_id),
                 (SELECT c.id FROM rest_gateway_oauth_client AS c WHERE c.id = g.client_id),
                 g.request_count, g.error_count, g.duration_sum_ms, g.duration_max_ms, g.odoo_ms_sum
            FROM (SELECT date_trunc('hour', logged_at) AS hour,
                         concat_ws('|', endpoint, coalesce(model, ''), coalesce(key_id::text, ''), coalesce(client_id::text, ''), status::text) AS bucket,
                         endpoint, method, model, status, status_class, key_id, client_id,
                         count(*) AS request_count, count(*) FILTER (WHERE status >= 400) AS error_count,
                         sum(duration_ms) AS duration_sum_ms, max(duration_ms) AS duration_max_ms, sum(odoo_ms) AS odoo_ms_sum
                    FROM input
                   GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9) AS g
           ORDER BY 1, 2
          ON CONFLICT (hour, bucket) DO UPDATE
             SET request_count = s.request_count + EXCLUDED.request_count,
                 error_count = s.error_count + EXCLUDED.error_count,
                 duration_sum_ms = s.duration_sum_ms + EXCLUDED.duration_sum_ms,
                 duration_max_ms = greatest(s.duration_max_ms, EXCLUDED.duration_max_ms),
                 odoo_ms_sum = s.odoo_ms_sum + EXCLUDED.odoo_ms_sum
          RETURNING 1
     )
     SELECT (SELECT count(*) FROM logged)::int AS logged, (SELECT count(*) FROM counted)::int AS buckets`,
    [JSON.stringify(entries.map(toRecord))],
  );
  return result.rows[0] ?? { logged: 0, buckets: 0 };
}

export interface RequestLogRetention {
  logDays: number;
  statDays: number;
}

function days(value: string | undefined, fallback: number): number {
  const parsed = Number(value);
  return Number.isInteger(parsed) && parsed >= 1 ? parsed : fallback;
}

/** The retentions the admin set (Settings, REST Gateway), or their defaults. */
export async function readRequestLogRetention(db: Db): Promise<RequestLogRetention> {
  const rows = await db('ir_config_parameter')
    .whereIn('key', [LOG_RETENTION_PARAM, STAT_RETENTION_PARAM])
    .select<Array<{ key: string; value: string | null }>>('key', 'value');
  const params = new Map(rows.map((row) => [row.key, row.value ?? undefined]));
  return {
    logDays: days(params.get(LOG_RETENTION_PARAM), DEFAULT_LOG_RETENTION_DAYS),
    statDays: days(params.get(STAT_RETENTION_PARAM), DEFAULT_STAT_RETENTION_DAYS),
  };
}

export type PurgedTable = 'rest_gateway_request_log' | 'rest_gateway_request_stat';
const TIME_COLUMN: Record<PurgedTable, string> = { rest_gateway_request_log: 'logged_at', rest_gateway_request_stat: 'hour' };

export interface PurgeChunk {
  deleted: number;
  /** The newest time deleted (PostgreSQL text, full precision): where the next chunk starts. */
  reached: string | null;
}

/**
 * Deletes up to `chunkSize` of the oldest rows of `table` older than
 * `olderThanSeconds`, from `from` on, in its own transaction: the ids come
 * from the time column's index, starting where the previous chunk stopped
 * (so no chunk walks the index entries of rows already deleted and not yet
 * vacuumed), and the rows are found by primary key (`= ANY(ARRAY(…))`
 * keeps the planner from a join that scans the table). Answers null when
 * another sidecar is purging (its transaction holds the advisory lock).
 * Only the deleted rows are locked: inserts go on meanwhile.
 */
export async function purgeRequestLogChunk(
  db: Db,
  table: PurgedTable,
  olderThanSeconds: number,
  chunkSize: number,
  from: string | null = null,
): Promise<PurgeChunk | null> {
  const column = TIME_COLUMN[table];
  return withTryLock(db, PURGE_LOCK_KEY, async (trx) => {
    const result = await trx.raw<{ rows: PurgeChunk[] }>(
      `WITH picked AS (
            SELECT id, ${column} AS at FROM ${table}
             WHERE ${column} < (now() AT TIME ZONE 'UTC') - make_interval(secs => ?)
               AND ${column} >= coalesce(?::timestamp, '-infinity')
             ORDER BY ${column}
             LIMIT ?
       ), purged AS (
            DELETE FROM ${table} WHERE id = ANY(ARRAY(SELECT id FROM picked)) RETURNING 1
       )
       SELECT (SELECT count(*) FROM purged)::int AS deleted, (SELECT max(at) FROM picked)::text AS reached`,
      [olderThanSeconds, from, chunkSize],
    );
    return result.rows[0] ?? { deleted: 0, reached: null };
  });
}
