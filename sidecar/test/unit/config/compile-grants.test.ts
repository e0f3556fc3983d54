import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fullUserGrants, scopeFieldRules, scopedGrants } from '../../../src/config/compile-grants.js';
import type { ExposedModelRow, ScopeRow } from '../../../src/db/gateway-config.js';
import type { Logger } from '../../../src/observability/logger.js';
import { isFieldAllowed } from '../../../src/policy/authorize.js';

const ALL = { read: true, create: true, update: true, delete: true, archive: true, restore: true };

function recordingLog(): Logger & { errors: string[] } {
  const errors: string[] = [];
  const ignore = (): void => undefined;
  return { errors, debug: ignore, info: ignore, warn: ignore, error: (message: string) => void errors.push(message) } as unknown as Logger & { errors: string[] };
}

function exposed(id: number, model: string): ExposedModelRow {
  return { id, model, name: model, toggles: ALL, domainJson: '[]', defaultPageSize: 20, maxPageSize: 200 };
}

function scope(exposedModelId: number, extra: Partial<ScopeRow> = {}): ScopeRow {
  return { id: exposedModelId * 10, keyId: 1, clientId: null, exposedModelId, toggles: ALL, domainJson: '[]', restrictFields: false, allowedFields: [], blockedFields: [], ...extra };
}

describe('scope field rules', () => {
  it('a scope never given an allowlist allows every field', () => {
    const rules = scopeFieldRules(scope(1));
    assert.equal(rules.allowed, null);
    assert.ok(isFieldAllowed(rules, 'email'));
  });

  it('an allowlist allows its fields only', () => {
    const rules = scopeFieldRules(scope(1, { restrictFields: true, allowedFields: ['name'] }));
    assert.deepEqual([...(rules.allowed ?? [])], ['name']);
    assert.ok(isFieldAllowed(rules, 'name'));
    assert.ok(!isFieldAllowed(rules, 'email'));
  });

  it('fails closed when the fields of an allowlist are gone: only id', () => {
    const rules = scopeFieldRules(scope(1, { restrictFields: true, allowedFields: [] }));
    assert.notEqual(rules.allowed, null);
    assert.equal(rules.allowed?.size, 0);
    assert.ok(isFieldAllowed(rules, 'id'));
    for (const name of ['name', 'email', 'anything']) assert.ok(!isFieldAllowed(rules, name), name);
  });

  it('listed fields restrict even when the flag was not written (rows from before it existed)', () => {
    assert.deepEqual([...(scopeFieldRules(scope(1, { allowedFields: ['name'] })).allowed ?? [])], ['name']);
  });
});

describe('grants of credential models', () => {
  const models = new Map([
    [1, exposed(1, 'res.partner')],
    [2, exposed(2, 'rest.gateway.key')],
    [3, exposed(3, 'res.users.apikeys')],
    [4, exposed(4, 'ir.config_parameter')],
  ]);

  it('are never compiled, for a key or for a user, and the configuration error is logged', () => {
    const log = recordingLog();
    const keyGrants = scopedGrants([scope(1), scope(2), scope(3), scope(4)], models, log);
    assert.deepEqual([...keyGrants.keys()], ['res.partner']);
    const userGrants = fullUserGrants(models.values(), log);
    assert.deepEqual([...userGrants.keys()], ['res.partner']);
    assert.equal(log.errors.length, 6);
  });

  it('carry the allowlist rules into the grant', () => {
    const grants = scopedGrants([scope(1, { restrictFields: true })], models, recordingLog());
    assert.equal(grants.get('res.partner')?.fields.allowed?.size, 0);
  });
});
