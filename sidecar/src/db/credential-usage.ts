/**
 * Last-used time and use count of credentials, written in batches: one
 * UPDATE per table per flush, never one per request. Plain SQL: it is
 * usage bookkeeping, so it neither notifies nor touches write_date.
 */
import type { Db } from './knex.js';
import { utc } from './tokens.js';

export const USAGE_TABLES = ['rest_gateway_key', 'rest_gateway_oauth_client', 'rest_gateway_token'] as const;
export type UsageTable = (typeof USAGE_TABLES)[number];

export interface UsageRow {
  id: number;
  count: number;
  lastUsedAt: Date;
}

export async function recordCredentialUsage(db: Db, table: UsageTable, rows: UsageRow[]): Promise<void> {
  if (!rows.length || !USAGE_TABLES.includes(table)) return;
  await db.raw(
    `UPDATE ?? AS t
        SET use_count = COALESCE(t.use_count, 0) + v.n,
            last_used_at = GREATEST(COALESCE(t.last_used_at, v.at), v.at)
       FROM unnest(?::int[], ?::int[], ?::timestamp[]) AS v(id, n, at)
      WHERE t.id = v.id`,
    [table, rows.map((r) => r.id), rows.map((r) => r.count), rows.map((r) => utc(r.lastUsedAt))],
  );
}
