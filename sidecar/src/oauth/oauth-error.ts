/**
 * OAuth 2.0 error answers: RFC 6749 §5.2 (`{"error", "error_description"}`,
 * 400, or 401 with a `WWW-Authenticate` challenge for `invalid_client`),
 * used by the token, introspection (RFC 7662) and revocation (RFC 7009)
 * endpoints instead of problem+json.
 */
import type { ParameterizedContext } from 'koa';
import { BASIC_CHALLENGE } from '../auth/challenge.js';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'unsupported_token_type';

export class OAuthError extends Error {
  constructor(
    readonly error: OAuthErrorCode,
    readonly description: string,
  ) {
    super(description);
    this.name = 'OAuthError';
  }

  get status(): number {
    return this.error === 'invalid_client' ? 401 : 400;
  }
}

/** RFC 6749 §5.1: token answers must not be cached. */
export function noStore(ctx: ParameterizedContext): void {
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
}

export function sendOAuthError(ctx: ParameterizedContext, error: OAuthError): void {
  ctx.status = error.status;
  noStore(ctx);
  if (error.status === 401) ctx.set('WWW-Authenticate', BASIC_CHALLENGE);
  ctx.type = 'application/json';
  ctx.body = { error: error.error, error_description: error.description };
}

/** Runs an OAuth endpoint, answering its refusals per RFC 6749 §5.2. */
export async function answeringOAuthErrors(ctx: ParameterizedContext, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (error instanceof OAuthError) sendOAuthError(ctx, error);
    else throw error;
  }
}
