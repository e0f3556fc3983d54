import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSettings, SettingsError } from '../../../src/config/env.js';
import { isSupportedAddonVersion } from '../../../src/config/addon-version-check.js';
import { ERROR_CODES } from '../../../src/errors.js';

const base = { DATABASE_URL: 'postgres://u:p@h:5432/db', ODOO_URL: 'http://odoo:8069/', ODOO_DB: 'db' };

describe('readSettings', () => {
  it('reads defaults', () => {
    const s = readSettings(base);
    assert.equal(s.port, 8080);
    assert.equal(s.odooUrl, 'http://odoo:8069');
    assert.ok(s.trustedProxies.empty);
  });
  it('names every bad variable', () => {
    assert.throws(
      () => readSettings({ DATABASE_URL: 'mysql://x', ODOO_URL: 'nope', PORT: '99999', TRUSTED_PROXIES: 'x.y' }),
      (error: unknown) => {
        assert.ok(error instanceof SettingsError);
        for (const name of ['DATABASE_URL', 'ODOO_URL', 'ODOO_DB', 'PORT']) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
    assert.throws(() => readSettings({ ...base, TRUSTED_PROXIES: 'x.y' }), /TRUSTED_PROXIES/);
  });
});

describe('addon version handshake', () => {
  it('speaks 19.0.1.x from 19.0.1.2 on (the v2 bridge signature)', () => {
    assert.ok(isSupportedAddonVersion('19.0.1.2.0'));
    assert.ok(isSupportedAddonVersion('19.0.1.3'));
    assert.ok(isSupportedAddonVersion('19.0.1.12.0'));
    assert.ok(!isSupportedAddonVersion('19.0.1.1.0'), 'before restrict_fields, the v2 signature and idempotency claims');
    assert.ok(!isSupportedAddonVersion('19.0.1.0.0'));
    assert.ok(!isSupportedAddonVersion('19.0.2.0.0'));
    assert.ok(!isSupportedAddonVersion('18.0.1.0.0'));
  });
});

describe('error codes', () => {
  it('are unique snake_case words', () => {
    assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
    for (const code of ERROR_CODES) assert.match(code, /^[a-z]+(_[a-z]+)*$/);
  });
});
