/**
 * Policy decisions: may this principal use this model for this operation,
 * and may it touch this field. Pure: no database, no Odoo.
 */
import { errors } from '../errors.js';
import { isCredentialField } from './credential-fields.js';
import type { FieldRules, ModelGrant, Operation, Principal } from './types.js';

/** A model not exposed or not in the caller's scopes does not exist for it (404). */
export function requireGrant(principal: Principal, model: string, operation: Operation): ModelGrant {
  const grant = principal.grants.get(model);
  if (!grant) throw errors.notFound('model_not_found', `No model named "${model}" is available.`);
  if (!grant.operations[operation]) {
    throw errors.forbidden('operation_not_allowed', `The "${operation}" operation is not allowed on ${model} for this credential.`);
  }
  return grant;
}

/**
 * `id` is part of every record; a credential field never is (passwords,
 * API keys, TOTP and OAuth secrets: policy/credential-fields.ts); other
 * fields follow the allow- and blocklist.
 */
export function isFieldAllowed(rules: FieldRules, field: string): boolean {
  if (field === 'id') return true;
  if (isCredentialField(field)) return false;
  if (rules.blocked.has(field)) return false;
  return rules.allowed === null || rules.allowed.has(field);
}

export function listGrantedOperations(grant: ModelGrant): Operation[] {
  return (Object.keys(grant.operations) as Operation[]).filter((op) => grant.operations[op]);
}
