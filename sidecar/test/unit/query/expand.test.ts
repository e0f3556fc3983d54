import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { buildReadSpec, parseExpand } from '../../../src/query/expand.js';
import { countryFields, field, grant, partnerContext, resolverOf } from '../fixtures.js';

const partner = partnerContext();
const country = { grant: grant('res.country', { domains: [[['code', '!=', 'XX']]], maxPageSize: 50 }), fields: countryFields };
const resolve = resolverOf({ 'res.partner': partner, 'res.country': country });

async function failure(query: Record<string, string>): Promise<[number, string]> {
  try {
    await parseExpand(query, partner, resolve);
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return [error.status, error.code];
  }
  assert.fail('expected an error');
}

describe('parseExpand', () => {
  it('builds a tree with options, the related domains and default fields', async () => {
    const tree = await parseExpand(
      { expand: 'country_id,child_ids.country_id', 'expand[child_ids][fields]': 'name', 'expand[child_ids][limit]': '3', 'expand[child_ids][sort]': '-name', 'expand[child_ids.country_id][filter]': '[["code","=","BE"]]' },
      partner,
      resolve,
    );
    const spec = buildReadSpec(['name', 'country_id'], tree);
    assert.deepEqual(spec.fields, ['name']);
    assert.deepEqual(spec.expand?.country_id?.domain, [['code', '!=', 'XX']]);
    assert.deepEqual(spec.expand?.country_id?.fields, ['id', 'name', 'code', 'phone_code']);
    assert.deepEqual(spec.expand?.child_ids?.fields, ['name']);
    assert.equal(spec.expand?.child_ids?.limit, 3);
    assert.equal(spec.expand?.child_ids?.order, 'name desc');
    assert.deepEqual(spec.expand?.child_ids?.expand?.country_id?.domain, [['code', '!=', 'XX'], ['code', '=', 'BE']]);
  });
  it('gives every expanded x2many a limit: the related model\'s default page size, at most its maximum', async () => {
    const tree = await parseExpand({ expand: 'child_ids,country_id' }, partner, resolve);
    const spec = buildReadSpec(['name'], tree);
    assert.equal(spec.expand?.child_ids?.limit, partner.grant.defaultPageSize, 'a default, not every child');
    assert.equal(spec.expand?.country_id?.limit, null, 'a many2one has none');
    const max = await parseExpand({ expand: 'child_ids', 'expand[child_ids][limit]': String(partner.grant.maxPageSize) }, partner, resolve);
    assert.equal(buildReadSpec(['name'], max).expand?.child_ids?.limit, partner.grant.maxPageSize);
    try {
      await parseExpand({ expand: 'child_ids', 'expand[child_ids][limit]': String(partner.grant.maxPageSize + 1) }, partner, resolve);
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'page_size_exceeded');
      assert.match(error.detail, /child_ids/);
      assert.equal(error.errors[0]?.field, 'expand[child_ids][limit]');
    }
  });
  it('refuses depth above four, unknown and forbidden relations, bad options', async () => {
    assert.deepEqual(await failure({ expand: 'child_ids.child_ids.child_ids.child_ids.child_ids' }), [400, 'expand_too_deep']);
    assert.deepEqual(await failure({ expand: 'nope' }), [400, 'unknown_field']);
    assert.deepEqual(await failure({ expand: 'name' }), [400, 'invalid_parameter']);
    assert.deepEqual(await failure({ expand: 'category_id' }), [403, 'field_not_allowed']);
    assert.deepEqual(await failure({ expand: 'country_id', 'expand[country_id][limit]': '2' }), [400, 'invalid_parameter']);
    assert.deepEqual(await failure({ expand: 'child_ids', 'expand[child_ids][limit]': '0' }), [400, 'invalid_parameter']);
    assert.deepEqual(await failure({ expand: 'country_id', 'expand[child_ids][fields]': 'name' }), [400, 'invalid_parameter']);
    assert.deepEqual(await failure({ expand: 'country_id', 'expand[country_id][bogus]': 'x' }), [400, 'invalid_parameter']);
    assert.deepEqual(await failure({ expand: 'country_id', 'expand[country_id][fields]': 'secret' }), [400, 'unknown_field']);
    assert.deepEqual(await failure({ expand: 'country_id;drop' }), [400, 'invalid_parameter']);
    void field;
  });
});
