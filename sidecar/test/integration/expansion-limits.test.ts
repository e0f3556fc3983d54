/**
 * Expansion work is bounded: an expanded x2many lists at most the related
 * model's default page size unless the client asks (up to the maximum, else
 * 400 page_size_exceeded), filtered, ordered and limited in Odoo's query;
 * and a bridge answer above BRIDGE_RESPONSE_LIMIT is a 422 asking to narrow
 * the query, not a 500 (a spawned sidecar with a small limit).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exposedModelId, unique } from './support/fixtures.js';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { admin, api, eventually } from './support/stack.js';

const CHILDREN = 300;
const DEFAULT_PAGE = 20;
const MAX_PAGE = 200;

describe('bounded expansion', () => {
  let tag: string;
  let parentId: number;
  let otherId: number;
  let childNames: string[];

  before(async () => {
    tag = unique('expl');
    await exposedModelId('res.partner', { allow_read: true, default_page_size: DEFAULT_PAGE, max_page_size: MAX_PAGE });
    const rpc = await admin();
    childNames = Array.from({ length: CHILDREN }, (_, i) => `${tag} child ${String(i).padStart(3, '0')}`);
    parentId = await rpc.execute<number>('res.partner', 'create', [{ name: `${tag} parent`, is_company: true, child_ids: childNames.map((name) => [0, 0, { name, comment: `<p>${'x'.repeat(2_000)}</p>` }]) }]);
    otherId = await rpc.execute<number>('res.partner', 'create', [{ name: `${tag} other`, is_company: true, child_ids: childNames.slice(0, 30).map((name) => [0, 0, { name: `${name} b` }]) }]);
    // the configuration cache follows the page sizes set above
    await eventually(() => api(`/res.partner?limit=${MAX_PAGE}&fields=name`), (r) => r.status === 200, 5_000);
  });
  after(() => stopSidecars());

  it('lists the default page size of children when no limit is given', async () => {
    const r = await api(`/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.data.child_ids.length, DEFAULT_PAGE, `not all ${CHILDREN}`);
  });

  it('orders and limits in Odoo as Odoo\'s own search does', async () => {
    const r = await api(`/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name&expand[child_ids][sort]=-name&expand[child_ids][limit]=3`);
    assert.equal(r.status, 200, r.text);
    const oracle = await (await admin()).execute<Array<{ name: string }>>('res.partner', 'search_read', [[['parent_id', '=', parentId]]], { fields: ['name'], order: 'name desc', limit: 3 });
    assert.deepEqual(r.body.data.child_ids.map((c: { name: string }) => c.name), oracle.map((c) => c.name));
    const max = await api(`/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name&expand[child_ids][limit]=${MAX_PAGE}`);
    assert.equal(max.status, 200, max.text);
    assert.equal(max.body.data.child_ids.length, MAX_PAGE);
  });

  it('limits per parent record in a list', async () => {
    const filter = encodeURIComponent(JSON.stringify([['id', 'in', [parentId, otherId]]]));
    const r = await api(`/res.partner?filter=${filter}&sort=id&fields=name&expand=child_ids&expand[child_ids][fields]=name&expand[child_ids][sort]=name&expand[child_ids][limit]=5`);
    assert.equal(r.status, 200, r.text);
    const [parent, other] = r.body.data as Array<{ child_ids: Array<{ name: string }> }>;
    assert.deepEqual(parent?.child_ids.map((c) => c.name), childNames.slice(0, 5));
    assert.deepEqual(other?.child_ids.map((c) => c.name), childNames.slice(0, 5).map((name) => `${name} b`));
  });

  it('refuses a limit above the related model\'s maximum page size, naming the path', async () => {
    const r = await api(`/res.partner/${parentId}?expand=child_ids&expand[child_ids][limit]=${MAX_PAGE + 1}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.code, 'page_size_exceeded');
    assert.match(r.body.detail, /child_ids/);
    assert.equal(r.body.errors[0].field, 'expand[child_ids][limit]');
  });

  it('answers 422 response_too_large past BRIDGE_RESPONSE_LIMIT, and small answers still pass', async () => {
    const sidecar = await startSidecar({ env: { BRIDGE_RESPONSE_LIMIT: '256kb' } });
    // 200 children of 2 KB each: about 400 KB, where Odoo's field metadata of res.partner fits in 256 KB
    const big = await api(`${sidecar.origin}/api/v1/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name,comment&expand[child_ids][limit]=${MAX_PAGE}`);
    assert.equal(big.status, 422, big.text.slice(0, 300));
    assert.equal(big.body.code, 'response_too_large');
    assert.match(big.body.detail, /fewer fields|smaller limit/);
    const small = await api(`${sidecar.origin}/api/v1/res.partner/${parentId}?fields=name&expand=child_ids&expand[child_ids][fields]=name&expand[child_ids][limit]=2`);
    assert.equal(small.status, 200, small.text);
    assert.equal(small.body.data.child_ids.length, 2);
  });
});
