/** GET /{model}/count: how many records match the filter, within the caller's domains. */
import { modelResolver, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileCount } from '../../query/compile-read.js';
import { parseQueryFilters } from '../../query/filters.js';
import type { RawQuery } from '../../query/params.js';
import { FILTER_PARAMS } from '../../query/query-parameters.js';

export const countRecords: RouteDefinition = {
  method: 'get',
  path: '/:model/count',
  operationId: 'countRecords',
  summary: 'Count records',
  tags: ['Records'],
  authenticated: true,
  query: FILTER_PARAMS,
  async handler(ctx, services) {
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'read');
    const domain = await parseQueryFilters(ctx.query as RawQuery, context, resolve);
    const [count] = await runOperations(ctx, services, [compileCount(context, domain)], { readonly: true });
    ctx.body = { data: { count: Number(count) } };
  },
};
