import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BridgeClient } from '../../../src/odoo/bridge-client.js';
import { FieldMetadataCache } from '../../../src/odoo/field-metadata.js';

function countingBridge(answer: unknown): { bridge: BridgeClient; calls: () => number } {
  let calls = 0;
  const bridge = {
    run: async () => {
      calls += 1;
      await new Promise((r) => setTimeout(r, 10));
      return { results: [answer] };
    },
  } as unknown as BridgeClient;
  return { bridge, calls: () => calls };
}

const described = {
  result: {
    fields: { email: { type: 'char', string: 'Email', store: true }, email_normalized: { type: 'char', depends: ['email'] } },
    name_search_fields: ['complete_name', 'email'],
    name_search_extended: false,
  },
};

describe('FieldMetadataCache', () => {
  it('shares one bridge call between concurrent misses of a model, then serves from memory', async () => {
    const { bridge, calls } = countingBridge(described);
    const cache = new FieldMetadataCache(bridge);
    const answers = await Promise.all([cache.describe(2, 'res.partner'), cache.describe(2, 'res.partner'), cache.get(2, 'res.partner')]);
    assert.equal(calls(), 1);
    assert.deepEqual(answers[0]?.fields.get('email_normalized')?.depends, ['email']);
    assert.deepEqual(answers[0]?.nameSearch, { fields: ['complete_name', 'email'], extended: false });
    await cache.get(2, 'res.partner');
    assert.equal(calls(), 1);
    await cache.get(7, 'res.partner'); // per user: fields_get applies field groups
    assert.equal(calls(), 2);
  });

  it('remembers that a model does not exist, and forgets everything on clear', async () => {
    const { bridge, calls } = countingBridge({ error: { kind: 'missing' } });
    const cache = new FieldMetadataCache(bridge);
    assert.equal(await cache.get(2, 'no.model'), null);
    assert.equal(await cache.get(2, 'no.model'), null);
    assert.equal(calls(), 1);
    cache.clear();
    await cache.get(2, 'no.model');
    assert.equal(calls(), 2);
  });
});
