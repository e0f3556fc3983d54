import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { leaseSeconds } from '../../../src/http/idempotency.js';
import { callDigest, runIdempotentCall, type IdempotencyState } from '../../../src/http/idempotent-call.js';
import type { BridgeResponse } from '../../../src/odoo/bridge-client.js';
import { BridgeError, BridgeUnavailableError, type BridgeCall } from '../../../src/odoo/bridge-types.js';

const DIGEST = 'a'.repeat(64);
const write: BridgeCall = { uid: 2, context: {}, readonly: false, operations: [{ model: 'res.partner', method: 'create', args: [{ name: 'x' }] }] };
const read: BridgeCall = { uid: 2, context: {}, readonly: true, operations: [{ model: 'res.partner', method: 'search_count', args: [[]] }] };

function state(recorded: IdempotencyState['recorded'] = null): IdempotencyState {
  return { claim: { id: 41, attempt: 2 }, digest: DIGEST, recorded, outcome: 'none' };
}

function recorder(answer: () => Promise<BridgeResponse>): { sent: BridgeCall[]; run: (call: BridgeCall) => Promise<BridgeResponse> } {
  const sent: BridgeCall[] = [];
  return { sent, run: (call) => (sent.push(call), answer()) };
}

const ok = (): Promise<BridgeResponse> => Promise.resolve({ results: [[7]], durationMs: 1 });

describe('runIdempotentCall', () => {
  it('sends the claim with a write, and only with a write', async () => {
    const s = state();
    const bridge = recorder(ok);
    await runIdempotentCall(s, read, bridge.run);
    assert.equal(bridge.sent[0]?.idempotency, undefined);
    assert.equal(s.outcome, 'none');
    await runIdempotentCall(s, write, bridge.run);
    assert.deepEqual(bridge.sent[1]?.idempotency, { id: 41, attempt: 2, digest: DIGEST, call_digest: callDigest(write) });
    assert.equal(s.outcome, 'committed');
    await runIdempotentCall(s, write, bridge.run);
    assert.equal(bridge.sent[2]?.idempotency, undefined, 'the claim is spent once a write committed');
  });

  it('knows nothing was kept when Odoo answers an error, and nothing at all when no answer came', async () => {
    const refused = state();
    await assert.rejects(runIdempotentCall(refused, write, recorder(() => Promise.reject(new BridgeError('validation', 'no'))).run), BridgeError);
    assert.equal(refused.outcome, 'none');
    const lost = state();
    await assert.rejects(runIdempotentCall(lost, write, recorder(() => Promise.reject(new BridgeUnavailableError('timeout'))).run), BridgeUnavailableError);
    assert.equal(lost.outcome, 'unknown');
  });

  it('answers the recorded call without sending it, and refuses another', async () => {
    const s = state({ results: [[9]], callDigest: callDigest(write) });
    const bridge = recorder(ok);
    assert.deepEqual((await runIdempotentCall(s, write, bridge.run)).results, [[9]]);
    assert.equal(bridge.sent.length, 0);
    assert.equal(s.outcome, 'committed');
    const other = state({ results: [[9]], callDigest: 'b'.repeat(64) });
    await assert.rejects(runIdempotentCall(other, write, bridge.run), (error: unknown) => error instanceof BridgeError && error.operation === 0);
    assert.equal(bridge.sent.length, 0);
  });

  it('runs as before without a claim', async () => {
    const bridge = recorder(ok);
    await runIdempotentCall(undefined, write, bridge.run);
    assert.equal(bridge.sent[0]?.idempotency, undefined);
  });
});

describe('leaseSeconds', () => {
  it('covers a metadata call and the write, each up to the bridge timeout, plus a second', () => {
    assert.equal(leaseSeconds(60_000), 121);
    assert.equal(leaseSeconds(1_000), 3);
    assert.equal(leaseSeconds(1_500), 4);
  });
});
