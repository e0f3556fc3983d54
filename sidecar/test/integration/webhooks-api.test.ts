/**
 * The webhook management API (/api/v1/webhooks): CRUD for an API key with
 * allow_webhooks, the secret shown once, rotation, the test endpoint through
 * the guarded client, refusals (other credentials, keys without
 * allow_webhooks, another key's webhook), payloads bounded by the key's
 * scope, and bad or hostile input answered 4xx with nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { adminToken } from './support/auth.js';
import { createKey, unique } from './support/fixtures.js';
import { api } from './support/stack.js';
import { archiveAllWebhooks, closeSql, createPartner, Receiver, sql, webhookAttempts, type ReceivedRequest } from './support/webhooks.js';

const receiver = new Receiver();
let baseUrl = '';
let key = '';
let otherKey = '';
let plainKey = '';

function verify(secret: string, request: ReceivedRequest): any {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': String(request.headers['webhook-id']),
    'webhook-timestamp': String(request.headers['webhook-timestamp']),
    'webhook-signature': String(request.headers['webhook-signature']),
  });
}

const hookBody = (path: string, extra: Record<string, unknown> = {}) => ({ name: unique('api-hook'), url: `${baseUrl}${path}`, model: 'res.partner', events: ['created'], ...extra });

async function countWebhooks(): Promise<number> {
  return Number((await sql('SELECT count(*)::int AS n FROM rest_gateway_webhook'))[0].n);
}

before(async () => {
  baseUrl = await receiver.start();
  await archiveAllWebhooks();
  const scope = { model: 'res.partner', blocked: ['email'], domain: "[('is_company', '=', False)]" };
  key = (await createKey({ userId: 2, scopes: [scope, { model: 'res.country' }], values: { allow_webhooks: true } })).key;
  otherKey = (await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { allow_webhooks: true } })).key;
  plainKey = (await createKey({ userId: 2, scopes: [{ model: 'res.partner' }] })).key;
});
after(async () => {
  await archiveAllWebhooks();
  await receiver.stop();
  await closeSql();
});

describe('webhook management API', () => {
  it('creates, lists, reads, updates and deletes; the secret is shown once', async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/crud', { fields: ['name'], headers: { 'X-Token': 't' } }) });
    assert.equal(created.status, 201, created.text);
    const { data } = created.body;
    assert.match(data.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(created.headers.get('location'), `/api/v1/webhooks/${data.id}`);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    assert.equal(data.model, 'res.partner');
    assert.deepEqual(data.events, ['created']);
    assert.deepEqual(data.fields, ['name']);
    assert.deepEqual(data.headers, { 'X-Token': 't' });
    assert.equal(data.secret_hint, data.secret.slice(0, 10));

    const read = await api(`/webhooks/${data.id}`, { key });
    assert.equal(read.status, 200);
    assert.equal(read.body.data.id, data.id);
    assert.equal('secret' in read.body.data, false);
    assert.ok(!read.text.includes(data.secret), 'the secret is never shown again');

    const list = await api('/webhooks', { key });
    assert.equal(list.status, 200);
    assert.ok(list.body.data.some((w: any) => w.id === data.id));
    assert.ok(!list.text.includes(data.secret));

    const patched = await api(`/webhooks/${data.id}`, { key, method: 'PATCH', body: { name: 'renamed', events: ['created', 'updated'], active: false } });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.data.name, 'renamed');
    assert.deepEqual(patched.body.data.events, ['created', 'updated']);
    assert.equal(patched.body.data.active, false);

    const deleted = await api(`/webhooks/${data.id}`, { key, method: 'DELETE' });
    assert.equal(deleted.status, 204);
    assert.equal((await api(`/webhooks/${data.id}`, { key })).status, 404);
  });

  it('tests through the guarded client: refused without allow_private, signed and recorded with it', async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/test-endpoint') });
    const { id, secret } = created.body.data;
    const refused = await api(`/webhooks/${id}/test`, { key, method: 'POST' });
    assert.equal(refused.status, 200, refused.text);
    assert.equal(refused.body.data.status, null);
    assert.match(refused.body.data.error, /^refused: private address 127\.0\.0\.1/);
    assert.equal(receiver.requests.filter((r) => r.url === '/test-endpoint').length, 0);

    await sql('UPDATE rest_gateway_webhook SET allow_private = true WHERE id = $1', [id]);
    const sent = await api(`/webhooks/${id}/test`, { key, method: 'POST', body: {} });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.body.data.status, 200);
    assert.equal(sent.body.data.error, null);
    assert.equal(sent.body.data.response_excerpt, 'ok');
    assert.equal(typeof sent.body.data.duration_ms, 'number');
    const [request] = receiver.requests.filter((r) => r.url === '/test-endpoint');
    assert.ok(request);
    const payload = verify(secret, request);
    assert.equal(payload.type, 'webhook.test');
    assert.deepEqual(payload.data, { webhook_id: id, test: true });
    const attempts = await webhookAttempts(id);
    assert.deepEqual(attempts.map((a) => [a.event_id, a.status]), [[null, null], [null, 200]]);
  });

  it('rotates the secret: both sign during the grace period', async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/rotate-api') });
    const { id, secret: first } = created.body.data;
    await sql('UPDATE rest_gateway_webhook SET allow_private = true WHERE id = $1', [id]);
    const rotated = await api(`/webhooks/${id}/rotate-secret`, { key, method: 'POST', body: { grace_hours: 2 } });
    assert.equal(rotated.status, 200, rotated.text);
    const second = rotated.body.data.secret;
    assert.notEqual(second, first);
    assert.ok(rotated.body.data.previous_secret_expires_at);
    await api(`/webhooks/${id}/test`, { key, method: 'POST' });
    const [request] = receiver.requests.filter((r) => r.url === '/rotate-api');
    assert.ok(request);
    verify(first, request);
    verify(second, request);
  });

  it('bounds the payload by the key scope (blocked fields left out)', async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/scoped') });
    const { id, secret } = created.body.data;
    await sql('UPDATE rest_gateway_webhook SET allow_private = true WHERE id = $1', [id]);
    const partnerId = await createPartner(unique('scoped'));
    const [request] = (await receiver.waitFor((rs) => rs.some((r) => r.url === '/scoped'))).filter((r) => r.url === '/scoped');
    assert.ok(request, 'no delivery');
    const payload = verify(secret, request);
    assert.equal(payload.data.id, partnerId);
    assert.ok('name' in payload.data.record);
    assert.equal('email' in payload.data.record, false, 'a blocked field was sent');
    await api(`/webhooks/${id}`, { key, method: 'DELETE' });
  });

  it('refuses credentials other than API keys, and keys without allow_webhooks', async () => {
    const token = await adminToken();
    const session = await api('/webhooks', { key: token });
    assert.equal(session.status, 403);
    assert.equal(session.body.code, 'api_key_required');
    const plain = await api('/webhooks', { key: plainKey });
    assert.equal(plain.status, 403);
    assert.equal(plain.body.code, 'webhooks_not_allowed');
    const before = await countWebhooks();
    const create = await api('/webhooks', { key: plainKey, method: 'POST', body: hookBody('/nope') });
    assert.equal(create.status, 403);
    assert.equal(await countWebhooks(), before);
    assert.equal((await api('/webhooks', { key: null })).status, 401);
  });

  it("answers 404 for another key's webhook, whatever the method", async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/mine') });
    const { id } = created.body.data;
    for (const [method, path, body] of [
      ['GET', `/webhooks/${id}`, undefined],
      ['PATCH', `/webhooks/${id}`, { name: 'stolen' }],
      ['DELETE', `/webhooks/${id}`, undefined],
      ['POST', `/webhooks/${id}/test`, undefined],
      ['POST', `/webhooks/${id}/rotate-secret`, { grace_hours: 0 }],
    ] as const) {
      const r = await api(path, { key: otherKey, method, body });
      assert.equal(r.status, 404, `${method} ${path}: ${r.text}`);
      assert.equal(r.body.code, 'webhook_not_found');
    }
    const still = await api(`/webhooks/${id}`, { key });
    assert.equal(still.status, 200);
    assert.notEqual(still.body.data.name, 'stolen');
    assert.equal((await webhookAttempts(id)).length, 0);
  });
});

describe('webhook management API: bad input', () => {
  it('answers 400 naming unknown keys, wrong types and out-of-range values, and creates nothing', async () => {
    const before = await countWebhooks();
    const cases: Array<[unknown, RegExp]> = [
      [{ ...hookBody('/x'), allow_private: true }, /allow_private/],
      [{ ...hookBody('/x'), secret: 'whsec_mine' }, /secret/],
      [{ ...hookBody('/x'), name: 42 }, /name/],
      [{ ...hookBody('/x'), events: 'created' }, /events/],
      [{ ...hookBody('/x'), events: [] }, /events/],
      [{ ...hookBody('/x'), events: ['exploded'] }, /events/],
      [{ ...hookBody('/x'), timeout: 0 }, /timeout/],
      [{ ...hookBody('/x'), max_attempts: 1e9 }, /max_attempts/],
      [{ ...hookBody('/x'), retry_base_delay: '10' }, /retry_base_delay/],
      [{ ...hookBody('/x'), url: 'file:///etc/passwd' }, /url/],
      [{ ...hookBody('/x'), url: 'javascript:alert(1)' }, /url/],
      [{ ...hookBody('/x'), name: 'x'.repeat(10_000) }, /name/],
      [{ ...hookBody('/x'), headers: { 'X-A': 1 } }, /headers/],
      [{ name: 'no url' }, /url/],
      [[hookBody('/x')], /body/],
      ['"a string"', /body/],
    ];
    for (const [body, field] of cases) {
      const r = await api('/webhooks', { key, method: 'POST', body });
      assert.equal(r.status, 400, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      assert.match(JSON.stringify(r.body.errors ?? r.body.detail), field);
    }
    const malformed = await api('/webhooks', { key, method: 'POST', body: '{"name": ' });
    assert.equal(malformed.status, 400);
    const huge = await api('/webhooks', { key, method: 'POST', body: JSON.stringify({ ...hookBody('/x'), domain: ['x'.repeat(2_000_000)] }) });
    assert.equal(huge.status, 413);
    assert.equal(await countWebhooks(), before);
  });

  it("answers 400/403/422 for what the policy or Odoo refuses (model outside the key's scope, reserved headers, blocked or unknown fields, bad domains)", async () => {
    const before = await countWebhooks();
    const cases: Array<Record<string, unknown>> = [
      hookBody('/x', { model: 'res.users' }),
      hookBody('/x', { model: 'ir.config_parameter' }),
      hookBody('/x', { headers: { Host: 'evil.example' } }),
      hookBody('/x', { headers: { 'Webhook-Signature': 'forged' } }),
      hookBody('/x', { headers: { 'X-Bad': 'a\r\nInjected: 1' } }),
      hookBody('/x', { fields: ['email'] }),
      hookBody('/x', { fields: ['no_such_field'] }),
      hookBody('/x', { domain: [['no_such_field', '=', 1]] }),
      hookBody('/x', { domain: ['|', ['name', '=', 'a']] }),
      hookBody('/x', { url: 'http://user:pw@example.com/' }),
      hookBody('/x', { retry_base_delay: 100, retry_max_delay: 10 }),
    ];
    for (const body of cases) {
      const r = await api('/webhooks', { key, method: 'POST', body });
      assert.ok([400, 403, 422].includes(r.status), `${JSON.stringify(body).slice(0, 120)}: ${r.status} ${r.text}`);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
    }
    assert.equal(await countWebhooks(), before);
  });

  it('answers 404 for malformed ids and 400 for bad update and rotate bodies, changing nothing', async () => {
    const created = await api('/webhooks', { key, method: 'POST', body: hookBody('/bad-update') });
    const { id } = created.body.data;
    for (const raw of ['abc', '0', '-1', '1.5', '99999999999', '2147483648']) {
      const r = await api(`/webhooks/${raw}`, { key });
      assert.equal(r.status, 404, `${raw}: ${r.text}`);
    }
    // a NUL in the path is refused at the edge, for every route (D-S10)
    const nul = await api('/webhooks/%00', { key });
    assert.equal(nul.status, 400, nul.text);
    assert.equal(nul.body.code, 'invalid_parameter');
    const bad: Array<[string, string, unknown]> = [
      ['PATCH', `/webhooks/${id}`, { active: 'yes' }],
      ['PATCH', `/webhooks/${id}`, { key_id: 1 }],
      ['PATCH', `/webhooks/${id}`, { user_id: 1 }],
      ['POST', `/webhooks/${id}/rotate-secret`, { grace_hours: -1 }],
      ['POST', `/webhooks/${id}/rotate-secret`, { grace_hours: 'x' }],
      ['POST', `/webhooks/${id}/rotate-secret`, { grace_hours: 100_000 }],
      ['POST', `/webhooks/${id}/test`, { url: 'http://169.254.169.254/' }],
    ];
    for (const [method, path, body] of bad) {
      const r = await api(path, { key, method, body });
      assert.equal(r.status, 400, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`);
    }
    const after = await api(`/webhooks/${id}`, { key });
    assert.equal(after.body.data.active, true);
    assert.equal(after.body.data.secret_hint, created.body.data.secret_hint);
    assert.equal((await webhookAttempts(id)).length, 0);
  });
});
