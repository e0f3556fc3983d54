/** POST /{model}/bulk with {"ids": [3,1,2]} (or a bare list): GET /bulk for id lists too long for a URL. */
import type { RouteDefinition } from '../../http/types.js';
import { parseIdsBody } from '../../query/bulk-ids.js';
import { answerBulk } from './bulk-answer.js';
import { jsonBody } from './write-support.js';
import { READ_PARAMS } from '../../query/query-parameters.js';

export const readBulkPost: RouteDefinition = {
  method: 'post',
  path: '/:model/bulk',
  operationId: 'readBulkPost',
  summary: 'Read many records by id (ids in the body)',
  tags: ['Records'],
  authenticated: true,
  query: READ_PARAMS,
  handler: (ctx, services) => answerBulk(ctx, services, (context) => parseIdsBody(jsonBody(ctx, true), context.grant)),
};
