/** POST /{model}/{id}/archive: archive a record (models with `active`); answers the archived record. */
import type { RouteDefinition } from '../../http/types.js';
import { handleActive } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const archiveRecord: RouteDefinition = {
  method: 'post',
  path: '/:model/:id/archive',
  operationId: 'archiveRecord',
  summary: 'Archive a record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  handler: (ctx, services) => handleActive(ctx, services, 'archive'),
};
