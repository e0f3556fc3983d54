/**
 * `Idempotency-Key` on POST, PATCH, PUT and DELETE (after authentication):
 * the first request claims the key before it runs, its answer is stored
 * after and replayed to retries of the same request (`Idempotent-Replayed:
 * true`); another request under the same key, or a retry while the first
 * still runs, is a 409. A 5xx is not stored: the retry runs again (D-B5).
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
  type StoredAnswer,
} from '../db/idempotency.js';
import type { Db } from '../db/knex.js';
import { errors, problemBody } from '../errors.js';
import type { Logger } from '../observability/logger.js';
import { toApiError } from '../odoo/errors.js';
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

/** The key already exists: replay its answer, or say why not. */
async function answerExisting(ctx: ApiContext, db: Db, scope: string, key: string, digest: string): Promise<boolean> {
  const record = await readIdempotencyRecord(db, scope, key);
  if (!record) return false; // released meanwhile: claim again
  if (record.digest !== digest) {
    throw errors.conflict('idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key for a new request.');
  }
  if (record.state === 'in_progress' || !record.answer) {
    throw errors.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress; retry when it has finished.', {
      headers: { 'Retry-After': '1' },
    });
  }
  replay(ctx, record.answer);
  return true;
}

export function idempotencyMiddleware(db: Db, log: Logger): Middleware<ApiState> {
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
    for (let attempt = 0; !(await claimIdempotencyKey(db, { scope, key, digest, ttlSeconds })); attempt += 1) {
      if (await answerExisting(ctx, db, scope, key, digest)) return;
      if (attempt >= 2) throw errors.conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still in progress.');
    }
    let answer: StoredAnswer;
    try {
      await next();
      answer = answerOf(ctx);
    } catch (error) {
      const problem = toApiError(error);
      const body = JSON.stringify(problemBody(problem, ctx.state.requestId, ctx.path));
      await settle(db, log, scope, key, { status: problem.status, headers: { 'content-type': 'application/problem+json' }, body });
      throw error;
    }
    await settle(db, log, scope, key, answer);
  };
}

/** Stores the answer, or forgets the claim after a 5xx; a storage failure only leaves the claim to expire. */
async function settle(db: Db, log: Logger, scope: string, key: string, answer: StoredAnswer): Promise<void> {
  try {
    if (answer.status >= 500) await releaseIdempotencyKey(db, scope, key);
    else await completeIdempotencyKey(db, scope, key, answer);
  } catch (error) {
    log.warn('could not record an idempotent answer', { scope, error: (error as Error).message });
  }
}
