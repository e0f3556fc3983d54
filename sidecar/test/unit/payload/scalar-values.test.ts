import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidValue } from '../../../src/payload/issues.js';
import { toOdooScalar } from '../../../src/payload/scalar-values.js';
import { writablePartnerFields } from './write-fixtures.js';

const meta = (name: string) => writablePartnerFields.get(name) as NonNullable<ReturnType<typeof writablePartnerFields.get>>;
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function refuses(field: string, value: unknown, code = 'invalid_value'): void {
  assert.throws(() => toOdooScalar(meta(field), value), (error: unknown) => error instanceof InvalidValue && error.code === code, `${field} ${JSON.stringify(value)?.slice(0, 40)}`);
}

describe('toOdooScalar', () => {
  it('clears with null, whatever the type', () => {
    for (const name of ['name', 'color', 'birthday', 'country_id', 'type', 'image_1920', 'is_company']) assert.equal(toOdooScalar(meta(name), null), false);
  });
  it('takes strings for text fields, within limits and valid Unicode', () => {
    assert.equal(toOdooScalar(meta('name'), 'Ünïcödé 🎉'), 'Ünïcödé 🎉');
    assert.equal(toOdooScalar(meta('comment'), '<p>x</p>'), '<p>x</p>');
    refuses('name', 42);
    refuses('name', 'x'.repeat(10_001), 'value_too_large');
    refuses('name', 'a\u0000b');
    refuses('name', 'lone \uD800 surrogate');
    assert.equal((toOdooScalar(meta('comment'), 'y'.repeat(50_000)) as string).length, 50_000);
  });
  it('takes whole numbers for integers and finite numbers for floats', () => {
    assert.equal(toOdooScalar(meta('color'), 7), 7);
    refuses('color', 7.5);
    refuses('color', '7');
    refuses('color', 2 ** 31);
    assert.equal(toOdooScalar(meta('partner_latitude'), 50.85), 50.85);
    assert.equal(toOdooScalar(meta('credit_limit'), 10), 10);
    refuses('partner_latitude', Number.POSITIVE_INFINITY);
    refuses('credit_limit', '10.5');
  });
  it('takes booleans only for booleans', () => {
    assert.equal(toOdooScalar(meta('is_company'), true), true);
    refuses('is_company', 'true');
    refuses('is_company', 1);
  });
  it('checks selections against their keys', () => {
    assert.equal(toOdooScalar(meta('type'), 'invoice'), 'invoice');
    refuses('type', 'Invoice');
    refuses('type', 1);
  });
  it('takes positive ids for many2one', () => {
    assert.equal(toOdooScalar(meta('country_id'), 21), 21);
    for (const bad of [0, -1, 1.5, '21', { id: 21 }, [21], 2 ** 31]) refuses('country_id', bad);
  });
  it('takes base64 or a data URL for binaries', () => {
    assert.equal(toOdooScalar(meta('image_1920'), PNG), PNG);
    assert.equal(toOdooScalar(meta('image_1920'), `data:image/png;base64,${PNG}`), PNG);
    assert.equal(toOdooScalar(meta('image_1920'), `DATA:image/png;name=x.png;base64,${PNG}`), PNG);
    assert.equal(toOdooScalar(meta('image_1920'), ''), false);
    refuses('image_1920', 'not base64!');
    refuses('image_1920', 'abc');
    refuses('image_1920', 'data:image/png,plain');
    refuses('image_1920', `data:image/png;base64,${PNG}#`);
  });
  it('converts dates and datetimes', () => {
    assert.equal(toOdooScalar(meta('birthday'), '1990-07-14'), '1990-07-14');
    assert.equal(toOdooScalar(meta('last_seen'), '2024-05-01T09:30:00+02:00'), '2024-05-01 07:30:00');
    refuses('birthday', '14/07/1990');
  });
  it('refuses types the API cannot write', () => {
    refuses('properties', {}, 'field_readonly');
  });
});
