/**
 * Password operations in Odoo through the bridge's authentication route:
 * Odoo's own credential check (with its login cooldown and two-factor
 * rule), password change and auth_signup's reset. Maps the route's error
 * kinds to API errors; passwords never appear in an error or a log.
 */
import { ApiError, errors } from '../errors.js';
import type { BridgeClient } from '../odoo/bridge-client.js';
import { invalidCredentials } from './challenge.js';

/** The profile `res.users.rest_gateway_me` answers (GET /user/me). */
export type OdooProfile = Record<string, unknown> & { id: number; login: string };

interface AuthErrorBody {
  kind?: string;
  message?: string;
  retry_after?: number;
}

/** The error for a refusal of the auth route; `credentials` depends on the operation. */
function refusal(error: AuthErrorBody, credentials: () => ApiError): ApiError {
  const message = typeof error.message === 'string' ? error.message : 'Refused.';
  switch (error.kind) {
    case 'credentials':
      return credentials();
    case 'locked':
      return new ApiError(429, 'login_locked', message, { headers: { 'Retry-After': String(error.retry_after ?? 60) } });
    case 'mfa_required':
      return errors.forbidden('mfa_required', message);
    case 'reset_unavailable':
      return new ApiError(501, 'password_reset_unavailable', message);
    case 'validation':
      return errors.unprocessable('validation_error', message);
    case 'bad_request':
      return errors.badRequest('bad_request', message);
    default:
      return errors.internal(`auth bridge: ${String(error.kind)}`);
  }
}

export class OdooAuth {
  constructor(private readonly bridge: BridgeClient) {}

  private async run(payload: Record<string, unknown>, credentials: () => ApiError): Promise<Record<string, unknown>> {
    const body = await this.bridge.runAuth(payload);
    if (body.error && typeof body.error === 'object') throw refusal(body.error as AuthErrorBody, credentials);
    const result = body.result;
    if (!result || typeof result !== 'object') throw errors.internal('auth bridge: no result');
    return result as Record<string, unknown>;
  }

  /** Odoo's interactive password check; the user's id and profile. */
  async authenticate(login: string, password: string, clientAddress: string): Promise<{ uid: number; user: OdooProfile }> {
    const result = await this.run({ operation: 'authenticate', login, password, client_address: clientAddress }, () => invalidCredentials());
    return { uid: Number(result.uid), user: result.user as OdooProfile };
  }

  /**
   * Odoo's password change. Odoo revokes the user's API sessions and tokens
   * in the same transaction, except `keepTokenId` (the session making the
   * change); answers how many it revoked.
   */
  async changePassword(uid: number, oldPassword: string, newPassword: string, clientAddress: string, keepTokenId: number | null = null): Promise<number> {
    const result = await this.run(
      { operation: 'change_password', uid, old_password: oldPassword, new_password: newPassword, client_address: clientAddress, keep_token_id: keepTokenId },
      () => errors.forbidden('invalid_credentials', 'The current password is wrong.'),
    );
    return Number(result.revoked) || 0;
  }

  async resetPassword(login: string, clientAddress: string): Promise<void> {
    await this.run({ operation: 'reset_password', login, client_address: clientAddress }, () => invalidCredentials());
  }
}
