/**
 * The anonymous rate limit (D-L1, D-S1): a request whose credential fails,
 * or that goes to a route that uses none (log in, password reset, OAuth
 * token), counts against its client address, whatever Authorization header
 * it carries; a Basic password is counted before Odoo checks it. A sidecar
 * of its own trusts 127.0.0.1 as a proxy, so each case gets a fresh address
 * through X-Forwarded-For; the anonymous limit is lowered to 5 meanwhile.
 * Odoo's own login lockout is relaxed, so a 429 here is the gateway's.
 */
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { basic, relaxLoginCooldown, setParam } from './support/auth.js';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { api, eventually, stack, type ApiResponse } from './support/stack.js';

const LIMIT = 5;
const ATTEMPTS = 15;
let origin = '';

/** An address nobody else uses (TEST-NET-3 with random low octets). */
const freshAddress = (): string => `203.0.${randomInt(0, 255)}.${randomInt(1, 254)}`;

async function send(path: string, address: string, options: { authorization?: string; method?: string; body?: unknown } = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { 'X-Forwarded-For': address };
  if (options.authorization) headers.Authorization = options.authorization;
  return api(`${origin}/api/v1${path}`, { key: null, headers, method: options.method, body: options.body });
}

async function statuses(times: number, request: () => Promise<ApiResponse>): Promise<ApiResponse[]> {
  const answers: ApiResponse[] = [];
  for (let i = 0; i < times; i += 1) answers.push(await request());
  return answers;
}

function assertLimited(answers: ApiResponse[], label: string): void {
  const limited = answers.filter((r) => r.status === 429);
  const summary = answers.map((r) => `${r.status}${r.status === 429 ? `:${r.body.code}` : ''}`).join(',');
  assert.ok(answers.length - limited.length <= LIMIT, `${label}: more than ${LIMIT} got through (${summary})`);
  assert.ok(limited.length >= ATTEMPTS - LIMIT, `${label}: too few refused (${summary})`);
  for (const r of limited) {
    assert.equal(r.body.code, 'rate_limited', `${label}: a 429 that is not the gateway's (${summary})`);
    assert.ok(Number(r.headers.get('retry-after')) >= 1);
  }
}

before(async () => {
  await relaxLoginCooldown();
  ({ origin } = await startSidecar({ env: { TRUSTED_PROXIES: '127.0.0.1' } }));
  await setParam('rest_gateway.rate_limit_anonymous', String(LIMIT));
  await eventually(() => send('/models', freshAddress()), (r) => r.headers.get('x-ratelimit-limit') === String(LIMIT), 10_000);
});

after(async () => {
  await setParam('rest_gateway.rate_limit_anonymous', '100000');
  await stopSidecars();
});

describe('anonymous rate limit', () => {
  it('limits a password reset carrying a junk Bearer header', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () =>
      send('/auth/password/reset', address, { authorization: 'Bearer junk', method: 'POST', body: { login: 'nobody@example.com' } }),
    );
    assertLimited(answers, 'password reset');
  });

  it('limits log-in attempts carrying a junk Basic header', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () =>
      send('/auth/login', address, { authorization: basic('x', 'y'), method: 'POST', body: { login: stack.odoo_login, password: 'wrong' } }),
    );
    assertLimited(answers, 'login');
  });

  it('limits OAuth token requests carrying a junk Bearer header', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () =>
      fetch(`${origin}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { 'X-Forwarded-For': address, Authorization: 'Bearer junk', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials&client_id=nobody&client_secret=nothing',
      }).then(async (r) => ({ status: r.status, headers: r.headers, text: '', body: await r.json() })),
    );
    assertLimited(answers, 'oauth token');
  });

  it('limits junk Bearer keys on a record route, then answers 429 instead of 401', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () => send('/res.partner/count', address, { authorization: 'Bearer rgw_junk_junk' }));
    assertLimited(answers, 'junk key');
    assert.ok(answers.slice(0, LIMIT).every((r) => r.status === 401));
  });

  it('limits wrong Basic passwords, and checks no password once the address is over its limit', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () => send('/res.partner/count', address, { authorization: basic(stack.odoo_login, `wrong-${randomInt(1e9)}`) }));
    assertLimited(answers, 'Basic');
    // the right password is not even checked now: the address has spent its budget
    const right = await send('/res.partner/count', address, { authorization: basic(stack.odoo_login, stack.odoo_password) });
    assert.equal(right.status, 429);
    assert.equal(right.body.code, 'rate_limited');
  });

  it('leaves a valid key of an address over its anonymous limit alone', async () => {
    const address = freshAddress();
    await statuses(LIMIT + 1, () => send('/res.partner/count', address, { authorization: 'Bearer rgw_junk_junk' }));
    const r = await send('/res.partner/count', address, { authorization: `Bearer ${stack.api_key}` });
    assert.equal(r.status, 200);
    assert.notEqual(r.headers.get('x-ratelimit-limit'), String(LIMIT));
  });

  it('still counts a request without any credential before it runs', async () => {
    const address = freshAddress();
    const answers = await statuses(ATTEMPTS, () => send('/auth/password/reset', address, { method: 'POST', body: { login: 'nobody@example.com' } }));
    assertLimited(answers, 'no header');
  });
});
