/**
 * The webhook outbox retention purge (jobs/purge-webhook-events.ts) on the
 * stack's database: finished events older than the retention go with their
 * attempts; pending ones and recent ones stay.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createDb } from '../../src/db/knex.js';
import { purgeWebhookEvents } from '../../src/jobs/purge-webhook-events.js';
import { unique } from './support/fixtures.js';
import { stack } from './support/stack.js';
import { archiveAllWebhooks, closeSql, createPartner, createWebhook, eventsSettled, Receiver, sql, webhookAttempts } from './support/webhooks.js';

const db = createDb(stack.database_url, 2);
const receiver = new Receiver();
after(async () => {
  await archiveAllWebhooks();
  await db.destroy();
  await receiver.stop();
  await closeSql();
});

describe('webhook retention purge', () => {
  it('deletes old delivered, skipped and dead events with their attempts, never pending ones', async () => {
    const baseUrl = await receiver.start();
    const { id } = await createWebhook({ url: `${baseUrl}/${unique('retention')}` });
    for (let i = 0; i < 4; i += 1) await createPartner(unique('old'));
    const events = await eventsSettled(id, (rows) => rows.length === 4 && rows.every((r) => r.state === 'delivered'));
    const [a, b, c, d] = events.map((e) => e.id) as [number, number, number, number];
    await sql(`UPDATE rest_gateway_webhook_event SET created_at = created_at - interval '30 days' WHERE id = ANY($1)`, [[a, b, c]]);
    await sql(`UPDATE rest_gateway_webhook_event SET state = 'skipped' WHERE id = $1`, [b]);
    await sql(`UPDATE rest_gateway_webhook_event SET state = 'pending', next_attempt_at = now() + interval '1 day' WHERE id = $1`, [c]);
    const result = await purgeWebhookEvents(db, { chunkSize: 1 });
    assert.equal(result.skipped, false);
    assert.ok(result.deleted >= 2);
    const left = (await sql('SELECT id FROM rest_gateway_webhook_event WHERE webhook_id = $1 ORDER BY id', [id])).map((r) => r.id);
    assert.deepEqual(left, [c, d]);
    assert.deepEqual((await webhookAttempts(id)).map((r) => r.event_id).sort(), [c, d].sort(), 'the purged events took their attempts with them');
  });
});
