/**
 * Builds the grants a credential carries from the exposed models and its
 * scopes (keys and OAuth clients), and the grants of a full-rights user
 * credential (session, Basic with a password): every active exposed model
 * with its own toggles and no field rules; Odoo's ACLs still apply.
 * A model holding credentials is never granted, whatever its configuration.
 */
import type { ExposedModelRow, OperationToggles, ScopeRow } from '../db/gateway-config.js';
import type { Logger } from '../observability/logger.js';
import { isCredentialModel } from '../policy/credential-fields.js';
import type { Domain, FieldRules, ModelGrant } from '../policy/types.js';

export function parseDomain(json: string | null, log: Logger, where: string): Domain | null {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    if (Array.isArray(value)) return value;
  } catch {
    /* fall through */
  }
  log.error('unreadable domain in configuration; access through it is refused', { where });
  return null;
}

export function andToggles(a: OperationToggles, b: OperationToggles): OperationToggles {
  return {
    read: a.read && b.read,
    create: a.create && b.create,
    update: a.update && b.update,
    delete: a.delete && b.delete,
    archive: a.archive && b.archive,
    restore: a.restore && b.restore,
  };
}

/**
 * A scope's field rules. An allowlist fails closed: a scope that was given
 * one keeps it when its fields are gone (an empty set: only `id`); only a
 * scope never given one allows every field (docs/decisions.md D-S34).
 */
export function scopeFieldRules(scope?: ScopeRow): FieldRules {
  const restricted = scope !== undefined && (scope.restrictFields || scope.allowedFields.length > 0);
  return {
    allowed: restricted ? new Set(scope.allowedFields) : null,
    blocked: new Set(scope?.blockedFields ?? []),
  };
}

/** Exposed models that may be granted: never one holding credentials (docs/decisions.md D-S31). */
function grantable(exposed: ExposedModelRow, log: Logger): boolean {
  if (!isCredentialModel(exposed.model)) return true;
  log.error('a model holding credentials is configured as exposed; it is never served', { where: `rest.gateway.model ${exposed.id}`, model: exposed.model });
  return false;
}

function modelGrant(exposed: ExposedModelRow, operations: OperationToggles, domains: Domain[], scope?: ScopeRow): ModelGrant {
  return {
    model: exposed.model,
    name: exposed.name,
    operations,
    domains: domains.filter((d) => d.length > 0),
    fields: scopeFieldRules(scope),
    defaultPageSize: exposed.defaultPageSize,
    maxPageSize: exposed.maxPageSize,
  };
}

/** The grants of one key or client, from its scopes. */
export function scopedGrants(scopes: readonly ScopeRow[], models: ReadonlyMap<number, ExposedModelRow>, log: Logger): Map<string, ModelGrant> {
  const grants = new Map<string, ModelGrant>();
  for (const scope of scopes) {
    const exposed = models.get(scope.exposedModelId);
    if (!exposed) continue; // model not exposed (or inactive): nothing granted
    if (!grantable(exposed, log)) continue;
    const modelDomain = parseDomain(exposed.domainJson, log, `rest.gateway.model ${exposed.id}`);
    const scopeDomain = parseDomain(scope.domainJson, log, `rest.gateway.key.scope ${scope.id}`);
    if (modelDomain === null || scopeDomain === null) continue;
    grants.set(exposed.model, modelGrant(exposed, andToggles(exposed.toggles, scope.toggles), [modelDomain, scopeDomain], scope));
  }
  return grants;
}

/** Sessions and Basic with a password: the user's full rights within the exposed models' configuration. */
export function fullUserGrants(models: Iterable<ExposedModelRow>, log: Logger): Map<string, ModelGrant> {
  const grants = new Map<string, ModelGrant>();
  for (const exposed of models) {
    if (!grantable(exposed, log)) continue;
    const domain = parseDomain(exposed.domainJson, log, `rest.gateway.model ${exposed.id}`);
    if (domain === null) continue;
    grants.set(exposed.model, modelGrant(exposed, exposed.toggles, [domain]));
  }
  return grants;
}
