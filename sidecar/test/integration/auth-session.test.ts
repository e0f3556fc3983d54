/**
 * Sessions: POST /auth/login (Odoo's password check, lockout, two-factor),
 * the cookie, GET /user/me, logout, password change and reset, and keys a
 * logged-in user creates for themselves.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createUser, unique } from './support/fixtures.js';
import { admin, api, eventually } from './support/stack.js';
import { login, relaxLoginCooldown, setParam, sleep, sql } from './support/auth.js';

const without = (body: Record<string, unknown>) => {
  const { request_id: _r, instance: _i, ...rest } = body;
  return rest;
};

describe('sessions', () => {
  let user: { id: number; login: string; password: string };
  before(async () => {
    await relaxLoginCooldown();
    user = await createUser({ login: unique('sess'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
  });

  it('logs in, sets an HttpOnly SameSite cookie, and the token works as Bearer and as cookie', async () => {
    const { token, response } = await login(user.login, user.password);
    assert.match(token, /^rgwst_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.equal(response.body.data.user.login, user.login);
    assert.ok(Date.parse(response.body.data.expires_at) > Date.now());
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^rgw_session=rgwst_/);
    assert.match(cookie, /httponly/i);
    assert.match(cookie, /samesite=lax/i);
    assert.doesNotMatch(cookie, /secure/i); // plain HTTP here; Secure when the request is HTTPS
    const bearer = await api('/user/me', { key: token });
    assert.equal(bearer.status, 200);
    assert.equal(bearer.body.data.credential.kind, 'session');
    const viaCookie = await api('/user/me', { key: null, headers: { Cookie: cookie.split(';')[0] as string } });
    assert.equal(viaCookie.status, 200);
    assert.equal(viaCookie.body.data.credential.scheme, 'cookie');
  });

  it('answers a wrong password and an unknown login identically', async () => {
    const wrong = await api('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: 'nope' } });
    const unknown = await api('/auth/login', { key: null, method: 'POST', body: { login: unique('nobody'), password: 'nope' } });
    assert.equal(wrong.status, 401);
    assert.deepEqual(without(wrong.body), without(unknown.body));
    assert.equal(wrong.body.code, 'invalid_credentials');
    assert.equal(wrong.headers.get('www-authenticate'), unknown.headers.get('www-authenticate'));
    assert.equal((await api('/auth/login', { key: null, method: 'POST', body: { login: user.login } })).status, 400);
  });

  it('tells what /user/me promises', async () => {
    const { token } = await login(user.login, user.password);
    const me = (await api('/user/me', { key: token })).body.data;
    assert.equal(me.id, user.id);
    assert.deepEqual(me.companies.map((c: { id: number }) => c.id), [1]);
    assert.ok(me.groups.includes('base.group_user'));
    assert.ok(me.groups.includes('rest_gateway.group_user'));
    assert.ok(!me.groups.includes('rest_gateway.group_manager'));
    assert.ok('lang' in me && 'tz' in me && 'name' in me);
  });

  it('refuses a cookie-authenticated write without an allowed Origin (CSRF)', async () => {
    const { response } = await login(user.login, user.password);
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const forged = await api('/auth/logout', { key: null, method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.example' } });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.code, 'origin_not_allowed');
    assert.equal((await api('/auth/logout', { key: null, method: 'POST', headers: { Cookie: cookie } })).status, 403);
  });

  it('logs out: the very next request with the token is refused', async () => {
    const { token } = await login(user.login, user.password);
    assert.equal((await api('/auth/logout', { key: token, method: 'POST' })).status, 204);
    const after = await api('/user/me', { key: token });
    assert.equal(after.status, 401);
    assert.match(after.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });

  it('refuses an expired session', async () => {
    const { token } = await login(user.login, user.password);
    const prefix = token.split('_')[1];
    await sql(`UPDATE rest_gateway_token SET expires_at = now() at time zone 'utc' - interval '1 second' WHERE prefix = $1`, [prefix]);
    const r = await api('/user/me', { key: token });
    assert.equal(r.status, 401);
    assert.match(r.body.detail, /expired/);
  });

  it('acts with the user\'s own Odoo rights on every exposed model', async () => {
    const { token } = await login(user.login, user.password);
    const models = (await api('/models', { key: token })).body.data.map((m: { model: string }) => m.model);
    assert.ok(models.includes('res.partner') && models.includes('res.country'));
    // without "Contact Creation" Odoo refuses, whatever the session's grants
    const create = await api('/res.partner', { key: token, method: 'POST', body: { name: 'x' } });
    assert.equal(create.status, 403);
  });

  it('changes the password with the old one and revokes the other sessions', async () => {
    const other = await createUser({ login: unique('pw'), companyIds: [1] });
    const first = await login(other.login, other.password);
    const second = await login(other.login, other.password);
    const wrong = await api('/auth/password', { key: second.token, method: 'POST', body: { old_password: 'nope', new_password: 'n3w-Secret!' } });
    assert.equal(wrong.status, 403);
    assert.equal(wrong.body.code, 'invalid_credentials');
    const ok = await api('/auth/password', { key: second.token, method: 'POST', body: { old_password: other.password, new_password: 'n3w-Secret!' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.data.other_sessions_revoked, 1);
    assert.equal((await api('/user/me', { key: first.token })).status, 401);
    assert.equal((await api('/user/me', { key: second.token })).status, 200);
    assert.equal((await api('/auth/login', { key: null, method: 'POST', body: { login: other.login, password: other.password } })).status, 401);
    await login(other.login, 'n3w-Secret!');
  });

  it('starts Odoo\'s password reset, with one answer for every login, and says when it is off', async () => {
    const known = await api('/auth/password/reset', { key: null, method: 'POST', body: { login: user.login } });
    const unknown = await api('/auth/password/reset', { key: null, method: 'POST', body: { login: unique('ghost') } });
    assert.equal(known.status, 202);
    assert.deepEqual(known.body, unknown.body);
    await setParam('auth_signup.reset_password', 'False');
    try {
      const off = await api('/auth/password/reset', { key: null, method: 'POST', body: { login: user.login } });
      assert.equal(off.status, 501);
      assert.equal(off.body.code, 'password_reset_unavailable');
    } finally {
      await setParam('auth_signup.reset_password', 'True');
    }
  });

  it('tells a two-factor user to use a key, only once the password is right', async () => {
    const mfa = await createUser({ login: unique('totp'), companyIds: [1] });
    await sql(`UPDATE res_users SET totp_secret = 'JBSWY3DPEHPK3PXP' WHERE id = $1`, [mfa.id]);
    const r = await api('/auth/login', { key: null, method: 'POST', body: { login: mfa.login, password: mfa.password } });
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 'mfa_required');
    assert.match(r.body.detail, /API key/);
    const wrong = await api('/auth/login', { key: null, method: 'POST', body: { login: mfa.login, password: 'nope' } });
    assert.equal(wrong.body.code, 'invalid_credentials');
  });

  it('applies Odoo\'s login cooldown to repeated failures (429, Retry-After)', async () => {
    await setParam('base.login_cooldown_duration', '3');
    await setParam('base.login_cooldown_after', '3');
    try {
      // Odoo counts per worker process: keep failing until every worker is on cooldown
      const locked = await eventually(
        () => api('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: 'nope' } }),
        (r) => r.status === 429,
        20_000,
      );
      assert.equal(locked.status, 429);
      assert.equal(locked.body.code, 'login_locked');
      assert.equal(locked.headers.get('retry-after'), '3');
      // even the right password is not checked while locked out
      const right = await api('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: user.password } });
      assert.ok([429, 200].includes(right.status));
    } finally {
      await relaxLoginCooldown();
      await setParam('base.login_cooldown_duration', '60');
      await sleep(3_100);
    }
    await login(user.login, user.password);
  });

  it('lets a logged-in user create a key for themselves, within their rights', async () => {
    const { token } = await login(user.login, user.password);
    const created = await api('/auth/api-key', {
      key: token,
      method: 'POST',
      body: { name: 'mine', scopes: [{ model: 'res.partner', operations: ['read'] }] },
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.headers.get('cache-control'), 'no-store');
    const key = created.body.data.key as string;
    assert.match(key, /^rgw_/);
    assert.equal(created.body.data.user.id, user.id);
    assert.deepEqual((await api('/models', { key })).body.data.map((m: { model: string }) => m.model), ['res.partner']);
    const beyond = await api('/auth/api-key', { key: token, method: 'POST', body: { name: 'too much', scopes: [{ model: 'res.partner', operations: ['create'] }] } });
    assert.equal(beyond.status, 422);
    assert.match(beyond.body.detail, /no Odoo right/);
    const byKey = await api('/auth/api-key', { key, method: 'POST', body: { name: 'chain', scopes: [{ model: 'res.partner' }] } });
    assert.equal(byKey.status, 403);
    assert.equal(byKey.body.code, 'session_required');
    const rpc = await admin();
    const rows = await rpc.execute<Array<{ user_id: [number, string] }>>('rest.gateway.key', 'search_read', [[['id', '=', created.body.data.id]], ['user_id']]);
    assert.equal(rows[0]?.user_id[0], user.id);
  });
});
