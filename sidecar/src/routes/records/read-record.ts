/** GET /{model}/{id}: one record with its expansions, within the caller's domains (else 404). */
import { errors } from '../../errors.js';
import { modelResolver, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileSearch, decodeSearch } from '../../query/compile-read.js';
import { expandShape, parseExpand } from '../../query/expand.js';
import { parseFields } from '../../query/fields.js';
import { parseRecordId, type RawQuery } from '../../query/params.js';
import { toApiRecord } from '../../values/record-values.js';
import { parseValueOptions } from './value-options.js';
import { READ_PARAMS } from '../../query/query-parameters.js';

export const readRecord: RouteDefinition = {
  method: 'get',
  path: '/:model/:id',
  operationId: 'readRecord',
  summary: 'Read one record',
  tags: ['Records'],
  authenticated: true,
  query: READ_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'read');
    const id = parseRecordId(ctx.params.id as string);
    const fields = parseFields(query, context);
    const values = parseValueOptions(query);
    const expand = await parseExpand(query, context, resolve);
    const search = { domain: [['id', '=', id]], fields, expand, order: null, page: { limit: 1, offset: 0, page: 1 }, count: false };
    const results = await runOperations(ctx, services, compileSearch(context, search), { readonly: true });
    const record = decodeSearch(search, results).records[0];
    if (!record) throw errors.notFound('record_not_found', `${context.grant.model} ${id} does not exist or is not visible to this credential.`);
    ctx.body = { data: toApiRecord(record, expandShape(context.fields, expand), values) };
  },
};
