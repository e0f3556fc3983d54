/**
 * Helpers of the authentication and admin routes: strict JSON bodies
 * (zod), the credential kinds that carry the user's full rights, and the
 * conversion of Odoo's naive UTC datetimes to ISO 8601.
 */
import type { z } from 'zod';
import { errors } from '../../errors.js';
import type { ApiContext } from '../../http/types.js';
import type { Principal, PrincipalKind } from '../../policy/types.js';

/** Parses the JSON body with `schema`; a 400 naming each problem otherwise. */
export function parseJsonBody<T>(ctx: ApiContext, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(ctx.request.body ?? {});
  if (parsed.success) return parsed.data;
  throw errors.badRequest('invalid_body', 'The request body is not valid for this route.', {
    errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })),
  });
}

/**
 * Managing the user's own password, keys or the gateway's credentials takes
 * a credential that proves the user: a session or Basic with the password.
 * Keys and OAuth tokens are delegations and may not mint or manage others.
 */
export function requireUserCredential(principal: Principal, kinds: readonly PrincipalKind[] = ['session', 'basic']): void {
  if (!kinds.includes(principal.kind)) {
    const which = kinds.includes('basic') ? 'a session or Basic credentials with the password' : 'a session (POST /auth/login)';
    throw errors.forbidden('session_required', `This route needs ${which}; API keys and OAuth tokens cannot use it.`);
  }
}

/** Odoo's `YYYY-MM-DD HH:MM:SS` (UTC) → ISO 8601 with Z; null stays null. */
export function isoFromOdoo(value: unknown): string | null {
  if (typeof value !== 'string' || !value) return null;
  return `${value.replace(' ', 'T')}Z`;
}

/** ISO 8601 → Odoo's naive UTC datetime. */
export function odooFromIso(value: string): string {
  return new Date(value).toISOString().slice(0, 19).replace('T', ' ');
}

const DATE_FIELDS = ['expires_at', 'last_used_at', 'revoked_at', 'created_at'];

/** A credential or token record from Odoo with its datetimes in ISO 8601. */
export function shapeRecord(record: Record<string, unknown>): Record<string, unknown> {
  const shaped = { ...record };
  for (const field of DATE_FIELDS) if (field in shaped) shaped[field] = isoFromOdoo(shaped[field]);
  return shaped;
}
