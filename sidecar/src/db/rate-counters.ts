/**
 * Rate-limit counters (addon table rest_gateway_rate_counter,
 * docs/data-model.md, D-L1): adding counted requests to several
 * (bucket, window) rows in one atomic statement that answers each row's
 * global count, shared by every sidecar replica; and the deletion of
 * windows that have rolled over. All SQL of the feature.
 */
import type { Db } from './knex.js';

const TABLE = 'rest_gateway_rate_counter';

/** Requests counted in a process and not yet in the table. */
export interface RateCountDelta {
  bucket: string;
  /** Start of the one-minute window, epoch milliseconds. */
  windowStartMs: number;
  /** Requests to add (≥ 1). */
  delta: number;
}

/** A row's count once the deltas are added: every replica's requests of the window so far. */
export interface RateCountTotal {
  bucket: string;
  windowStartMs: number;
  count: number;
}

/**
 * Adds each delta to its row (created at 0 when missing) in one statement and
 * answers the new counts. Rows are written in (window, bucket) order, so two
 * replicas flushing overlapping rows lock them in the same order and never
 * deadlock; the caller passes each (bucket, window) once.
 */
export async function addRateCounts(db: Db, deltas: RateCountDelta[]): Promise<RateCountTotal[]> {
  if (deltas.length === 0) return [];
  const rows = [...deltas].sort((a, b) => a.windowStartMs - b.windowStartMs || (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  const result = await db.raw<{ rows: Array<{ bucket: string; window_ms: string; count: number }> }>(
    `INSERT INTO ${TABLE} AS c (bucket, window_start, count)
     SELECT d.bucket, to_timestamp(d.window_ms / 1000.0) AT TIME ZONE 'UTC', d.delta
       FROM unnest(?::varchar[], ?::bigint[], ?::int[]) WITH ORDINALITY AS d(bucket, window_ms, delta, position)
      ORDER BY d.position
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = c.count + excluded.count
     RETURNING c.bucket, (extract(epoch FROM c.window_start) * 1000)::bigint AS window_ms, c.count`,
    [rows.map((r) => r.bucket), rows.map((r) => r.windowStartMs), rows.map((r) => r.delta)],
  );
  return result.rows.map((r) => ({ bucket: r.bucket, windowStartMs: Number(r.window_ms), count: Number(r.count) }));
}

/** Deletes the windows that started before `before`; answers how many. */
export async function deleteRateCountersBefore(db: Db, before: Date): Promise<number> {
  const result = await db.raw<{ rowCount: number | null }>(`DELETE FROM ${TABLE} WHERE window_start < ?::timestamptz AT TIME ZONE 'UTC'`, [before.toISOString()]);
  return result.rowCount ?? 0;
}
