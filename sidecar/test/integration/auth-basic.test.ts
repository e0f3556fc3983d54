/**
 * HTTP Basic (RFC 7617): login with the password (verified by Odoo, then
 * remembered briefly) or with an API key as the password; refusals carry
 * the Basic challenge; a changed password or archived user stops at once.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createKey, createUser, unique } from './support/fixtures.js';
import { admin, api } from './support/stack.js';
import { basic, relaxLoginCooldown, sql } from './support/auth.js';

const sidecarMs = (r: { headers: Headers }): number => Number(/sidecar;dur=([\d.]+)/.exec(r.headers.get('server-timing') ?? '')?.[1]);

describe('HTTP Basic', () => {
  let user: { id: number; login: string; password: string };
  before(async () => {
    await relaxLoginCooldown();
    user = await createUser({ login: unique('basic'), companyIds: [1] });
  });

  it('accepts the password, and does not re-hash it on the next request', async () => {
    const first = await api('/user/me', { key: null, headers: { Authorization: basic(user.login, user.password) } });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.data.credential.kind, 'basic');
    const second = await api('/user/me', { key: null, headers: { Authorization: basic(user.login, user.password) } });
    assert.equal(second.status, 200);
    // PBKDF2 with Odoo's rounds takes hundreds of ms; the cached path is a database read
    assert.ok(sidecarMs(second) < sidecarMs(first) / 2, `${sidecarMs(second)} vs ${sidecarMs(first)}`);
  });

  it('refuses a wrong password or unknown login with the Basic challenge and the same answer', async () => {
    const wrong = await api('/models', { key: null, headers: { Authorization: basic(user.login, 'nope') } });
    const unknown = await api('/models', { key: null, headers: { Authorization: basic(unique('ghost'), 'nope') } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 'invalid_credentials');
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm="api", charset="UTF-8"/);
    assert.equal(wrong.body.detail, unknown.body.detail);
    const malformed = await api('/models', { key: null, headers: { Authorization: 'Basic !!!' } });
    assert.equal(malformed.status, 401);
  });

  it('accepts an API key as the password, for the key\'s own login only', async () => {
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.country' }] });
    const r = await api('/models', { key: null, headers: { Authorization: basic(user.login, key) } });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body.data.map((m: { model: string }) => m.model), ['res.country']);
    const me = await api('/user/me', { key: null, headers: { Authorization: basic(user.login, key) } });
    assert.equal(me.body.data.credential.kind, 'api_key');
    assert.equal((await api('/models', { key: null, headers: { Authorization: basic('admin', key) } })).status, 401);
  });

  it('stops accepting a cached password as soon as it changes or the user is archived', async () => {
    const other = await createUser({ login: unique('basic2'), companyIds: [1] });
    const auth = { Authorization: basic(other.login, other.password) };
    assert.equal((await api('/models', { key: null, headers: auth })).status, 200);
    const rpc = await admin();
    await rpc.execute('res.users', 'write', [[other.id], { password: 'changed-Elsewhere1' }]);
    assert.equal((await api('/models', { key: null, headers: auth })).status, 401);
    const fresh = { Authorization: basic(other.login, 'changed-Elsewhere1') };
    assert.equal((await api('/models', { key: null, headers: fresh })).status, 200);
    await rpc.execute('res.users', 'write', [[other.id], { active: false }]);
    assert.equal((await api('/models', { key: null, headers: fresh })).status, 401);
  });

  it('tells a two-factor user to use an API key', async () => {
    const mfa = await createUser({ login: unique('basic-totp'), companyIds: [1] });
    await sql(`UPDATE res_users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = $1`, [mfa.id]);
    const r = await api('/models', { key: null, headers: { Authorization: basic(mfa.login, mfa.password) } });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'mfa_required');
  });
});
