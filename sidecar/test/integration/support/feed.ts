/**
 * Helpers for the change feed tests: one page, a drain to the end, and
 * direct PostgreSQL connections to the stack's database (writers that
 * bypass Odoo, and the purge job run from the test process).
 */
import pg from 'pg';
import { decodeCursor } from '../../../src/feed/cursor.js';
import { api, stack, type ApiResponse } from './stack.js';

export interface FeedBody {
  data: { changed: Array<Record<string, unknown> & { id: number }>; deleted: number[] };
  meta: { next_cursor: string; has_more: boolean };
}

export function feed(model: string, params: Record<string, string | number> = {}, key?: string): Promise<ApiResponse<FeedBody>> {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return api<FeedBody>(`/${model}/changes${query ? `?${query}` : ''}`, { key });
}

/** A cursor for "now": the feed called without since. */
export async function freshCursor(model: string, key?: string): Promise<string> {
  const r = await feed(model, {}, key);
  if (r.status !== 200) throw new Error(`feed without since: ${r.status} ${r.text}`);
  return r.body.meta.next_cursor;
}

export interface Drained {
  changed: Map<number, Record<string, unknown>>;
  deleted: Set<number>;
  pages: number;
  cursor: string;
}

/** Follows the feed from `since` until has_more is false; later pages overwrite earlier records. */
export async function drain(model: string, since: string, params: Record<string, string | number> = {}, key?: string): Promise<Drained> {
  const out: Drained = { changed: new Map(), deleted: new Set(), pages: 0, cursor: since };
  for (;;) {
    const r = await feed(model, { ...params, since: out.cursor }, key);
    if (r.status !== 200) throw new Error(`feed page: ${r.status} ${r.text}`);
    out.pages += 1;
    for (const record of r.body.data.changed) {
      out.changed.set(record.id, record);
      out.deleted.delete(record.id);
    }
    for (const id of r.body.data.deleted) {
      out.deleted.add(id);
      out.changed.delete(id);
    }
    out.cursor = r.body.meta.next_cursor;
    if (!r.body.meta.has_more) return out;
  }
}

export function cursorTxid(cursor: string): bigint {
  const position = decodeCursor(cursor);
  if (!position) throw new Error(`not a cursor: ${cursor}`);
  return position.txid;
}

export async function connectPg(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.database_url, application_name: 'rgw-feed-test' });
  await client.connect();
  return client;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
