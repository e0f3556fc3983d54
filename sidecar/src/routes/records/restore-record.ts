/** POST /{model}/{id}/restore: unarchive a record (models with `active`); answers the restored record. */
import type { RouteDefinition } from '../../http/types.js';
import { handleActive } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const restoreRecord: RouteDefinition = {
  method: 'post',
  path: '/:model/:id/restore',
  operationId: 'restoreRecord',
  summary: 'Restore an archived record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  handler: (ctx, services) => handleActive(ctx, services, 'restore'),
};
