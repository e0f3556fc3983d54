import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultScope, formatScope, narrowGrants, parseScope, unrequestable } from '../../../src/auth/oauth-scope.js';
import { grant } from '../fixtures.js';

const grants = new Map([
  ['res.partner', grant('res.partner', { operations: { read: true, create: true, update: false, delete: false, archive: false, restore: false } })],
  ['res.country', grant('res.country')],
]);

describe('OAuth scope (RFC 6749 §3.3)', () => {
  it('parses model and model:operation tokens, refuses anything else', () => {
    assert.deepEqual(parseScope('res.partner  res.country:read'), [
      { model: 'res.partner', operation: null },
      { model: 'res.country', operation: 'read' },
    ]);
    assert.deepEqual(parseScope(''), []);
    assert.equal(parseScope('res.partner:fly'), null);
    assert.equal(parseScope('Res.Partner'), null);
    assert.equal(parseScope('res.partner;drop'), null);
  });

  it('finds what a client may not ask for', () => {
    assert.deepEqual(unrequestable(grants, parseScope('res.partner:read res.partner:update res.users') ?? []), ['res.partner:update', 'res.users']);
    assert.deepEqual(unrequestable(grants, parseScope('res.partner res.country:delete') ?? []), []);
  });

  it('defaults to every granted model and round-trips', () => {
    assert.equal(formatScope(defaultScope(grants)), 'res.country res.partner');
  });

  it('narrows grants to the token scope, never widening them', () => {
    const narrowed = narrowGrants(grants, parseScope('res.partner:read res.partner:update res.users') ?? []);
    assert.deepEqual([...narrowed.keys()], ['res.partner']);
    const ops = narrowed.get('res.partner')?.operations;
    assert.equal(ops?.read, true);
    assert.equal(ops?.create, false);
    assert.equal(ops?.update, false);
    assert.equal(narrowGrants(grants, parseScope('res.country') ?? []).get('res.country')?.operations.delete, true);
  });
});
