/** GET /{model}: search with filters, sort, fields, expansions and pagination. */
import { modelResolver, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileSearch, decodeSearch } from '../../query/compile-read.js';
import { expandShape, parseExpand } from '../../query/expand.js';
import { parseFields } from '../../query/fields.js';
import { parseQueryFilters } from '../../query/filters.js';
import { parsePagination } from '../../query/pagination.js';
import { parseBooleanParam, singleParam, type RawQuery } from '../../query/params.js';
import { parseSort } from '../../query/sort.js';
import { toApiRecord } from '../../values/record-values.js';
import { pageLinks } from './page-links.js';
import { parseValueOptions } from './value-options.js';
import { LIST_PARAMS } from '../../query/query-parameters.js';

export const listRecords: RouteDefinition = {
  method: 'get',
  path: '/:model',
  operationId: 'listRecords',
  summary: 'Search records',
  tags: ['Records'],
  authenticated: true,
  query: LIST_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'read');
    const page = parsePagination(query, context.grant);
    const fields = parseFields(query, context);
    const order = parseSort(query, context);
    const count = parseBooleanParam('count', singleParam(query, 'count'), true);
    const values = parseValueOptions(query);
    const domain = await parseQueryFilters(query, context, resolve);
    const expand = await parseExpand(query, context, resolve);

    const search = { domain, fields, expand, order, page, count };
    const result = decodeSearch(search, await runOperations(ctx, services, compileSearch(context, search), { readonly: true }));
    const shape = expandShape(context.fields, expand);
    ctx.body = {
      data: result.records.map((record) => toApiRecord(record, shape, values)),
      meta: { ...(result.total === null ? {} : { total: result.total }), limit: page.limit, offset: page.offset, page: page.page },
      links: pageLinks(ctx, page, result.hasNext),
    };
  },
};
