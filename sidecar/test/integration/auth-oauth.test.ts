/**
 * OAuth 2.0 client credentials (RFC 6749 §4.4), introspection (RFC 7662)
 * and revocation (RFC 7009): answers, error shapes, scopes, and every
 * refusal (wrong secret, expired, revoked, wrong address).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { api } from './support/stack.js';
import { adminToken, clientToken, createOAuthClient, formPost, relaxLoginCooldown, sql, type OAuthClient } from './support/auth.js';

const basicClient = (c: OAuthClient): string =>
  `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.secret)}`).toString('base64')}`;

describe('OAuth client credentials', () => {
  let client: OAuthClient;
  before(async () => {
    await relaxLoginCooldown();
    client = await createOAuthClient({
      token_lifetime: 600,
      scopes: [{ model: 'res.partner', operations: ['read', 'create'] }, { model: 'res.country', operations: ['read'] }],
    });
  });

  it('issues a Bearer token to HTTP Basic client authentication (§4.4.3, §5.1)', async () => {
    const r = await formPost('/oauth/token', { grant_type: 'client_credentials' }, { Authorization: basicClient(client) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('cache-control'), 'no-store');
    assert.equal(r.headers.get('pragma'), 'no-cache');
    assert.deepEqual(Object.keys(r.body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(r.body.token_type, 'Bearer');
    assert.equal(r.body.expires_in, 600);
    assert.equal(r.body.scope, 'res.country res.partner');
    assert.match(r.body.access_token, /^rgwat_/);
    const me = await api('/user/me', { key: r.body.access_token });
    assert.equal(me.body.data.credential.kind, 'oauth');
    assert.equal((await api('/res.partner?limit=1', { key: r.body.access_token })).status, 200);
  });

  it('accepts form-field client authentication and narrows the scope', async () => {
    const token = await clientToken(client, 'res.partner:read');
    assert.equal((await api('/res.partner?limit=1', { key: token })).status, 200);
    assert.equal((await api('/res.country?limit=1', { key: token })).status, 404);
    const create = await api('/res.partner', { key: token, method: 'POST', body: { name: 'x' } });
    assert.equal(create.status, 403);
    assert.equal(create.body.code, 'operation_not_allowed');
  });

  it('answers RFC 6749 §5.2 errors', async () => {
    const params = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret };
    const wrong = await formPost('/oauth/token', { ...params, client_secret: `${client.secret.slice(0, -2)}xx` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error, 'invalid_client');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm=/);
    const unknown = await formPost('/oauth/token', { ...params, client_id: 'rgwc_nobody' });
    assert.deepEqual(unknown.body, wrong.body);
    assert.equal((await formPost('/oauth/token', { ...params, grant_type: 'password' })).body.error, 'unsupported_grant_type');
    assert.equal((await formPost('/oauth/token', { client_id: client.clientId, client_secret: client.secret })).body.error, 'invalid_request');
    assert.equal((await formPost('/oauth/token', { ...params, scope: 'res.users' })).body.error, 'invalid_scope');
    assert.equal((await formPost('/oauth/token', { ...params, scope: 'res.country:create' })).body.error, 'invalid_scope');
    const both = await formPost('/oauth/token', params, { Authorization: basicClient(client) });
    assert.equal(both.body.error, 'invalid_request');
    const json = await api('/oauth/token', { key: null, method: 'POST', body: params });
    assert.equal(json.status, 400);
    assert.equal(json.body.error, 'invalid_request');
    const twice = await api('/oauth/token', {
      key: null, method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.secret}`,
    });
    assert.equal(twice.body.error, 'invalid_request');
  });

  it('introspects its own tokens only (RFC 7662)', async () => {
    const token = await clientToken(client);
    const info = await formPost('/oauth/introspect', { token }, { Authorization: basicClient(client) });
    assert.equal(info.status, 200);
    assert.equal(info.body.active, true);
    assert.equal(info.body.client_id, client.clientId);
    assert.equal(info.body.username, 'admin');
    assert.ok(info.body.exp > info.body.iat);
    const other = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    assert.deepEqual((await formPost('/oauth/introspect', { token }, { Authorization: basicClient(other) })).body, { active: false });
    assert.deepEqual((await formPost('/oauth/introspect', { token: 'rgwat_nope' }, { Authorization: basicClient(client) })).body, { active: false });
    assert.equal((await formPost('/oauth/introspect', { token }, {})).status, 401);
  });

  it('revokes (RFC 7009): the next request is refused; another client cannot revoke it', async () => {
    const token = await clientToken(client);
    const other = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    const foreign = await formPost('/oauth/revoke', { token }, { Authorization: basicClient(other) });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error, 'unauthorized_client');
    assert.equal((await api('/user/me', { key: token })).status, 200);
    assert.equal((await formPost('/oauth/revoke', { token, token_type_hint: 'access_token' }, { Authorization: basicClient(client) })).status, 200);
    const after = await api('/user/me', { key: token });
    assert.equal(after.status, 401);
    assert.match(after.body.detail, /revoked/);
    assert.equal((await formPost('/oauth/revoke', { token: 'rgwat_unknown' }, { Authorization: basicClient(client) })).status, 200);
    assert.deepEqual((await formPost('/oauth/introspect', { token }, { Authorization: basicClient(client) })).body, { active: false });
  });

  it('refuses an expired token, and every token of a revoked client at once', async () => {
    const token = await clientToken(client);
    await sql(`UPDATE rest_gateway_token SET expires_at = now() at time zone 'utc' - interval '1 second' WHERE prefix = $1`, [token.split('_')[1]]);
    assert.match((await api('/user/me', { key: token })).body.detail, /expired/);
    const doomed = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    const live = await clientToken(doomed);
    assert.equal((await api('/user/me', { key: live })).status, 200);
    const revoked = await api(`/admin/oauth-clients/${doomed.id}/revoke`, { key: await adminToken(), method: 'POST' });
    assert.equal(revoked.body.data.state, 'revoked');
    assert.equal((await api('/user/me', { key: live })).status, 401);
    const again = await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: doomed.clientId, client_secret: doomed.secret });
    assert.equal(again.body.error, 'invalid_client');
  });

  it('enforces the client\'s expiry, allowed addresses and origins', async () => {
    const soon = new Date(Date.now() + 1_500).toISOString();
    const expiring = await createOAuthClient({ expires_at: soon, scopes: [{ model: 'res.partner', operations: ['read'] }] });
    await new Promise((r) => setTimeout(r, 1_600));
    assert.equal((await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: expiring.clientId, client_secret: expiring.secret })).body.error, 'invalid_client');
    const far = await createOAuthClient({ allowed_ips: ['10.0.0.0/8'], scopes: [{ model: 'res.partner', operations: ['read'] }] });
    const ip = await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: far.clientId, client_secret: far.secret });
    assert.equal(ip.status, 400);
    assert.equal(ip.body.error, 'unauthorized_client');
    const web = await createOAuthClient({ allowed_origins: ['https://app.example.com'], scopes: [{ model: 'res.partner', operations: ['read'] }] });
    const params = { grant_type: 'client_credentials', client_id: web.clientId, client_secret: web.secret };
    assert.equal((await formPost('/oauth/token', params, { Origin: 'https://evil.example.com' })).body.error, 'unauthorized_client');
    const token = (await formPost('/oauth/token', params, { Origin: 'https://app.example.com' })).body.access_token as string;
    assert.equal((await api('/user/me', { key: token, headers: { Origin: 'https://evil.example.com' } })).body.code, 'origin_not_allowed');
  });
});
