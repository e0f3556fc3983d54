/**
 * Gateway settings kept as `rest_gateway.*` system parameters in Odoo
 * (so they reload on NOTIFY like the rest of the configuration):
 * `rest_gateway.cors_allowed_origins` and `rest_gateway.session_lifetime`.
 */
import type { Logger } from '../observability/logger.js';
import { parseOriginList } from '../cors/origins.js';

export const CORS_ORIGINS_PARAM = 'rest_gateway.cors_allowed_origins';
export const SESSION_LIFETIME_PARAM = 'rest_gateway.session_lifetime';
export const DEFAULT_SESSION_LIFETIME = 8 * 3600;
const MIN_SESSION_LIFETIME = 300;
const MAX_SESSION_LIFETIME = 30 * 24 * 3600;

export interface GatewaySettings {
  /** Origins allowed for every route, with credentials (cookies). */
  corsOrigins: ReadonlySet<string>;
  /** Seconds a session lasts from login. */
  sessionLifetime: number;
}

export function readGatewaySettings(params: Record<string, string>, log: Logger): GatewaySettings {
  let sessionLifetime = DEFAULT_SESSION_LIFETIME;
  const raw = params[SESSION_LIFETIME_PARAM];
  if (raw !== undefined && raw !== '') {
    const value = Number(raw);
    if (Number.isInteger(value) && value >= MIN_SESSION_LIFETIME && value <= MAX_SESSION_LIFETIME) sessionLifetime = value;
    else log.error('ignoring an invalid session lifetime', { param: SESSION_LIFETIME_PARAM, min: MIN_SESSION_LIFETIME, max: MAX_SESSION_LIFETIME });
  }
  return { corsOrigins: parseOriginList(params[CORS_ORIGINS_PARAM]), sessionLifetime };
}
