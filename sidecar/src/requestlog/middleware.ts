/**
 * Records every request in the request log once its answer is sent: it
 * runs outside the problem responder, so errors are seen as the
 * problem+json the client got (429s included), and builds the entry when
 * the response closes (the duration covers sending it, the size is the
 * Content-Length Koa set, the body is not serialized twice). Health probes
 * are not logged. The entry is handed to the writer: no database work
 * happens on the request path.
 */
import type { Middleware } from 'koa';
import type { RequestLogEntry } from '../db/request-logs.js';
import type { ApiContext, ApiState } from '../http/types.js';
import type { Logger } from '../observability/logger.js';
import type { RequestLogMode } from './log-mode.js';
import { decide } from './log-mode.js';
import { cap, PAYLOAD_LIMITS, READ_ANSWER_LIMITS, redactPath, summarize } from './redaction.js';
import type { RequestLogWriter } from './writer.js';

const HEADER_MAX_CHARS = 512;
const MODEL_MAX_CHARS = 128;
const NOT_LOGGED = new Set(['/healthz', '/readyz']);

/** What the router left on the context (@koa/router). */
interface RouterMatch {
  _matchedRoute?: string | RegExp;
  _matchedRouteName?: string;
}

function header(ctx: ApiContext, name: string): string | null {
  const value = ctx.get(name);
  return value ? cap(value, HEADER_MAX_CHARS) : null;
}

function size(value: string | undefined): number | null {
  const parsed = Number(value);
  return value && Number.isInteger(parsed) && parsed >= 0 && parsed <= 2 ** 31 - 1 ? parsed : null;
}

function capped(text: string | null): string | null {
  return text === null ? null : cap(text);
}

function problemField(body: unknown, field: 'code' | 'detail'): string | null {
  if (!body || typeof body !== 'object') return null;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/** The entry for a finished request. */
export function buildEntry(ctx: ApiContext, loggedAt: Date, durationMs: number, logged: boolean): RequestLogEntry {
  const match = ctx as unknown as RouterMatch;
  const route = typeof match._matchedRoute === 'string' ? match._matchedRoute : null;
  const principal = ctx.state.principal;
  // log in and the OAuth token route have no principal: they say who the caller was
  const identified = ctx.state.identified;
  const status = ctx.status;
  const model = typeof ctx.params?.model === 'string' && route?.includes(':model') ? cap(ctx.params.model, MODEL_MAX_CHARS) : null;
  const error = status >= 400;
  const sent = ctx.res.getHeader('Content-Length');
  return {
    loggedAt,
    requestId: ctx.state.requestId,
    method: ctx.method,
    path: redactPath(ctx.originalUrl),
    endpoint: `${ctx.method} ${route ?? '(no route)'}`,
    operation: route ? (match._matchedRouteName ?? null) : null,
    model,
    authKind: principal?.kind ?? identified?.authKind ?? null,
    userId: principal?.user.id ?? identified?.userId ?? null,
    keyId: principal?.kind === 'api_key' ? principal.credentialId : null,
    clientId: principal?.kind === 'oauth' ? principal.credentialId : (identified?.clientId ?? null),
    clientAddress: ctx.state.clientAddress ?? ctx.ip ?? null,
    origin: header(ctx, 'Origin'),
    userAgent: header(ctx, 'User-Agent'),
    status,
    durationMs,
    odooMs: ctx.state.odooMs ?? 0,
    errorCode: error ? problemField(ctx.body, 'code') : null,
    errorMessage: error ? capped(problemField(ctx.body, 'detail')) : null,
    requestSize: size(ctx.get('Content-Length')),
    responseSize: size(sent === undefined ? undefined : String(sent)),
    // an entry the log mode leaves out only feeds the statistics: no summaries to build
    requestSummary: logged ? summarize((ctx.request as { body?: unknown }).body) : null,
    responseSummary: logged ? summarize(ctx.body, ctx.method === 'GET' && status < 400 ? READ_ANSWER_LIMITS : PAYLOAD_LIMITS) : null,
    logged,
  };
}

export function requestLogMiddleware(writer: RequestLogWriter, mode: () => RequestLogMode, log: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    if (NOT_LOGGED.has(ctx.path)) return next();
    const loggedAt = new Date();
    const started = performance.now();
    const record = (): void => {
      try {
        const decision = decide(mode(), ctx.status);
        if (decision !== 'skip') {
          writer.enqueue(buildEntry(ctx as unknown as ApiContext, loggedAt, performance.now() - started, decision === 'log'));
        }
      } catch (error) {
        // the log never fails a request
        log.warn('could not record a request in the request log', { request_id: ctx.state.requestId, error: (error as Error).message });
      }
    };
    try {
      await next();
    } finally {
      // 'close': sent, or the client went away; either way once, before the server can finish closing
      if (ctx.res.closed) record();
      else ctx.res.once('close', record);
    }
  };
}
