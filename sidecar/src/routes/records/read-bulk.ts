/** GET /{model}/bulk?ids=3,1,2: many records by id, in the order asked; missing ones are null. */
import type { RouteDefinition } from '../../http/types.js';
import { parseIdsParam } from '../../query/bulk-ids.js';
import { singleParam, type RawQuery } from '../../query/params.js';
import { answerBulk } from './bulk-answer.js';
import { BULK_GET_PARAMS } from '../../query/query-parameters.js';

export const readBulk: RouteDefinition = {
  method: 'get',
  path: '/:model/bulk',
  operationId: 'readBulk',
  summary: 'Read many records by id',
  tags: ['Records'],
  authenticated: true,
  query: BULK_GET_PARAMS,
  handler: (ctx, services) => answerBulk(ctx, services, (context) => parseIdsParam(singleParam(ctx.query as RawQuery, 'ids'), context.grant)),
};
