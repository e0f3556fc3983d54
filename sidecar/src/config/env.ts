/**
 * Sidecar settings, read once from the environment and validated, so a
 * wrong deployment fails at start with a message naming the variable.
 */
import bytes from 'bytes';
import { z } from 'zod';
import { parseAddressList, type AddressMatcher } from '../auth/address-match.js';

const schema = z.object({
  DATABASE_URL: z
    .string({ error: 'is required (postgres://user:password@host:port/database)' })
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
  ODOO_URL: z.url({ error: 'is required and must be a URL such as http://odoo:8069' }),
  ODOO_DB: z.string({ error: 'is required (the Odoo database name)' }).min(1, 'must not be empty'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  TRUSTED_PROXIES: z.string().default(''),
  ODOO_POOL_SIZE: z.coerce.number().int().min(1).max(256).default(8),
  ODOO_TIMEOUT_MS: z.coerce.number().int().min(100).default(60_000),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  BODY_LIMIT: z.string().default('1mb'),
  BRIDGE_RESPONSE_LIMIT: z
    .string()
    .default('32mb')
    .refine((value) => (bytes.parse(value) ?? 0) > 0, 'must be a size such as 32mb or 500kb'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).default(1_000),
  SESSION_COOKIE_SAMESITE: z.enum(['lax', 'strict', 'none']).default('lax'),
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(0).max(1000).default(64),
});

export interface Settings {
  databaseUrl: string;
  odooUrl: string;
  odooDb: string;
  port: number;
  host: string;
  trustedProxies: AddressMatcher;
  odooPoolSize: number;
  odooTimeoutMs: number;
  databasePoolSize: number;
  bodyLimit: string;
  /** Bytes of one bridge answer the sidecar reads at most (past it: 422 response_too_large). */
  bridgeResponseLimit: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  shutdownTimeoutMs: number;
  /** On SIGTERM, keep serving (with Connection: close) this long before closing the listener. */
  shutdownDrainMs: number;
  /** SameSite of the session cookie (none is sent only over HTTPS). */
  sessionCookieSameSite: 'lax' | 'strict' | 'none';
  /** Webhook deliveries in flight at most in this sidecar; 0 = this sidecar delivers none. */
  webhookConcurrency: number;
}

export class SettingsError extends Error {}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new SettingsError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = parsed.data;
  let trustedProxies: AddressMatcher;
  try {
    trustedProxies = parseAddressList(v.TRUSTED_PROXIES);
  } catch (error) {
    throw new SettingsError(`Invalid configuration:\n  TRUSTED_PROXIES: ${(error as Error).message}`);
  }
  return {
    databaseUrl: v.DATABASE_URL,
    odooUrl: v.ODOO_URL.replace(/\/+$/, ''),
    odooDb: v.ODOO_DB,
    port: v.PORT,
    host: v.HOST,
    trustedProxies,
    odooPoolSize: v.ODOO_POOL_SIZE,
    odooTimeoutMs: v.ODOO_TIMEOUT_MS,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    bodyLimit: v.BODY_LIMIT,
    bridgeResponseLimit: bytes.parse(v.BRIDGE_RESPONSE_LIMIT) as number,
    logLevel: v.LOG_LEVEL,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainMs: v.SHUTDOWN_DRAIN_MS,
    sessionCookieSameSite: v.SESSION_COOKIE_SAMESITE,
    webhookConcurrency: v.WEBHOOK_CONCURRENCY,
  };
}
