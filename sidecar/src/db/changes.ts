/**
 * The captured changes the addon's triggers write (table rest_gateway_change,
 * docs/data-model.md): a page of one model's feed, the purge horizon, and
 * the retention purge. bigint columns travel as text and become BigInt.
 */
import type { FeedPosition } from '../feed/cursor.js';
import type { ChangeOperation, ChangeRow } from '../feed/fold.js';
import { withTryLock, type Db } from './knex.js';

export const RETENTION_PARAM = 'rest_gateway.change_retention_days';
/** Any constant unique to this job: sidecars purging at once would only wait on each other. */
const PURGE_LOCK_KEY = 0x52475750; // "RGWP"

/** pg_snapshot_xmin: every transaction below it has finished, so no change below it can still appear. */
const SNAPSHOT_XMIN = 'pg_snapshot_xmin(pg_current_snapshot())::text::bigint';

export interface ChangeFeedSlice {
  /** The oldest transaction still running when the rows were read. */
  horizon: bigint;
  /** The highest txid the retention purge reached (0: none). */
  purgedTxid: bigint;
  rows: ChangeRow[];
}

interface SliceRow {
  horizon: string;
  purged_txid: string | null;
  id: string | null;
  txid: string | null;
  res_id: number | null;
  operation: ChangeOperation | null;
}

/**
 * Up to `limit` changes of `model` after `after`, above the purge horizon and
 * below the snapshot's xmin, in (txid, id) order. One statement, one
 * snapshot: the purge horizon and the rows agree, so a purge committing
 * meanwhile cannot remove rows behind a cursor judged valid.
 */
export async function readChangeSlice(db: Db, model: string, after: FeedPosition, limit: number): Promise<ChangeFeedSlice> {
  const result = await db.raw<{ rows: SliceRow[] }>(
    `SELECT s.horizon::text AS horizon, h.purged_txid::text AS purged_txid,
            c.id::text AS id, c.txid::text AS txid, c.res_id, c.operation
       FROM (SELECT ${SNAPSHOT_XMIN} AS horizon) AS s
       LEFT JOIN rest_gateway_change_horizon AS h ON h.id = 1
       LEFT JOIN LATERAL (
            SELECT id, txid, res_id, operation
              FROM rest_gateway_change
             WHERE model = ? AND (txid, id) > (?::bigint, ?::bigint)
               AND txid > COALESCE(h.purged_txid, 0) AND txid < s.horizon
             ORDER BY txid, id
             LIMIT ?
       ) AS c ON true
      ORDER BY c.txid, c.id`,
    [model, after.txid.toString(), after.id.toString(), limit],
  );
  const first = result.rows[0] as SliceRow;
  return {
    horizon: BigInt(first.horizon),
    purgedTxid: BigInt(first.purged_txid ?? '0'),
    rows: result.rows
      .filter((row) => row.id !== null)
      .map((row) => ({ id: BigInt(row.id as string), txid: BigInt(row.txid as string), resId: Number(row.res_id), operation: row.operation as ChangeOperation })),
  };
}

/** The current horizon: where a feed started "from now" begins. */
export async function readChangeHorizon(db: Db): Promise<bigint> {
  const result = await db.raw<{ rows: Array<{ horizon: string }> }>(`SELECT ${SNAPSHOT_XMIN}::text AS horizon`);
  return BigInt((result.rows[0] as { horizon: string }).horizon);
}

/** The retention in days the admin set (Settings, REST Gateway), or null when unset or unreadable. */
export async function readChangeRetentionDays(db: Db): Promise<number | null> {
  const row = await db('ir_config_parameter').where({ key: RETENTION_PARAM }).first<{ value: string | null } | undefined>('value');
  const days = Number(row?.value);
  return Number.isInteger(days) && days >= 1 ? days : null;
}

/**
 * Deletes up to `chunkSize` of the oldest changes (in feed order, below the
 * snapshot's xmin) that are older than `olderThanSeconds`, stopping at the
 * first younger one so that what is purged is always a prefix of the feed,
 * and raises the purge horizon in the same transaction. Answers the rows
 * deleted, or null when another sidecar is purging (its transaction holds
 * the advisory lock). The records of purged deletions are forgotten by the
 * change feed's viewers in the same statement.
 */
export async function purgeChangeChunk(db: Db, olderThanSeconds: number, chunkSize: number): Promise<number | null> {
  return withTryLock(db, PURGE_LOCK_KEY, async (trx) => {
    const result = await trx.raw<{ rows: Array<{ deleted: number }> }>(
      `WITH head AS (
            SELECT id, txid, changed_at FROM rest_gateway_change
             WHERE txid < ${SNAPSHOT_XMIN}
             ORDER BY txid, id
             LIMIT ?
       ), stop AS (
            SELECT txid, id FROM head
             WHERE changed_at >= (now() AT TIME ZONE 'UTC') - make_interval(secs => ?)
             ORDER BY txid, id
             LIMIT 1
       ), purged AS (
            DELETE FROM rest_gateway_change AS c USING head
             WHERE c.id = head.id
               AND NOT EXISTS (SELECT 1 FROM stop WHERE (head.txid, head.id) >= (stop.txid, stop.id))
            RETURNING c.txid, c.model, c.res_id, c.operation
       ), forgotten AS (
            -- no valid cursor can reach a purged deletion again: the record
            -- served to callers (db/change-viewers.ts) need not be remembered
            DELETE FROM rest_gateway_change_viewer AS v USING purged
             WHERE purged.operation = 'delete' AND v.model = purged.model AND v.res_id = purged.res_id
       ), horizon AS (
            UPDATE rest_gateway_change_horizon
               SET purged_txid = GREATEST(purged_txid, (SELECT max(txid) FROM purged)),
                   purged_at = now() AT TIME ZONE 'UTC',
                   purged_rows = purged_rows + (SELECT count(*) FROM purged)
             WHERE id = 1 AND EXISTS (SELECT 1 FROM purged)
       )
       SELECT count(*)::int AS deleted FROM purged`,
      [chunkSize, olderThanSeconds],
    );
    return result.rows[0]?.deleted ?? 0;
  });
}
