/**
 * POST /webhooks/{id}/rotate-secret `{"grace_hours": n}` (default 24, 0 to
 * 720): a new secret, shown once; during the grace period deliveries carry
 * a signature by each secret, so receivers switch at their pace.
 */
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { rotateSecretBody, webhookCall, webhookId } from './webhook-support.js';

export const rotateWebhookSecret: RouteDefinition = {
  method: 'post',
  path: '/webhooks/:id/rotate-secret',
  operationId: 'rotateWebhookSecret',
  summary: "Replace a webhook's signing secret",
  tags: ['Webhooks'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const id = webhookId(ctx);
    const { grace_hours: graceHours } = parseJsonBody(ctx, rotateSecretBody);
    const data = await webhookCall(ctx, services, 'rotate_secret', [id, graceHours], true);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  },
};
