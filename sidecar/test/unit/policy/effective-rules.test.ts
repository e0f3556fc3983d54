import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { effectiveGrant } from '../../../src/policy/effective-rules.js';
import { isFieldAllowed } from '../../../src/policy/authorize.js';
import { field, grant } from '../fixtures.js';

const fields = new Map(
  [
    field('id', 'integer'),
    field('name', 'char'),
    field('email', 'char'),
    field('email_normalized', 'char', { depends: ['email'] }),
    field('email_formatted', 'char', { depends: ['email', 'name'] }),
    field('email_domain', 'char', { depends: ['email_normalized'] }),
    field('parent_id', 'many2one', { relation: 'res.partner' }),
    field('parent_email', 'char', { depends: ['parent_id.email'] }),
    field('user_id', 'many2one', { relation: 'res.users' }),
    field('user_login', 'char', { depends: ['user_id.login'] }),
  ].map((f) => [f.name, f]),
);

describe('effectiveGrant', () => {
  it('blocks every field computed or related from a blocked field, transitively', () => {
    const blocked = grant('res.partner', { fields: { allowed: null, blocked: new Set(['email']) } });
    const effective = effectiveGrant(blocked, fields, new Map());
    for (const name of ['email', 'email_normalized', 'email_formatted', 'email_domain', 'parent_email']) assert.ok(!isFieldAllowed(effective.fields, name), name);
    for (const name of ['id', 'name', 'parent_id', 'user_login']) assert.ok(isFieldAllowed(effective.fields, name), name);
  });

  it('follows a related path into another model whose grant blocks the field', () => {
    const users = grant('res.users', { fields: { allowed: null, blocked: new Set(['login']) } });
    const effective = effectiveGrant(grant('res.partner'), fields, new Map([['res.users', users]]));
    assert.ok(!isFieldAllowed(effective.fields, 'user_login'));
    assert.ok(isFieldAllowed(effective.fields, 'email'));
  });

  it('answers the same grant when nothing is added, and remembers its answer', () => {
    const plain = grant('res.partner');
    assert.equal(effectiveGrant(plain, fields, new Map()), plain);
    const blocked = grant('res.partner', { fields: { allowed: null, blocked: new Set(['email']) } });
    assert.equal(effectiveGrant(blocked, fields, new Map()), effectiveGrant(blocked, fields, new Map()));
  });
});
