/**
 * Gateway settings kept as `rest_gateway.*` system parameters in Odoo
 * (so they reload on NOTIFY like the rest of the configuration):
 * `rest_gateway.cors_allowed_origins`, `rest_gateway.session_lifetime` and
 * the rate limits (`rest_gateway.rate_limit_backend`, `_default`, `_anonymous`)
 * and the request log mode (`rest_gateway.request_log_mode`).
 */
import type { Logger } from '../observability/logger.js';
import { parseOriginList } from '../cors/origins.js';
import { DEFAULT_REQUEST_LOG_MODE, isRequestLogMode, type RequestLogMode } from '../requestlog/log-mode.js';

export const CORS_ORIGINS_PARAM = 'rest_gateway.cors_allowed_origins';
export const SESSION_LIFETIME_PARAM = 'rest_gateway.session_lifetime';
export const DEFAULT_SESSION_LIFETIME = 8 * 3600;
const MIN_SESSION_LIFETIME = 300;
const MAX_SESSION_LIFETIME = 30 * 24 * 3600;
export const RATE_LIMIT_BACKEND_PARAM = 'rest_gateway.rate_limit_backend';
export const RATE_LIMIT_DEFAULT_PARAM = 'rest_gateway.rate_limit_default';
export const RATE_LIMIT_ANONYMOUS_PARAM = 'rest_gateway.rate_limit_anonymous';
export const DEFAULT_RATE_LIMIT = 600;
export const DEFAULT_ANONYMOUS_RATE_LIMIT = 60;
export const REQUEST_LOG_MODE_PARAM = 'rest_gateway.request_log_mode';

/** database: counters shared by every replica (D-L1); memory: per process, not shared; off: no limits, no headers. */
export type RateLimitBackend = 'database' | 'memory' | 'off';

export interface GatewaySettings {
  /** Origins allowed for every route, with credentials (cookies). */
  corsOrigins: ReadonlySet<string>;
  /** Seconds a session lasts from login. */
  sessionLifetime: number;
  rateLimitBackend: RateLimitBackend;
  /** Requests per minute for a credential whose own limit is 0. */
  rateLimitDefault: number;
  /** Requests per minute per client address without a credential. */
  rateLimitAnonymous: number;
  /** Which answers the request log keeps (requestlog/log-mode.ts). */
  requestLogMode: RequestLogMode;
}

function requestLogMode(params: Record<string, string>, log: Logger): RequestLogMode {
  const raw = params[REQUEST_LOG_MODE_PARAM];
  if (raw === undefined || raw === '') return DEFAULT_REQUEST_LOG_MODE;
  if (isRequestLogMode(raw)) return raw;
  log.error('ignoring an invalid request log mode', { param: REQUEST_LOG_MODE_PARAM });
  return DEFAULT_REQUEST_LOG_MODE;
}

function positiveInteger(params: Record<string, string>, param: string, fallback: number, log: Logger): number {
  const raw = params[param];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (Number.isInteger(value) && value > 0) return value;
  log.error('ignoring an invalid rate limit', { param });
  return fallback;
}

export function readGatewaySettings(params: Record<string, string>, log: Logger): GatewaySettings {
  let sessionLifetime = DEFAULT_SESSION_LIFETIME;
  const raw = params[SESSION_LIFETIME_PARAM];
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (Number.isInteger(value) && value >= MIN_SESSION_LIFETIME && value <= MAX_SESSION_LIFETIME) sessionLifetime = value;
    else log.error('ignoring an invalid session lifetime', { param: SESSION_LIFETIME_PARAM, min: MIN_SESSION_LIFETIME, max: MAX_SESSION_LIFETIME });
  }
  const backend = params[RATE_LIMIT_BACKEND_PARAM];
  if (backend !== undefined && backend !== '' && backend !== 'database' && backend !== 'memory' && backend !== 'off') {
    log.error('ignoring an invalid rate limit backend', { param: RATE_LIMIT_BACKEND_PARAM });
  }
  return {
    corsOrigins: parseOriginList(params[CORS_ORIGINS_PARAM]),
    sessionLifetime,
    rateLimitBackend: backend === 'memory' || backend === 'off' ? backend : 'database',
    rateLimitDefault: positiveInteger(params, RATE_LIMIT_DEFAULT_PARAM, DEFAULT_RATE_LIMIT, log),
    rateLimitAnonymous: positiveInteger(params, RATE_LIMIT_ANONYMOUS_PARAM, DEFAULT_ANONYMOUS_RATE_LIMIT, log),
    requestLogMode: requestLogMode(params, log),
  };
}
