/** Standard Webhooks signing: a fixed vector, the independent verifier, rotation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { activeSecrets, signatureHeader, signWith } from '../../../src/webhooks/signer.js';

// The example of the Standard Webhooks specification (spec/standard-webhooks.md, "Signature scheme").
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';

describe('webhook signer', () => {
  it('matches the specification example', () => {
    assert.equal(signWith(SECRET, ID, TIMESTAMP, BODY), 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is verified by the standardwebhooks package', () => {
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader([SECRET], 'evt_1', now, BODY);
    const verified = new Webhook(SECRET).verify(BODY, { 'webhook-id': 'evt_1', 'webhook-timestamp': String(now), 'webhook-signature': header });
    assert.deepEqual(verified, { test: 2432232314 });
  });

  it('sends one signature per secret, each verifying with its own', () => {
    const other = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader([other, SECRET], 'evt_2', now, BODY);
    assert.equal(header.split(' ').length, 2);
    for (const secret of [other, SECRET]) {
      new Webhook(secret).verify(BODY, { 'webhook-id': 'evt_2', 'webhook-timestamp': String(now), 'webhook-signature': header });
    }
  });

  it('signs with the previous secret only while its grace period lasts', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const base = { secret: 'whsec_new', previousSecret: 'whsec_old' };
    assert.deepEqual(activeSecrets({ ...base, previousSecretExpiresAt: new Date('2026-11-28T13:00:00Z') }, now), ['whsec_new', 'whsec_old']);
    assert.deepEqual(activeSecrets({ ...base, previousSecretExpiresAt: new Date('2026-11-28T11:59:59Z') }, now), ['whsec_new']);
    assert.deepEqual(activeSecrets({ ...base, previousSecretExpiresAt: null }, now), ['whsec_new']);
    assert.deepEqual(activeSecrets({ secret: 'whsec_new', previousSecret: null, previousSecretExpiresAt: now }, now), ['whsec_new']);
  });
});
