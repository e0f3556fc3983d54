/** GET /webhooks/{id}: one of the calling key's webhooks (never its secret). */
import type { RouteDefinition } from '../../http/types.js';
import { webhookCall, webhookId } from './webhook-support.js';

export const readWebhook: RouteDefinition = {
  method: 'get',
  path: '/webhooks/:id',
  operationId: 'readWebhook',
  summary: 'Read a webhook',
  tags: ['Webhooks'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    ctx.body = { data: await webhookCall(ctx, services, 'read', [webhookId(ctx)], false) };
  },
};
