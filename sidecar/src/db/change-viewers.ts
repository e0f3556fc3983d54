/**
 * The records the change feed has served to each caller (table
 * rest_gateway_change_viewer, docs/decisions.md D-S50), and whether a
 * caller's reads of a model can be narrowed by Odoo's record rules at all.
 */
import type { Db } from './knex.js';

/** Remembers that `viewer` was answered these records of `model` as changed. */
export async function recordServedIds(db: Db, viewer: string, model: string, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.raw(
    `INSERT INTO rest_gateway_change_viewer (viewer, model, res_id)
     SELECT ?, ?, unnest(?::int[])
     ON CONFLICT (viewer, model, res_id) DO NOTHING`,
    [viewer, model, [...ids]],
  );
}

/** The ids among `ids` the feed has served to `viewer` before. */
export async function readServedIds(db: Db, viewer: string, model: string, ids: readonly number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const result = await db.raw<{ rows: Array<{ res_id: number }> }>(
    `SELECT res_id FROM rest_gateway_change_viewer
      WHERE viewer = ? AND model = ? AND res_id = ANY(?::int[])`,
    [viewer, model, [...ids]],
  );
  return new Set(result.rows.map((row) => Number(row.res_id)));
}

/**
 * Whether any active record rule restricts reads of `model`, whoever it
 * applies to: deliberately coarse (a group rule counts even for users
 * outside the group), so that "no rule" really means every record is
 * readable by anyone with the model's read access.
 */
export async function hasReadRules(db: Db, model: string): Promise<boolean> {
  const result = await db.raw<{ rows: Array<{ found: boolean }> }>(
    `SELECT EXISTS (
       SELECT 1 FROM ir_rule AS r JOIN ir_model AS m ON m.id = r.model_id
        WHERE m.model = ? AND r.active AND r.perm_read
     ) AS found`,
    [model],
  );
  return result.rows[0]?.found === true;
}
