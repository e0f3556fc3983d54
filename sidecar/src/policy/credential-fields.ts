/**
 * Credentials the record routes never serve, kept as data: models that are
 * never exposed, and fields that are never read, filtered, sorted or
 * written, whatever the key's rules (docs/decisions.md D-S30, D-S31).
 * The addon holds the same data (rest_gateway/data/credential_denylist.json).
 */

export interface CredentialDenylist {
  /** Every model whose name starts with one of these (the gateway's own models). */
  modelPrefixes: readonly string[];
  models: readonly string[];
  /** Listed with the model that has them; refused by name on every model. */
  fields: Readonly<Record<string, readonly string[]>>;
  /** Regular expressions on a field's name, for secrets the lists do not name. */
  namePatterns: readonly string[];
}

export const CREDENTIAL_DENYLIST: CredentialDenylist = {
  modelPrefixes: ['rest.gateway.'],
  models: [
    'auth.oauth.provider',
    'auth.passkey.key',
    'auth.passkey.key.create',
    'auth_totp.device',
    'auth_totp.wizard',
    'change.password.own',
    'change.password.user',
    'change.password.wizard',
    'fetchmail.server',
    'iap.account',
    'ir.config_parameter',
    'ir.mail_server',
    'mail.ice.server',
    'payment.provider',
    'pos.payment.method',
    'res.company.ldap',
    'res.device',
    'res.device.log',
    'res.users.apikeys',
    'res.users.apikeys.description',
    'res.users.apikeys.show',
    'res.users.identitycheck',
  ],
  fields: {
    'fetchmail.server': ['password'],
    'ir.mail_server': ['smtp_pass', 'smtp_ssl_private_key'],
    'res.company': ['ldaps'],
    'res.users': [
      'api_key_ids',
      'auth_passkey_key_ids',
      'device_ids',
      'new_password',
      'oauth_access_token',
      'oauth_provider_id',
      'oauth_uid',
      'password',
      'totp_enabled',
      'totp_last_counter',
      'totp_secret',
      'totp_trusted_device_ids',
    ],
  },
  namePatterns: ['password', 'passwd', 'secret', 'api_?key', 'totp', 'private_key', '(^|_)r?tokens?(_|$)'],
};

const MODELS: ReadonlySet<string> = new Set(CREDENTIAL_DENYLIST.models);
// by name on every model: a module adding `password` to another model is covered too
const FIELD_NAMES: ReadonlySet<string> = new Set(Object.values(CREDENTIAL_DENYLIST.fields).flat());
const NAME_PATTERN = new RegExp(CREDENTIAL_DENYLIST.namePatterns.map((p) => `(?:${p})`).join('|'), 'i');

/** A model holding secrets: never exposed, whatever the configuration says. */
export function isCredentialModel(model: string): boolean {
  return MODELS.has(model) || CREDENTIAL_DENYLIST.modelPrefixes.some((prefix) => model.startsWith(prefix));
}

/** A field holding or setting a credential: never read, filtered, sorted or written. */
export function isCredentialField(field: string): boolean {
  return FIELD_NAMES.has(field) || NAME_PATTERN.test(field);
}
