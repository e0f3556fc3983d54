/** What an attempt's outcome makes of an event, and the payload of an event. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveOutcome, signedHeaders } from '../../../src/webhooks/deliver-event.js';
import { eventPayload } from '../../../src/webhooks/payload.js';
import type { AttemptOutcome, ClaimedEvent, WebhookRow } from '../../../src/webhooks/types.js';

const webhook: WebhookRow = {
  id: 3, name: 'hook', active: true, url: 'https://example.com/hook', model: 'res.partner', userId: 2, keyId: null,
  domainJson: '[]', payloadFields: null, headers: { 'X-Token': 't' }, maxAttempts: 3, retryBaseDelay: 10, retryMaxDelay: 3600,
  timeout: 10, allowPrivate: false, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', previousSecret: null, previousSecretExpiresAt: null,
};
const event = (attempts: number): ClaimedEvent => ({
  id: 41, webhookId: 3, model: 'res.partner', resId: 7, event: 'updated', changedFields: ['email'], createdAt: new Date(), attempts,
});
const outcome = (status: number | null, extra: Partial<AttemptOutcome> = {}): AttemptOutcome => ({
  status, durationMs: 12, responseExcerpt: 'x', error: status === null ? 'timeout' : null, retryAfterSeconds: null, ...extra,
});
const now = new Date('2026-11-28T12:00:00Z');

describe('delivery outcome', () => {
  it('2xx: delivered', () => {
    const r = resolveOutcome(webhook, event(1), outcome(204), now);
    assert.equal(r.state, 'delivered');
    assert.equal(r.claimedAttempts, 1);
    assert.equal(r.attempt?.status, 204);
  });
  it('410: pending, flagged for disabling', () => {
    const r = resolveOutcome(webhook, event(3), outcome(410), now);
    assert.equal(r.state, 'pending');
    assert.equal(r.retryInSeconds, 0);
    assert.match(r.lastError ?? '', /410/);
  });
  it('500 or no answer: retried after the backoff, dead at max_attempts', () => {
    const first = resolveOutcome(webhook, event(1), outcome(500), now);
    assert.equal(first.state, 'pending');
    assert.ok((first.retryInSeconds ?? 0) >= 8 && (first.retryInSeconds ?? 0) <= 12);
    assert.equal(first.lastError, 'HTTP 500');
    const timeout = resolveOutcome(webhook, event(2), outcome(null), now);
    assert.equal(timeout.state, 'pending');
    assert.equal(timeout.lastError, 'timeout');
    assert.equal(resolveOutcome(webhook, event(3), outcome(500), now).state, 'dead');
  });
  it('Retry-After later than the backoff wins', () => {
    assert.equal(resolveOutcome(webhook, event(1), outcome(503, { retryAfterSeconds: 600 }), now).retryInSeconds, 600);
  });
  it('a redirect is a failure that says so', () => {
    assert.match(resolveOutcome(webhook, event(1), outcome(302), now).lastError ?? '', /redirects are not followed/);
  });
});

describe('signed request', () => {
  it('carries the Standard Webhooks headers over the custom ones', () => {
    const headers = signedHeaders({ ...webhook, headers: { 'X-Token': 't' } }, 'evt_41', now, '{}');
    assert.equal(headers['webhook-id'], 'evt_41');
    assert.equal(headers['webhook-timestamp'], String(now.getTime() / 1000));
    assert.match(headers['webhook-signature'] ?? '', /^v1,[A-Za-z0-9+/]{43}=$/);
    assert.equal(headers['X-Token'], 't');
  });
});

describe('event payload', () => {
  it('is typed <model>.<event>, with changed_fields for updates only', () => {
    const updated = eventPayload(event(1), { id: 7, name: 'A' }, now);
    assert.deepEqual(updated, {
      type: 'res.partner.updated', timestamp: '2026-11-28T12:00:00.000Z',
      data: { model: 'res.partner', id: 7, event: 'updated', changed_fields: ['email'], record: { id: 7, name: 'A' } },
    });
    const deleted = eventPayload({ ...event(1), event: 'deleted', changedFields: null }, null, now);
    assert.deepEqual(deleted.data, { model: 'res.partner', id: 7, event: 'deleted', record: null });
  });
});
