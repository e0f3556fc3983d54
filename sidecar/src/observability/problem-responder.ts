/**
 * Renders every failure as RFC 9457 problem+json and logs server faults
 * with their cause; nothing internal (stack, SQL, Odoo traceback) reaches
 * the client. Unmatched routes become a 404 problem.
 */
import type { Middleware } from 'koa';
import { ApiError, problemBody, type ErrorCode } from '../errors.js';
import { toApiError } from '../odoo/errors.js';
import type { ApiState } from '../http/types.js';
import type { Logger } from './logger.js';

/** Errors thrown by Koa itself or its middleware (http-errors) carry a status. */
function fromHttpError(error: unknown): ApiError | null {
  if (error instanceof ApiError || !error || typeof error !== 'object') return null;
  const status = (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  const byStatus: Record<number, [ErrorCode, string]> = {
    400: ['invalid_json', 'The request body is not valid JSON.'],
    405: ['method_not_allowed', 'This method is not allowed on this resource.'],
    413: ['payload_too_large', 'The request body is too large.'],
    415: ['unsupported_media_type', 'The request body must be application/json.'],
  };
  const [code, detail] = byStatus[status] ?? ['bad_request', 'The request is malformed.'];
  const headers: Record<string, string> = {};
  const allow = (error as { headers?: Record<string, string> }).headers?.Allow;
  if (allow) headers.Allow = allow;
  return new ApiError(status, code, detail, { headers, cause: error });
}

export function problemResponder(log: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new ApiError(404, 'not_found', `No route matches ${ctx.method} ${ctx.path}.`);
      }
    } catch (caught) {
      const error = fromHttpError(caught) ?? toApiError(caught);
      if (error.status >= 500) {
        const cause = error.cause instanceof Error ? error.cause : error.cause === undefined ? undefined : String(error.cause);
        log.error('request failed', {
          request_id: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          status: error.status,
          code: error.code,
          cause: cause instanceof Error ? { name: cause.name, message: cause.message, stack: cause.stack } : cause,
        });
      }
      ctx.status = error.status;
      for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
      ctx.type = 'application/problem+json';
      ctx.body = problemBody(error, ctx.state.requestId, ctx.path);
    }
  };
}
