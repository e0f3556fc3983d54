/** Builds the authentication services the process shares (server.ts wires them in). */
import type { Settings } from '../config/env.js';
import type { Db } from '../db/knex.js';
import type { BridgeClient } from '../odoo/bridge-client.js';
import type { Logger } from '../observability/logger.js';
import { BasicVerificationCache } from './basic-cache.js';
import { OdooAuth } from './odoo-auth.js';
import type { AuthServices } from './types.js';
import { UsageRecorder } from './usage-recorder.js';

export function createAuthServices(db: Db, bridge: BridgeClient, settings: Settings, log: Logger): AuthServices {
  return {
    odooAuth: new OdooAuth(bridge),
    basicCache: new BasicVerificationCache(),
    usage: new UsageRecorder(db, log),
    cookie: { sameSite: settings.sessionCookieSameSite, path: '/api/' },
  };
}
