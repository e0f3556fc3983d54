/**
 * One delivery attempt of one event: the signed request (Standard Webhooks
 * headers, the webhook's own headers), and what the answer means for the
 * event: 2xx delivered; 410 Gone disables the webhook and leaves the event
 * pending; anything else (3xx included: redirects are not followed),
 * network errors and timeouts retry after the backoff or Retry-After, and
 * the event is dead after the webhook's max_attempts.
 */
import type { EventResolution } from '../db/webhook-events.js';
import type { OutboundClient } from './outbound-client.js';
import { eventPayload, messageId } from './payload.js';
import { retryDelaySeconds } from './retry-schedule.js';
import { activeSecrets, signatureHeader } from './signer.js';
import type { AttemptOutcome, ClaimedEvent, WebhookRow } from './types.js';

export const GONE_REASON = 'the receiver answered 410 Gone';

/** The headers of a signed request: the webhook's own first, ours over them. */
export function signedHeaders(webhook: WebhookRow, id: string, now: Date, body: string): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    ...webhook.headers,
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signatureHeader(activeSecrets(webhook, now), id, timestamp, body),
  };
}

/** Sends `body` signed as message `id` to the webhook's URL. */
export function sendSigned(client: OutboundClient, webhook: WebhookRow, id: string, body: string, now = new Date()): Promise<AttemptOutcome> {
  return client.send({
    url: webhook.url,
    headers: signedHeaders(webhook, id, now, body),
    body,
    timeoutMs: webhook.timeout * 1000,
    allowPrivate: webhook.allowPrivate,
  });
}

function failureText(outcome: AttemptOutcome): string {
  if (outcome.error) return outcome.error;
  const status = outcome.status as number;
  return status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}`;
}

/** What the outcome of attempt `event.attempts` makes of the event. */
export function resolveOutcome(webhook: WebhookRow, event: ClaimedEvent, outcome: AttemptOutcome, attemptedAt: Date): EventResolution {
  const base = {
    eventId: event.id,
    webhookId: webhook.id,
    claimedAttempts: event.attempts,
    lastStatus: outcome.status,
    attempt: { attemptedAt, status: outcome.status, durationMs: outcome.durationMs, responseExcerpt: outcome.responseExcerpt, error: outcome.error },
  };
  const status = outcome.status;
  if (status !== null && status >= 200 && status < 300) return { ...base, state: 'delivered', lastError: null };
  if (status === 410) return { ...base, state: 'pending', retryInSeconds: 0, lastError: `${GONE_REASON}: webhook disabled` };
  const lastError = failureText(outcome);
  if (event.attempts >= webhook.maxAttempts) return { ...base, state: 'dead', lastError };
  const policy = { baseDelaySeconds: webhook.retryBaseDelay, maxDelaySeconds: webhook.retryMaxDelay };
  return { ...base, state: 'pending', retryInSeconds: retryDelaySeconds(event.attempts, policy, outcome.retryAfterSeconds), lastError };
}

/** Signs, sends and judges one event whose record (null for `deleted`) has been read. */
export async function deliverEvent(client: OutboundClient, webhook: WebhookRow, event: ClaimedEvent, record: Record<string, unknown> | null): Promise<EventResolution> {
  const now = new Date();
  const body = JSON.stringify(eventPayload(event, record, now));
  const outcome = await sendSigned(client, webhook, messageId(event.id), body, now);
  return resolveOutcome(webhook, event, outcome, now);
}
