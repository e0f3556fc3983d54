/** Retry delays: exponential with a cap and ±20 % jitter; Retry-After in seconds or as an HTTP date. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffSeconds, MAX_RETRY_AFTER_SECONDS, parseRetryAfter, retryDelaySeconds } from '../../../src/webhooks/retry-schedule.js';

const policy = { baseDelaySeconds: 10, maxDelaySeconds: 3600 };
const middle = () => 0.5;

describe('retry schedule', () => {
  it('doubles from the base delay and stops at the maximum', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => backoffSeconds(n, policy, middle)), [10, 20, 40, 80, 160]);
    assert.equal(backoffSeconds(12, policy, middle), 3600);
    assert.equal(backoffSeconds(1000, policy, middle), 3600);
  });

  it('jitters by at most 20 % either way', () => {
    assert.equal(backoffSeconds(1, policy, () => 0), 8);
    assert.ok(Math.abs(backoffSeconds(1, policy, () => 0.999999) - 12) < 1e-3);
    for (let i = 0; i < 200; i += 1) {
      const delay = backoffSeconds(3, policy);
      assert.ok(delay >= 32 && delay <= 48, `delay ${delay}`);
    }
  });

  it('takes Retry-After when it is later than the backoff, the backoff otherwise', () => {
    assert.equal(retryDelaySeconds(1, policy, 120, middle), 120);
    assert.equal(retryDelaySeconds(1, policy, 2, middle), 10);
    assert.equal(retryDelaySeconds(1, policy, null, middle), 10);
  });
});

describe('Retry-After', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  it('reads delay-seconds', () => {
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('99999999999', now), MAX_RETRY_AFTER_SECONDS);
  });
  it('reads HTTP dates, past ones as 0', () => {
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 12:01:30 GMT', now), 90);
    assert.equal(parseRetryAfter('Sat, 28 Nov 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('Saturday, 28-Nov-26 12:00:10 GMT', now), 10);
  });
  it('ignores what is neither', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', '2026-11-28T12:01:00Z', 'Sat, 99 Foo 2026 99:00:00 GMT']) {
      assert.equal(parseRetryAfter(value, now), null, String(value));
    }
  });
});
