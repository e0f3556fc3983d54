/**
 * Webhook delivery against the real stack and a real receiver on 127.0.0.1:
 * Standard Webhooks signatures checked by the `standardwebhooks` package,
 * the payload, retries (500 then 200, Retry-After), 410 Gone, dead events,
 * secret rotation, per-record order, rollbacks, and the SSRF guard.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { unique } from './support/fixtures.js';
import { admin, api } from './support/stack.js';
import {
  archiveAllWebhooks, closeSql, createPartner, createWebhook, eventsSettled, Receiver, sql, webhookAttempts, webhookEvents, writePartner,
  type ReceivedRequest,
} from './support/webhooks.js';

const receiver = new Receiver();
let baseUrl = '';

function verify(secret: string, request: ReceivedRequest): unknown {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

const forHook = (path: string) => (requests: ReceivedRequest[]) => requests.filter((r) => r.url === path);

before(async () => {
  baseUrl = await receiver.start();
});
after(async () => {
  await archiveAllWebhooks(); // leave no retrying webhook behind for other suites
  await receiver.stop();
  await closeSql();
});
beforeEach(async () => {
  await archiveAllWebhooks();
  receiver.script = [];
  receiver.fallback = { status: 200, body: 'ok' };
});

describe('webhook delivery', () => {
  it('POSTs a signed event that the standardwebhooks package verifies, with the record as its user reads it', async () => {
    const path = `/${unique('signed')}`;
    const { id, secret } = await createWebhook({ url: `${baseUrl}${path}`, values: { headers: '{"X-Token": "abc"}' } });
    const name = unique('partner');
    const partnerId = await createPartner(name);
    const [request] = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 1));
    assert.ok(request, 'no delivery arrived');
    const payload = verify(secret, request) as any;
    assert.equal(payload.type, 'res.partner.created');
    assert.equal(payload.data.model, 'res.partner');
    assert.equal(payload.data.id, partnerId);
    assert.equal(payload.data.event, 'created');
    assert.equal(payload.data.record.id, partnerId);
    assert.equal(payload.data.record.name, name);
    assert.match(payload.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match(String(request.headers['webhook-id']), /^evt_\d+$/);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.match(String(request.headers['user-agent']), /^rest-gateway-webhooks\//);
    assert.equal(request.headers['x-token'], 'abc');
    const [event] = await eventsSettled(id, (rows) => rows.every((r) => r.state === 'delivered'));
    assert.equal(event?.state, 'delivered');
    assert.equal(event?.attempts, 1);
    const attempts = await webhookAttempts(id);
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0]?.status, 200);
    assert.equal(attempts[0]?.response_excerpt, 'ok');
  });

  it('sends one created event for a record created through the REST API (its same-transaction updates fold in)', async () => {
    const path = `/${unique('once')}`;
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, events: ['created', 'updated'] });
    const created = await api<{ id: number }>('/res.partner', { method: 'POST', body: { name: unique('rest'), email: 'once@example.com' } });
    assert.equal(created.status, 201, created.text);
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.state === 'delivered'));
    assert.equal(event?.event, 'created');
    // the change feed has the INSERT and the computed columns' UPDATE of the same transaction
    const changes = await sql('SELECT operation FROM rest_gateway_change WHERE model = $1 AND res_id = $2', ['res.partner', event?.res_id]);
    assert.ok(changes.length > 1, `${changes.length} change rows`);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // time for a second delivery, were there one
    assert.equal((await webhookEvents(id)).length, 1);
    const requests = forHook(path)(receiver.requests);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]?.json.type, 'res.partner.created');
  });

  it('sends updated with changed_fields and deleted with a null record', async () => {
    const path = `/${unique('upd')}`;
    const partnerId = await createPartner(unique('p'));
    const { secret } = await createWebhook({ url: `${baseUrl}${path}`, events: ['updated', 'deleted'] });
    await writePartner(partnerId, { email: 'changed@example.com' });
    await (await admin()).execute('res.partner', 'unlink', [[partnerId]]);
    const requests = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 2));
    const [updated, deleted] = requests.map((r) => verify(secret, r) as any);
    assert.equal(updated.type, 'res.partner.updated');
    assert.ok(updated.data.changed_fields.includes('email'));
    assert.equal(updated.data.record.email, 'changed@example.com');
    assert.equal(deleted.type, 'res.partner.deleted');
    assert.equal(deleted.data.record, null);
  });

  it('retries a 500 and delivers on the next attempt, keeping the webhook-id', async () => {
    const path = `/${unique('retry')}`;
    receiver.script = [{ status: 500, body: 'boom' }];
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, values: { retry_base_delay: 1, retry_max_delay: 1 } });
    await createPartner(unique('p'));
    const requests = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 2));
    assert.equal(requests.length, 2);
    assert.equal(requests[0]?.headers['webhook-id'], requests[1]?.headers['webhook-id']);
    const gap = (requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0);
    assert.ok(gap >= 700, `retried after ${gap} ms, before the backoff of 1 s ± 20 %`);
    const [event] = await eventsSettled(id, (rows) => rows.every((r) => r.state === 'delivered'));
    assert.equal(event?.attempts, 2);
    const attempts = await webhookAttempts(id);
    assert.deepEqual(attempts.map((a) => a.status), [500, 200]);
    assert.equal(attempts[0]?.response_excerpt, 'boom');
  });

  it('waits for Retry-After when it is later than the backoff', async () => {
    const path = `/${unique('after')}`;
    receiver.script = [{ status: 503, headers: { 'Retry-After': '3' } }];
    await createWebhook({ url: `${baseUrl}${path}`, values: { retry_base_delay: 1, retry_max_delay: 1 } });
    await createPartner(unique('p'));
    const requests = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 2));
    const gap = (requests[1]?.receivedAt ?? 0) - (requests[0]?.receivedAt ?? 0);
    assert.ok(gap >= 2_900, `retried after ${gap} ms despite Retry-After: 3`);
  });

  it('gives an event up (dead) after max_attempts', async () => {
    const path = `/${unique('dead')}`;
    receiver.fallback = { status: 500, body: 'still broken' };
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, values: { retry_base_delay: 1, retry_max_delay: 1, max_attempts: 2 } });
    await createPartner(unique('p'));
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.state === 'dead'));
    assert.equal(event?.state, 'dead');
    assert.equal(event?.attempts, 2);
    assert.equal(event?.last_status, 500);
    assert.equal(event?.last_error, 'HTTP 500');
    assert.equal((await webhookAttempts(id)).length, 2);
    assert.equal(forHook(path)(receiver.requests).length, 2);
  });

  it('disables the webhook on 410 Gone and leaves its events pending', async () => {
    const path = `/${unique('gone')}`;
    receiver.fallback = { status: 410 };
    const { id } = await createWebhook({ url: `${baseUrl}${path}` });
    await createPartner(unique('p'));
    await receiver.waitFor((rs) => forHook(path)(rs).length >= 1);
    const [hook] = await sql('SELECT active, disabled_reason FROM rest_gateway_webhook WHERE id = $1', [id]);
    for (let i = 0; i < 50 && hook.active; i += 1) Object.assign(hook, (await sql('SELECT active, disabled_reason FROM rest_gateway_webhook WHERE id = $1', [id]))[0]);
    assert.equal(hook.active, false);
    assert.match(hook.disabled_reason, /410/);
    const [event] = await eventsSettled(id, (rows) => rows.every((r) => r.state === 'pending'));
    assert.equal(event?.state, 'pending');
    assert.equal(event?.last_status, 410);
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(forHook(path)(receiver.requests).length, 1, 'a disabled webhook is not called again');
  });

  it('signs with both secrets during a rotation grace period, with the new one only after it', async () => {
    const path = `/${unique('rotate')}`;
    const { id, secret: oldSecret } = await createWebhook({ url: `${baseUrl}${path}` });
    const rpc = await admin();
    const rotate = async (hours: number): Promise<string> => {
      const wizard = await rpc.execute<number>('rest.gateway.webhook.rotate', 'create', [{ webhook_id: id, grace_hours: hours }]);
      const action = await rpc.execute<{ context: { default_secret: string } }>('rest.gateway.webhook.rotate', 'action_rotate', [[wizard]]);
      return action.context.default_secret;
    };
    const newSecret = await rotate(24);
    await createPartner(unique('p'));
    const [during] = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 1));
    assert.ok(during);
    assert.equal(String(during.headers['webhook-signature']).split(' ').length, 2);
    verify(oldSecret, during);
    verify(newSecret, during);

    const newest = await rotate(0);
    await createPartner(unique('p'));
    const requests = forHook(path)(await receiver.waitFor((rs) => forHook(path)(rs).length >= 2));
    const afterGrace = requests[1] as ReceivedRequest;
    assert.equal(String(afterGrace.headers['webhook-signature']).split(' ').length, 1);
    verify(newest, afterGrace);
    assert.throws(() => verify(newSecret, afterGrace));
    assert.throws(() => verify(oldSecret, afterGrace));
  });

  it('delivers the events of one record in order while other records interleave', async () => {
    const path = `/${unique('order')}`;
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, events: ['updated'] });
    const partners = [await createPartner(unique('a')), await createPartner(unique('b')), await createPartner(unique('c'))];
    const rpc = await admin();
    const rounds = 15;
    for (let i = 1; i <= rounds; i += 1) {
      await Promise.all(partners.map((p) => rpc.execute('res.partner', 'write', [[p], { ref: `r${i}` }])));
    }
    await eventsSettled(id, (rows) => rows.length >= rounds * partners.length && rows.every((r) => r.state === 'delivered'), 30_000);
    const requests = forHook(path)(receiver.requests);
    assert.ok(requests.length >= rounds * partners.length, `${requests.length} deliveries`);
    for (const partner of partners) {
      // the creation's own update may be read before the first write: no ref yet
      const mine = requests.map((r) => r.json).filter((p) => p.data.id === partner && p.data.record.ref);
      const refs = mine.map((p) => Number(String(p.data.record.ref).slice(1)));
      const ids = mine.map((p, i) => Number(String(requests.filter((r) => r.json.data.id === partner)[i]?.headers['webhook-id']).slice(4)));
      assert.deepEqual(ids, [...ids].sort((a, b) => a - b), `events of ${partner} out of order`);
      // a record read at delivery may already show a later value, never an earlier one
      for (let i = 1; i < refs.length; i += 1) assert.ok((refs[i] ?? 0) >= (refs[i - 1] ?? 0), `values of ${partner} went back: ${refs.join(',')}`);
      assert.equal(refs.at(-1), rounds);
    }
    const interleaved = requests.slice(0, rounds).some((r) => r.json.data.id !== requests[0]?.json.data.id);
    assert.ok(interleaved, 'records were delivered one after the other, not interleaved');
  });

  it('queues nothing for a rolled-back transaction', async () => {
    const path = `/${unique('rollback')}`;
    const partnerId = await createPartner(unique('p'));
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, events: ['created', 'updated'] });
    await sql(`BEGIN; UPDATE res_partner SET ref = 'rolled back' WHERE id = ${partnerId}; ROLLBACK;`);
    const rpc = await admin();
    await assert.rejects(rpc.execute('res.partner', 'create', [{ name: unique('bad'), parent_id: 2147483000 }]));
    await new Promise((r) => setTimeout(r, 1_500));
    assert.deepEqual(await webhookEvents(id), []);
    assert.equal(forHook(path)(receiver.requests).length, 0);
  });

  it('skips an event whose record no longer matches the webhook domain', async () => {
    const path = `/${unique('skip')}`;
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, events: ['created'], values: { domain: "[('is_company', '=', True)]" } });
    await createPartner(unique('person'));
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.state === 'skipped'));
    assert.equal(event?.state, 'skipped');
    assert.match(event?.last_error ?? '', /no longer/);
    assert.equal(forHook(path)(receiver.requests).length, 0);
  });
});

describe('outbound request guard', () => {
  it('refuses 127.0.0.1 without allow_private: no connection reaches the receiver', async () => {
    const path = `/${unique('ssrf')}`;
    const connectionsBefore = receiver.connections;
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, allowPrivate: false, values: { retry_base_delay: 60, retry_max_delay: 60 } });
    await createPartner(unique('p'));
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.attempts >= 1 && r.state === 'pending'));
    assert.match(event?.last_error ?? '', /^refused: private address 127\.0\.0\.1/);
    const attempts = await webhookAttempts(id);
    assert.equal(attempts[0]?.status, null);
    assert.match(attempts[0]?.error ?? '', /^refused/);
    assert.equal(forHook(path)(receiver.requests).length, 0);
    assert.equal(receiver.connections, connectionsBefore);
  });

  it('refuses a name that resolves to a private address (localhost)', async () => {
    const path = `/${unique('ssrf-name')}`;
    const { id } = await createWebhook({ url: `${baseUrl.replace('127.0.0.1', 'localhost')}${path}`, allowPrivate: false, values: { retry_base_delay: 60, retry_max_delay: 60 } });
    await createPartner(unique('p'));
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.attempts >= 1 && r.state === 'pending'));
    assert.match(event?.last_error ?? '', /^refused: private address/);
    assert.equal(forHook(path)(receiver.requests).length, 0);
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const path = `/${unique('redirect')}`;
    const target = `/${unique('target')}`;
    receiver.script = [{ status: 302, headers: { Location: `${baseUrl}${target}` } }];
    const { id } = await createWebhook({ url: `${baseUrl}${path}`, values: { retry_base_delay: 60, retry_max_delay: 60 } });
    await createPartner(unique('p'));
    const [event] = await eventsSettled(id, (rows) => rows.length > 0 && rows.every((r) => r.attempts >= 1 && r.state === 'pending'));
    assert.equal(event?.last_status, 302);
    assert.match(event?.last_error ?? '', /redirect/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(forHook(target)(receiver.requests).length, 0);
  });
});
