/**
 * The records behind a change feed page, read through the bridge as the
 * caller: the changed ids AND the caller's scoped domains, with Odoo's
 * record rules, including archived records (an archive is a change).
 */
import { runOperations } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import type { ModelContext } from '../../policy/types.js';
import { compileSearch, decodeSearch } from '../../query/compile-read.js';
import type { ExpandNode } from '../../query/expand.js';

export interface ChangedRecordsRequest {
  ids: number[];
  fields: string[];
  expand: Map<string, ExpandNode>;
}

/** The visible records by id; an id missing from the map is not (or no longer) visible to the caller. */
export async function readChangedRecords(
  ctx: ApiContext,
  services: Services,
  context: ModelContext,
  request: ChangedRecordsRequest,
): Promise<Map<number, Record<string, unknown>>> {
  if (request.ids.length === 0) return new Map();
  const page = { limit: request.ids.length, offset: 0, page: 1 };
  // order by id: the answer follows the change order anyway, and id needs no join or sort key
  const search = { domain: [['id', 'in', request.ids]], fields: request.fields, expand: request.expand, order: 'id', page, count: false };
  // Read-write route: a read-only cursor may sit on a replica that has not
  // caught up with the change rows just read from the primary, and a
  // lagging replica would turn fresh records into "deleted" ones.
  const results = await runOperations(ctx, services, compileSearch(context, search), { readonly: false, context: { active_test: false } });
  const { records } = decodeSearch(search, results);
  return new Map(records.map((record) => [record.id as number, record]));
}
