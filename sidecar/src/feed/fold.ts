/**
 * A page of the change feed from the change rows read: exactly `limit` rows
 * (so has_more is exact), folded into one entry per record, and the cursor
 * to continue from (docs/decisions.md D-C2).
 */
import { comparePositions, laterPosition, transactionStart, type FeedPosition } from './cursor.js';

export type ChangeOperation = 'create' | 'update' | 'delete';

export interface ChangeRow extends FeedPosition {
  resId: number;
  operation: ChangeOperation;
}

export interface FoldedChanges {
  /** Records created or updated: to read as the caller (hidden ones become deleted). */
  changedIds: number[];
  /** Records whose last change in the page is a deletion. */
  deletedIds: number[];
}

export interface FeedPage {
  rows: ChangeRow[];
  hasMore: boolean;
  next: FeedPosition;
}

/**
 * Several rows of one record become one entry; its last row decides whether
 * it is changed or deleted. Entries follow the order of each record's last row.
 */
export function foldChanges(rows: readonly ChangeRow[]): FoldedChanges {
  const last = new Map<number, ChangeOperation>();
  for (const row of rows) {
    last.delete(row.resId); // re-inserting moves the record to its latest position
    last.set(row.resId, row.operation);
  }
  const changedIds: number[] = [];
  const deletedIds: number[] = [];
  for (const [id, operation] of last) (operation === 'delete' ? deletedIds : changedIds).push(id);
  return { changedIds, deletedIds };
}

/**
 * `rows` were read with `limit + 1`, after `after`, below `horizon` (the
 * snapshot's oldest running transaction). A full page continues from its
 * last row; a last page continues from the horizon: every change below it
 * has been served, and no transaction below it can still add one, so a
 * quiet feed's cursor keeps moving (and does not expire).
 */
export function pageOf(rows: readonly ChangeRow[], limit: number, after: FeedPosition, horizon: bigint): FeedPage {
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const lastRow = page.at(-1);
  const reached = lastRow ? { txid: lastRow.txid, id: lastRow.id } : after;
  if (lastRow && comparePositions(reached, after) <= 0) throw new Error('change rows out of order');
  return { rows: page, hasMore, next: hasMore ? reached : laterPosition(reached, transactionStart(horizon)) };
}
