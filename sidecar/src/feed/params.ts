/** The change feed's query parameters: `since` (a cursor, `0`, or absent) and `limit`. */
import { errors } from '../errors.js';
import type { ModelGrant } from '../policy/types.js';
import { parseNonNegativeInt, singleParam, type RawQuery } from '../query/params.js';
import { decodeCursor, type FeedPosition } from './cursor.js';

export const DEFAULT_FEED_LIMIT = 100;

/** `since` absent: from now; `0`: from the oldest retained change; else after a cursor. */
export type Since = { kind: 'now' } | { kind: 'start' } | { kind: 'after'; position: FeedPosition };

export function parseSince(query: RawQuery): Since {
  const raw = singleParam(query, 'since');
  if (raw === undefined) return { kind: 'now' };
  if (raw === '0') return { kind: 'start' };
  const position = decodeCursor(raw);
  if (!position) {
    throw errors.badRequest('invalid_cursor', '"since" must be 0 or a next_cursor this change feed returned.', {
      errors: [{ field: 'since', message: 'not a change feed cursor' }],
    });
  }
  return { kind: 'after', position };
}

/** Change rows per page: 100 by default (or the model's maximum page size if smaller), at most that maximum. */
export function parseFeedLimit(query: RawQuery, grant: Pick<ModelGrant, 'maxPageSize' | 'model'>): number {
  const raw = singleParam(query, 'limit');
  if (raw === undefined) return Math.min(DEFAULT_FEED_LIMIT, grant.maxPageSize);
  const limit = parseNonNegativeInt('limit', raw, 1);
  if (limit > grant.maxPageSize) {
    throw errors.badRequest('page_size_exceeded', `limit may be at most ${grant.maxPageSize} for ${grant.model}.`, {
      errors: [{ field: 'limit', message: `at most ${grant.maxPageSize}` }],
    });
  }
  return limit;
}
