/**
 * Rate-limit counters (addon table rest_gateway_rate_counter,
 * docs/data-model.md, D-L1): one atomic upsert per request, shared by every
 * sidecar replica, and the deletion of windows that have rolled over. All
 * SQL of the feature.
 */
import type { Db } from './knex.js';

const TABLE = 'rest_gateway_rate_counter';

/** Counts one request in (bucket, window) and answers the window's count so far. */
export async function incrementRateCounter(db: Db, bucket: string, windowStart: Date): Promise<number> {
  const result = await db.raw<{ rows: Array<{ count: number }> }>(
    `INSERT INTO ${TABLE} (bucket, window_start, count)
     VALUES (?, ?::timestamptz AT TIME ZONE 'UTC', 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = ${TABLE}.count + 1
     RETURNING count`,
    [bucket, windowStart.toISOString()],
  );
  const row = result.rows[0];
  if (!row) throw new Error('rate counter upsert returned no row');
  return Number(row.count);
}

/** Deletes the windows that started before `before`; answers how many. */
export async function deleteRateCountersBefore(db: Db, before: Date): Promise<number> {
  const result = await db.raw<{ rowCount: number | null }>(`DELETE FROM ${TABLE} WHERE window_start < ?::timestamptz AT TIME ZONE 'UTC'`, [before.toISOString()]);
  return result.rowCount ?? 0;
}
