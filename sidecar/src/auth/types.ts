/** The services authentication needs beyond the configuration: shared by middleware and auth routes. */
import type { BasicVerificationCache } from './basic-cache.js';
import type { OdooAuth } from './odoo-auth.js';
import type { CookiePolicy } from './session-cookie.js';
import type { UsageRecorder } from './usage-recorder.js';

export interface AuthServices {
  odooAuth: OdooAuth;
  basicCache: BasicVerificationCache;
  usage: UsageRecorder;
  cookie: CookiePolicy;
}
