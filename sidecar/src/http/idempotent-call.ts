/**
 * A write's bridge call under an Idempotency-Key claim: the claim goes with
 * the call, so Odoo locks it and records the answer in the write's own
 * transaction; the outcome (nothing written, written, unknown) is noted for
 * the idempotency middleware. A rebuild answers the recorded call instead.
 */
import { createHash } from 'node:crypto';
import type { HeldClaim, RecordedCall } from '../db/idempotency.js';
import type { BridgeResponse } from '../odoo/bridge-client.js';
import { BridgeError, type BridgeCall } from '../odoo/bridge-types.js';

/**
 * none: no write reached Odoo, or Odoo answered that it kept nothing;
 * committed: Odoo recorded a write's answer on the claim;
 * unknown: a write was sent and no answer came back (timeout, connection lost, not the bridge's JSON).
 */
export type IdempotentOutcome = 'none' | 'committed' | 'unknown';

export interface IdempotencyState {
  claim: HeldClaim;
  /** The request digest the claim is for. */
  digest: string;
  /** Set when rebuilding the answer of a write Odoo recorded: its call is answered from here. */
  recorded: RecordedCall | null;
  outcome: IdempotentOutcome;
}

export function callDigest(call: BridgeCall): string {
  return createHash('sha256').update(JSON.stringify(call.operations)).digest('hex');
}

/**
 * Runs `call` with the claim when it writes. After a committed call the
 * claim is spent: a later write of the same request runs without it.
 */
export async function runIdempotentCall(
  state: IdempotencyState | undefined,
  call: BridgeCall,
  run: (call: BridgeCall) => Promise<BridgeResponse>,
): Promise<BridgeResponse> {
  if (!state || call.readonly || state.outcome === 'committed') return run(call);
  const digest = callDigest(call);
  if (state.recorded) {
    if (state.recorded.callDigest === digest) {
      state.outcome = 'committed';
      return { results: state.recorded.results, durationMs: 0 };
    }
    // Not the call Odoo recorded: in the first run it failed and kept
    // nothing (a batch's merged creates, run again unmerged). Answer it as
    // a failure of its first operation so the route takes the same path.
    throw new BridgeError('internal', 'This call is not the one recorded for the Idempotency-Key.', 0);
  }
  state.outcome = 'unknown';
  try {
    const response = await run({ ...call, idempotency: { id: state.claim.id, attempt: state.claim.attempt, digest: state.digest, call_digest: digest } });
    state.outcome = 'committed';
    return response;
  } catch (error) {
    // Odoo answered with an error: the call rolled back (or never ran)
    if (error instanceof BridgeError) state.outcome = 'none';
    throw error;
  }
}
