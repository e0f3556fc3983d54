import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { andDomains, parseFilter } from '../../../src/query/domain.js';
import { countryFields, grant, partnerContext, resolverOf } from '../fixtures.js';

const partner = partnerContext();
const country = { grant: grant('res.country', { domains: [[['code', '!=', 'XX']]] }), fields: countryFields };
const resolve = resolverOf({ 'res.partner': partner, 'res.country': country });

async function rejects(filter: string, status: number, code: string): Promise<void> {
  await assert.rejects(parseFilter(filter, partner, resolve), (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, status, error.detail);
    assert.equal(error.code, code);
    return true;
  });
}

describe('parseFilter', () => {
  it('accepts a plain domain and maps null to False', async () => {
    assert.deepEqual(await parseFilter('[["name","ilike","acme"],["email","=",null]]', partner, resolve), [
      ['name', 'ilike', 'acme'],
      ['email', '=', false],
    ]);
  });

  it('treats an absent or blank filter as the empty domain', async () => {
    assert.deepEqual(await parseFilter(undefined, partner, resolve), []);
    assert.deepEqual(await parseFilter('  ', partner, resolve), []);
  });

  it('accepts prefix operators with their operands', async () => {
    const domain = await parseFilter('["|",["name","=","a"],"!",["email","=","b"]]', partner, resolve);
    assert.equal(domain.length, 4);
  });

  it('checks dotted paths segment by segment, nesting them into any terms with each crossed scope', async () => {
    assert.deepEqual(await parseFilter('[["country_id.code","=","BE"]]', partner, resolve), [['country_id', 'any', [['code', '!=', 'XX'], ['code', '=', 'BE']]]]);
    assert.deepEqual(await parseFilter('[["child_ids.country_id.code","!=","BE"]]', partner, resolve), [
      ['child_ids', 'any', [['country_id', 'any', [['code', '!=', 'XX'], ['code', '!=', 'BE']]]]],
    ]);
    await rejects('[["country_id.nope","=","BE"]]', 400, 'unknown_field');
    await rejects('[["name.code","=","BE"]]', 400, 'invalid_filter');
  });

  it('refuses paths through models the caller may not read', async () => {
    await rejects('[["category_id.name","=","x"]]', 403, 'field_not_allowed');
  });

  it('ANDs the related grant domain into any sub-domains', async () => {
    const domain = await parseFilter('[["country_id","any",[["code","=","BE"]]]]', partner, resolve);
    assert.deepEqual(domain, [['country_id', 'any', [['code', '!=', 'XX'], ['code', '=', 'BE']]]]);
  });

  it('turns a relation compared with text into a scoped name search on the related model', async () => {
    const open = { ...country, nameSearch: { fields: ['name', 'code'], extended: false } };
    const openResolve = resolverOf({ 'res.partner': partner, 'res.country': open });
    assert.deepEqual(await parseFilter('[["country_id","ilike","bel"]]', partner, openResolve), [
      ['country_id', 'any', [['code', '!=', 'XX'], ['display_name', 'ilike', 'bel']]],
    ]);
    assert.deepEqual(await parseFilter('[["country_id","not in",["Belgium","France"]]]', partner, openResolve), [
      ['country_id', 'not any', [['code', '!=', 'XX'], ['display_name', 'in', ['Belgium', 'France']]]],
    ]);
    assert.deepEqual(await parseFilter('[["country_id","in",[1,2]]]', partner, openResolve), [['country_id', 'in', [1, 2]]]);
    await assert.rejects(parseFilter('[["country_id","in",[1,"Belgium"]]]', partner, openResolve), /ids or with names/);
    await assert.rejects(parseFilter('[["country_id",">","B"]]', partner, openResolve), /not text/);
  });

  it('refuses a name search that compares with fields the caller may not read', async () => {
    const narrowed = { grant: grant('res.country', { fields: { allowed: null, blocked: new Set(['code']) } }), fields: countryFields, nameSearch: { fields: ['name', 'code'], extended: false } };
    const narrowedResolve = resolverOf({ 'res.partner': partner, 'res.country': narrowed });
    await assert.rejects(parseFilter('[["country_id","=","BE"]]', partner, narrowedResolve), (e: unknown) => e instanceof ApiError && e.status === 403 && /code/.test(e.detail));
    // the partner grant blocks secret_note: its own display_name search needs to know what it compares with
    await rejects('[["display_name","ilike","x"]]', 403, 'field_not_allowed');
    const known = { ...partner, nameSearch: { fields: ['name'], extended: false } };
    assert.deepEqual(await parseFilter('[["display_name","ilike","x"]]', known, resolve), [['display_name', 'ilike', 'x']]);
    const extended = { ...partner, nameSearch: { fields: ['name'], extended: true } };
    await assert.rejects(parseFilter('[["display_name","ilike","x"]]', extended, resolve), (e: unknown) => e instanceof ApiError && e.status === 403);
  });

  it('checks dates and datetimes compared with text, making ISO datetimes UTC', async () => {
    assert.deepEqual(await parseFilter('[["date",">=","2024-02-29"],["create_date","<","2024-05-01 09:30:00"],["create_date",">","2024-05-01"]]', partner, resolve), [
      ['date', '>=', '2024-02-29'],
      ['create_date', '<', '2024-05-01 09:30:00'],
      ['create_date', '>', '2024-05-01'],
    ]);
    assert.deepEqual(await parseFilter('[["create_date",">","2024-05-01T09:30:00+02:00"]]', partner, resolve), [['create_date', '>', '2024-05-01 07:30:00']]);
    for (const bad of ['99999-01-01', '2023-02-29', 'yesterday', '2024-05-01T09:30:00']) {
      await rejects(JSON.stringify([['create_date', '>', bad]]), 400, 'invalid_filter');
    }
    await rejects('[["date","=","2024-13-01"]]', 400, 'invalid_filter');
    assert.deepEqual(await parseFilter('[["date","=",null]]', partner, resolve), [['date', '=', false]]);
  });

  it('takes only record ids in child_of and parent_of', async () => {
    assert.deepEqual(await parseFilter('[["child_ids","child_of",[3,4]]]', partner, resolve), [['child_ids', 'child_of', [3, 4]]]);
    await rejects('[["child_ids","child_of","Acme"]]', 400, 'invalid_filter');
    await rejects('[["child_ids","parent_of",["Acme"]]]', 400, 'invalid_filter');
  });

  it('refuses blocked and unknown fields', async () => {
    await rejects('[["secret_note","=","x"]]', 403, 'field_not_allowed');
    await rejects('[["nope","=","x"]]', 400, 'unknown_field');
    await rejects('[["computed_unsearchable","=","x"]]', 400, 'invalid_filter');
  });

  it('refuses malformed and hostile input with invalid_filter', async () => {
    for (const bad of [
      '[["name","=",',
      '{"name":"x"}',
      '"name"',
      '[["name","="]]',
      '[["name","DROP TABLE","x"]]',
      '[["name","any!",[]]]',
      '[["name","=",{"$gt":1}]]',
      '[["name","in","notalist"]]',
      '[["name","=",[1,2]]]',
      '["&",["name","=","a"]]',
      '["!"]',
      '[[1,"=",1]]',
      '[["name; DROP TABLE res_partner","=","x"]]',
      '[["name","=",1e999]]',
      '[["id","=","1"]]',
      '[["active","=","yes"]]',
    ]) {
      await rejects(bad, 400, 'invalid_filter');
    }
  });

  it('caps the number of terms and the nesting depth', async () => {
    const many = JSON.stringify(Array.from({ length: 201 }, () => ['name', '=', 'x']));
    await rejects(many, 400, 'invalid_filter');
    let nested: unknown = [['name', '=', 'x']];
    for (let i = 0; i < 6; i += 1) nested = [['child_ids', 'any', nested]];
    const self = resolverOf({ 'res.partner': partner });
    await assert.rejects(parseFilter(JSON.stringify(nested), partner, self), /nest at most/);
  });
});

describe('andDomains', () => {
  it('concatenates complete domains (implicit AND)', () => {
    assert.deepEqual(andDomains([['a', '=', 1]], ['|', ['b', '=', 1], ['c', '=', 1]]), [['a', '=', 1], '|', ['b', '=', 1], ['c', '=', 1]]);
  });
});
