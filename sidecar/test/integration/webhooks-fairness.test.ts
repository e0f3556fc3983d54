/**
 * Fair claiming across webhooks: a large backlog of one webhook (slow
 * receiver, every delivery slot busy) does not hold back another webhook's
 * event, and the backlog of an inactive webhook is left alone.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { unique } from './support/fixtures.js';
import {
  archiveAllWebhooks, closeSql, createPartner, createWebhook, eventsSettled, Receiver, sql, type ReceivedRequest,
} from './support/webhooks.js';

const receiver = new Receiver();
let baseUrl = '';
const BACKLOG = 3_000;
/** Far above any partner id of the stack: `deleted` events are sent without reading the record. */
const FIRST_FAKE_ID = 900_000_000;

const forHook = (path: string) => (requests: ReceivedRequest[]) => requests.filter((r) => r.url === path);

/** Queues `count` due `deleted` events of distinct records for the webhook, as one committed transaction would. */
async function queueBacklog(webhookId: number, count: number): Promise<void> {
  await sql(
    `INSERT INTO rest_gateway_webhook_event (webhook_id, model, res_id, event, created_at, state, attempts, next_attempt_at, txid)
     SELECT $1, 'res.partner', $2::int + g, 'deleted', now() AT TIME ZONE 'UTC', 'pending', 0, now() AT TIME ZONE 'UTC',
            pg_current_xact_id()::text::bigint
       FROM generate_series(1, $3::int) AS g`,
    [webhookId, FIRST_FAKE_ID, count],
  );
  await sql(`SELECT pg_notify('rest_gateway_webhook', '')`);
}

const pendingOf = async (webhookId: number): Promise<number> =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM rest_gateway_webhook_event WHERE webhook_id = $1 AND state = 'pending'`, [webhookId]))[0]?.n);

before(async () => {
  baseUrl = await receiver.start();
});
after(async () => {
  await archiveAllWebhooks();
  await sql(`DELETE FROM rest_gateway_webhook_event WHERE res_id > $1`, [FIRST_FAKE_ID]);
  await receiver.stop();
  await closeSql();
});
beforeEach(async () => {
  await archiveAllWebhooks();
  receiver.script = [];
  receiver.fallback = { status: 200, body: 'ok' };
});

describe('fair claiming across webhooks', () => {
  it("delivers webhook B's event within a few claim rounds while webhook A's backlog fills every slot", async () => {
    const slowPath = `/${unique('backlog')}`;
    const fastPath = `/${unique('fair')}`;
    const slow = await createWebhook({ url: `${baseUrl}${slowPath}`, events: ['deleted'] });
    await queueBacklog(slow.id, BACKLOG);
    receiver.fallback = { status: 200, body: 'ok', delayMs: 1_500 };
    // A's deliveries are under way: every slot of the sidecar is taken
    await receiver.waitFor((rs) => forHook(slowPath)(rs).length >= 10);

    const fast = await createWebhook({ url: `${baseUrl}${fastPath}` });
    const started = Date.now();
    const partnerId = await createPartner(unique('fair'));
    const [request] = forHook(fastPath)(await receiver.waitFor((rs) => forHook(fastPath)(rs).length >= 1, 10_000));
    const waited = Date.now() - started;
    assert.ok(request, "webhook B's event was not delivered behind A's backlog");
    assert.equal(request.json.data.id, partnerId);
    // a few claim rounds: one slow delivery (1.5 s) frees the slots, then B gets its share
    assert.ok(waited < 6_000, `B waited ${waited} ms`);
    assert.ok((await pendingOf(slow.id)) > BACKLOG / 2, "A's backlog was drained first");
    await eventsSettled(fast.id, (rows) => rows.length === 1 && rows[0]?.state === 'delivered');
  });

  it('leaves the backlog of an inactive webhook pending and delivers the others', async () => {
    const gonePath = `/${unique('gone')}`;
    const livePath = `/${unique('live')}`;
    const gone = await createWebhook({ url: `${baseUrl}${gonePath}`, events: ['deleted'], values: { active: false } });
    await queueBacklog(gone.id, BACKLOG);
    const live = await createWebhook({ url: `${baseUrl}${livePath}` });
    await createPartner(unique('live'));
    await eventsSettled(live.id, (rows) => rows.length === 1 && rows[0]?.state === 'delivered');
    assert.equal(forHook(gonePath)(receiver.requests).length, 0);
    assert.equal(await pendingOf(gone.id), BACKLOG);
  });
});
