/** GET /models: the models this caller may use, with the operations allowed. */
import { listGrantedOperations } from '../../policy/authorize.js';
import { requirePrincipal } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';

export const listModels: RouteDefinition = {
  method: 'get',
  path: '/models',
  operationId: 'listModels',
  summary: 'List the models available to the caller',
  tags: ['Models'],
  authenticated: true,
  query: [],
  async handler(ctx) {
    const principal = requirePrincipal(ctx);
    const data = [...principal.grants.values()]
      .filter((grant) => listGrantedOperations(grant).length > 0)
      .sort((a, b) => a.model.localeCompare(b.model))
      .map((grant) => ({
        model: grant.model,
        name: grant.name,
        operations: listGrantedOperations(grant),
        default_page_size: grant.defaultPageSize,
        max_page_size: grant.maxPageSize,
      }));
    ctx.body = { data };
  },
};
