/**
 * Writes end to end: create, update (PATCH/PUT), archive, restore, delete,
 * copy and bulk reads, as the admin key and as a non-admin user's key,
 * with field rules, toggles and scope domains; Odoo's XML-RPC is the
 * oracle of what was really written.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, createKey, createUser, exposedModelId, unique } from './support/fixtures.js';
import { admin, api, OdooRpc, stack, type ApiResponse } from './support/stack.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };

const send = (method: string, path: string, body?: unknown, key?: string): Promise<ApiResponse> => api(path, { method, body, key });

function expectProblem(r: ApiResponse, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
  assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
}

/** A two-character country code no country has yet (codes are unique; the stack may be reused). */
async function freeCountryCode(): Promise<string> {
  for (;;) {
    const code = `${'QXZ'[Math.floor(Math.random() * 3)]}${Math.floor(Math.random() * 10)}`;
    if (!(await (await admin()).execute<number>('res.country', 'search_count', [[['code', '=', code]]]))) return code;
  }
}

async function read(model: string, id: number, fields: string[]): Promise<Record<string, any>> {
  const [row] = await (await admin()).execute<Array<Record<string, any>>>(model, 'read', [[id], fields], { context: { active_test: false } });
  return row as Record<string, any>;
}

describe('writes as the admin key', () => {
  let tag: string;
  let categories: number[];
  before(async () => {
    tag = unique('w');
    categories = await (await admin()).execute<number[]>('res.partner.category', 'create', [[1, 2, 3].map((n) => ({ name: `${tag} cat ${n}` }))]);
  });

  it('creates: 201, Location, the record as read, and what Odoo stored', async () => {
    const [be] = await (await admin()).execute<number[]>('res.country', 'search', [[['code', '=', 'BE']]]);
    const r = await send('POST', '/res.partner?fields=name,email,is_company,country_id,category_id,type,partner_latitude,comment', {
      name: `${tag} Acme`, email: 'acme@example.com', is_company: true, country_id: be, category_id: [categories[0]],
      type: 'invoice', partner_latitude: 50.85, comment: '<p>Hi</p>',
    });
    assert.equal(r.status, 201, r.text);
    const id = r.body.data.id as number;
    assert.equal(r.headers.get('location'), `/api/v1/res.partner/${id}`);
    assert.deepEqual(r.body.data, {
      id, name: `${tag} Acme`, email: 'acme@example.com', is_company: true, country_id: { id: be, display_name: 'Belgium' },
      category_id: [categories[0]], type: 'invoice', partner_latitude: 50.85, comment: '<p>Hi</p>',
    });
    const stored = await read('res.partner', id, ['name', 'email', 'is_company', 'country_id', 'category_id', 'type']);
    assert.deepEqual([stored.name, stored.email, stored.is_company, stored.country_id[0], stored.category_id, stored.type], [`${tag} Acme`, 'acme@example.com', true, be, [categories[0]], 'invoice']);
    const location = await api(new URL(r.headers.get('location') as string, stack.api_url).href);
    assert.equal(location.body.data.id, id);
  });

  it('maps x2many values to Odoo commands: list, set, add, remove, create, update', async () => {
    const [a, b, c] = categories as [number, number, number];
    const created = await send('POST', '/res.partner?fields=category_id', { name: `${tag} tags`, category_id: { set: [a, b], create: [{ name: `${tag} new` }] } });
    assert.equal(created.status, 201, created.text);
    const id = created.body.data.id as number;
    const made = (created.body.data.category_id as number[]).find((x) => ![a, b].includes(x)) as number;
    assert.equal((await read('res.partner.category', made, ['name'])).name, `${tag} new`);
    const patched = await send('PATCH', `/res.partner/${id}?fields=category_id`, { category_id: { add: [c], remove: [a], update: [{ id: made, name: `${tag} renamed` }] } });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual([...patched.body.data.category_id].sort(), [b, c, made].sort());
    assert.equal((await read('res.partner.category', made, ['name'])).name, `${tag} renamed`);
    const replaced = await send('PATCH', `/res.partner/${id}?fields=category_id`, { category_id: [c] });
    assert.deepEqual(replaced.body.data.category_id, [c]);
    assert.deepEqual((await read('res.partner', id, ['category_id'])).category_id, [c]);
  });

  it('writes binaries as base64 or a data URL, and answers them as asked', async () => {
    const r = await send('POST', '/res.partner?fields=image_1920', { name: `${tag} img`, image_1920: PNG });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.image_1920, PNG);
    const id = r.body.data.id as number;
    const cleared = await send('PATCH', `/res.partner/${id}?fields=image_1920`, { image_1920: null });
    assert.equal(cleared.body.data.image_1920, null);
    const url = await send('PATCH', `/res.partner/${id}?fields=image_1920&binary=data_url`, { image_1920: `data:image/png;base64,${PNG}` });
    assert.equal(url.body.data.image_1920, `data:image/png;base64,${PNG}`);
    assert.equal((await read('res.partner', id, ['image_1920'])).image_1920, PNG);
  });

  it('writes dates and datetimes, converted to UTC', async () => {
    const rateModel = await exposedModelId('res.currency.rate', ALL);
    assert.ok(rateModel);
    const { key } = await createKey({ userId: 2, scopes: [{ model: 'res.currency.rate' }, { model: 'res.users' }] });
    const [usd] = await (await admin()).execute<number[]>('res.currency', 'search', [[['name', '=', 'USD']]], { context: { active_test: false } });
    // a leap day of a random year: rates are unique per day and currency, and the stack may be reused
    const day = `${1904 + 4 * Math.floor(Math.random() * 24)}-02-29`;
    // (currency_id is read-only on rates: Odoo's views set it from the currency)
    const rateId = await (await admin()).execute<number>('res.currency.rate', 'create', [{ name: day.replace('02-29', '03-01'), rate: 1, currency_id: usd }]);
    const rate = await send('PATCH', `/res.currency.rate/${rateId}?fields=name,rate`, { name: day, rate: 1.25 }, key);
    assert.equal(rate.status, 200, rate.text);
    assert.deepEqual(rate.body.data, { id: rateId, name: day, rate: 1.25 });
    assert.equal((await read('res.currency.rate', rateId, ['name'])).name, day);
    expectProblem(await send('PATCH', `/res.currency.rate/${rateId}`, { name: '2023-02-29' }, key), 400, 'invalid_value');
    expectProblem(await send('POST', '/res.currency.rate', { name: day, currency_id: usd }, key), 400, 'field_readonly');
    await (await admin()).execute('res.currency.rate', 'unlink', [[rateId]]);
    const user = await createUser({ login: `${tag}-ooo`, companyIds: [1] });
    const r = await send('PATCH', `/res.users/${user.id}?fields=out_of_office_from,out_of_office_to`, { out_of_office_from: '2024-05-01T09:30:00+02:00', out_of_office_to: '2024-05-02T18:00:00Z' }, key);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data, { id: user.id, out_of_office_from: '2024-05-01T07:30:00Z', out_of_office_to: '2024-05-02T18:00:00Z' });
    assert.equal((await read('res.users', user.id, ['out_of_office_from'])).out_of_office_from, '2024-05-01 07:30:00');
  });

  it('PATCH changes the fields given; PUT needs the required ones and keeps the others', async () => {
    const [first, second] = [await freeCountryCode(), await freeCountryCode()];
    const country = await send('POST', '/res.country?fields=name,code,phone_code', { name: `${tag} Land`, code: first, phone_code: 999 });
    assert.equal(country.status, 201, country.text);
    const id = country.body.data.id as number;
    const patched = await send('PATCH', `/res.country/${id}?fields=name,code,phone_code`, { phone_code: 998 });
    assert.deepEqual(patched.body.data, { id, name: `${tag} Land`, code: first, phone_code: 998 });
    expectProblem(await send('PUT', `/res.country/${id}`, { name: `${tag} Land 2` }), 400, 'field_required');
    const put = await send('PUT', `/res.country/${id}?fields=name,code,phone_code`, { name: `${tag} Land 2`, code: second });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.body.data, { id, name: `${tag} Land 2`, code: second, phone_code: 998 });
    assert.deepEqual(await read('res.country', id, ['code', 'phone_code']), { id, code: second, phone_code: 998 });
    await send('DELETE', `/res.country/${id}`);
    expectProblem(await send('PUT', '/res.partner/3', { category_id: { add: [1] } }), 400, 'invalid_value');
  });

  it('archives, restores, deletes and force-deletes', async () => {
    const id = await (await admin()).execute<number>('res.partner', 'create', [{ name: `${tag} lifecycle` }]);
    const archived = await send('DELETE', `/res.partner/${id}?fields=name,active`);
    assert.deepEqual([archived.status, archived.body.data], [200, { id, name: `${tag} lifecycle`, active: false }]);
    assert.equal((await read('res.partner', id, ['active'])).active, false);
    assert.equal((await api(`/res.partner/${id}`)).status, 404); // archived records are not listed nor read
    const restored = await send('POST', `/res.partner/${id}/restore?fields=active`);
    assert.deepEqual(restored.body.data, { id, active: true });
    const again = await send('POST', `/res.partner/${id}/archive?fields=active`);
    assert.deepEqual(again.body.data, { id, active: false });
    const forced = await send('DELETE', `/res.partner/${id}?force=true`);
    assert.equal(forced.status, 204);
    assert.equal(forced.text, '');
    assert.deepEqual(await (await admin()).execute('res.partner', 'search', [[['id', '=', id]]], { context: { active_test: false } }), []);
    expectProblem(await send('DELETE', `/res.partner/${id}?force=true`), 404, 'record_not_found');
    // no active field: DELETE deletes, archive is refused
    const country = await send('POST', '/res.country', { name: `${tag} Gone`, code: await freeCountryCode() });
    expectProblem(await send('POST', `/res.country/${country.body.data.id}/archive`), 400, 'no_active_field');
    assert.equal((await send('DELETE', `/res.country/${country.body.data.id}`)).status, 204);
    assert.deepEqual(await (await admin()).execute('res.country', 'search', [[['id', '=', country.body.data.id]]]), []);
  });

  it('copies with overrides: 201 and Location of the copy', async () => {
    const id = await (await admin()).execute<number>('res.partner', 'create', [{ name: `${tag} original`, email: 'o@example.com', category_id: [[6, 0, [categories[1]]]] }]);
    const r = await send('POST', `/res.partner/${id}/copy?fields=name,email,category_id`, { name: `${tag} copy`, category_id: { add: [categories[2]] } });
    assert.equal(r.status, 201, r.text);
    const copy = r.body.data.id as number;
    assert.notEqual(copy, id);
    assert.equal(r.headers.get('location'), `/api/v1/res.partner/${copy}`);
    // Odoo does not copy tags (category_id is copy=False); the override adds one
    assert.deepEqual(r.body.data, { id: copy, name: `${tag} copy`, email: 'o@example.com', category_id: [categories[2]] });
    assert.deepEqual(await read('res.partner', copy, ['name', 'category_id']), { id: copy, name: `${tag} copy`, category_id: [categories[2]] });
    const plain = await send('POST', `/res.partner/${id}/copy?fields=name`);
    assert.deepEqual([plain.status, plain.body.data.name], [201, `${tag} original (copy)`]);
  });

  it('reads in bulk, in the order asked, with missing ids answered per position', async () => {
    const [a, b, c] = categories as [number, number, number];
    const get = await api(`/res.partner.category/bulk?ids=${c},2147483000,${a},${b},${a}&fields=name`);
    assert.equal(get.status, 200, get.text);
    assert.deepEqual(get.body.data.map((x: { id: number } | null) => x?.id ?? null), [c, null, a, b, a]);
    assert.deepEqual(get.body.meta, { missing: [2147483000] });
    assert.deepEqual(get.body.data[0], { id: c, name: `${tag} cat 3` });
    const post = await send('POST', '/res.partner.category/bulk?fields=name', { ids: [b, a] });
    assert.deepEqual(post.body.data.map((x: { id: number }) => x.id), [b, a]);
    const bare = await send('POST', '/res.partner.category/bulk?fields=name', [a]);
    assert.deepEqual(bare.body, { data: [{ id: a, name: `${tag} cat 1` }], meta: { missing: [] } });
    const ids = Array.from({ length: 201 }, (_, i) => i + 1).join(',');
    expectProblem(await api(`/res.partner.category/bulk?ids=${ids}`), 400, 'too_many_ids');
  });

  it('answers Odoo refusals: 409 on a unique violation, 422 on a validation error', async () => {
    expectProblem(await send('POST', '/res.country', { name: `${tag} Dup`, code: 'BE' }), 409, 'conflict');
    const user = await createUser({ login: `${tag}-dup`, companyIds: [1] });
    const other = await createUser({ login: `${tag}-dup2`, companyIds: [1] });
    expectProblem(await send('PATCH', `/res.users/${other.id}`, { login: user.login }), 409, 'conflict');
    const id = await (await admin()).execute<number>('res.partner', 'create', [{ name: `${tag} loop` }]);
    const loop = await send('PATCH', `/res.partner/${id}`, { parent_id: id });
    expectProblem(loop, 422, 'validation_error');
    assert.match(loop.body.detail, /recursive/i);
    expectProblem(await send('POST', '/res.partner', { email: 'nameless@example.com' }), 422, 'validation_error');
    assert.equal((await read('res.partner', id, ['parent_id'])).parent_id, false);
  });
});

describe('writes as a non-admin user key', () => {
  let tag: string;
  let user: { id: number; login: string; password: string };
  let rpc: OdooRpc;
  let key: string;
  let company: number;
  let person: number;
  let otherCompany: number;
  let scopedCategory: number;
  let outsideCategory: number;

  before(async () => {
    const root = await admin();
    tag = unique('nw');
    user = await createUser({ login: `${tag}-user`, companyIds: [1], groups: ['base.group_user', 'base.group_partner_manager'] });
    rpc = await OdooRpc.login(user.login, user.password);
    company = await root.execute<number>('res.partner', 'create', [{ name: `${tag} Co`, is_company: true }]);
    person = await root.execute<number>('res.partner', 'create', [{ name: `${tag} Person`, is_company: false }]);
    const companyB = await createCompany(`${tag} B`);
    otherCompany = await root.execute<number>('res.partner', 'create', [{ name: `${tag} Co in B`, is_company: true, company_id: companyB }]);
    scopedCategory = await root.execute<number>('res.partner.category', 'create', [{ name: `${tag} scoped`, color: 7 }]);
    outsideCategory = await root.execute<number>('res.partner.category', 'create', [{ name: `${tag} outside`, color: 3 }]);
    key = (await createKey({
      userId: user.id,
      scopes: [
        { model: 'res.partner', domain: "[('is_company', '=', True)]", blocked: ['comment'] },
        { model: 'res.partner.category', domain: "[('color', '=', 7)]", toggles: { delete: false } },
      ],
    })).key;
  });

  it('creates and updates inside the scope, as that user', async () => {
    const r = await send('POST', '/res.partner?fields=name,is_company,create_uid', { name: `${tag} New Co`, is_company: true, category_id: { add: [scopedCategory] } }, key);
    assert.equal(r.status, 201, r.text);
    assert.equal(r.body.data.create_uid.id, user.id);
    const [seen] = await rpc.execute<Array<Record<string, any>>>('res.partner', 'read', [[r.body.data.id], ['name', 'category_id']]);
    assert.deepEqual([seen?.name, seen?.category_id], [`${tag} New Co`, [scopedCategory]]);
    const patched = await send('PATCH', `/res.partner/${company}?fields=name`, { name: `${tag} Co renamed` }, key);
    assert.deepEqual([patched.status, patched.body.data], [200, { id: company, name: `${tag} Co renamed` }]);
  });

  it('answers 404 for records outside the scope domain or the record rules, and changes nothing', async () => {
    for (const id of [person, otherCompany]) {
      expectProblem(await send('PATCH', `/res.partner/${id}`, { name: 'hijacked' }, key), 404, 'record_not_found');
      expectProblem(await send('DELETE', `/res.partner/${id}?force=true`, undefined, key), 404, 'record_not_found');
      expectProblem(await send('POST', `/res.partner/${id}/archive`, undefined, key), 404, 'record_not_found');
      expectProblem(await send('POST', `/res.partner/${id}/copy`, undefined, key), 404, 'record_not_found');
    }
    assert.equal((await read('res.partner', person, ['name'])).name, `${tag} Person`);
    assert.equal((await read('res.partner', otherCompany, ['active'])).active, true);
  });

  it('answers 403 for a create or update that would leave the scope, and rolls it back', async () => {
    const root = await admin();
    const before = await root.execute<number>('res.partner', 'search_count', [[['name', '=like', `${tag}%`]]], { context: { active_test: false } });
    const created = await send('POST', '/res.partner', { name: `${tag} Person 2`, is_company: false }, key);
    expectProblem(created, 403, 'forbidden');
    assert.match(created.body.detail, /outside the credential's scope/);
    expectProblem(await send('PATCH', `/res.partner/${company}`, { is_company: false, name: `${tag} moved` }, key), 403, 'forbidden');
    expectProblem(await send('POST', `/res.partner/${company}/copy`, { is_company: false }, key), 403, 'forbidden');
    assert.equal(await root.execute<number>('res.partner', 'search_count', [[['name', '=like', `${tag}%`]]], { context: { active_test: false } }), before);
    assert.equal((await read('res.partner', company, ['is_company'])).is_company, true);
  });

  it('keeps related records of x2many commands inside their scope', async () => {
    const outside = await send('PATCH', `/res.partner/${company}`, { category_id: { add: [outsideCategory] } }, key);
    expectProblem(outside, 422, 'related_record_not_found');
    assert.equal(outside.body.errors[0].field, 'category_id.add');
    expectProblem(await send('PATCH', `/res.partner/${company}`, { category_id: { update: [{ id: scopedCategory, color: 3 }] } }, key), 403, 'forbidden');
    expectProblem(await send('PATCH', `/res.partner/${company}`, { category_id: { create: [{ name: 'x', color: 7 }] } }, key), 403, 'operation_not_allowed');
    expectProblem(await send('PATCH', `/res.partner/${company}`, { category_id: { delete: [scopedCategory] } }, key), 403, 'operation_not_allowed');
    assert.equal((await read('res.partner.category', scopedCategory, ['color'])).color, 7);
    assert.deepEqual((await read('res.partner', company, ['category_id'])).category_id, []);
  });

  it('applies the field rules to the body and to the answer', async () => {
    const blocked = await send('PATCH', `/res.partner/${company}`, { comment: 'secret', name: 5 }, key);
    expectProblem(blocked, 403, 'field_not_allowed');
    assert.deepEqual(blocked.body.errors.map((e: { field: string }) => e.field), ['comment', 'name']);
    const r = await send('PATCH', `/res.partner/${company}`, { name: `${tag} Co` }, key);
    assert.equal(r.status, 200, r.text);
    assert.ok(!('comment' in r.body.data));
    expectProblem(await send('PATCH', `/res.partner/${company}?fields=comment`, { name: `${tag} Co` }, key), 403, 'field_not_allowed');
  });

  it('answers 403 operation_not_allowed for each toggle that is off', async () => {
    const off = (toggle: string) => createKey({ userId: user.id, scopes: [{ model: 'res.partner', toggles: { [toggle]: false } }, { model: 'res.country' }] }).then((k) => k.key);
    const [noCreate, noUpdate, noDelete, noArchive, noRestore, noRead] = await Promise.all(['create', 'update', 'delete', 'archive', 'restore', 'read'].map(off));
    expectProblem(await send('POST', '/res.partner', { name: 'x', is_company: true }, noCreate), 403, 'operation_not_allowed');
    expectProblem(await send('POST', `/res.partner/${company}/copy`, undefined, noCreate), 403, 'operation_not_allowed');
    expectProblem(await send('PATCH', `/res.partner/${company}`, { name: 'x' }, noUpdate), 403, 'operation_not_allowed');
    expectProblem(await send('PUT', `/res.partner/${company}`, { name: 'x' }, noUpdate), 403, 'operation_not_allowed');
    expectProblem(await send('DELETE', `/res.partner/${company}?force=true`, undefined, noDelete), 403, 'operation_not_allowed');
    expectProblem(await send('DELETE', `/res.partner/${company}`, undefined, noArchive), 403, 'operation_not_allowed');
    expectProblem(await send('POST', `/res.partner/${company}/archive`, undefined, noArchive), 403, 'operation_not_allowed');
    expectProblem(await send('PATCH', `/res.partner/${company}`, { active: false }, noArchive), 403, 'operation_not_allowed');
    expectProblem(await send('POST', `/res.partner/${company}/restore`, undefined, noRestore), 403, 'operation_not_allowed');
    expectProblem(await send('GET', `/res.partner/bulk?ids=${company}`, undefined, noRead), 403, 'operation_not_allowed');
    // without read, a write answers only the id
    const blind = await send('PATCH', `/res.partner/${company}`, { name: `${tag} Co` }, noRead);
    assert.deepEqual([blind.status, blind.body], [200, { data: { id: company } }]);
    // Odoo's own access rights still apply: this user may not create countries
    expectProblem(await send('POST', '/res.country', { name: `${tag} Nope`, code: 'Q9' }, noRead), 403, 'forbidden');
    assert.equal((await read('res.partner', company, ['active'])).active, true);
  });
});
