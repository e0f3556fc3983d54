/**
 * Webhook delivery survives a crashed sidecar: a second sidecar process
 * (this test's own; the stack's keeps delivering beside it) is killed with
 * SIGKILL while deliveries to a slow receiver are in flight, then started
 * again; every event is received at least once and the outbox ends with
 * every event delivered (the lease returns a dead sidecar's claims).
 * Also: SIGTERM lets the deliveries in flight end instead of leaving them
 * to their lease.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { unique } from './support/fixtures.js';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { admin } from './support/stack.js';
import { archiveAllWebhooks, closeSql, createWebhook, eventsSettled, Receiver, sql, webhookEvents } from './support/webhooks.js';

const receiver = new Receiver();
let baseUrl = '';
const SIDECAR = { env: { SHUTDOWN_DRAIN_MS: '0' } };

async function createPartners(count: number, label: string): Promise<number[]> {
  return (await admin()).execute<number[]>('res.partner', 'create', [Array.from({ length: count }, (_, i) => ({ name: `${label}-${i}` }))]);
}

before(async () => {
  baseUrl = await receiver.start();
  await archiveAllWebhooks();
});
after(async () => {
  await stopSidecars();
  await archiveAllWebhooks();
  await receiver.stop();
  await closeSql();
});

describe('webhook delivery and sidecar crashes', () => {
  it('delivers every event at least once when a sidecar is killed mid-delivery', { timeout: 90_000 }, async () => {
    const path = `/${unique('crash')}`;
    receiver.fallback = { status: 200, body: 'ok', delayMs: 1_000 };
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, values: { timeout: 5 } });
    const victim = await startSidecar(SIDECAR);
    const ids = await createPartners(300, unique('crash'));
    // both sidecars have claimed and are waiting on the slow receiver
    await receiver.waitFor((rs) => rs.filter((r) => r.url === path).length >= 20, 20_000);
    const inFlight = (await webhookEvents(id)).filter((e) => e.state === 'delivering').length;
    assert.ok(inFlight > 64, `only ${inFlight} deliveries in flight: the test sidecar took none`);
    await victim.stop('SIGKILL');
    await startSidecar(SIDECAR);

    const events = await eventsSettled(id, (rows) => rows.length === ids.length && rows.every((r) => r.state === 'delivered'), 60_000);
    assert.deepEqual(
      events.filter((e) => e.state !== 'delivered').map((e) => `${e.id}:${e.state}`),
      [],
      'every event ends delivered',
    );
    const received = new Set(receiver.requests.filter((r) => r.url === path).map((r) => r.json.data.id as number));
    assert.deepEqual(ids.filter((partner) => !received.has(partner)), [], 'every record was received');
    const retried = events.filter((e) => e.attempts > 1).length;
    assert.ok(retried > 0, 'no event was claimed again after the crash');
  });

  it('finishes the deliveries in flight at SIGTERM instead of leaving them to their lease', { timeout: 60_000 }, async () => {
    await archiveAllWebhooks();
    const path = `/${unique('term')}`;
    receiver.fallback = { status: 200, body: 'ok', delayMs: 1_500 };
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, values: { timeout: 10 } });
    const child = await startSidecar(SIDECAR);
    await createPartners(200, unique('term'));
    await receiver.waitFor((rs) => rs.filter((r) => r.url === path).length >= 10, 20_000);
    assert.equal(await child.stop('SIGTERM'), 0);
    // with a 20 s lease, only deliveries finished before the exit can be done within a few seconds
    const events = await eventsSettled(id, (rows) => rows.every((r) => r.state === 'delivered'), 10_000);
    assert.deepEqual(events.filter((e) => e.state !== 'delivered').map((e) => `${e.id}:${e.state}`), []);
    const [{ stale }] = await sql('SELECT count(*)::int AS stale FROM rest_gateway_webhook_event WHERE webhook_id = $1 AND attempts > 1', [id]);
    assert.equal(stale, 0, 'an event was left to its lease');
  });
});
