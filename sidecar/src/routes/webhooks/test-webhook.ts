/**
 * POST /webhooks/{id}/test: sends a signed `webhook.test` event now, through
 * the same guarded client as deliveries, records it as an attempt without an
 * event, and answers what the receiver said.
 */
import { insertTestAttempt, readWebhooks } from '../../db/webhook-events.js';
import { errors } from '../../errors.js';
import type { RouteDefinition } from '../../http/types.js';
import { sendSigned } from '../../webhooks/deliver-event.js';
import { sharedOutboundClient } from '../../webhooks/outbound-client.js';
import { testMessageId, testPayload } from '../../webhooks/payload.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { emptyBody, webhookCall, webhookId } from './webhook-support.js';

export const testWebhook: RouteDefinition = {
  method: 'post',
  path: '/webhooks/:id/test',
  operationId: 'testWebhook',
  summary: 'Send a test event to a webhook',
  tags: ['Webhooks'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const id = webhookId(ctx);
    parseJsonBody(ctx, emptyBody);
    await webhookCall(ctx, services, 'read', [id], false); // the key's own webhook, or a 403/404
    const [webhook] = await readWebhooks(services.db, [id]);
    if (!webhook) throw errors.notFound('webhook_not_found', 'No such webhook for this API key.');
    const now = new Date();
    const outcome = await sendSigned(sharedOutboundClient(), webhook, testMessageId(id, now), JSON.stringify(testPayload(id, now)), now);
    await insertTestAttempt(services.db, id, { attemptedAt: now, ...outcome });
    ctx.body = {
      data: { status: outcome.status, duration_ms: Math.round(outcome.durationMs * 10) / 10, error: outcome.error, response_excerpt: outcome.responseExcerpt },
    };
  },
};
