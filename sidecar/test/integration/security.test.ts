/**
 * The security suite: secrets compared in constant time, never in a log
 * line or an error body; revoked credentials useless on the very next
 * request; a user who loses an Odoo group loses that access at once.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { createKey, createUser, unique } from './support/fixtures.js';
import { admin, api, stack } from './support/stack.js';
import { adminToken, basic, clientToken, createOAuthClient, formPost, login, relaxLoginCooldown } from './support/auth.js';

const SRC = join(import.meta.dirname, '..', '..', 'src');
// the code that handles credentials: keys, tokens, passwords, client secrets
const CREDENTIAL_CODE = ['auth', 'oauth', 'routes/auth', 'routes/oauth', 'routes/admin', 'db/tokens.ts', 'db/users.ts'];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('security', () => {
  const secrets: string[] = [];
  before(async () => {
    await relaxLoginCooldown();
  });

  it('compares digests and secrets only in constant time', () => {
    const offenders: string[] = [];
    const files = CREDENTIAL_CODE.flatMap((part) => {
      const path = join(SRC, part);
      return statSync(path).isDirectory() ? sources(path) : [path];
    });
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      // an equality operator next to a digest, secret, password, token or fingerprint
      const pattern = /(digest|secret|password|fingerprint|token)\w*\s*[!=]==?\s*\w|\w\s*[!=]==?\s*\w*(digest|secret|password|fingerprint)\b/gi;
      for (const match of text.matchAll(pattern)) {
        const line = text.slice(0, match.index).split('\n').length;
        const source = text.split('\n')[line - 1] ?? '';
        if (/undefined|null|'string'|typeof|kind|\.length|=== ''|\bsession\b|'oauth'/.test(source)) continue;
        offenders.push(`${file}:${line}: ${source.trim()}`);
      }
    }
    assert.deepEqual(offenders, []);
    const helper = readFileSync(join(SRC, 'auth', 'api-key-token.ts'), 'utf8');
    assert.match(helper, /timingSafeEqual/);
  });

  it('makes a revoked session, OAuth token or key useless on the very next request', async () => {
    const manager = await adminToken();
    const session = (await login(stack.odoo_login, stack.odoo_password)).token;
    const sessions = await api('/admin/tokens?kind=session&state=active&limit=200', { key: manager });
    const row = sessions.body.data.find((t: { prefix: string }) => session.includes(`_${t.prefix}_`));
    assert.equal((await api('/models', { key: session })).status, 200);
    await api(`/admin/tokens/${row.id}/revoke`, { key: manager, method: 'POST' });
    assert.equal((await api('/models', { key: session })).status, 401);

    const client = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    const token = await clientToken(client);
    secrets.push(token, client.secret);
    assert.equal((await api('/models', { key: token })).status, 200);
    const rpc = await admin();
    const [tokenId] = await rpc.execute<number[]>('rest.gateway.token', 'search', [[['client_id', '=', client.id]]]);
    await rpc.execute('rest.gateway.token', 'action_revoke', [[tokenId]]); // from the backend
    assert.equal((await api('/models', { key: token })).status, 401);

    const created = await api('/admin/keys', { key: manager, method: 'POST', body: { name: 'doomed', scopes: [{ model: 'res.country' }] } });
    const key = created.body.data.key as string;
    secrets.push(key);
    assert.equal((await api('/models', { key })).status, 200);
    await api(`/admin/keys/${created.body.data.id}/revoke`, { key: manager, method: 'POST' });
    assert.equal((await api('/models', { key })).status, 401);
  });

  it('takes a removed Odoo group away from a key at once', async () => {
    const user = await createUser({ login: unique('group'), companyIds: [1], groups: ['base.group_user', 'base.group_partner_manager'] });
    const { key } = await createKey({ userId: user.id, scopes: [{ model: 'res.partner' }] });
    secrets.push(key);
    assert.equal((await api('/res.partner', { key, method: 'POST', body: { name: unique('ok') } })).status, 201);
    const rpc = await admin();
    const [, groupId] = await rpc.execute<[string, number]>('ir.model.data', 'check_object_reference', ['base', 'group_partner_manager']);
    await rpc.execute('res.users', 'write', [[user.id], { group_ids: [[3, groupId]] }]);
    const refused = await api('/res.partner', { key, method: 'POST', body: { name: unique('no') } });
    assert.equal(refused.status, 403);
  });

  it('never writes a secret into an error body or a log line', async () => {
    const user = await createUser({ login: unique('leak'), companyIds: [1] });
    secrets.push(user.password);
    const bodies: string[] = [];
    bodies.push((await api('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: `${user.password}x` } })).text);
    bodies.push((await api('/models', { key: null, headers: { Authorization: basic(user.login, `${user.password}x`) } })).text);
    bodies.push((await login(user.login, user.password)).response.text.replace(/"token":"[^"]+"/, ''));
    const client = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    secrets.push(client.secret);
    bodies.push((await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: `${client.secret}x` })).text);
    bodies.push((await api('/models', { key: `${stack.api_key}x` })).text);
    const logs = [stack.sidecar_log, stack.odoo_log].map((path) => readFileSync(path as string, 'utf8'));
    for (const secret of [...secrets, stack.api_key]) {
      for (const text of [...bodies, ...logs]) assert.ok(!text.includes(secret), `a secret (${secret.slice(0, 8)}…) leaked`);
      for (const body of bodies) assert.ok(!body.includes(`${secret}x`));
    }
  });
});
