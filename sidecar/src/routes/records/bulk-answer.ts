/**
 * The answer of a bulk read: `data` position for position with the ids
 * asked (null where a record is missing or hidden) and `meta.missing`
 * (docs/decisions.md D14). One scoped search, as for lists.
 */
import { modelResolver, runOperations } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import type { ModelContext } from '../../policy/types.js';
import { compileSearch, decodeSearch } from '../../query/compile-read.js';
import { expandShape, parseExpand } from '../../query/expand.js';
import { parseFields } from '../../query/fields.js';
import type { RawQuery } from '../../query/params.js';
import { toApiRecord } from '../../values/record-values.js';
import { parseValueOptions } from './value-options.js';

export async function answerBulk(ctx: ApiContext, services: Services, readIds: (context: ModelContext) => number[]): Promise<void> {
  const query = ctx.query as RawQuery;
  const resolve = modelResolver(ctx, services);
  const context = await resolve(ctx.params.model as string, 'read');
  const ids = readIds(context);
  const fields = parseFields(query, context);
  const values = parseValueOptions(query);
  const expand = await parseExpand(query, context, resolve);
  const unique = [...new Set(ids)];
  const page = { limit: unique.length, offset: 0, page: 1 };
  const search = { domain: [['id', 'in', unique]], fields, expand, order: null, page, count: false };
  const { records } = decodeSearch(search, await runOperations(ctx, services, compileSearch(context, search), { readonly: true }));
  const shape = expandShape(context.fields, expand);
  const byId = new Map(records.map((record) => [record.id as number, toApiRecord(record, shape, values)]));
  ctx.body = {
    data: ids.map((id) => byId.get(id) ?? null),
    meta: { missing: unique.filter((id) => !byId.has(id)) },
  };
}
