/**
 * `Idempotency-Key` on POST, PATCH, PUT and DELETE (after authentication):
 * the first request claims the key before it runs, its answer is stored
 * after and replayed to retries of the same request (`Idempotent-Replayed:
 * true`); another request under the same key, or a retry while the first
 * still runs or its outcome is unknown, is a 409. Odoo records a write's
 * answer on the claim in the write's transaction (D-S40): a retry whose
 * first answer was lost rebuilds it from that record.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Middleware } from 'koa';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  readIdempotencyRecord,
  readIdempotencyRetentionHours,
  releaseIdempotencyKey,
  takeIdempotencyClaim,
  type HeldClaim,
  type IdempotencyClaim,
  type RecordedCall,
  type StoredAnswer,
} from '../db/idempotency.js';
import type { Db } from '../db/knex.js';
import { ApiError, errors, problemBody } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { toApiError } from '../odoo/errors.js';
import type { IdempotencyState } from './idempotent-call.js';
import { requirePrincipal } from './request-services.js';
import type { ApiContext, ApiState } from './types.js';

const METHODS: ReadonlySet<string> = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;
/** Headers of the first answer that a replay repeats. */
const STORED_HEADERS = ['content-type', 'location'] as const;
export const DEFAULT_RETENTION_HOURS = 24;

/**
 * The body as RFC 8785 (JCS) canonical JSON: keys sorted by UTF-16 code
 * units, numbers in ECMAScript form, so the same body however its keys were
 * ordered. The library walks with its own stack; the edge has already
 * bounded the depth (http/text-checks.ts) and refused unpaired surrogates,
 * which JCS cannot represent.
 */
export function canonicalJson(value: unknown): string {
  return canonicalize(value) ?? 'null';
}

export function requestDigest(method: string, path: string, querystring: string, body: unknown): string {
  const text = `${method}\n${path}?${querystring}\n${body === undefined ? '' : canonicalJson(body)}`;
  return createHash('sha256').update(text).digest('hex');
}

function answerOf(ctx: ApiContext): StoredAnswer {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = ctx.response.get(name);
    if (value) headers[name] = String(value);
  }
  const body = ctx.body === undefined || ctx.body === null ? null : typeof ctx.body === 'string' ? ctx.body : JSON.stringify(ctx.body);
  return { status: ctx.status, headers, body };
}

function replay(ctx: ApiContext, answer: StoredAnswer): void {
  ctx.status = answer.status;
  if (answer.body !== null) ctx.body = answer.body;
  for (const [name, value] of Object.entries(answer.headers)) ctx.set(name, value);
  ctx.set('Idempotent-Replayed', 'true');
}

const inProgress = (): ApiError =>
  errors.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress; retry when it has finished.', {
    headers: { 'Retry-After': '1' },
  });

/**
 * How long a claim belongs to its request: a request makes at most a
 * metadata call and its write call, each bounded by ODOO_TIMEOUT_MS, plus a
 * second. Past it a retry may take the claim over; correctness does not
 * rest on it (the attempt fences a late write, D-S41), only politeness.
 */
export function leaseSeconds(odooTimeoutMs: number): number {
  return Math.ceil((2 * odooTimeoutMs) / 1000) + 1;
}

/** What the request does with the key: run under a claim, rebuild a recorded write's answer, or answer a stored one. */
type Decision = { kind: 'run'; state: IdempotencyState } | { kind: 'replay'; answer: StoredAnswer };

/** The key already exists: replay its answer, take a dead claim over, or say why not; null when it vanished meanwhile. */
async function decideExisting(db: Db, claim: IdempotencyClaim): Promise<Decision | null> {
  const record = await readIdempotencyRecord(db, claim.scope, claim.key);
  if (!record) return null; // released meanwhile: claim again
  const run = (held: HeldClaim, recorded: RecordedCall | null = null): Decision => ({
    kind: 'run',
    state: { claim: held, digest: claim.digest, recorded, outcome: 'none' },
  });
  if (record.expired) {
    const taken = await takeIdempotencyClaim(db, record, claim);
    if (taken) return run(taken);
    throw inProgress();
  }
  if (record.digest !== claim.digest) {
    throw errors.conflict('idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.');
  }
  if (record.state === 'done' && record.answer) return { kind: 'replay', answer: record.answer };
  if (record.state === 'committed') return run(record, record.recorded);
  if (record.leaseExpired) {
    // the holder is gone (crashed, or its write's outcome was lost and Odoo
    // has finished without committing it): run again under a new attempt
    const taken = await takeIdempotencyClaim(db, record, claim);
    if (taken) return run(taken);
  }
  throw inProgress();
}

export function idempotencyMiddleware(db: Db, log: Logger, odooTimeoutMs: number): Middleware<ApiState> {
  const lease = leaseSeconds(odooTimeoutMs);
  return async (context, next) => {
    const ctx = context as ApiContext;
    const key = ctx.headers['idempotency-key'];
    if (!METHODS.has(ctx.method) || key === undefined) return next();
    if (typeof key !== 'string' || !KEY_FORMAT.test(key)) {
      throw errors.badRequest('invalid_idempotency_key', 'Idempotency-Key must be 1 to 255 printable ASCII characters.');
    }
    const principal = requirePrincipal(ctx);
    const scope = `${principal.kind}:${principal.credentialId}`;
    const digest = requestDigest(ctx.method, ctx.path, ctx.querystring, ctx.request.body);
    const ttlSeconds = ((await readIdempotencyRetentionHours(db)) ?? DEFAULT_RETENTION_HOURS) * 3600;
    const claim: IdempotencyClaim = { scope, key, digest, ttlSeconds, leaseSeconds: lease };
    let decision: Decision | null = null;
    for (let attempt = 0; decision === null; attempt += 1) {
      const held = await claimIdempotencyKey(db, claim);
      decision = held ? { kind: 'run', state: { claim: held, digest, recorded: null, outcome: 'none' } } : await decideExisting(db, claim);
      if (decision === null && attempt >= 2) throw inProgress();
    }
    if (decision.kind === 'replay') {
      replay(ctx, decision.answer);
      return;
    }
    const state = decision.state;
    const rebuilding = state.recorded !== null;
    ctx.state.idempotency = state;
    try {
      await next();
    } catch (error) {
      const problem = failure(toApiError(error), state, rebuilding);
      if (rebuilding && state.outcome !== 'committed') {
        // keep Odoo's record: a later retry may rebuild the answer again
      } else if (problem.status < 500) {
        const body = JSON.stringify(problemBody(problem, ctx.state.requestId, ctx.path));
        await settle(db, log, state, { status: problem.status, headers: { 'content-type': 'application/problem+json' }, body });
      } else {
        await settle(db, log, state, null);
      }
      throw rebuilding && state.outcome === 'committed' ? withReplayedHeader(problem) : problem;
    }
    const answer = answerOf(ctx);
    await settle(db, log, state, answer.status < 500 ? answer : null);
    if (rebuilding) ctx.set('Idempotent-Replayed', 'true');
  };
}

/** The problem to answer for a failed request under a claim. */
function failure(problem: ApiError, state: IdempotencyState, rebuilding: boolean): ApiError {
  if (state.outcome === 'unknown' && problem.status >= 500) {
    return new ApiError(503, 'odoo_unavailable', 'Odoo did not answer in time; the request may have been applied. Retry with the same Idempotency-Key: it answers 409 until the outcome is known, then that outcome.', {
      headers: { 'Retry-After': '5' },
      cause: problem,
    });
  }
  if (rebuilding && state.outcome !== 'committed') {
    return errors.conflict('idempotency_in_progress', 'The request under this Idempotency-Key was applied, but its answer cannot be rebuilt: the request no longer compiles to the write that ran (the gateway\'s configuration changed since). Read the records to see their state.', {
      cause: problem,
    });
  }
  return problem;
}

function withReplayedHeader(problem: ApiError): ApiError {
  return new ApiError(problem.status, problem.code, problem.detail, {
    errors: problem.errors,
    extensions: problem.extensions,
    headers: { ...problem.headers, 'Idempotent-Replayed': 'true' },
    cause: problem,
  });
}

/**
 * Stores the answer (`null`: none to store, a 5xx). Without an answer the
 * claim is released only when no write can have happened; after a
 * committed write a retry rebuilds the answer from Odoo's record, and an
 * unknown outcome stays claimed until Odoo's record or the lease decides.
 * A storage failure only leaves the claim to its lease.
 */
async function settle(db: Db, log: Logger, state: IdempotencyState, answer: StoredAnswer | null): Promise<void> {
  if (state.outcome === 'unknown') return; // Odoo's record, or the lease, decides
  try {
    if (answer) await completeIdempotencyKey(db, state.claim, answer);
    else if (state.outcome === 'none' && state.recorded === null) await releaseIdempotencyKey(db, state.claim);
  } catch (error) {
    log.warn('could not record an idempotent answer', { error: (error as Error).message });
  }
}
