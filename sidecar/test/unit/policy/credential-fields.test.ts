import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isFieldAllowed } from '../../../src/policy/authorize.js';
import { CREDENTIAL_DENYLIST, isCredentialField, isCredentialModel } from '../../../src/policy/credential-fields.js';

const ADDON_DATA = fileURLToPath(new URL('../../../../addon/rest_gateway/data/credential_denylist.json', import.meta.url));

describe('credential denylist', () => {
  it('is the data the addon enforces at the bridge', () => {
    const addon = JSON.parse(readFileSync(ADDON_DATA, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(
      { modelPrefixes: addon.model_prefixes, models: addon.models, fields: addon.fields, namePatterns: addon.name_patterns },
      CREDENTIAL_DENYLIST,
    );
  });

  it('names passwords, API keys, TOTP and OAuth secrets', () => {
    for (const name of ['password', 'new_password', 'api_key_ids', 'totp_secret', 'totp_trusted_device_ids', 'oauth_access_token', 'oauth_uid',
      'smtp_pass', 'ldap_password', 'stripe_secret_key', 'mollie_api_key', 'access_token', 'signup_token', 'google_calendar_rtoken', 'token_ids', 'x_custom_secret']) {
      assert.ok(isCredentialField(name), name);
    }
  });

  it('leaves ordinary fields alone', () => {
    for (const name of ['name', 'email', 'login', 'phone', 'partner_id', 'user_ids', 'comment', 'tokenize', 'company_id', 'keyword', 'passage']) {
      assert.ok(!isCredentialField(name), name);
    }
  });

  it('names the models that hold credentials', () => {
    for (const model of ['rest.gateway.key', 'rest.gateway.oauth.client', 'rest.gateway.token', 'rest.gateway.webhook', 'rest.gateway.key.scope',
      'res.users.apikeys', 'ir.config_parameter', 'auth_totp.device', 'ir.mail_server']) {
      assert.ok(isCredentialModel(model), model);
    }
    for (const model of ['res.partner', 'res.users', 'res.country']) assert.ok(!isCredentialModel(model), model);
  });

  it('refuses credential fields whatever the field rules say', () => {
    const allowed = { allowed: new Set(['password', 'name']), blocked: new Set<string>() };
    assert.ok(!isFieldAllowed(allowed, 'password'));
    assert.ok(isFieldAllowed(allowed, 'name'));
    assert.ok(!isFieldAllowed({ allowed: null, blocked: new Set() }, 'api_key_ids'));
    assert.ok(isFieldAllowed({ allowed: null, blocked: new Set() }, 'id'));
  });
});
