/** DELETE /webhooks/{id}: removes the webhook with its events and attempts. */
import type { RouteDefinition } from '../../http/types.js';
import { webhookCall, webhookId } from './webhook-support.js';

export const deleteWebhook: RouteDefinition = {
  method: 'delete',
  path: '/webhooks/:id',
  operationId: 'deleteWebhook',
  summary: 'Delete a webhook',
  tags: ['Webhooks'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    await webhookCall(ctx, services, 'delete', [webhookId(ctx)], true);
    ctx.status = 204;
  },
};
