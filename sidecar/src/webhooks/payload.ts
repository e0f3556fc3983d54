/**
 * The JSON body of a delivery (docs/data-model.md "Payload"): the event type
 * `<model>.<event>`, the time it is sent, and the record as the webhook's
 * user reads it (null for `deleted`); and the body of a test event.
 */
import type { ClaimedEvent } from './types.js';

export interface EventPayload {
  type: string;
  timestamp: string;
  data: {
    model: string;
    id: number;
    event: string;
    changed_fields?: string[];
    record: Record<string, unknown> | null;
  };
}

export function eventPayload(event: ClaimedEvent, record: Record<string, unknown> | null, now: Date): EventPayload {
  return {
    type: `${event.model}.${event.event}`,
    timestamp: now.toISOString(),
    data: {
      model: event.model,
      id: event.resId,
      event: event.event,
      ...(event.event === 'updated' ? { changed_fields: event.changedFields ?? [] } : {}),
      record,
    },
  };
}

export function testPayload(webhookId: number, now: Date): Record<string, unknown> {
  return { type: 'webhook.test', timestamp: now.toISOString(), data: { webhook_id: webhookId, test: true } };
}

/** The Standard Webhooks message id: stable across the retries of one event. */
export function messageId(eventId: number): string {
  return `evt_${eventId}`;
}

/** A test delivery's id: unique, never confused with an event's. */
export function testMessageId(webhookId: number, now: Date): string {
  return `test_${webhookId}_${now.getTime()}`;
}
