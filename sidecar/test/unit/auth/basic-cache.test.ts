import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BasicVerificationCache } from '../../../src/auth/basic-cache.js';

describe('Basic verification cache', () => {
  it('keys entries by a keyed digest that neither holds nor reveals the password', () => {
    const cache = new BasicVerificationCache();
    const digest = cache.digest('alice', 's3cret');
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.ok(!digest.includes('s3cret'));
    assert.notEqual(digest, new BasicVerificationCache().digest('alice', 's3cret')); // process-random key
    assert.notEqual(digest, cache.digest('alice', 's3cres'));
    assert.notEqual(cache.digest('a:b', 'c'), cache.digest('a', 'b:c'));
  });

  it('expires entries after the TTL and forgets a user', () => {
    const clock = { time: 1, now() { return this.time; } };
    const cache = new BasicVerificationCache(1_000, 10, clock);
    cache.set('d1', { userId: 7, fingerprint: 'f' });
    clock.time = 1_000;
    assert.deepEqual(cache.get('d1'), { userId: 7, fingerprint: 'f' });
    clock.time = 1_002;
    assert.equal(cache.get('d1'), null);
    cache.set('d2', { userId: 7, fingerprint: 'f' });
    cache.set('d3', { userId: 8, fingerprint: 'f' });
    cache.forgetUser(7);
    assert.equal(cache.get('d2'), null);
    assert.ok(cache.get('d3'));
  });

  it('stays bounded, dropping the least recently used entries', () => {
    const cache = new BasicVerificationCache(60_000, 3);
    for (let i = 0; i < 5; i += 1) cache.set(`d${i}`, { userId: i, fingerprint: 'f' });
    assert.equal(cache.size, 3);
    assert.equal(cache.get('d0'), null);
    assert.ok(cache.get('d4'));
  });

  it('shares one verification between concurrent requests', async () => {
    const cache = new BasicVerificationCache();
    let calls = 0;
    const work = async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    };
    const results = await Promise.all([cache.once('d', work), cache.once('d', work), cache.once('d', work)]);
    assert.deepEqual(results, [42, 42, 42]);
    assert.equal(calls, 1);
    await cache.once('d', work);
    assert.equal(calls, 2);
  });
});
